"""Start page: what this app is and the path through the chapter."""

import streamlit as st

import ui
from lessonlib.data import DigitData, by_digit, load_bundled
from ui.registry import BEYOND, PAGES, chapter


def intro() -> None:
    st.title("Under the hood: training a digit classifier")
    st.write("An interactive companion to chapter 4 of *Deep Learning for Coders with fastai & "
             "PyTorch* (fast.ai lesson 3). Every number and picture here is computed live, on real "
             "MNIST digits, by the small tested library `lessonlib`: open **Show the code** on any "
             "page to read the function that ran.")


def path_through_the_chapter() -> None:
    st.subheader("The chapter, step by step")
    for n, page in enumerate(chapter(), start=1):
        st.page_link(page.file, label=f"{n} · {page.title}: {page.summary}", icon=page.icon)
    st.subheader("Beyond the book")
    for page in (p for p in PAGES if p.part == BEYOND):
        st.page_link(page.file, label=f"{page.title}: {page.summary}", icon=page.icon)


def data_in_use() -> None:
    d = ui.data()
    a, b = ui.digit_pair()
    st.caption(f"Data: {d.name}. Digits compared: {a} and {b} (change them in the sidebar).")
    ui.show_code(load_bundled, by_digit, DigitData.images,
                 label="Show the code: where every page's digits come from")


ui.ensure_app()
intro()
ui.link_settings()  # this page has no settings: say which link values mean nothing
path_through_the_chapter()
data_in_use()
