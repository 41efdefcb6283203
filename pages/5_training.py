"""Page 5: train the chapter's models with SGD, live, and take the training apart."""

import streamlit as st

import ui
from lessonlib import book, links, live, mistakes, models, pace, similarity, tenclass
from lessonlib.data import DigitData
from lessonlib.optim import BasicOptim
from lessonlib.training import TrainConfig, Trainer, make_trainer
from ui import training

ui.ensure_app()

LEARNING_RATES = [round(m * 10.0**e, 6) for e in range(-4, 1) for m in (1, 2, 5)] + [10.0]  # 0.0001 … 10
BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
MOMENTA = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99]
LINK = {p.name: p for p in (
    links.Param("lr", "Learning rate", options=tuple(LEARNING_RATES)),
    links.Param("bs", "Batch size", options=tuple(BATCH_SIZES)),
    links.Param("momentum", "Momentum", options=tuple(MOMENTA)),
    links.Param("model", "Model", options=models.MODELS),
    links.Param("classes", "Classes", options=(2, 10)),
    links.Param("hidden", "Hidden units", 1, 256, integer=True),
    links.Param("seed", "Seed", 0, 2**31 - 1, integer=True),
    links.Param("epochs", "Epochs per Play", 1, 1000, integer=True))}
MODEL_LABELS = {"linear1": "linear1 — xb @ weights + bias, by hand", "linear": "nn.Linear(28*28, {n})",
                "simple_net": "simple_net — 784 → hidden → ReLU → {n}"}
MODEL_CODE = {"linear1": (models.init_params, models.linear1, models.Linear1), "linear": (models.make_model,),
              "simple_net": (models.simple_net,)}


# ---- state -----------------------------------------------------------------------------------------------------------

def _all_digits() -> bool:
    return st.session_state.get("classes", 2) == 10


def _baseline(data: DigitData, digits: tuple[int, int]) -> float:
    if _all_digits():
        return ui.memo("baseline_l1_all", lambda: similarity.evaluate(data, data.digits).mean)
    return ui.memo("baseline_l1", lambda: similarity.evaluate(data, list(digits)).mean)


def _config() -> TrainConfig:
    s = st.session_state
    chosen = frozenset(name for name in mistakes.MISTAKES if s.get(f"tr_mistake_{name}"))
    return TrainConfig(s.get("model", "linear"), s.get("lr", 1.0), s.get("bs", 256), s.get("hidden", 30),
                       s.get("seed", 42), s.get("momentum", 0.0), chosen, _all_digits())


def _run_key(data: DigitData, digits: tuple[int, int]) -> tuple:
    """What a run is started from: changing any of these starts a new run from the seed."""
    c = _config()
    return data.name, digits, c.all_digits, c.model, c.hidden if c.model == "simple_net" else 0, c.seed


def _new_run(data: DigitData, digits: tuple[int, int]) -> live.LiveRun:
    run = live.LiveRun(make_trainer(data, digits, _config()))
    st.session_state.update(tr_run=run, tr_key=_run_key(data, digits), trainer=run.trainer,
                            trainer_digits=run.trainer.train.labels)
    return run


def _current_run(data: DigitData, digits: tuple[int, int]) -> live.LiveRun:
    """The session's run; a new one when the data, digits, model, hidden size or seed changed."""
    if "tr_run" not in st.session_state or st.session_state.get("tr_key") != _run_key(data, digits):
        return _new_run(data, digits)
    return st.session_state.tr_run


def _book_lr() -> None:
    st.session_state.lr = models.BOOK_LEARNING_RATES[st.session_state['model']]


def _apply_live_settings(trainer: Trainer | None = None) -> None:
    """Give the trainer the sliders' learning rate, batch size, momentum and mistakes; the model stays as it is.

    Also the sliders' on_change callback: it runs before the page (and its training fragment) reruns, so a change
    made while playing takes effect at the very next batch."""
    trainer = trainer or st.session_state.tr_run.trainer
    c = _config()
    trainer.set_learning_rate(c.learning_rate)
    trainer.set_batch_size(c.batch_size)
    trainer.set_momentum(c.momentum)
    trainer.set_mistakes(c.mistakes)


