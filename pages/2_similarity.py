"""Page 2: the pixel-similarity baseline, nearest mean digit."""

import pandas as pd
import streamlit as st

import ui
from lessonlib import distances, links, similarity
from lessonlib.plots import images
from lessonlib.plots import similarity as plots

METRICS = {"L1 (the book)": distances.l1, "RMSE": distances.rmse}

ui.ensure_app()
st.title("Pixel similarity: compare with the ideal digit")
st.write("Before any learning, the book tries a baseline: average all training images of each digit into an "
         "“ideal” digit, then call a new image whichever ideal digit it is closest to, pixel by pixel.")

data = ui.data()
a, b = ui.digit_pair()
pair = [a, b]
means = ui.memo("means", lambda: similarity.class_means(data, pair))  # digit -> (28, 28), shared by visitors

st.header("1. The ideal digits")
cols = st.columns(4)
for col, d in zip(cols[:2], pair, strict=True):
    stack = data.images("train", d)
    col.image(images.to_uint8(means[d], scale=6), caption=f"mean{d}", clamp=True)
    col.caption(f"{len(stack)} training {d}s stacked: `{tuple(stack.shape)}` → `.mean(0)` → "
                f"`{tuple(means[d].shape)}`")
cols[2].markdown(
    "Each pixel of the ideal digit is the average of that pixel over every training image of the digit. "
    "Where almost every writer puts ink, the mean is dark; where only some do, it is grey and blurry.")

st.header("2. One validation digit")
st.write("Pick an image the baseline never saw. Its distance to each ideal digit decides the prediction.")
ui.link_settings(links.Param("metric", "Distance", options=tuple(METRICS)),
                 links.Param("digit", "True digit", options=(a, b)),
                 links.Param("i", "Validation image", 0, max(data.count("valid", d) for d in pair) - 1, integer=True))
metric_name = st.radio("Distance used to predict", list(METRICS), horizontal=True, key="metric", bind="query-params",
                       help="The book uses L1, the mean absolute difference; page 3 compares the metrics.")
metric = METRICS[metric_name]
short = metric_name.split()[0]

pick, show = st.columns([1, 2])
with pick:
    true, index = ui.validation_image(data, pair, "True digit")
x = data.images("valid", true)[index]  # (28, 28)
pick.image(images.to_uint8(x, scale=6), caption=f"valid_{true}[{index}]", clamp=True)

table = similarity.sample_distances(x, means)  # rows: digits, columns: L1, RMSE
predicted = int(similarity.predict(x[None], means, metric)[0])  # (1, 28, 28) -> (1,)
with show:
    m = st.columns(4)
    for i, d in enumerate(pair):
        m[2 * i].metric(f"L1 to mean{d}", f"{table.loc[d, 'L1']:.4f}")
        m[2 * i + 1].metric(f"RMSE to mean{d}", f"{table.loc[d, 'RMSE']:.4f}")
    verdict = f"Prediction by {short}: **{predicted}** (nearest mean) — the true digit is {true}"
    (st.success if predicted == true else st.error)(verdict + (": correct." if predicted == true else ": wrong."))
    dist = similarity.valid_distances(data, means, metric)  # digit -> (N, 2)
    point = tuple(dist[true][index].tolist())
    scatter = ui.memo(f"scatter {short} {true} {index}", lambda: plots.distance_scatter(dist, short, point))
    st.plotly_chart(scatter, theme="streamlit", key="scatter")
    st.caption(f"Every validation {a} and {b} as a point. Above the dashed line an image is nearer mean{a}, so "
               f"it is called a {a}; below, a {b}. Points on the wrong side are the mistakes. The star is yours.")

st.header("3. Every validation image at once: broadcasting")
st.write(f"The book never loops over images. `mnist_distance(valid_{a}, mean{a})` subtracts a (28, 28) matrix "
         f"from a stack of shape (N, 28, 28). PyTorch lines the shapes up from the right; where one tensor "
         f"lacks an axis it pretends the smaller one is repeated along it — without copying memory — and the "
         f"loop runs in fast C code. These are the shapes of the tensors that just ran:")
