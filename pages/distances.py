"""Page: distance metrics, L1 and RMSE, and why the plain difference fails."""

import streamlit as st
import torch

import ui
from lessonlib import distances, similarity
from lessonlib.data import DigitData
from lessonlib.plots import images
from ui import distances_view as view
from ui import shared
from ui.prose import prose
from ui.settings import MEAN, SPREAD, SPREAD_TOTAL

TEXT = prose("distances")


def intro() -> None:
    st.title("Distance metrics: how far apart are two images?")
    st.write(TEXT["intro"])


def pick(data: DigitData, pair: tuple[int, int], digit_s, image_s, mean_s) -> tuple[int, int, int]:
    """Image a (a validation image) and image b (a class mean): (a's digit, a's index, b's
    digit)."""
    left, right = st.columns(2)
    with left:
        true, index = ui.pick_image(data, "valid", digit_s, image_s)
    if st.session_state.get(MEAN.name, pair[0]) not in data.digits:  # new data may lack it
        st.session_state[MEAN.name] = pair[0]
    return true, index, ui.widget(mean_s, right)


def side_by_side(x: torch.Tensor, mean: torch.Tensor, picked: tuple[int, int, int]) -> None:
    true, index, target = picked
    cols = st.columns([1, 1, 4])
    cols[0].image(images.to_uint8(x, scale=5), caption=f"a = valid_{true}[{index}]", clamp=True,
                  alt=f"Image a: validation image {index} of the digit {true}")
    cols[1].image(images.to_uint8(mean, scale=5), caption=f"b = mean{target}", clamp=True,
                  alt=f"Image b: the mean training image of the digit {target}")
    cols[2].plotly_chart(shared.error_maps(ui.source(), *picked), theme="streamlit",
                         key="error_maps",
                         alt=f"Three maps of the difference between a and b, pixel by pixel: "
                         f"a − b, |a − b| (mean {distances.l1(x, mean).item():.3f}, the L1 "
                         f"distance) and (a − b)²")
    st.caption(TEXT["error maps"])


def by_hand(x: torch.Tensor, mean: torch.Tensor) -> None:
    st.header("L1 and RMSE, by hand and by PyTorch")
    f1, f2 = st.columns(2)
    f1.latex(r"\mathrm{L1}(a,b) = \frac{1}{784}\sum_{i,j} |a_{ij} - b_{ij}|")
    f2.latex(r"\mathrm{RMSE}(a,b) = \sqrt{\frac{1}{784}\sum_{i,j} (a_{ij} - b_{ij})^2}")
    view.agreement(distances.compare_with_torch(x, mean))
    st.caption(TEXT["agreement"])


def signed_difference(x: torch.Tensor, mean: torch.Tensor, data: DigitData,
                      pair: tuple[int, int]) -> None:
    st.header("Why not just average a − b?")
    pos, neg = distances.error_parts(x, mean)
    s = st.columns(4)
    s[0].metric("mean of the positive parts", f"{pos:.4f}")
    s[1].metric("mean of the negative parts", f"{neg:.4f}")
    s[2].metric("signed mean = pos − neg", f"{distances.signed_mean(x, mean).item():+.4f}")
    s[3].metric("L1 = pos + neg", f"{distances.l1(x, mean).item():.4f}")
    st.write(TEXT["signed"])
    st.write(view.signed_words(pair))


def baseline_under_each_metric(data: DigitData, pair: tuple[int, int]) -> None:
    st.header("The baseline under each metric, measured now")
    st.write(f"Nearest-mean accuracy on the validation {pair[0]}s and {pair[1]}s, and over all "
             f"{len(data.digits)} digits of {data.name} competing at once:")
    table, bars = shared.metric_table(ui.source(), pair)
    st.table(table.style.format("{:.2%}"))
    st.plotly_chart(bars, theme="streamlit", key="metric_bars",
                    alt=f"Bar chart of the baseline's accuracy under each metric; L1's mean on "
                    f"{pair[0]} vs {pair[1]} is {table.loc['L1', 'mean']:.1%}")


