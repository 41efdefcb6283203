"""The training page's run state: the visitor's LiveRun in session state, a new one when what it
started from changes, the settings of ui.settings handed to it while it plays, and one frame of
play."""

from __future__ import annotations

import threading
import time
import uuid

import streamlit as st

from lessonlib import mistakes
from lessonlib.data import DigitData
from lessonlib.models import MODELS
from lessonlib.training import TrainConfig, Trainer, make_trainer
from ui import live, pace, shared
from ui.core import source
from ui.settings import BS, CLASSES, EPOCHS, HIDDEN, LR, MODEL, MOMENTUM, SEED
from ui.widgets import value

BUTTONS = ("play", "pause", "step", "epoch", "reset")


@st.cache_resource
def _players() -> dict[str, float]:
    """Every session on this server that is playing: its id and when it last trained a frame."""
    return {}


def current_pace(playing: bool) -> pace.Pace:
    """This session's pace, given how many sessions on the server are playing now (this one included
    if it is)."""
    me = st.session_state.setdefault("_tr_player", uuid.uuid4().hex)
    now, players = time.monotonic(), _players()
    with _LOCK:
        if playing:
            players[me] = now
        else:
            players.pop(me, None)
        for gone in [k for k, seen in players.items() if now - seen > PLAYER_TIMEOUT]:
            del players[gone]
        return pace.pace(len(players))


SPEED = "4 epochs a second"  # the speed a visitor starts at
PLAYER_TIMEOUT = 3.0  # seconds: a session that has not asked for a frame this long (a closed tab)
                      # no longer counts
_LOCK = threading.Lock()


def all_digits() -> bool:
    return value(CLASSES) == 10


def config() -> TrainConfig:
    """The run's configuration, from the settings' widgets (or their defaults) and the mistakes
    switched on."""
    chosen = frozenset(name for name in mistakes.MISTAKES
                       if st.session_state.get(f"tr_mistake_{name}"))
    return TrainConfig(value(MODEL), value(LR), value(BS), value(HIDDEN), value(SEED),
                       value(MOMENTUM), chosen, all_digits())


def baseline(data: DigitData, digits: tuple[int, int]) -> float:
    """The pixel-similarity baseline's accuracy on the task being trained: two digits, or all of
    them."""
    return shared.baseline(source(), tuple(data.digits) if all_digits() else digits).mean


def _run_key(data: DigitData, digits: tuple[int, int]) -> tuple:
    """What a run is started from: changing any of these starts a new run from the seed."""
    c = config()
    return (data.name, digits, c.all_digits, c.model, c.hidden if MODELS[c.model].hidden else 0,
            c.seed)


def new_run(data: DigitData, digits: tuple[int, int]) -> live.LiveRun:
    run = live.LiveRun(make_trainer(data, digits, config()))
    st.session_state.update(tr_run=run, tr_key=_run_key(data, digits), trainer=run.trainer,
                            trainer_digits=run.trainer.train.labels)
    return run


def sessions_model() -> tuple[Trainer, tuple[int, ...]] | None:
    """The model this visitor trained on the training page and the digits it tells apart, if any."""
    trainer, labels = st.session_state.get("trainer"), st.session_state.get("trainer_digits")
    return None if trainer is None or labels is None else (trainer, labels)


def current_run(data: DigitData, digits: tuple[int, int]) -> live.LiveRun:
    """The visitor's run; a new one when the data, digits, model, hidden size or seed changed."""
    if "tr_run" not in st.session_state or st.session_state.get("tr_key") != _run_key(data, digits):
        return new_run(data, digits)
    return st.session_state.tr_run


def book_lr() -> None:
    """The model selector's callback: a new model starts at the book's learning rate for it."""
    st.session_state[LR.name] = MODELS[st.session_state[MODEL.name]].book_lr


def apply_live_settings(trainer: Trainer | None = None) -> None:
    """Give the trainer the sliders' learning rate, batch size, momentum and mistakes; the model
    stays as it is.

    Also the sliders' on_change callback: it runs before the page (and its training fragment)
    reruns, so a change made while playing takes effect at the very next batch."""
    trainer = trainer or st.session_state.tr_run.trainer
    c = config()
    trainer.set_learning_rate(c.learning_rate)
    trainer.set_batch_size(c.batch_size)
    trainer.set_momentum(c.momentum)
    trainer.set_mistakes(c.mistakes)


def clicked() -> str | None:
    """The button pressed for this run, read from session state so that training can come before any
    drawing."""
    return next((b for b in BUTTONS if st.session_state.get(f"tr_{b}")), None)


def frame(run: live.LiveRun, data: DigitData, digits: tuple[int, int]) -> None:
    """One frame of the training area: act on the button pressed, or train one chunk while playing.

    Play, Pause and Reset end in a full rerun, which switches the fragment's timer on or off; so
    does the end of playing, and a pace that has changed so much (visitors came or went) that the
    timer must be set again."""
    pressed = clicked()
    if pressed in ("play", "pause", "reset"):
        if pressed == "play":
            run.play(value(EPOCHS))
        elif pressed == "pause":
            run.pause()
        else:
            new_run(data, digits)
        st.rerun()
    if run.playing:
        speed, now = st.session_state.get("tr_speed", SPEED), current_pace(True)
        run.step(live.frame_budget(run.trainer, speed, elapsed=run.since_last_frame(), pace=now))
        if (not run.playing
            or pace.needs_new_timer(st.session_state.get("tr_interval", now.interval), now)):
            st.rerun()
    elif pressed == "step":
        run.step(live.Budget(batches=1))
    elif pressed == "epoch":
        run.step(live.Budget(seconds=120, wall_seconds=120, until_epoch_end=True))
    apply_live_settings(run.trainer)  # what the sliders show now, e.g. after a visit to another
                                      # page
