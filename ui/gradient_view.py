"""The gradient page's walk down x²: its numbers written short, and what the learning rate does
to x, in the alert of its kind."""

from __future__ import annotations

import streamlit as st

from lessonlib import gradients

ALERTS = {"shrinks": st.success, "one step": st.success, "oscillates": st.info,
          "bounces": st.warning, "diverges": st.error, "invalid": st.error}


def num(v: float) -> str:
    """A number in at most six significant digits, huge ones in scientific notation."""
    return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:.3g}"


def path(values: list[float], most: int = 8) -> str:
    """x after each step, joined by arrows; past `most` values, the middle ones become …"""
    shown = [num(v) for v in values]
    return " → ".join(shown if len(shown) <= most else shown[: most - 1] + ["…", shown[-1]])


def regime(lr: float, factor: float, preview: list[float], n: int) -> None:
    """What steps at `lr` do to x, in the alert of their kind: a warning when they diverge, and
    a note when the preview of n steps stopped early."""
    r = gradients.regime(lr)
    text = (f"**Learning rate {lr:g}: {r.text}.** Each step is x ← x − lr·2x = (1 − 2·lr)·x, so it "
            f"multiplies x by 1 − 2·{lr:g} = **{factor:+.2f}**, and after n steps "
            f"x = x₀·({factor:+.2f})ⁿ.")
    if r.name == "diverges":
        text += (f" After {len(preview) - 1} more steps |x| would be {num(abs(preview[-1]))}. Too "
                 "high a learning rate makes gradient descent **diverge** (overshoot, further "
                 "every time); it is not overfitting.")
    if len(preview) < n + 1:
        text += (" The preview stops early: |x| passed 10³⁰, where the numbers would soon overflow "
                 "to infinity.")
    ALERTS[r.name](text)
