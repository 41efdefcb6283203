"""Page: your own digit, drawn or photographed, prepared like MNIST and classified."""

import streamlit as st
import torch

import ui
from lessonlib import models, reader, similarity
from lessonlib.photo import preprocess, shading, upload
from lessonlib.plots import your_digit
from ui import digit_input, shared, trainrun
from ui.registry import BY_KEY
from ui.settings import INPUT


def steps_taken(s: preprocess.Steps) -> None:
    """Each intermediate image, small, with what happened."""
    st.subheader("How MNIST's digits were made, done to yours")
    st.caption("Light ink on black; cropped to the ink; the longer side scaled to 20 pixels, "
               "keeping the shape; placed so its centre of mass sits at the middle of a 28×28 "
               "frame; values from 0 to 1. On this page white is 1, as MNIST stores it (the other "
               "pages draw 1 as black ink, as the book does).")
    shown = [(s.gray, "1 · grayscale"),
             (s.ink, "2 · inverted, paper removed" if s.inverted
              else "2 · paper removed (ink was already light)"),
             (s.cropped, f"3 · cropped to the ink: {s.cropped.shape[1]}×{s.cropped.shape[0]}")]
    if s.thickened is not None:
        shown.append((s.thickened, f"3b · thin strokes ({s.stroke:.1f} px) widened"))
    shown += [(s.scaled, f"4 · longer side 20 px: {s.scaled.shape[1]}×{s.scaled.shape[0]}"),
              (s.centred, "5 · centre of mass at the middle of 28×28")]
    for col, (im, caption) in zip(st.columns(len(shown)), shown, strict=True):
        # a fixed box: narrow crops not stretched
        col.image(your_digit.picture(im), caption=caption, width=120,
                  alt=f"Your digit at step {caption}")


def prediction(final: torch.Tensor) -> None:
    """The page's answer: the reader, a small network trained once on the bundled training
    digits."""
    probs = reader.read(final)[0]  # (28, 28) -> (1, 10) -> (10,)
    best = int(probs.argmax())
    c1, c2 = st.columns([1, 3])
    c1.metric("Prediction", f"{best}", f"P = {probs[best]:.0%}", delta_color="off",
              delta_arrow="off",
              help="The reader's answer: the digit it gives the highest probability")
    right, n = shared.reader_accuracy(ui.source())
    c1.caption(f"The reader: a small convolutional network trained once on the bundled 5,000 "
               f"training digits, never on these validation digits. On the {n:,} validation digits "
               f"of {ui.data().name} it is right {right:.1%} of the time.")
    bars = your_digit.probability_bars(probs, tuple(range(10)), title="The reader's probabilities")
    c2.plotly_chart(bars, theme="streamlit", key="yd_reader",
                    alt=f"Bar chart of the reader's probability for each digit; the highest is "
                    f"{best}, at {probs[best]:.0%}")


def baseline(final: torch.Tensor) -> int:
    """The pixel-similarity baseline's answer, with the distances to every mean digit; returns its
    digit."""
    st.subheader("The pixel-similarity baseline")
    means = shared.means(ui.source(), shared.every_digit(ui.source()))
    # (1, 28, 28) -> (1, 10) -> (10,)
    distances = similarity.distances_to_means(final[None], means)[0]
    nearest = int(similarity.predict(final[None], means)[0])
    c1, c2 = st.columns([1, 3])
    c1.metric("Nearest mean", f"{nearest}",
              help="The digit whose mean training image is nearest by L1 distance")
    accuracy = shared.baseline(ui.source(), shared.every_digit(ui.source())).mean
    c1.caption(f"The nearest of the {len(means)} mean digits. No learning involved; on the "
               f"validation digits it is right {accuracy:.0%} of the time.")
    c2.plotly_chart(your_digit.distance_bars(distances, list(means)),
                    theme="streamlit", key="yd_bars",
                    alt=f"Bar chart of your digit's L1 distance to each mean digit; the nearest is "
                    f"{nearest}, at {distances.min().item():.3f}")
    st.caption("The mean training image of each digit, the baseline's \"ideal\" digits, that yours "
               "was compared with:")
    for col, (d, mean), dist in zip(st.columns(len(means)), means.items(), distances.tolist(),
                                    strict=True):
        col.image(your_digit.picture(mean.numpy(), 84), width=84,
                  alt=f"The mean training image of {d}")
        col.markdown(f"**{d}: {dist:.3f}**" if d == nearest else f"{d}: {dist:.3f}")
    return nearest


def trained_model(final: torch.Tensor, nearest: int) -> None:
    """What the model trained on the training page says, if there is one."""
    st.subheader("Your trained model")
    model = trainrun.sessions_model()
    if model is None:
        st.info("Train a model on the SGD training page and come back: it will give its "
                "probability for your digit.")
        st.page_link(BY_KEY["training"].file, label="Train a model", icon="🏋️")
        return
    trainer, labels = model
    # (1, 28, 28) -> (1, C) -> (C,)
    probs = models.predict_probabilities(trainer.model, final[None])[0]
    m1, m2 = st.columns([1, 3])
    if trainer.diverged or not torch.isfinite(probs).all():
        st.warning("Your trained model diverged (its loss overflowed, so its weights are no use); "
                   "train it again with a smaller learning rate.")
    elif trainer.train.multiclass:
        best = int(probs.argmax())
        m1.metric(f"Your trained model (all {len(labels)} digits)", f"{labels[best]}",
                  f"P = {probs[best]:.0%}", delta_color="off", delta_arrow="off")
        m2.plotly_chart(your_digit.probability_bars(probs, labels), theme="streamlit",
                        key="yd_probs",
                        alt=f"Bar chart of your model's probability for each digit; the highest is "
                        f"{labels[best]}, at {probs[best]:.0%}")
    else:
        (a, b), p = labels, float(probs[0])
        m1.metric(f"Your trained model ({a} or {b})", f"{a if p > 0.5 else b}", f"P({a}) = {p:.0%}",
                  delta_color="off", delta_arrow="off")
        m2.plotly_chart(your_digit.probability_bar(p, (a, b)), theme="streamlit", key="yd_prob",
                        alt=f"A bar split between {a} ({p:.0%}) and {b} ({1 - p:.0%})")
        if nearest not in labels:
            m2.caption(f"Your model only knows {a} and {b}: any other digit is still forced into "
                       f"one of the two.")


ui.ensure_app()
st.title("Your digit")
st.write("Draw a digit or upload a photo of one. It is prepared the way MNIST's digits were made, "
         "step by step, then named by a small trained network, compared with the mean image of "
         "every digit (the pixel-similarity baseline) and, if you trained one on the SGD page, "
         "given to your model.")
ui.link_settings(INPUT)
left, right = st.columns([2, 3], gap="medium")  # the left one wide enough for the 280-pixel canvas
with left:
    steps = digit_input.prepared(right)
if steps is not None:
    right.plotly_chart(your_digit.model_input(steps.final), theme="streamlit", key="yd_final",
                       alt="Your digit as the models see it: 28 by 28 pixels, light ink on black, "
                       "values 0 to 1")
    steps_taken(steps)
    st.subheader("The prediction")
    prediction(steps.final)
    trained_model(steps.final, baseline(steps.final))
ui.show_code(reader.Reader, reader.read, upload.load_upload, preprocess.extract_ink,
             shading.shading, shading.table, preprocess.preprocess, preprocess.centre,
             preprocess.stroke_width, similarity.distances_to_means, models.predict_probabilities,
             models.probabilities)
