"""Page: the pixel-similarity baseline, nearest mean digit."""

import pandas as pd
import streamlit as st

import ui
from lessonlib import book, broadcasting, distances, misclassified, similarity
from lessonlib.data import DigitData
from lessonlib.plots import images
from ui import shared
from ui import similarity_view as view
from ui.links import Setting
from ui.prose import prose
from ui.settings import METRIC

TEXT = prose("similarity")


def intro() -> None:
    st.title("Pixel similarity: compare with the ideal digit")
    st.write(TEXT["intro"])


def ideal_digits(data: DigitData, pair: tuple[int, int]) -> None:
    st.header("1. The ideal digits")
    means = shared.means(ui.source(), pair)
    cols = st.columns(4)
    for col, d in zip(cols[:2], pair, strict=True):
        col.image(images.to_uint8(means[d], scale=6), caption=f"mean{d}", clamp=True,
                  alt=f"The mean of all {data.count('train', d):,} training {d}s: a blurry, ideal "
                  f"{d}")
        col.caption(f"{data.count('train', d)} training {d}s stacked: "
                    f"`{tuple(data.images('train', d).shape)}` → `.mean(0)` → "
                    f"`{tuple(means[d].shape)}`")
    cols[2].markdown(TEXT["ideal"])


def one_validation_digit(data: DigitData, pair: tuple[int, int], digit_s: Setting,
                         image_s: Setting) -> str:
    """The chosen image's distances and prediction; returns the metric chosen ("L1" or "RMSE")."""
    st.header("2. One validation digit")
    st.write(TEXT["pick"])
    metric = ui.widget(METRIC).split()[0]
    pick, show = st.columns([1, 2])
    with pick:
        true, index = ui.pick_image(data, "valid", digit_s, image_s)
    x = data.images("valid", true)[index]  # (28, 28)
    pick.image(images.to_uint8(x, scale=6), caption=f"valid_{true}[{index}]", clamp=True,
               alt=f"Validation image {index} of the digit {true}")
    means = shared.means(ui.source(), pair)
    table = similarity.sample_distances(x, means)  # rows: digits, columns: L1, RMSE
    # (1, 28, 28) -> (1,)
    predicted = int(similarity.predict(x[None], means, distances.METRICS[metric])[0])
    view.prediction(show, table, pair, metric, predicted, true)
    show.plotly_chart(shared.scatter(ui.source(), pair, metric, true, index),
                      theme="streamlit", key="scatter",
                      alt=f"Scatter plot of every validation {pair[0]} and {pair[1]}: {metric} "
                      f"distance to mean{pair[0]} against {metric} distance to mean{pair[1]}; the "
                      f"chosen image is predicted a {predicted}")
    a, b = pair
    show.caption(f"Every validation {a} and {b} as a point. Above the dashed line an image is "
                 f"nearer mean{a}, so it is called a {a}; below, a {b}. Points on the wrong side "
                 f"are the mistakes. The star is yours.")
    return metric


def broadcasting_section(data: DigitData, pair: tuple[int, int], metric: str) -> None:
    a, b = pair
    st.header("3. Every validation image at once: broadcasting")
    st.write(f"The book never loops over images. `mnist_distance(valid_{a}, mean{a})` subtracts a "
             f"(28, 28) matrix from a stack of shape (N, 28, 28). PyTorch lines the shapes up from "
             f"the right; where one tensor lacks an axis it pretends the smaller one is repeated "
             f"along it — without copying memory — and the loop runs in fast C code. These are the "
             f"shapes of the tensors that just ran:")
    means = shared.means(ui.source(), pair)
    steps, acc = broadcasting.broadcast_steps(data.images("valid", a), means[a], means[b], pair)
    st.table(pd.DataFrame([{"code": f"`{s.code}`", "shape": f"`{s.shape}`", "what happened": s.note}
                           for s in steps]), hide_index=True)
    st.caption(f"The last line gives {acc:.4f} with L1, the accuracy on the {a}s. For the {b}s the "
               f"book uses `1 - is_{a}(valid_{b}).float()`.")
    result = shared.baseline(ui.source(), pair, metric)
    m = st.columns(3)
    for col, d in zip(m[:2], pair, strict=True):
        col.metric(f"Accuracy on {d}s ({metric})", f"{result.per_digit[d]:.2%}",
                   help=f"{data.count('valid', d):,} validation images of {d}")
    m[2].metric("Overall (mean of the two)", f"{result.mean:.2%}")


