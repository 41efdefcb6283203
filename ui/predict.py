"""Predict first, then see: a section asks the learner what will happen before it shows the live
answer."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def predict_first(key: str, question: str, choices: Sequence[str]) -> str | None:
    """A question with choices and none chosen yet. Returns the learner's guess once there is one
    (the section then shows what really happens, measured now), None before."""
    with st.container(border=True, key=f"predict_{key}_box"):
        st.markdown(f":material/lightbulb: **Predict first.** {question}")
        guess = st.radio(question, list(choices), index=None, key=f"predict_{key}", horizontal=True,
                         label_visibility="collapsed")
        if guess is None:
            st.caption("Choose an answer to see what really happens.")
    return guess


def reveal(guess: str, answer: str, why: str) -> None:
    """Whether the guess matched what was measured, and why it came out that way."""
    if guess == answer:
        st.success(f"**Right: {answer}.** {why}")
    else:
        st.info(f"**You said {guess.lower()}; measured: {answer}.** {why}")
