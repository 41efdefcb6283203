"""Under the Hood: Training a Digit Classifier — the chapter as a multi-page app."""

import streamlit as st
import torch

import ui
from ui.runs import timed

with timed():  # with LESSONLIB_TIMING_LOG set, how long each run takes on the server
    st.set_page_config(page_title="Under the hood: a digit classifier", page_icon="🔢", layout="wide")
    torch.set_num_threads(1)  # many visitors share a few cores; these models are small

    page = st.navigation([
        st.Page("pages/0_start.py", title="Start here", icon="🏠", default=True),
        st.Page("pages/1_pixels.py", title="Pixels", icon="🔳", url_path="pixels"),
        st.Page("pages/2_similarity.py", title="Pixel similarity", icon="🎯", url_path="similarity"),
        st.Page("pages/3_distances.py", title="Distance metrics", icon="📏", url_path="distances"),
        st.Page("pages/4_gradient.py", title="Gradient of x²", icon="📉", url_path="gradient"),
        st.Page("pages/5_training.py", title="SGD training", icon="🏋️", url_path="training"),
        st.Page("pages/6_your-digit.py", title="Your digit", icon="✍️", url_path="your-digit"),
        st.Page("pages/7_questionnaire.py", title="Questionnaire", icon="❓", url_path="questionnaire"),
    ])
    ui.sidebar()
    ui.share_link()
    ui.run_page(page)
