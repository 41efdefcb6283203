"""The training page's live area: Play and the other buttons, the run's status, its metrics and its
charts, redrawn after every chunk of training (ui/training_setup.py holds the settings,
ui/training_tools.py what comes below)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

from lessonlib import book, norms
from lessonlib.models import MODELS
from lessonlib.plots import training as plots
from lessonlib.plots.weights import weights_figure
from ui import live
from ui.core import data


def controls(run: live.LiveRun) -> None:
    """Play/Pause, Step, Step epoch and Reset."""
    stuck, busy = run.trainer.diverged, run.playing or run.trainer.diverged
    buttons = [  # (what, label, icon, disabled, help)
        ("pause", "Pause", "pause", False, "Stop after this chunk") if run.playing else
        ("play", "Play", "play_arrow", stuck,
         "Train the epochs chosen above, redrawing as it goes"),
        ("step", "Step", "skip_next", busy, "Train one mini-batch"),
        ("epoch", "Step epoch", "fast_forward", busy, "Train to the end of the current epoch"),
        ("reset", "Reset", "restart_alt", False,
         "New weights from the seed; the history is cleared"),
    ]
    for col, (what, label, icon, disabled, why) in zip(st.columns(4), buttons, strict=True):
        col.button(label, key=f"tr_{what}", icon=f":material/{icon}:", disabled=disabled, help=why,
                   type="primary" if what in ("play", "pause") else "secondary", width="stretch")


def metrics(run: live.LiveRun) -> None:
    """Steps, epochs, the last batch loss, the validation accuracy and the weights' norm with its
    history."""
    t, h = run.trainer, run.history
    m = st.columns(5)
    m[0].metric("Steps", f"{t.steps:,}")
    m[1].metric("Epochs", f"{t.progress:.2f}")
    loss = h.batch_loss.y[-1] if len(h.batch_loss) else None
    m[2].metric("Last batch loss",
                "—" if loss is None else f"{loss:.4f}" if abs(loss) < 1e4 else f"{loss:.4g}")
    m[3].metric("Validation accuracy",
                f"{h.last_accuracy:.1%}" if h.last_accuracy is not None else "—")
    weight_norm_metric(m[4], run)


def _short(v: float) -> str:
    """3 significant digits below 1,000 (2.98, 81.8), whole numbers with separators above
    (3,177)."""
    return f"{v:,.0f}" if math.isfinite(v) and abs(v) >= 1000 else f"{v:.3g}"


def weight_norm_metric(where, run: live.LiveRun) -> None:
    """The norm of all the weights now, its change since the start, and a sparkline of it per
    epoch."""
    now = norms.weight_norm(run.trainer.model)
    change = (f"{'+' if now >= run.start_norm else '−'}{_short(abs(now - run.start_norm))} since "
              f"the start")
    per_epoch = [v for v in run.history.weight_norm.y if math.isfinite(v)]
    where.metric("Weight norm", _short(now), delta=change, delta_color="off", delta_arrow="off",
                 chart_data=per_epoch if len(per_epoch) > 1 else None,
                 help="sqrt of the sum of the squares of every weight and bias: how big the "
                 "parameters are. The line shows it at the start and after each epoch. Skipping "
                 "the zeroing of the gradients (Common mistakes) makes it grow far faster.")


def _book_note(run: live.LiveRun, mark: book.BookResult | None) -> str:
    """What the star on the accuracy chart is, or why there is none."""
    t = run.trainer
    known = book.RESULTS.get(t.config.model)
    star = (f"The star is the book's result for this model: {known.accuracy:.2%} after "
            f"{known.epochs} epochs at learning rate {known.learning_rate:g}, "
            f"batch size 256") if known else ""
    if mark and book.is_mnist_sample(data()):
        return star + ", on this same MNIST_SAMPLE."
    if mark:
        n, steps = len(t.train.x), live.batches_per_epoch(t)
        book_n = sum(v for (split, _), v in book.MNIST_SAMPLE_COUNTS.items() if split == "train")
        note = (star + f", on these same {len(t.valid.x):,} validation images but trained on "
                f"MNIST_SAMPLE's {book_n:,}: {math.ceil(book_n / 256)} steps an epoch. Here {n:,} "
                f"training images make {steps} steps an epoch at batch size {t.config.batch_size}, "
                f"so {known.epochs} epochs here are far fewer steps than the book's.")
        if t.config.model == "linear1":
            note += (" linear1 starts from randn weights far from a good answer, so on this data "
                     "it needs many more epochs: over six seeds it stays below the "
                     "pixel-similarity baseline after 20 epochs (0.917) and reaches 0.965 after "
                     "the book's 980 steps, 245 epochs here (docs/MEASURED.md).")
        return note
    if known and not t.train.multiclass:
        return (f"The book reports {known.accuracy:.2%} for this model ({known.epochs} epochs, lr "
                f"{known.learning_rate:g}) on 3 vs 7. Its star appears here when the digits are 3 "
                f"and 7.")
    return ""


PHONE = """@media (max-width: 640px) {
  .st-key-tr_main > .st-key-tr_area, .st-key-tr_main > div:has(> .st-key-tr_area) { order: -1; }
}"""


def styles() -> None:
    """The training page's style sheet (in the sidebar's end, where its empty element's spacing
    shows nowhere):
    - the live charts stay at full strength while the next frame is on its way. Streamlit greys out
      ("stale") what the last run drew until the new run replaces it; at five frames a second that
      reads as flicker;
    - on a phone, Play and the live charts come first and the settings after them (the container
      keyed tr_area moves before tr_settings), instead of eight controls to scroll past before
      anything trains."""
    stale = ", ".join(f'.st-key-{key}[data-stale="true"]' for key in LIVE_CHARTS)
    st.sidebar.html(f"<style>{stale} {{ opacity: 1 !important; }}\n{PHONE}</style>")


LIVE_CHARTS = ("tr_loss_chart", "tr_acc_chart", "tr_weights_chart")


def live_figures(run: live.LiveRun, baseline: float | None = None, change: bool = False,
                 mark: book.BookResult | None = None) -> dict[str, go.Figure]:
    """What the page redraws after every chunk of training: loss, accuracy, and the pixel weights
    (or how far training has moved them from where they started)."""
    x_max = max(run.goal or 0.0, run.trainer.progress, 1.0)
    t, h = run.trainer, run.history
    per_digit = t.train.multiclass and not MODELS[t.config.model].hidden  # one weight map per digit
    labels = [str(d) for d in t.train.labels] if per_digit else None
    return {"loss": plots.loss_figure(h.batch_loss, h.valid_loss, x_max),
            "accuracy": plots.accuracy_figure(h.valid_accuracy, baseline, x_max, book=mark),
            "weights": weights_figure(run.pixel_weights(change), change, labels=labels)}


def charts(run: live.LiveRun, baseline: float, mark: book.BookResult | None) -> None:
    """Loss and accuracy curves (with the baseline and the book's result) and the weights as
    pictures."""
    change = st.session_state.get("tr_weights_view") == "change since the start"
    figs = live_figures(run, baseline, change, mark)
    left, right = st.columns(2)
    left.plotly_chart(figs["loss"], theme="streamlit", key="tr_loss_chart",
                      config={"displayModeBar": False})
    right.plotly_chart(figs["accuracy"], theme="streamlit", key="tr_acc_chart",
                       config={"displayModeBar": False})
    note = _book_note(run, mark)
    if note:
        right.caption(note)
    left, right = st.columns([3, 2])
    left.plotly_chart(figs["weights"], theme="streamlit", key="tr_weights_chart",
                      config={"displayModeBar": False})
    right.radio("Show", ["weights", "change since the start"], key="tr_weights_view",
                horizontal=True, persist_state="session")
    right.markdown(_weights_text(run))


def _weights_text(run: live.LiveRun) -> str:
    """How to read the weight pictures of this model and task."""
    t = run.trainer
    spec, labels = MODELS[t.config.model], t.train.labels
    if spec.hidden:
        colours = "Red: ink there raises the unit's activation; blue: lowers it."
    elif t.train.multiclass:
        return ("One map per digit: the 784 weights of that digit's output. Red ink raises the "
                "digit's activation, blue lowers it; softmax then turns the ten activations into "
                "probabilities. After some training each map looks like a blurred template of its "
                "digit, minus the others.")
    else:
        colours = (f"Red pixels push the prediction towards **{labels[0]}**, blue "
                   f"towards **{labels[1]}**.")
    return f"{colours} {spec.weights_note}"


def status(run: live.LiveRun) -> None:
    """The update rule in use, and whether the run is training, paused, not started or diverged."""
    t = run.trainer
    c = t.config
    step = (f"v = {c.momentum:g} * v + p.grad; p -= {c.learning_rate:g} * v" if c.momentum
            else f"p -= {c.learning_rate:g} * p.grad")
    kept = "keep_grads" in c.mistakes
    st.caption(f"Each step: `{step}` for every parameter p, with the gradient of the loss on a "
               f"batch of {c.batch_size:,} images"
               + (", **added to** every earlier batch's gradient: `p.grad` is never zeroed."
                  if kept else ", then `p.grad = None`."))
    if t.diverged:
        st.error(f"The training loss became **inf or nan** at step {t.steps}: the steps were so "
                 "large that the numbers overflowed, and the weights are now useless. Lower the "
                 "learning rate (or switch the mistake off) and press **Reset**.")
    elif run.playing:
        steps_s, examples_s = run.speed()
        speed = f" · {steps_s:,.0f} steps/s · {examples_s:,.0f} examples/s" if steps_s else ""
        st.progress(run.fraction_done,
                    text=f"Training: epoch {t.progress:.2f} of {run.goal:g}{speed}")
    elif t.steps:
        st.progress(run.fraction_done,
                    text=f"Paused after {t.steps:,} steps ({t.progress:.2f} epochs)")
    else:
        st.info("Press **Play** to train, or **Step** to take one mini-batch step at a time.")