steps, acc_steps = similarity.broadcast_steps(data.images("valid", a), means[a], means[b], (a, b))
st.table(pd.DataFrame([{"code": f"`{s.code}`", "shape": f"`{s.shape}`", "what happened": s.note} for s in steps]),
         hide_index=True)
result = ui.memo(f"evaluate {metric}", lambda: similarity.evaluate(data, pair, metric))
st.caption(f"The last line gives {acc_steps:.4f} with L1, the accuracy on the {a}s. For the {b}s the book "
           f"uses `1 - is_{a}(valid_{b}).float()`.")
m = st.columns(3)
for col, d in zip(m[:2], pair, strict=True):
    col.metric(f"Accuracy on {d}s ({short})", f"{result.per_digit[d]:.2%}",
               help=f"{data.count('valid', d)} validation images of {d}")
m[2].metric("Overall (mean of the two)", f"{result.mean:.2%}")

st.header("4. What the baseline gets wrong")
wrong = similarity.mistakes(data, result, metric)
if wrong.total == 0:
    st.success(f"No validation {a} or {b} is misclassified with {short}.")
else:
    shown = f"The first {len(wrong.images)} of " if wrong.total > len(wrong.images) else ""
    st.write(f"{shown}{wrong.total} misclassified validation images, each with its true digit, the prediction, and "
             f"its {short} distance to each mean (the smaller one wins).")
    gallery = ui.memo(f"mistakes gallery {short}", lambda: plots.mistakes_gallery(wrong, pair, short))
    st.plotly_chart(gallery, theme="streamlit", key="mistakes")

st.header("5. The book's numbers and yours")
book = similarity.BOOK_ACCURACY
st.info(f"*{similarity.BOOK_SOURCE}*, on the full MNIST_SAMPLE ({similarity.BOOK_VALID_COUNTS[3]:,} validation 3s, "
        f"{similarity.BOOK_VALID_COUNTS[7]:,} 7s), L1: 3s **{book[3]:.4f}**, 7s **{book[7]:.4f}**, "
        f"mean ≈ **{similarity.BOOK_MEAN:.2f}**.")
live = ", ".join(f"{d}s **{result.per_digit[d]:.4f}**" for d in pair)
counts = ", ".join(f"{data.count('valid', d):,} validation {d}s" for d in pair)
st.write(f"Live, on **{data.name}** ({counts}), {short}: {live}, mean **{result.mean:.4f}**.")
if pair != [3, 7]:
    st.caption("The book's figures are for 3 vs 7: pick 3 and 7 in the sidebar to compare like with like.")
elif short != "L1":
    st.caption("The book's figures use L1: switch the distance above to compare like with like.")
else:
    n = data.count("valid", a)
    st.caption(f"A different validation set moves these numbers by a few points: with {n:,} images of {a}, each one "
               f"is {1 / n:.2%} of its accuracy.")

if len(data.digits) > 2:
    st.header(f"6. All {len(data.digits)} digits")
    st.write(f"The same idea with one ideal image per digit: predict the nearest of {len(data.digits)} means. "
             "With more candidates, similar digits (3, 5, 8) get confused far more often.")
    per_digit = ui.memo("sim_per_digit", lambda: similarity.per_digit_table(data, data.digits, METRICS))  # digit×metric
    overall = per_digit.mean()
    st.plotly_chart(ui.memo("sim_per_digit bars", lambda: plots.accuracy_bars(per_digit)), theme="streamlit",
                    key="all_digits")
    st.write(" · ".join(f"{name}: mean accuracy **{v:.2%}**" for name, v in overall.items()))
else:
    st.header("6. More digits")
    st.info(f"{data.name} has only the digits {data.digits}; the bundled data has all ten.")

ui.show_code(similarity.class_means, distances.l1, distances.rmse, similarity.distances_to_means, similarity.predict,
             similarity.broadcast_steps, similarity.evaluate, similarity.mistakes)
