"""Start page: what this app is and the path through the chapter."""

import streamlit as st

import ui
from lessonlib.data import DigitData, by_digit, load_bundled

ui.ensure_app()
st.title("Under the hood: training a digit classifier")
st.write("An interactive companion to chapter 4 of *Deep Learning for Coders with fastai & PyTorch* "
         "(fast.ai lesson 3). Every number and picture here is computed live, on real MNIST digits, by the small "
         "tested library `lessonlib` — open **Show the code** on any page to read the function that ran.")

ui.link_settings()  # this page has no settings: say which link values mean nothing
st.subheader("The chapter, step by step")
for path, text in ui.CHAPTER:
    st.page_link(path, label=text)

d = ui.data()
a, b = ui.digit_pair()
st.caption(f"Data: {d.name}. Digits compared: {a} and {b} (change them in the sidebar).")
ui.show_code(load_bundled, by_digit, DigitData.images, label="Show the code: where every page's digits come from")
