"""The training page's drawing: the live area's metrics, status, charts and mistakes, then the sections below it, the
learning-rate sweep and the weights file."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

from lessonlib import book, checkpoint, confusion, mistakes, sweep
from lessonlib.models import MODELS
from lessonlib.plots import images
from lessonlib.plots import training as plots
from lessonlib.plots.weights import weights_figure
from lessonlib.training import TrainConfig
from ui import links, live, trainrun
from ui.core import data, show_code
from ui.settings import BS, CLASSES, EPOCHS, HIDDEN, LR, MODEL, MOMENTUM, SEED
from ui.share import hidden
from ui.widgets import widget


def task_text(run: live.LiveRun, baseline: float) -> str:
    """What is being trained on what, and the baseline to beat."""
    t = run.trainer
    labels = t.train.labels
    if t.train.multiclass:
        what = (f"Training on {len(t.train.x):,} images of all {len(labels)} digits ({', '.join(map(str, labels))}): "
                f"one output per digit, softmax and cross-entropy")
    else:
        what = f"Training on {len(t.train.x):,} images of {labels[0]} (target 1) and {labels[1]} (target 0)"
    name = MODELS[t.config.model].label.format(n=t.train.outputs)
    return f"**{name}**. {what}; validating on {len(t.valid.x):,}. Pixel-similarity baseline: **{baseline:.1%}**."


def model_settings(digits: tuple[int, int]) -> None:
    """What a run starts from: the model, two digits or all ten, hidden units, seed (a change starts a new run)."""
    c = st.columns([3, 2, 1, 1])
    model = widget(MODEL, c[0], on_change=trainrun.book_lr)
    widget(CLASSES, c[1], captions=(f"{digits[0]} vs {digits[1]}", "all digits"))
    widget(HIDDEN, c[2], disabled=not MODELS[model].hidden)
    widget(SEED, c[3])


def live_settings(multiclass: bool) -> None:
    """What may change while the run plays: learning rate, batch size, momentum, mistakes, speed, epochs."""
    live_change = dict(on_change=trainrun.apply_live_settings)
    c = st.columns([3, 2, 2])
    for col, s in zip(c, (LR, BS, MOMENTUM), strict=True):
        widget(s, col, **live_change)
    c = st.columns([3, 2, 2], vertical_alignment="top")
    if not hidden("mistakes"):
        with c[0].expander("Common mistakes"):
            for name in mistakes.MISTAKES:
                label, why = mistakes.describe(name, multiclass)
                st.toggle(label, key=f"tr_mistake_{name}", help=why, persist_state="session", **live_change)
                st.caption(why)
    c[1].select_slider("Speed", list(live.SPEEDS), value=trainrun.SPEED, key="tr_speed", persist_state="session",
                       help=f"How fast to play. Full speed trains up to {live.WORK_SECONDS:g} s of CPU time between "
                       "redraws (less when many visitors on the server are playing at once).")
    widget(EPOCHS, c[2])


def controls(run: live.LiveRun) -> None:
    """Play/Pause, Step, Step epoch and Reset."""
    stuck, busy = run.trainer.diverged, run.playing or run.trainer.diverged
    buttons = [  # (what, label, icon, disabled, help)
        ("pause", "Pause", "pause", False, "Stop after this chunk") if run.playing else
        ("play", "Play", "play_arrow", stuck, "Train the epochs chosen above, redrawing as it goes"),
        ("step", "Step", "skip_next", busy, "Train one mini-batch"),
        ("epoch", "Step epoch", "fast_forward", busy, "Train to the end of the current epoch"),
        ("reset", "Reset", "restart_alt", False, "New weights from the seed; the history is cleared"),
    ]
    for col, (what, label, icon, disabled, why) in zip(st.columns(4), buttons, strict=True):
        col.button(label, key=f"tr_{what}", icon=f":material/{icon}:", disabled=disabled, help=why,
                   type="primary" if what in ("play", "pause") else "secondary", width="stretch")


def metrics(run: live.LiveRun) -> None:
    """Steps, epochs, the last batch loss and the validation accuracy."""
    t, h = run.trainer, run.history
    m = st.columns(4)
    m[0].metric("Steps", f"{t.steps:,}")
    m[1].metric("Epochs", f"{t.progress:.2f}")
    loss = h.batch_loss.y[-1] if len(h.batch_loss) else None
    m[2].metric("Last batch loss", "—" if loss is None else f"{loss:.4f}" if abs(loss) < 1e4 else f"{loss:.4g}")
    m[3].metric("Validation accuracy", f"{h.last_accuracy:.1%}" if h.last_accuracy is not None else "—")


def _book_note(run: live.LiveRun, mark: book.BookResult | None) -> str:
    """What the star on the accuracy chart is, or why there is none."""
    t = run.trainer
    known = book.RESULTS.get(t.config.model)
    star = (f"The star is the book's result for this model: {known.accuracy:.2%} after {known.epochs} epochs at "
            f"learning rate {known.learning_rate:g}, batch size 256") if known else ""
    if mark and book.is_mnist_sample(data()):
        return star + ", on this same MNIST_SAMPLE."
    if mark:
        n, steps = len(t.train.x), live.batches_per_epoch(t)
        book_n = sum(v for (split, _), v in book.MNIST_SAMPLE_COUNTS.items() if split == "train")
        note = (star + f", on these same {len(t.valid.x):,} validation images but trained on MNIST_SAMPLE's "
                f"{book_n:,}: {math.ceil(book_n / 256)} steps an epoch. Here {n:,} training images make {steps} "
                f"steps an epoch at batch size {t.config.batch_size}, so {known.epochs} epochs here are far fewer "
                "steps than the book's.")
        if t.config.model == "linear1":
            note += (" linear1 starts from randn weights far from a good answer, so on this data it needs many more "
                     "epochs: over six seeds it stays below the pixel-similarity baseline after 20 epochs (0.917) "
                     "and reaches 0.965 after the book's 980 steps, 245 epochs here (docs/MEASURED.md).")
        return note
    if known and not t.train.multiclass:
        return (f"The book reports {known.accuracy:.2%} for this model ({known.epochs} epochs, lr "
                f"{known.learning_rate:g}) on 3 vs 7. Its star appears here when the digits are 3 and 7.")
    return ""


def steady_charts() -> None:
    """Keep the live charts at full strength while the next frame is on its way. Streamlit greys out ("stale") what
    the last run drew until the new run replaces it; at five frames a second that reads as flicker. (A style sheet
    only: in the sidebar's end, where its empty element's spacing shows nowhere.)"""
    st.sidebar.html("<style>" + ", ".join(f'.st-key-{key}[data-stale="true"]' for key in LIVE_CHARTS)
                    + " { opacity: 1 !important; }</style>")


LIVE_CHARTS = ("tr_loss_chart", "tr_acc_chart", "tr_weights_chart")


def live_figures(run: live.LiveRun, baseline: float | None = None, change: bool = False,
                 mark: book.BookResult | None = None) -> dict[str, go.Figure]:
    """What the page redraws after every chunk of training: loss, accuracy, and the pixel weights (or how far
    training has moved them from where they started)."""
    x_max = max(run.goal or 0.0, run.trainer.progress, 1.0)
    t, h = run.trainer, run.history
    per_digit = t.train.multiclass and not MODELS[t.config.model].hidden  # one weight map per digit
    labels = [str(d) for d in t.train.labels] if per_digit else None
    return {"loss": plots.loss_figure(h.batch_loss, h.valid_loss, x_max),
            "accuracy": plots.accuracy_figure(h.valid_accuracy, baseline, x_max, book=mark),
            "weights": weights_figure(run.pixel_weights(change), change, labels=labels)}


def charts(run: live.LiveRun, baseline: float, mark: book.BookResult | None) -> None:
    """Loss and accuracy curves (with the baseline and the book's result) and the weights as pictures."""
    change = st.session_state.get("tr_weights_view") == "change since the start"
    figs = live_figures(run, baseline, change, mark)
    left, right = st.columns(2)
    left.plotly_chart(figs["loss"], theme="streamlit", key="tr_loss_chart", config={"displayModeBar": False})
    right.plotly_chart(figs["accuracy"], theme="streamlit", key="tr_acc_chart", config={"displayModeBar": False})
    note = _book_note(run, mark)
    if note:
        right.caption(note)
    left, right = st.columns([3, 2])
    left.plotly_chart(figs["weights"], theme="streamlit", key="tr_weights_chart", config={"displayModeBar": False})
    right.radio("Show", ["weights", "change since the start"], key="tr_weights_view", horizontal=True,
                persist_state="session")
    right.markdown(_weights_text(run))


def _weights_text(run: live.LiveRun) -> str:
    """How to read the weight pictures of this model and task."""
    t = run.trainer
    spec, labels = MODELS[t.config.model], t.train.labels
    if spec.hidden:
        colours = "Red: ink there raises the unit's activation; blue: lowers it."
    elif t.train.multiclass:
        return ("One map per digit: the 784 weights of that digit's output. Red ink raises the digit's activation, "
                "blue lowers it; softmax then turns the ten activations into probabilities. After some training "
                "each map looks like a blurred template of its digit, minus the others.")
    else:
        colours = f"Red pixels push the prediction towards **{labels[0]}**, blue towards **{labels[1]}**."
    return f"{colours} {spec.weights_note}"


def status(run: live.LiveRun) -> None:
    """The update rule in use, and whether the run is training, paused, not started or diverged."""
    t = run.trainer
    c = t.config
    step = (f"v = {c.momentum:g} * v + p.grad; p -= {c.learning_rate:g} * v" if c.momentum
            else f"p -= {c.learning_rate:g} * p.grad")
    st.caption(f"Each step: `{step}` for every parameter p, with the gradient of the loss on a batch of "
               f"{c.batch_size:,} images.")
    if t.diverged:
        st.error(f"The training loss became **inf or nan** at step {t.steps}: the steps were so large that the "
                 "numbers overflowed, and the weights are now useless. Lower the learning rate (or switch the mistake "
                 "off) and press **Reset**.")
    elif run.playing:
        steps_s, examples_s = run.speed()
        speed = f" · {steps_s:,.0f} steps/s · {examples_s:,.0f} examples/s" if steps_s else ""
        st.progress(run.fraction_done, text=f"Training: epoch {t.progress:.2f} of {run.goal:g}{speed}")
    elif t.steps:
        st.progress(run.fraction_done, text=f"Paused after {t.steps:,} steps ({t.progress:.2f} epochs)")
    else:
        st.info("Press **Play** to train, or **Step** to take one mini-batch step at a time.")


def errors(run: live.LiveRun) -> None:
    """The confusion matrix and the most confident mistakes, with their images."""
    valid = run.trainer.valid
    found = confusion.find_mistakes(run.trainer.model, valid)
    left, right = st.columns([1, 2] if len(valid.labels) <= 2 else [1, 1])
    left.plotly_chart(plots.confusion_figure(found.matrix, valid.labels, height=300 if len(valid.labels) <= 2 else 420),
                      theme="streamlit", key="tr_confusion")
    if not len(found.wrong):
        right.success("No validation digit is misclassified.")
        return
    shown, titles = found.wrong[:12], confusion.titles(found, valid.labels, 12)
    right.caption(f"{len(found.wrong)} of {len(found.truth)} validation digits are wrong. The most confident "
                  "mistakes first: each with its true digit and the probability the model gave its wrong answer.")
    right.plotly_chart(images.gallery(run.trainer.valid.x[shown].view(-1, 28, 28), titles, columns=6),
                       theme="streamlit", key="tr_gallery")


def lr_sweep(run: live.LiveRun, config: TrainConfig, rates: list[float]) -> None:
    """Train fresh models at several learning rates from the run's data and settings; show the curves."""
    st.header("Learning-rate sweep")
    st.write("The same starting weights and the same batches, trained for a few epochs at several learning rates. "
             "Too small creeps; too large jumps around or gets stuck with saturated sigmoids. A run whose loss "
             "overflows to inf or nan is marked **diverged** and stopped: with `mnist_loss` that is rare, but try "
             "simple_net with **Drop the sigmoid**, batch size 16 and momentum 0.9.")
    c = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    low, high = c[0].select_slider("Rates from … to", rates, value=(0.001, 10.0), key="tr_sweep_range",
                                   format_func=lambda v: f"{v:g}")
    count = c[1].number_input("How many rates", 2, 8, 5, key="tr_sweep_count")
    epochs = c[2].number_input("Epochs each", 1, 20, 3, key="tr_sweep_epochs")
    if c[3].button("Run the sweep", key="tr_sweep_run", width="stretch"):
        chosen = sweep.log_rates(low, high, count)
        bar, runs = st.progress(0.0, text="Sweeping…"), []
        t = run.trainer
        for r in sweep.sweep(t.train, t.valid, config, chosen, epochs):
            runs.append(r)
            bar.progress(len(runs) / len(chosen), text=f"lr {r.learning_rate:g} done")
        bar.empty()
        st.session_state.tr_sweep = runs
    runs = st.session_state.get("tr_sweep")
    if runs:
        st.plotly_chart(plots.sweep_figure(runs), theme="streamlit", key="tr_sweep_chart")
        rows = [{"learning rate": r.learning_rate, "final validation accuracy": r.final_accuracy,
                 "diverged": "" if r.diverged_at is None else f"at epoch {r.diverged_at:.2f}"} for r in runs]
        st.dataframe(rows, hide_index=True,
                     column_config={"final validation accuracy": st.column_config.NumberColumn(format="percent")})
    show_code(sweep.log_rates, sweep.sweep)


def _load_upload() -> None:
    """The uploader's callback: load the file into the session's model, or say why not (the model stays)."""
    file = st.session_state.get("tr_upload")
    if file is None:
        return
    run = st.session_state.tr_run
    try:
        meta = checkpoint.restore(run.trainer, file.getvalue())
    except checkpoint.CheckpointError as e:
        st.session_state.tr_upload_msg = ("error", f"Not loaded: {e}. The current model is unchanged.")
        return
    run.pause()
    name = links.short(file.name, 40)  # the visitor's file name, quoted as code: never markup
    st.session_state.tr_upload_msg = ("success", f"Loaded `{name}`: weights of {meta.get('model', '?')} on digits "
                                      f"{meta.get('digits', '?')}, after {meta.get('steps', '?')} steps.")


def weights_files(run: live.LiveRun) -> None:
    """Download the trained weights, or load a checked .safetensors file into the model."""
    st.header("Save or load the weights")
    st.write("Weights are saved as **.safetensors**: a small header and the raw numbers. Loading one never runs "
             "code, unlike a pickle (`torch.save`) file. The file must fit the model chosen above.")
    c = st.columns(2)
    labels = run.trainer.train.labels
    which = "v".join(map(str, labels)) if len(labels) == 2 and not run.trainer.train.multiclass else f"all{len(labels)}"
    c[0].download_button("Download the weights", data=lambda: checkpoint.to_bytes(run.trainer, labels),
                         file_name=f"{run.trainer.config.model}_{which}.safetensors",
                         mime="application/octet-stream", key="tr_download", on_click="ignore")
    c[1].file_uploader("Load weights", type=["safetensors"], key="tr_upload", on_change=_load_upload,
                       max_upload_size=5)
    kind, text = st.session_state.pop("tr_upload_msg", (None, None))
    if kind:
        getattr(st, kind)(text)
    show_code(checkpoint.to_bytes, checkpoint.header, checkpoint.check_classes, checkpoint.check,
                 checkpoint.restore)
