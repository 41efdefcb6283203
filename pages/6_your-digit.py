"""Page 6: your own digit, drawn or photographed, prepared like MNIST and classified."""

import random

import numpy as np
import streamlit as st
import torch
from streamlit_drawable_canvas import st_canvas

import ui
from lessonlib import links, models, paper, preprocess, similarity, upload
from lessonlib.plots import your_digit

DRAW, PHOTO = "✏️ Draw", "📷 Photo"
MODES = {"draw": DRAW, "photo": PHOTO}  # the link's `input=photo` -> the control's label
INPUT = links.Param("input", "Input", options=tuple(MODES))

ui.ensure_app()
st.title("Your digit")
st.write("Draw a digit or upload a photo of one. It is prepared the way MNIST's digits were made, step by step, "
         "then compared with the mean image of every digit (the pixel-similarity baseline) and, if you trained one "
         "on the SGD page, given to your model.")

data = ui.data()
st.session_state.setdefault("yd_photo", None)  # "upload" or "sample": the photo shown last


def _use_upload() -> None:
    st.session_state.yd_photo = "upload" if st.session_state.get("yd_upload") else None


def _try_sample() -> None:
    """A random validation digit of the data, rendered as a phone photo of ink on paper."""
    digit = random.choice(data.digits)
    stack = data.images("valid", digit)  # (N, 28, 28)
    index = random.randrange(len(stack))
    photo = upload.render_photo(stack[index], seed=random.randrange(10**6))  # (1600, 1200, 3) uint8
    st.session_state.update(yd_photo="sample", yd_sample=(digit, index, upload.from_pixels(photo)))


def _mode_from_link() -> None:
    """`?input=photo` opens the photo upload: applied once per distinct link value."""
    raw = st.query_params.get(INPUT.name)
    if raw is not None and raw != st.session_state.get("_yd_input_link"):
        st.session_state._yd_input_link = raw
        if INPUT.value(raw):
            st.session_state.yd_mode = MODES[raw]


def _mode_to_link() -> None:
    name = "photo" if st.session_state.get("yd_mode") == PHOTO else "draw"
    st.query_params[INPUT.name] = st.session_state._yd_input_link = name


def _input() -> np.ndarray | None:
    """The gray image to classify from the chosen input, or None after saying what to do."""
    ui.link_settings(INPUT)
    st.session_state.setdefault("yd_mode", DRAW)
    _mode_from_link()
    mode = st.segmented_control("Your digit", [DRAW, PHOTO], key="yd_mode", on_change=_mode_to_link)
    if mode == PHOTO:
        st.file_uploader("Upload a digit image", type=["png", "jpg", "jpeg"], key="yd_upload", on_change=_use_upload,
                         help="A photo of one handwritten digit, dark ink on plain paper, or a drawing. PNG or JPEG. "
                              "Best with plain paper around the digit; a table at the edges is cut away.")
        st.button("🎲 Try a sample digit", on_click=_try_sample, key="yd_sample_button",
                  help="A validation digit the baselines have never trained on, printed on 'paper' and photographed")
        if st.session_state.yd_photo == "upload" and st.session_state.get("yd_upload"):
            gray, caption = upload.load_upload(st.session_state.yd_upload.getvalue()), "Your photo, in gray"
        elif st.session_state.yd_photo == "sample":
            digit, index, gray = st.session_state.yd_sample
            caption = f"Sample: validation image {index} of the {digit}s, as a 1200 × 1600 photo"
        else:
            st.info("Upload a photo of a digit, or try a sample.")
            return None
        st.image(your_digit.picture(gray, 280), caption=caption, width=280)
        return gray
    return _drawing()


def _drawing() -> np.ndarray | None:
    """The canvas, with the strokes it had when last shown (Streamlit forgets a widget that is not drawn, so a visit
    to another page or to the photo upload would clear it), and the drawing as gray, or None before any stroke."""
    if "yd_canvas" not in st.session_state:  # the canvas is (re)appearing: start it from the strokes kept
        st.session_state.yd_restore = st.session_state.get("yd_strokes")
    st.space(36)  # room for the canvas's toolbar, drawn above it
    canvas = st_canvas(stroke_width=22, stroke_color="#000000", background_color="#ffffff", height=280, width=280,
                       drawing_mode="freedraw", return_image_data=True, initial_drawing=st.session_state.yd_restore,
                       key="yd_canvas")
    st.caption("Draw one digit, large, with the mouse or a finger. The toolbar above the box undoes or clears.")
    if canvas.image_data is not None and canvas.image_data.ndim == 3:  # (H, W, 4) uint8 RGBA, once the canvas answers
        st.session_state.update(yd_strokes=canvas.json_data, yd_pixels=canvas.image_data)
    pixels = st.session_state.get("yd_pixels")  # the kept drawing until the canvas answers
    if pixels is None:
        st.info("Draw a digit in the box.")
        return None
    return upload.from_pixels(pixels)


