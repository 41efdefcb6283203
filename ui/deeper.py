"""The deeper page's parts: each visitor's resnet18, trained in chunks between redraws (ui.live) at
the fair pace the training page uses (ui.trainrun.current_pace); how long an epoch takes on this
server, timed here; and deeper against wider nets, shared by every visitor."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import streamlit as st
import torch

from lessonlib import batchnorm, book, depth
from lessonlib.data import DigitData
from lessonlib.models import VALID_CHUNK
from lessonlib.plots import deeper as plots
from lessonlib.training import EpochEvent, TrainConfig, Trainer, make_trainer
from ui import live, trainrun
from ui.core import Source, load
from ui.settings import CLASSES, SEED
from ui.widgets import value

BUTTONS = ("train", "pause", "reset")
EPOCH_COLUMNS = {"seconds so far": None, "training s": st.column_config.NumberColumn(format="%.1f"),
                 "validation s": st.column_config.NumberColumn(format="%.1f"),
                 "validation accuracy": st.column_config.NumberColumn(format="percent"),
                 "validation loss": st.column_config.NumberColumn(format="%.4f")}
RECIPE = book.RESULTS["resnet18"]
RESNET, SIMPLE, SAME = "resnet18", "simple_net", "About the same"  # the page's answers
DEEP, WIDE = "The deep one", "The wide one"


def config(seed: int, all_digits: bool) -> TrainConfig:
    """resnet18 at the book's learning rate and batch size, with the project's plain SGD."""
    return TrainConfig("resnet18", RECIPE.learning_rate, book.RESNET18_BATCH, seed=seed,
                       all_digits=all_digits)


def all_digits() -> bool:
    return value(CLASSES) == 10


@dataclass(frozen=True)
class Estimate:
    """How long an epoch takes on this server, from one timed batch and one timed chunk of
    validation images."""

    batch_seconds: float
    batch_images: int
    batches: int  # per epoch
    valid_images: int
    valid_seconds: float  # for all of them
    parameters: int

    @property
    def epoch_seconds(self) -> float:
        return self.batch_seconds * self.batches + self.valid_seconds


@st.cache_resource(ttl=600, max_entries=8, show_spinner="Timing resnet18 on this server…")
def estimate(source: Source, pair: tuple[int, int], ten: bool) -> Estimate:
    """Time a training batch (the second: the first sets things up) and a validation chunk, now, on
    this server."""
    trainer = make_trainer(load(source), pair, config(0, ten))
    trainer.train_batch()
    start = time.perf_counter()
    trainer.train_batch()
    batch = time.perf_counter() - start
    chunk = trainer.valid.x[:VALID_CHUNK]  # (≤500, 784)
    start = time.perf_counter()
    with torch.no_grad():
        trainer.model(chunk)
    per_image = (time.perf_counter() - start) / len(chunk)
    return Estimate(batch, min(trainer.config.batch_size, len(trainer.train.x)),
                    live.batches_per_epoch(trainer),
                    len(trainer.valid.x), per_image * len(trainer.valid.x),
                    sum(p.numel() for p in trainer.model.parameters()))


def seconds(s: float) -> str:
    """A duration to read: 0.28 s, 4.3 s, 35 s."""
    return f"{s:.2f} s" if s < 1 else f"{s:.1f} s" if s < 10 else f"{s:,.0f} s"


def plural(n: int, word: str, words: str = "") -> str:
    """'1 epoch', '3 epochs'; `words` for a plural that is not word + s."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def size_answer(ratio: float, answers: tuple[str, str, str, str]) -> str:
    """Which of "about as many", "about 10", "about 100", "hundreds or more" times a parameter
    ratio is: the bands meet at 3, 30 and 300."""
    return answers[sum(ratio >= r for r in (3, 30, 300))]


def versus_simple_net(resnet: float, simple_net: float) -> str:
    """RESNET, SIMPLE or SAME: which validation accuracy is higher, within a quarter of a point
    counting as the same."""
    gap = resnet - simple_net
    return RESNET if gap > 0.0025 else SIMPLE if gap < -0.0025 else SAME


def depth_verdict(deep: depth.DepthResult, wide: depth.DepthResult) -> tuple[str, str]:
    """DEEP, WIDE or SAME (within half a point), and what that says about the book's reason to go
    deeper."""
    gap = deep.accuracy - wide.accuracy
    answer = DEEP if gap > 0.005 else WIDE if gap < -0.005 else SAME
    if answer == WIDE:
        return answer, "Here the wider net did better: with this training, depth did not pay."
    how = "better" if answer == DEEP else "about as well"
    return answer, (f"The deeper net did {how} with {wide.parameters / deep.parameters:.0f} times "
                    "fewer parameters: the book's reason to go deeper, measured.")


