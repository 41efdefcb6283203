"""Under the Hood: Training a Digit Classifier — the chapter as a multi-page app."""

import streamlit as st
import torch

import ui
from ui.registry import PAGES, START
from ui.runs import timed


def navigation() -> dict[str, list[st.Page]]:
    """Every page of ui.registry, grouped as the sidebar lists them."""
    groups: dict[str, list[st.Page]] = {}
    for p in PAGES:
        page = st.Page(p.file, title=p.title, icon=p.icon, url_path=p.key or None, default=not p.key)
        groups.setdefault("" if p.part == START else p.part, []).append(page)
    return groups


with timed():  # with LESSONLIB_TIMING_LOG set, how long each run takes on the server
    st.set_page_config(page_title="Under the hood: a digit classifier", page_icon="🔢", layout="wide")
    torch.set_num_threads(1)  # many visitors share a few cores; these models are small
    page = st.navigation(navigation())
    ui.sidebar()
    ui.share_link()
    ui.run_page(page)
