"""Page: a digit is a grid of numbers."""

import streamlit as st
import torch

import ui
from lessonlib import pixels
from lessonlib.plots import images
from ui.settings import COLS, ROWS


def intro() -> None:
    st.title("Pixels: a digit is a grid of numbers")
    st.write("A computer sees an MNIST digit as 28 × 28 numbers from 0 (white paper) to 255 (black "
             "ink). Pick a digit, then look at a slice of it as a table shaded like the image "
             "itself.")


def the_slice_as_a_table(image: torch.Tensor, digit: int, index: int) -> None:
    left, right = st.columns([1, 2])
    left.image(images.to_uint8(image, scale=6), caption=f"train image {index} of the {digit}s",
               clamp=True,
               alt=f"Training image {index} of the digit {digit}: 28 by 28 pixels, dark ink on "
               f"white")
    rows, cols = ui.widget(ROWS, left), ui.widget(COLS, left)
    table = pixels.pixel_table(image, rows, cols)
    right.code(f"im{digit}[{rows[0]}:{rows[1]}, {cols[0]}:{cols[1]}]   # {table.shape[0]} rows × "
               f"{table.shape[1]} columns: a slice leaves out its end", language="python",
               wrap_lines=True)
    right.dataframe(pixels.shaded(table), height=min(36 * (len(table) + 1) + 2, 600))
    right.caption("Each cell is one pixel: row and column labels are its position in the 28 × 28 "
                  "image.")


def numpy_and_pytorch(image: torch.Tensor) -> None:
    st.subheader("The same numbers as a NumPy array and as a PyTorch tensor")
    r, c = pixels.inkiest_window(image)
    st.write("A tensor is PyTorch's version of an array: same idea, same slicing, but it can live "
             "on a GPU and track gradients. Below: the 6 × 6 square of this image with the most "
             f"ink, `[{r}:{r + 6}, {c}:{c + 6}]`, rows {r} to {r + 5} and columns {c} to {c + 5}.")
    raw = (image * 255).round().to(torch.uint8)  # back to the file's 0..255 integers
    n1, n2 = st.columns(2)
    n1.code(f"array(im)[{r}:{r + 6}, {c}:{c + 6}]\n{raw.numpy()[r:r + 6, c:c + 6]!r}",
            language="python", wrap_lines=True)
    n2.code(f"tensor(im)[{r}:{r + 6}, {c}:{c + 6}]\n{raw[r:r + 6, c:c + 6]!r}", language="python",
            wrap_lines=True)


def shape_rank_dtype(image: torch.Tensor, stack: torch.Tensor, digit: int) -> None:
    st.subheader("Shape, rank and dtype")
    rows = [("one image", pixels.facts(image)),
            (f"all {len(stack)} training {digit}s, stacked", pixels.facts(stack)),
            ("one image in colour (RGB)", pixels.facts(pixels.as_colour(image)))]
    st.table([{"tensor": name, "shape": str(f.shape), "rank (ndim)": f.rank, "kind": f.kind,
               "dtype": f.dtype}
              for name, f in rows])
    st.info("The rank is the number of axes. One image is a **matrix** (rank 2). The stack of "
            "images is a **rank-3 tensor**: a pile of matrices, not a matrix. A colour image is "
            "also rank 3, but its third axis holds red, green and blue for each pixel.")
    ui.show_code(pixels.pixel_table, pixels.shaded, pixels.inkiest_window, pixels.facts,
                 pixels.TensorFacts)


ui.ensure_app()
intro()
data = ui.data()
digit_s, image_s = ui.image_settings(data, "train", ui.digit_pair(), "Digit",
                                     "Image index", default=1)
ui.link_settings(digit_s, image_s, ROWS, COLS)
digit, index = ui.pick_image(data, "train", digit_s, image_s)
stack = data.images("train", digit)  # (N, 28, 28) floats in [0, 1]
the_slice_as_a_table(stack[index], digit, index)
numpy_and_pytorch(stack[index])
shape_rank_dtype(stack[index], stack, digit)