@st.cache_resource(max_entries=16, show_spinner="Training three nets of different depths…")
def depth_table(source: Source, pair: tuple[int, int]) -> list[depth.DepthResult]:
    """Deeper against wider on the two digits, trained once for every visitor."""
    return depth.compare(load(source), pair)


def _key(data: DigitData, pair: tuple[int, int]) -> tuple:
    return data.name, pair, all_digits(), value(SEED)


MAX_MODELS = 6  # resnet18s a server keeps at once: about 0.2 GB each (weights, gradients,
                # activations)
IDLE_SECONDS = 120.0  # a model not trained for this long may be cleared to make room for another
                      # visitor's
_LOCK = threading.Lock()


@st.cache_resource
def _held() -> dict[int, tuple[live.LiveRun, float]]:
    """Every resnet18 run on this server, by id, with when it last trained (visitors who left
    included)."""
    return {}


def _forget(run: live.LiveRun | None) -> None:
    with _LOCK:
        _held().pop(id(run), None)


def _room() -> bool:
    """Whether one more resnet18 fits on this server: when MAX_MODELS are held, the one idle longest
    (not playing, untouched for IDLE_SECONDS) is cleared; when none is idle, there is no room."""
    with _LOCK:
        held, now = _held(), time.monotonic()
        if len(held) < MAX_MODELS:
            return True
        idle = [(seen, k) for k, (run, seen) in held.items()
                if not run.playing and now - seen > IDLE_SECONDS]
        if not idle:
            return False
        run, _ = held.pop(min(idle)[1])
        run.release()  # its visitor sees that it was cleared, at their next visit
        return True


def _clear() -> None:
    _forget(st.session_state.get("dp_run"))
    for k in ("dp_run", "dp_epochs", "dp_key"):
        st.session_state.pop(k, None)


def current_run(data: DigitData, pair: tuple[int, int]) -> live.LiveRun | None:
    """The visitor's run, or None before the first Train (or after the data, digits, classes or seed
    changed, or after the server cleared it to make room for another visitor's)."""
    run = st.session_state.get("dp_run")
    if run is not None and run.released:
        st.session_state.dp_cleared = True
        _clear()
    elif st.session_state.get("dp_key") != _key(data, pair):
        _clear()
    run = st.session_state.get("dp_run")
    if run is not None:
        with _LOCK:
            _held()[id(run)] = (run, time.monotonic())
    return run


def _new_run(data: DigitData, pair: tuple[int, int]) -> live.LiveRun | None:
    """A fresh resnet18 for this visitor, or None when the server holds as many as it can."""
    if not _room():
        return None
    run = live.LiveRun(make_trainer(data, pair, config(value(SEED), all_digits())))
    st.session_state.update(dp_run=run, dp_key=_key(data, pair), dp_epochs=[], dp_cleared=False)
    with _LOCK:
        _held()[id(run)] = (run, time.monotonic())
    return run


def epochs_done() -> list[dict]:
    """One row per finished epoch: its training seconds, validation seconds, accuracy and loss."""
    return st.session_state.get("dp_epochs", [])


def _ends_epoch_next(t: Trainer) -> bool:
    """Whether the next batch is the last of its epoch (so the validation pass follows it)."""
    n, batch = len(t.train.x), t.config.batch_size
    done = round((t.progress % 1) * n) if t.progress % 1 else 0
    return n <= batch or done + batch >= n


def _record(events: list, wall: float, trained: float) -> None:
    """Add the epochs a chunk finished, with how long their training and (shared equally) their
    validation took."""
    rows = st.session_state.setdefault("dp_epochs", [])
    ends = [e for e in events if isinstance(e, EpochEvent)]
    for e in ends:
        before = rows[-1]["seconds so far"] if rows else 0.0
        rows.append({"epoch": e.epoch, "training s": e.seconds - before,
                     "validation s": (wall - trained) / len(ends),
                     "validation accuracy": e.valid_accuracy, "validation loss": e.valid_loss,
                     "seconds so far": e.seconds})


def frame(data: DigitData, pair: tuple[int, int], epochs: int) -> live.LiveRun | None:
    """Act on the button pressed, or train one chunk while training; returns the run
    (None before any)."""
    pressed = next((b for b in BUTTONS if st.session_state.get(f"dp_{b}")), None)
    run = current_run(data, pair)
    if pressed == "train":
        run = run or _new_run(data, pair)
        if run is None:
            st.session_state.dp_full = True
            return None
        run.play(epochs)
        st.rerun()
    if pressed in ("pause", "reset") and run is not None:
        run.pause()
        if pressed == "reset":
            _clear()
        st.rerun()
    if run is not None and run.playing:
        if _ends_epoch_next(run.trainer):
            st.caption(f"Checking the {len(run.trainer.valid.x):,} validation images after this "
                       f"batch…")
        seconds, start = run.trainer.seconds, time.perf_counter()
        events = run.step(live.frame_budget(run.trainer, "full speed",
                                            pace=trainrun.current_pace(True)))
        _record(events, time.perf_counter() - start, run.trainer.seconds - seconds)
        if not run.playing:
            st.rerun()
    return run