def what_each_metric_rewards() -> None:
    st.header("What each metric rewards")
    st.write("L1 charges every error in proportion to its size: one pixel off by 1.0 costs as "
             "much as ten pixels off by 0.1. RMSE squares first, so a few big mistakes cost far "
             f"more than many small ones. Share the same total error ({SPREAD_TOTAL} pixels' "
             "worth) among more and more pixels:")
    k = ui.widget(SPREAD)
    spread = distances.spread_error(SPREAD_TOTAL, k)  # (28, 28)
    zero = torch.zeros_like(spread)
    left, right = st.columns([1, 2])
    picture, curve = shared.spread(k, SPREAD_TOTAL)
    left.plotly_chart(picture, theme="streamlit", key="spread_map",
                      alt=f"Map of |a − b| with {k} pixels sharing a total error of {SPREAD_TOTAL}")
    e = left.columns(2)
    e[0].metric("L1", f"{distances.l1(spread, zero).item():.4f}")
    e[1].metric("RMSE", f"{distances.rmse(spread, zero).item():.4f}")
    right.plotly_chart(curve, theme="streamlit", key="spread_curve",
                       alt="Line chart of L1 and RMSE against the number of pixels sharing the "
                       f"same total error: L1 stays at {SPREAD_TOTAL / 784:.4f}, RMSE falls to it "
                       "at 784 pixels")
    st.caption(TEXT["spread"])


def outlines_instead_of_ink(x: torch.Tensor, mean: torch.Tensor, picked,
                            pair: tuple[int, int]) -> None:
    st.header("Stop and think: compare outlines instead of ink")
    st.write(TEXT["outlines"])
    for col, fig, key in zip(st.columns(3), shared.edge_maps(ui.source(), *picked),
                             ("edges_a", "edges_b", "edges_diff"), strict=True):
        col.plotly_chart(fig, theme="streamlit", key=key, alt=f"Map of {fig.layout.title.text}: "
                         "how strongly the brightness changes from each pixel to its right and "
                         "lower neighbours")
    st.metric("edge L1 of a and b", f"{distances.edge_l1(x, mean).item():.4f}",
              help="edge maps are (27, 27): one row and column fewer than the (28, 28) images")
    table, _ = shared.metric_table(ui.source(), pair)
    h = st.columns(2)
    h[0].metric(f"accuracy, {pair[0]} vs {pair[1]}: edge L1", f"{table.loc['edge L1', 'mean']:.2%}")
    h[1].metric(f"accuracy, {pair[0]} vs {pair[1]}: plain L1", f"{table.loc['L1', 'mean']:.2%}")
    better = table.loc["edge L1", "mean"] > table.loc["L1", "mean"]
    st.caption(f"Here edges measure **{'better' if better else 'no better'}** than plain L1. "
               + TEXT["blurry edges"])


ui.ensure_app()
intro()
data, pair = ui.data(), ui.digit_pair()
digit_s, image_s = ui.image_settings(data, "valid", pair, "Image a: a validation image of",
                                     "Validation image")
mean_s = MEAN.within(options=tuple(data.digits), default=pair[0])
ui.link_settings(digit_s, image_s, mean_s, SPREAD)
picked = pick(data, pair, digit_s, image_s, mean_s)
x = data.images("valid", picked[0])[picked[1]]  # (28, 28)
mean = shared.means(ui.source(), tuple(data.digits))[picked[2]]  # (28, 28)
side_by_side(x, mean, picked)
by_hand(x, mean)
signed_difference(x, mean, data, pair)
baseline_under_each_metric(data, pair)
what_each_metric_rewards()
outlines_instead_of_ink(x, mean, picked, pair)
ui.show_code(distances.l1, distances.rmse, distances.l1_torch, distances.rmse_torch,
             distances.signed_mean, distances.edges, distances.edge_l1, similarity.evaluate,
             distances.spread_error)