def _task_text(run: live.LiveRun, model: str, baseline: float) -> str:
    """What is being trained on what, and the baseline to beat."""
    t = run.trainer
    labels = t.train.labels
    if t.train.multiclass:
        what = (f"Training on {len(t.train.x):,} images of all {len(labels)} digits ({', '.join(map(str, labels))}): "
                f"one output per digit, softmax and cross-entropy")
    else:
        what = f"Training on {len(t.train.x):,} images of {labels[0]} (target 1) and {labels[1]} (target 0)"
    name = MODEL_LABELS[model].format(n=t.train.outputs)
    return f"**{name}**. {what}; validating on {len(t.valid.x):,}. Pixel-similarity baseline: **{baseline:.1%}**."


# ---- the training area (a fragment: only it reruns while playing) ----------------------------------------------------

HELP = {
    "lr": "How far each step moves the weights, as a multiple of the gradient. Log scale. Changing it while playing "
          "takes effect at the next batch.",
    "bs": "Images per mini-batch: one gradient step per batch.",
    "momentum": "0 is the book's plain SGD. With momentum each step also keeps that share of the last step's "
                "direction: v = momentum·v + grad; w -= lr·v, as torch.optim.SGD.",
}


def _settings(multiclass: bool) -> None:
    live_change = dict(on_change=_apply_live_settings)
    c = st.columns([3, 2, 2])
    ui.control(LINK["lr"], 1.0, lambda: c[0].select_slider(
        "Learning rate", LEARNING_RATES, value=1.0, key="lr", bind="query-params", format_func=lambda v: f"{v:g}",
        help=HELP["lr"], **live_change))
    ui.control(LINK["bs"], 256, lambda: c[1].select_slider(
        "Batch size", BATCH_SIZES, value=256, key="bs", bind="query-params", help=HELP["bs"], **live_change))
    ui.control(LINK["momentum"], 0.0, lambda: c[2].select_slider(
        "Momentum", MOMENTA, value=0.0, key="momentum", format_func=lambda v: f"{v:g}", bind="query-params",
        help=HELP["momentum"], **live_change))
    c = st.columns([3, 2, 2], vertical_alignment="top")
    if not ui.hidden("mistakes"):
        with c[0].expander("Common mistakes"):
            for name in mistakes.MISTAKES:
                label, why = mistakes.describe(name, multiclass)
                st.toggle(label, key=f"tr_mistake_{name}", help=why, persist_state="session", **live_change)
                st.caption(why)
    c[1].select_slider("Speed", list(live.SPEEDS), value="4 epochs a second", key="tr_speed", persist_state="session",
                       help=f"How fast to play. Full speed trains up to {live.WORK_SECONDS:g} s of CPU time between "
                       "redraws (less when many visitors on the server are playing at once).")
    ui.control(LINK["epochs"], 20, lambda: c[2].number_input(
        "Epochs per Play", 1, 1000, 20, key="epochs", bind="query-params"))


BUTTONS = ("play", "pause", "step", "epoch", "reset")


def _clicked() -> str | None:
    """The button pressed for this run, read from session state so that training can come before any drawing."""
    return next((b for b in BUTTONS if st.session_state.get(f"tr_{b}")), None)


def _controls(run: live.LiveRun) -> None:
    """Play/Pause, Step, Step epoch and Reset."""
    c = st.columns(4)
    stuck, busy = run.trainer.diverged, run.playing or run.trainer.diverged
    buttons = [  # (what, label, icon, disabled, help)
        ("pause", "Pause", "pause", False, "Stop after this chunk") if run.playing else
        ("play", "Play", "play_arrow", stuck, "Train the epochs chosen above, redrawing as it goes"),
        ("step", "Step", "skip_next", busy, "Train one mini-batch"),
        ("epoch", "Step epoch", "fast_forward", busy, "Train to the end of the current epoch"),
        ("reset", "Reset", "restart_alt", False, "New weights from the seed; the history is cleared"),
    ]
    for col, (what, label, icon, disabled, why) in zip(c, buttons, strict=True):
        col.button(label, key=f"tr_{what}", icon=f":material/{icon}:", disabled=disabled, help=why,
                   type="primary" if what in ("play", "pause") else "secondary", width="stretch")