def _steps(s: preprocess.Steps) -> None:
    """Each intermediate image, small, with what happened."""
    shown = [(s.gray, "1 · grayscale"),
             (s.ink, "2 · inverted, paper removed" if s.inverted else "2 · paper removed (ink was already light)"),
             (s.cropped, f"3 · cropped to the ink: {s.cropped.shape[1]}×{s.cropped.shape[0]}")]
    if s.thickened is not None:
        shown.append((s.thickened, f"3b · thin strokes ({s.stroke:.1f} px) widened"))
    shown += [(s.scaled, f"4 · longer side 20 px: {s.scaled.shape[1]}×{s.scaled.shape[0]}"),
              (s.centred, "5 · centre of mass at the middle of 28×28")]
    for col, (im, caption) in zip(st.columns(len(shown)), shown, strict=True):
        col.image(your_digit.picture(im), caption=caption, width=120)  # a fixed box: narrow crops are not stretched


left, right = st.columns([2, 3], gap="medium")  # the left one wide enough for the 280-pixel canvas
with left:
    try:
        gray = _input()
    except upload.UploadError as e:
        st.error(str(e))
        gray = None
steps = None
if gray is not None:
    try:
        steps = preprocess.preprocess(gray)
    except preprocess.NoInkError as e:
        right.info(f"{e} Draw larger and darker, or photograph dark ink on plain paper.")
if steps is None:
    ui.show_code(upload.load_upload, preprocess.preprocess)
    st.stop()

with right:
    st.plotly_chart(your_digit.model_input(steps.final), theme="streamlit", key="yd_final")
st.subheader("How MNIST's digits were made, done to yours")
st.caption("Light ink on black; cropped to the ink; the longer side scaled to 20 pixels, keeping the shape; placed so "
           "its centre of mass sits at the middle of a 28×28 frame; values from 0 to 1. On this page white is 1, as "
           "MNIST stores it (the other pages draw 1 as black ink, as the book does).")
_steps(steps)

st.subheader("The predictions")
means = ui.memo("means of every digit", lambda: similarity.class_means(data, data.digits))
distances = similarity.distances_to_means(steps.final[None], means)[0]  # (1, 28, 28) -> (1, n_digits) -> (n_digits,)
nearest = int(similarity.predict(steps.final[None], means)[0])
c1, c2 = st.columns([1, 3])
c1.metric("Prediction", f"{nearest}", help="The digit whose mean training image is nearest by L1 distance")
accuracy = ui.memo("baseline accuracy, every digit", lambda: similarity.evaluate(data, data.digits).mean)
c1.caption(f"Pixel similarity: the nearest of the {len(data.digits)} mean digits. No learning involved; on the "
           f"validation digits it is right {accuracy:.0%} of the time.")
c2.plotly_chart(your_digit.distance_bars(distances, data.digits), theme="streamlit", key="yd_bars")
st.caption("The mean training image of each digit, the baseline's \"ideal\" digits, that yours was compared with:")
for col, (d, mean), dist in zip(st.columns(len(means)), means.items(), distances.tolist(), strict=True):
    col.image(your_digit.picture(mean.numpy(), 84), width=84)
    col.markdown(f"**{d}: {dist:.3f}**" if d == nearest else f"{d}: {dist:.3f}")

trainer, labels = st.session_state.get("trainer"), st.session_state.get("trainer_digits")
if trainer is None or labels is None:
    st.info("Train a model on the SGD training page and come back: it will give its probability for your digit too.")
    st.page_link("pages/5_training.py", label="Train a model", icon="🏋️")
else:
    probs = models.predict_probabilities(trainer.model, steps.final[None])[0]  # (1, 28, 28) -> (1, C) -> (C,)
    m1, m2 = st.columns([1, 3])
    if trainer.diverged or not torch.isfinite(probs).all():
        st.warning("Your trained model diverged (its loss overflowed, so its weights are no use); train it again "
                   "with a smaller learning rate.")
    elif trainer.train.multiclass:
        best = int(probs.argmax())
        m1.metric(f"Your trained model (all {len(labels)} digits)", f"{labels[best]}", f"P = {probs[best]:.0%}",
                  delta_color="off", delta_arrow="off")
        m2.plotly_chart(your_digit.probability_bars(probs, labels), theme="streamlit", key="yd_probs")
    else:
        (a, b), p = labels, float(probs[0])
        m1.metric(f"Your trained model ({a} or {b})", f"{a if p > 0.5 else b}", f"P({a}) = {p:.0%}",
                  delta_color="off", delta_arrow="off")
        m2.plotly_chart(your_digit.probability_bar(p, (a, b)), theme="streamlit", key="yd_prob")
        if nearest not in labels:
            m2.caption(f"Your model only knows {a} and {b}: any other digit is still forced into one of the two.")

ui.show_code(upload.load_upload, preprocess.extract_ink, paper.shading, paper.table, preprocess.preprocess,
             preprocess.centre,
             preprocess.stroke_width, similarity.distances_to_means, models.predict_probabilities,
             models.probabilities)