def what_it_gets_wrong(pair: tuple[int, int], metric: str) -> None:
    st.header("4. What the baseline gets wrong")
    total, gallery = shared.mistakes_gallery(ui.source(), pair, metric)
    if not total:
        st.success(f"No validation {pair[0]} or {pair[1]} is misclassified with {metric}.")
        return
    shown = f"The first {misclassified.SHOWN} of " if total > misclassified.SHOWN else ""
    st.write(f"{shown}{total} misclassified validation images, each with its true digit, the "
             f"prediction, and its {metric} distance to each mean (the smaller one wins).")
    st.plotly_chart(gallery, theme="streamlit", key="mistakes",
                    alt=f"Pictures of the {min(total, misclassified.SHOWN)} first misclassified "
                    "validation images, each titled with its true digit, the prediction and its "
                    "distances")


def the_books_numbers(data: DigitData, pair: tuple[int, int], metric: str) -> None:
    st.header("5. The book's numbers and yours")
    result = shared.baseline(ui.source(), pair, metric)
    counts = ", ".join(f"{n:,} {d}s" for (split, d), n in book.MNIST_SAMPLE_COUNTS.items()
                       if split == "valid")
    st.info(f"*{book.SOURCE}*, on MNIST_SAMPLE's validation images ({counts}), L1: "
            f"3s **{book.BASELINE[3]:.4f}**, 7s **{book.BASELINE[7]:.4f}**, "
            f"mean **{book.BASELINE_MEAN:.4f}**.")
    live = ", ".join(f"{d}s **{result.per_digit[d]:.4f}**" for d in pair)
    counts = ", ".join(f"{data.count('valid', d):,} validation {d}s" for d in pair)
    st.write(f"Live, on **{data.name}** ({counts}), {metric}: {live}, mean **{result.mean:.4f}**.")
    st.caption(view.books_note(data, pair, metric, result))


def all_digits(data: DigitData) -> None:
    if len(data.digits) <= 2:
        st.header("6. More digits")
        st.info(f"{data.name} has only the digits {data.digits}; the bundled data has all ten.")
        return
    st.header(f"6. All {len(data.digits)} digits")
    st.write("The same idea with one ideal image per digit: predict the nearest of "
             f"{len(data.digits)} means. With more candidates, similar digits (3, 5, 8) get "
             "confused far more often.")
    table, bars = shared.per_digit(ui.source())  # digit × metric
    means = table.mean()
    st.plotly_chart(bars, theme="streamlit", key="all_digits",
                    alt=f"Bar chart of the baseline's accuracy on each digit, all digits "
                    f"competing: mean {means['L1']:.1%} with L1, {means['RMSE']:.1%} with RMSE")
    st.write(" · ".join(f"{name}: mean accuracy **{v:.2%}**" for name, v in table.mean().items()))


ui.ensure_app()
intro()
data, pair = ui.data(), ui.digit_pair()
digit_s, image_s = ui.image_settings(data, "valid", pair, "True digit", "Validation image")
ui.link_settings(METRIC, digit_s, image_s)
ideal_digits(data, pair)
metric = one_validation_digit(data, pair, digit_s, image_s)
broadcasting_section(data, pair, metric)
what_it_gets_wrong(pair, metric)
the_books_numbers(data, pair, metric)
all_digits(data)
ui.show_code(similarity.class_means, distances.l1, distances.rmse, similarity.distances_to_means,
             similarity.predict, broadcasting.broadcast_steps, similarity.evaluate,
             misclassified.mistakes)