def training_area(data: DigitData, digits: tuple[int, int], baseline: float) -> None:
    """Trains one chunk per rerun while playing, then draws buttons, progress and live charts.

    Training comes first and drawing after it, all in one quick burst, so the charts never sit greyed out
    ("stale") while the next chunk trains. Clicks are already in session state, and slider changes have been
    handed to the trainer by their on_change callback. The sliders themselves are drawn outside this fragment:
    they need not be resent with every frame, which leaves the browser more time to draw the charts.
    """
    run = st.session_state.tr_run
    clicked = _clicked()
    if clicked in ("play", "pause", "reset"):
        if clicked == "play":
            run.play(st.session_state.get("epochs", 20))
        elif clicked == "pause":
            run.pause()
        else:
            _new_run(data, digits)
        st.rerun()  # a full rerun switches the fragment's timer on or off
    if run.playing:
        speed, now = st.session_state.get("tr_speed", "4 epochs a second"), training.current_pace(True)
        run.step(live.frame_budget(run.trainer, speed, elapsed=run.since_last_frame(), pace=now))
        if not run.playing:
            st.rerun()  # finished or diverged: stop the timer
        if pace.needs_new_timer(st.session_state.get("tr_interval", now.interval), now):
            st.rerun()  # a full run sets the timer again
    elif clicked == "step":
        run.step(live.Budget(batches=1))
    elif clicked == "epoch":
        run.step(live.Budget(seconds=120, wall_seconds=120, until_epoch_end=True))
    _apply_live_settings(run.trainer)  # what the sliders show now, e.g. after a visit to another page
    _controls(run)
    training.status(run)
    training.metrics(run)
    training.charts(run, baseline, book.book_result(data, run.trainer.config.model, run.trainer.train.labels)
            if not run.trainer.train.multiclass else None)
    with st.expander("Where does it go wrong? Confusion matrix and misclassified digits"):
        if run.playing:
            st.caption("Shown when training is paused.")
        else:
            training.errors(run)


# ---- page ------------------------------------------------------------------------------------------------------------

st.title("SGD training")
st.write("The chapter's recipe, live: a model makes predictions, `mnist_loss` says how wrong they are, `backward()` "
         "finds the gradients and the optimiser steps, one mini-batch at a time. An epoch is one pass over all the "
         "training images. Watch the validation accuracy climb past the pixel-similarity baseline. Then try all ten "
         "digits at once, the step to the next chapter.")
data, digits = ui.data(), ui.digit_pair()
c = st.columns([3, 2, 1, 1])
ui.link_settings(*LINK.values())
model = ui.control(LINK["model"], "linear", lambda: c[0].selectbox(
    "Model", models.MODELS, index=1, key="model", on_change=_book_lr,
    bind="query-params", help="The book's order: linear1 by hand, then nn.Linear (the same model from PyTorch), then "
    "a small neural net. Changing the model starts again from the seed, at the book's learning rate for it."))
ui.control(LINK["classes"], 2, lambda: c[1].radio(
    "Classes", (2, 10), key="classes", horizontal=True, bind="query-params",
    captions=(f"{digits[0]} vs {digits[1]}", "all digits"),
    help="2: the chapter's task, the sidebar's two digits with one output and mnist_loss. 10: every digit of the "
    "data, one output per digit, softmax and cross-entropy loss (chapter 5). Changing it starts again from the seed."))
ui.control(LINK["hidden"], 30, lambda: c[2].number_input(
    "Hidden units", 1, 256, 30, key="hidden", disabled=model != "simple_net", bind="query-params"))
ui.control(LINK["seed"], 42, lambda: c[3].number_input(
    "Seed", 0, 2**31 - 1, 42, key="seed", bind="query-params",
    help="The same seed and settings give the same starting weights, batches and curves."))
baseline = _baseline(data, digits)
run = _current_run(data, digits)
st.caption(_task_text(run, model, baseline))
_settings(run.trainer.train.multiclass)
st.session_state.tr_interval = training.current_pace(run.playing).interval  # shared fairly when many are playing
st.fragment(run_every=st.session_state.tr_interval if run.playing else None)(training_area)(data, digits, baseline)
training.steady_charts()
LOSS_CODE = ((tenclass.softmax, tenclass.cross_entropy, tenclass.accuracy) if run.trainer.train.multiclass
             else (models.mnist_loss, models.batch_accuracy))
ui.show_code(*MODEL_CODE[model], *LOSS_CODE, BasicOptim, Trainer.train_batch, mistakes.loss_function)
if not ui.hidden("sweep"):
    training.lr_sweep(run, _config(), LEARNING_RATES)
if not ui.hidden("weights-file"):
    training.weights_files(run)