def room_notes() -> None:
    """Why there is no model to train: the server is full, or it cleared this visitor's idle
    model."""
    if st.session_state.pop("dp_full", False):
        st.warning(f"This server already holds {MAX_MODELS} resnet18s that other visitors are "
                   "training (about 0.2 GB each). Try again in a couple of minutes.")
    elif st.session_state.get("dp_cleared"):
        st.info("Your resnet18 was cleared to make room for another visitor's: the server keeps "
                f"at most {MAX_MODELS}, and yours had not trained for {IDLE_SECONDS / 60:.0f} "
                "minutes. Press Train to start again.")


def book_mark(run: live.LiveRun, pair: tuple[int, int]) -> book.BookResult | None:
    """The book's resnet18 result, when this run is the book's task: 3 (first) against 7."""
    return RECIPE if pair == (3, 7) and not run.trainer.train.multiclass else None


def figure(run: live.LiveRun, simple_net: float | None, baseline: float | None,
           pair: tuple[int, int]):
    """resnet18's accuracy so far, with simple_net's, the baseline's and (for the book's 3 vs 7) the
    book's."""
    rows = epochs_done()
    return plots.accuracy_figure([r["epoch"] for r in rows],
                                 [r["validation accuracy"] for r in rows],
                                 run.goal or run.target or 1, simple_net, baseline,
                                 book_mark(run, pair))


def recipe_rows(data: DigitData, pair: tuple[int, int], ten: bool) -> list[dict]:
    """The book's resnet18 recipe against this page's, row by row, with this data's numbers."""
    digits = data.digits if ten else list(pair)
    train, valid = (sum(data.count(split, d) for d in digits) for split in ("train", "valid"))
    sample = {s: sum(n for (split, _), n in book.MNIST_SAMPLE_COUNTS.items() if split == s)
              for s in ("train", "valid")}
    bs, lr = book.RESNET18_BATCH, RECIPE.learning_rate
    last, loss = ((f"{len(digits)} outputs", "cross-entropy over them") if ten else
                  ("1 output", "mnist_loss: sigmoid, then the distance from the target"))
    rows = [
        ("training images", f"{sample['train']:,} (MNIST_SAMPLE's 3s and 7s)",
         f"{train:,} (digits {', '.join(map(str, digits))})"),
        ("validation images", f"{sample['valid']:,}", f"{valid:,}"),
        ("input", "28×28, 3 channels: fastai opens the PNGs as RGB",
         "28×28, 1 channel: a row of 784, viewed"),
        ("last layers", "fastai's head in place of resnet18's last layer, 2 outputs",
         f"torchvision's, {last}"),
        ("loss", "F.cross_entropy over the 2 outputs", loss),
        ("optimiser",
         f"fastai's default, Adam; fit_one_cycle raises the rate to {lr:g}, then lowers it",
         f"plain SGD (BasicOptim) at {lr:g} throughout"),
        ("batches",
         f"a fastai DataLoader of {bs}: {math.ceil(sample['train'] / bs):,} steps in its one epoch",
         f"shuffled as DataLoader(shuffle=True), {bs} at a time: {math.ceil(train / bs):,} steps "
         f"an epoch"),
    ]
    return [{"": what, "the book": theirs, "here": ours} for what, theirs, ours in rows]


def batchnorm_check(run: live.LiveRun) -> None:
    """Why the first epochs can score low: BatchNorm's running averages, and the accuracy without
    them, on demand."""
    t, rows = run.trainer, epochs_done()
    bns = batchnorm.layers(t.model)
    if not bns or not rows:
        return
    m = bns[0].momentum
    st.markdown(f"**Why can the first epochs score so low?** resnet18 has {len(bns)} BatchNorm "
                "layers. While training, each normalises a batch with that batch's own mean and "
                "variance, and keeps running averages of them to validate with: each step moves "
                f"an average {m:.0%} of the way (PyTorch's momentum {m:g}). After {t.steps:,} "
                f"steps, {batchnorm.starting_share(m, t.steps):.1%} of each average is still its "
                "starting value (mean 0, variance 1).")
    if st.button("Validate with each batch's own statistics instead", key="dp_bn"):
        with st.spinner("Checking every validation image again…"):
            acc = batchnorm.batch_statistics_accuracy(t.model, t.valid, t.config.batch_size)
        st.session_state.dp_bn_result = (t.steps, acc)
    steps, acc = st.session_state.get("dp_bn_result", (None, None))
    if steps == t.steps:
        st.info(f"With each shuffled batch of {t.config.batch_size}'s own statistics this model "
                f"scores **{acc:.2%}** on the validation images; with its running "
                f"averages, **{rows[-1]['validation accuracy']:.2%}**.")
