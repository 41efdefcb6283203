"""Under the Hood: Training a Digit Classifier — the chapter as a multi-page app."""

import streamlit as st
import torch

import ui
from ui import theme
from ui.registry import PAGES
from ui.runs import timed


def navigation() -> list[st.Page]:
    """Every page of ui.registry, in its order. (One flat list: Streamlit's section headers put
    non-list items inside the navigation's list, which screen readers cannot follow; the start page
    shows the sections.)"""
    return [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.key or None, default=not p.key)
            for p in PAGES]


with timed():  # with LESSONLIB_TIMING_LOG set, how long each run takes on the server
    st.set_page_config(page_title="Under the hood: a digit classifier",
                       page_icon="🔢", layout="wide")
    torch.set_num_threads(1)  # many visitors share a few cores; these models are small
    page = st.navigation(navigation(), expanded=True)
    ui.sidebar()
    ui.share_link()
    theme.apply()
    ui.run_page(page)
