"""The your-digit page's two inputs: a photo (uploaded, or a sample digit photographed) and a
drawing canvas."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from lessonlib.photo import preprocess, upload
from lessonlib.plots import your_digit
from ui.core import data
from ui.settings import INPUT
from ui.widgets import widget


def _use_upload() -> None:
    st.session_state.yd_photo = "upload" if st.session_state.get("yd_upload") else None


def _try_sample() -> None:
    """A random validation digit of the data, rendered as a phone photo of ink on paper."""
    d = data()
    digit = random.choice(d.digits)
    stack = d.images("valid", digit)  # (N, 28, 28)
    index = random.randrange(len(stack))
    photo = upload.render_photo(stack[index], seed=random.randrange(10**6))  # (1600, 1200, 3) uint8
    st.session_state.update(yd_photo="sample", yd_sample=(digit, index, upload.from_pixels(photo)))


def photo() -> np.ndarray | None:
    """The uploaded photo (or a sample) as gray, or None after saying what to do."""
    st.file_uploader("Upload a digit image", type=["png", "jpg", "jpeg"], key="yd_upload",
                     on_change=_use_upload,
                     help="A photo of one handwritten digit, dark ink on plain paper, or a "
                          "drawing. PNG or JPEG. Best with plain paper around the digit; a table "
                          "at the edges is cut away.")
    st.button("🎲 Try a sample digit", on_click=_try_sample, key="yd_sample_button",
              help="A validation digit that no model here has trained on, printed on 'paper' and "
              "photographed")
    shown = st.session_state.setdefault("yd_photo", None)  # "upload" or "sample": the photo shown
                                                           # last
    if shown == "upload" and st.session_state.get("yd_upload"):
        gray, caption = (upload.load_upload(st.session_state.yd_upload.getvalue()),
                         "Your photo, in gray")
    elif shown == "sample":
        digit, index, gray = st.session_state.yd_sample
        caption = f"Sample: validation image {index} of the {digit}s, as a 1200 × 1600 photo"
    else:
        st.info("Upload a photo of a digit, or try a sample.")
        return None
    st.image(your_digit.picture(gray, 280), caption=caption, width=280, alt=caption)
    return gray


def drawing() -> np.ndarray | None:
    """The canvas, with the strokes it had when last shown (Streamlit forgets a widget that is not
    drawn, so a visit to another page or to the photo upload would clear it), and the drawing as
    gray, or None before any stroke."""
    if "yd_canvas" not in st.session_state:  # the canvas is (re)appearing: start it from the
                                             # strokes kept
        st.session_state.yd_restore = st.session_state.get("yd_strokes")
    st.space(36)  # room for the canvas's toolbar, drawn above it
    canvas = st_canvas(stroke_width=22, stroke_color="#000000", background_color="#ffffff",
                       height=280, width=280, drawing_mode="freedraw", return_image_data=True,
                       initial_drawing=st.session_state.yd_restore, key="yd_canvas")
    st.caption("Draw one digit, large, with the mouse or a finger. The toolbar above the box "
               "undoes or clears.")
    # (H, W, 4) RGBA, once the canvas answers
    if canvas.image_data is not None and canvas.image_data.ndim == 3:
        st.session_state.update(yd_strokes=canvas.json_data, yd_pixels=canvas.image_data)
    pixels = st.session_state.get("yd_pixels")  # the kept drawing until the canvas answers
    if pixels is None:
        st.info("Draw a digit in the box.")
        return None
    return upload.from_pixels(pixels)


def prepared(where) -> preprocess.Steps | None:
    """The visitor's digit from the chosen input, through MNIST's preprocessing; None after saying
    (in `where` when there is no ink) why there is nothing to classify."""
    try:
        gray = photo() if widget(INPUT) == "photo" else drawing()
    except upload.UploadError as e:
        st.error(str(e))
        return None
    if gray is None:
        return None
    try:
        return preprocess.preprocess(gray)
    except preprocess.NoInkError as e:
        where.info(f"{e} Draw larger and darker, or photograph dark ink on plain paper.")
        return None
