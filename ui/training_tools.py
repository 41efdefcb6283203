"""The training page's sections below the live area: where the model goes wrong, a learning-rate
sweep, and its weights saved or loaded."""

from __future__ import annotations

import streamlit as st

from lessonlib import checkpoint, confusion, sweep
from lessonlib.plots import images
from lessonlib.plots import training as plots
from lessonlib.training import TrainConfig
from ui import links, live
from ui.core import show_code


def errors(run: live.LiveRun) -> None:
    """The confusion matrix and the most confident mistakes, with their images."""
    valid = run.trainer.valid
    found = confusion.find_mistakes(run.trainer.model, valid)
    left, right = st.columns([1, 2] if len(valid.labels) <= 2 else [1, 1])
    left.plotly_chart(plots.confusion_figure(found.matrix, valid.labels,
                                             height=300 if len(valid.labels) <= 2 else 420),
                      theme="streamlit", key="tr_confusion")
    if not len(found.wrong):
        right.success("No validation digit is misclassified.")
        return
    shown, titles = found.wrong[:12], confusion.titles(found, valid.labels, 12)
    right.caption(f"{len(found.wrong)} of {len(found.truth)} validation digits are wrong. The most "
                  "confident mistakes first: each with its true digit and the probability the "
                  "model gave its wrong answer.")
    right.plotly_chart(images.gallery(run.trainer.valid.x[shown].view(-1, 28, 28),
                                      titles, columns=6),
                       theme="streamlit", key="tr_gallery")


def lr_sweep(run: live.LiveRun, config: TrainConfig, rates: list[float]) -> None:
    """Train fresh models at several learning rates from the run's data and settings; show the
    curves."""
    st.header("Learning-rate sweep")
    st.write("The same starting weights and the same batches, trained for a few epochs at several "
             "learning rates. Too small creeps; too large jumps around or gets stuck with "
             "saturated sigmoids. A run whose loss overflows to inf or nan is "
             "marked **diverged** and stopped: with `mnist_loss` that is rare, but try simple_net "
             "with **Drop the sigmoid**, batch size 16 and momentum 0.9.")
    c = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    low, high = c[0].select_slider("Rates from … to", rates, value=(0.001, 10.0),
                                   key="tr_sweep_range", format_func=lambda v: f"{v:g}")
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
                 "diverged": "" if r.diverged_at is None else f"at epoch {r.diverged_at:.2f}"}
                for r in runs]
        st.dataframe(rows, hide_index=True,
                     column_config={"final validation accuracy":
                                    st.column_config.NumberColumn(format="percent")})
    show_code(sweep.log_rates, sweep.sweep)


def _load_upload() -> None:
    """The uploader's callback: load the file into the session's model, or say why not
    (the model stays)."""
    file = st.session_state.get("tr_upload")
    if file is None:
        return
    run = st.session_state.tr_run
    try:
        meta = checkpoint.restore(run.trainer, file.getvalue())
    except checkpoint.CheckpointError as e:
        st.session_state.tr_upload_msg = ("error",
                                          f"Not loaded: {e}. The current model is unchanged.")
        return
    run.pause()
    name = links.short(file.name, 40)  # the visitor's file name, quoted as code: never markup
    st.session_state.tr_upload_msg = ("success", f"Loaded `{name}`: weights of "
                                      f"{meta.get('model', '?')} on digits "
                                      f"{meta.get('digits', '?')}, after {meta.get('steps', '?')} "
                                      f"steps.")


def weights_files(run: live.LiveRun) -> None:
    """Download the trained weights, or load a checked .safetensors file into the model."""
    st.header("Save or load the weights")
    st.write("Weights are saved as **.safetensors**: a small header and the raw numbers. Loading "
             "one never runs code, unlike a pickle (`torch.save`) file. The file must fit the "
             "model chosen above.")
    c = st.columns(2)
    labels = run.trainer.train.labels
    which = ("v".join(map(str, labels)) if len(labels) == 2 and not run.trainer.train.multiclass
             else f"all{len(labels)}")
    c[0].download_button("Download the weights",
                         data=lambda: checkpoint.to_bytes(run.trainer, labels),
                         file_name=f"{run.trainer.config.model}_{which}.safetensors",
                         mime="application/octet-stream", key="tr_download", on_click="ignore")
    c[1].file_uploader("Load weights", type=["safetensors"], key="tr_upload",
                       on_change=_load_upload, max_upload_size=5)
    kind, text = st.session_state.pop("tr_upload_msg", (None, None))
    if kind:
        getattr(st, kind)(text)
    show_code(checkpoint.to_bytes, checkpoint.header, checkpoint.check_classes, checkpoint.check,
                 checkpoint.restore)
