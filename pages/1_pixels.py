"""Page 1: a digit is a grid of numbers."""

import random

import streamlit as st
import torch

import ui
from lessonlib import links, pixels
from lessonlib.plots import images

ui.ensure_app()
st.title("Pixels: a digit is a grid of numbers")
st.write("A computer sees an MNIST digit as 28 × 28 numbers from 0 (white paper) to 255 (black ink). "
         "Pick a digit, then look at a slice of it as a table shaded like the image itself.")

data = ui.data()
a, b = ui.digit_pair()
ui.link_settings(links.Param("digit", "Digit", options=(a, b)),
                 links.Param("i", "Image index", 0, max(data.count("train", d) for d in (a, b)) - 1, integer=True),
                 links.Param("rows", "Rows", 0, 27, integer=True, count=2),
                 links.Param("cols", "Columns", 0, 27, integer=True, count=2))
c1, c2 = st.columns([1, 3])
digit = c1.radio("Digit", [a, b], horizontal=True, key="digit", bind="query-params")
stack = data.images("train", digit)  # (N, 28, 28) floats in [0, 1]


def _random_index() -> None:
    st.session_state.i = random.randrange(len(stack))


if st.session_state.get("i", 0) >= len(stack):  # another digit or data set may have fewer images
    st.session_state.i = len(stack) - 1
index = c2.slider("Image index", 0, len(stack) - 1, 1, key="i", bind="query-params")
c2.button("🎲 Random digit", on_click=_random_index)
image = stack[index]  # (28, 28)

left, right = st.columns([1, 2])
with left:
    st.image(images.to_uint8(image, scale=6), caption=f"train image {index} of the {digit}s",
             clamp=True)
    rows = st.slider("Rows", 0, 27, (4, 15), key="rows", bind="query-params")
    cols = st.slider("Columns", 0, 27, (4, 22), key="cols", bind="query-params")
with right:
    table = pixels.pixel_table(image, rows, cols)
    st.table(pixels.shaded(table))
    st.caption("Each cell is one pixel: row and column labels are its position in the 28 × 28 image.")

st.subheader("The same numbers as a NumPy array and as a PyTorch tensor")
r, c = pixels.inkiest_window(image)
st.write("A tensor is PyTorch's version of an array: same idea, same slicing, but it can live on a GPU and "
         f"track gradients. Below: the 6 × 6 square of this image with the most ink, rows {r}–{r + 5}, "
         f"columns {c}–{c + 5}.")
raw = (image * 255).round().to(torch.uint8)  # back to the file's 0..255 integers
n1, n2 = st.columns(2)
n1.code(f"array(im)[{r}:{r + 6}, {c}:{c + 6}]\n{raw.numpy()[r:r + 6, c:c + 6]!r}", language="python")
n2.code(f"tensor(im)[{r}:{r + 6}, {c}:{c + 6}]\n{raw[r:r + 6, c:c + 6]!r}", language="python")

st.subheader("Shape, rank and dtype")
colour = pixels.as_colour(image)
rows_ = [("one image", pixels.facts(image)), (f"all {len(stack)} training {digit}s, stacked", pixels.facts(stack)),
         ("one image in colour (RGB)", pixels.facts(colour))]
st.table([{"tensor": name, "shape": str(f.shape), "rank (ndim)": f.rank, "kind": f.kind, "dtype": f.dtype}
          for name, f in rows_])
st.info("The rank is the number of axes. One image is a **matrix** (rank 2). The stack of images is a "
        "**rank-3 tensor**: a pile of matrices, not a matrix. A colour image is also rank 3, but its third "
        "axis holds red, green and blue for each pixel.")
ui.show_code(pixels.pixel_table, pixels.shaded, pixels.inkiest_window, pixels.facts, pixels.TensorFacts)
