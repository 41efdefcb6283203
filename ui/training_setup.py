"""The training page's settings: what a run starts from, and what may change while it plays."""

from __future__ import annotations

import streamlit as st

from lessonlib import mistakes
from lessonlib.models import MODELS
from ui import live, trainrun
from ui.settings import BS, CLASSES, EPOCHS, HIDDEN, LR, MODEL, MOMENTUM, SEED
from ui.share import hidden
from ui.widgets import widget


def task_text(run: live.LiveRun, baseline: float) -> str:
    """What is being trained on what, and the baseline to beat."""
    t = run.trainer
    labels = t.train.labels
    if t.train.multiclass:
        what = (f"Training on {len(t.train.x):,} images of all {len(labels)} digits "
                f"({', '.join(map(str, labels))}): one output per digit, softmax and cross-entropy")
    else:
        what = (f"Training on {len(t.train.x):,} images of {labels[0]} (target 1) and {labels[1]} "
                f"(target 0)")
    name = MODELS[t.config.model].label.format(n=t.train.outputs)
    return (f"**{name}**. {what}; validating on {len(t.valid.x):,}. Pixel-similarity "
            f"baseline: **{baseline:.1%}**.")


def model_settings(digits: tuple[int, int]) -> None:
    """What a run starts from: the model, two digits or all ten, hidden units, seed (a change starts
    a new run)."""
    c = st.columns([3, 2, 1, 1])
    model = widget(MODEL, c[0], on_change=trainrun.book_lr)
    widget(CLASSES, c[1], captions=(f"{digits[0]} vs {digits[1]}", "all digits"))
    widget(HIDDEN, c[2], disabled=not MODELS[model].hidden)
    widget(SEED, c[3])


def live_settings(multiclass: bool) -> None:
    """What may change while the run plays: learning rate, batch size, momentum, mistakes, speed,
    epochs."""
    live_change = dict(on_change=trainrun.apply_live_settings)
    c = st.columns([3, 2, 2])
    for col, s in zip(c, (LR, BS, MOMENTUM), strict=True):
        widget(s, col, **live_change)
    c = st.columns([3, 2, 2], vertical_alignment="top")
    if not hidden("mistakes"):
        with c[0].expander("Common mistakes"):
            for name in mistakes.MISTAKES:
                label, why = mistakes.describe(name, multiclass)
                st.toggle(label, key=f"tr_mistake_{name}", help=why, persist_state="session",
                          **live_change)
                st.caption(why)
    c[1].select_slider("Speed", list(live.SPEEDS), value=trainrun.SPEED, key="tr_speed",
                       persist_state="session",
                       help=f"How fast to play. Full speed trains up to {live.WORK_SECONDS:g} s of "
                       "CPU time between redraws (less when many visitors on the server are "
                       "playing at once).")
    widget(EPOCHS, c[2])
