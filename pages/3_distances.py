"""Page 3: distance metrics, L1 and RMSE, and why the plain difference fails."""


import streamlit as st
import torch

import ui
from lessonlib import distances, links, similarity
from lessonlib.plots import distances as dplots
from lessonlib.plots import images
from lessonlib.plots import similarity as splots

SPREAD_TOTAL = 16  # summed absolute error of the demo: 16 pixels entirely wrong, or the same spread thinner

ui.ensure_app()
st.title("Distance metrics: how far apart are two images?")
st.write("To call a digit “nearest” to an ideal digit we need one number for how different two images are. "
         "Subtracting pixel by pixel gives 784 differences; the question is how to boil them down.")

data = ui.data()
a, b = ui.digit_pair()
pair = [a, b]
ui.link_settings(links.Param("digit", "Image a's digit", options=(a, b)),
                 links.Param("i", "Validation image", 0, max(data.count("valid", d) for d in pair) - 1, integer=True),
                 links.Param("mean", "Image b's digit", options=tuple(data.digits)),
                 links.Param("spread", "Wrong pixels", SPREAD_TOTAL, 784, integer=True))


def _pick() -> tuple[torch.Tensor, torch.Tensor, str, str]:
    """Widgets for image a (a validation image) and image b (a class mean)."""
    pick_a, pick_b = st.columns(2)
    with pick_a:
        true, index = ui.validation_image(data, pair, "Image a: a validation image of")
        valid = data.images("valid", true)  # (N, 28, 28)
    if "mean" in st.session_state and st.session_state["mean"] not in data.digits:  # new data may lack it
        st.session_state["mean"] = a
    target = pick_b.selectbox("Image b: the mean training image of", data.digits, index=data.digits.index(a),
                              key="mean", bind="query-params",
                              help="Compare with the ideal of the same digit, then another")
    mean = ui.memo("means of every digit", lambda: similarity.class_means(data, data.digits))[target]  # (28, 28)
    return valid[index], mean, f"valid_{true}[{index}]", f"mean{target}"


def _by_hand(x: torch.Tensor, mean: torch.Tensor) -> None:
    st.header("L1 and RMSE, by hand and by PyTorch")
    f1, f2 = st.columns(2)
    f1.latex(r"\mathrm{L1}(a,b) = \frac{1}{784}\sum_{i,j} |a_{ij} - b_{ij}|")
    f2.latex(r"\mathrm{RMSE}(a,b) = \sqrt{\frac{1}{784}\sum_{i,j} (a_{ij} - b_{ij})^2}")
    check = distances.compare_with_torch(x, mean)  # rows L1, RMSE
    m = st.columns(4)
    m[0].metric("L1 = mean(|a − b|)", f"{check.loc['L1', 'by hand']:.6f}")
    m[1].metric("F.l1_loss(a, b)", f"{check.loc['L1', 'torch.nn.functional']:.6f}")
    m[2].metric("RMSE = sqrt(mean((a − b)²))", f"{check.loc['RMSE', 'by hand']:.6f}")
    m[3].metric("F.mse_loss(a, b).sqrt()", f"{check.loc['RMSE', 'torch.nn.functional']:.6f}")
    st.table(check.style.format({"by hand": "{:.10f}", "torch.nn.functional": "{:.10f}", "difference": "{:.1e}"}))
    st.caption("The hand-written formulas and PyTorch's loss functions agree to float32 precision.")


def _signed_parts(x: torch.Tensor, mean: torch.Tensor) -> None:
    st.header("Why not just average a − b?")
    pos, neg = distances.error_parts(x, mean)
    s = st.columns(4)
    s[0].metric("mean of the positive parts", f"{pos:.4f}")
    s[1].metric("mean of the negative parts", f"{neg:.4f}")
    s[2].metric("signed mean = pos − neg", f"{distances.signed_mean(x, mean).item():+.4f}")
    s[3].metric("L1 = pos + neg", f"{distances.l1(x, mean).item():.4f}")


def _edge_views(x: torch.Tensor, mean: torch.Tensor, names: str) -> None:
    ex, eb = distances.edges(x), distances.edges(mean)  # (28, 28) -> (27, 27)
    figures = ui.memo(f"edge maps {names}", lambda: dplots.edge_maps(ex, eb))  # shared with later visitors
    for col, fig, key in zip(st.columns(3), figures, ("edges_a", "edges_b", "edges_diff"), strict=True):
        col.plotly_chart(fig, theme="streamlit", key=key)
    st.metric("edge L1 of a and b", f"{distances.edge_l1(x, mean).item():.4f}",
              help=f"edge maps are {tuple(ex.shape)}: one row and column fewer than the {tuple(x.shape)} images")


def _spread_demo() -> None:
    k = st.slider("Wrong pixels sharing the error", SPREAD_TOTAL, 784, SPREAD_TOTAL, key="spread", bind="query-params")
    spread = distances.spread_error(SPREAD_TOTAL, k)  # (28, 28)
    zero = torch.zeros_like(spread)
    d1, d2 = st.columns([1, 2])
    with d1:
        spread_map = ui.memo(f"spread map {k}", lambda: dplots.magnitude(
            spread, f"|a − b|: {k} pixels off by {SPREAD_TOTAL / k:.3f}", height=280))
        st.plotly_chart(spread_map, theme="streamlit", key="spread_map")
        e = st.columns(2)
        e[0].metric("L1", f"{distances.l1(spread, zero).item():.4f}")
        e[1].metric("RMSE", f"{distances.rmse(spread, zero).item():.4f}")
    counts = list(range(SPREAD_TOTAL, 785, 8)) + [784]
    curve = ui.memo("spread table", lambda: distances.spread_table(SPREAD_TOTAL, counts))  # the same for everyone
    d2.plotly_chart(ui.memo(f"spread curve {k}", lambda: dplots.spread_curve(curve, k)), theme="streamlit",
                    key="spread_curve")


x, mean, name_a, name_b = _pick()
cols = st.columns([1, 1, 4])
cols[0].image(images.to_uint8(x, scale=5), caption=f"a = {name_a}", clamp=True)
cols[1].image(images.to_uint8(mean, scale=5), caption=f"b = {name_b}", clamp=True)
maps = ui.memo(f"error maps {name_a} {name_b}", lambda: dplots.error_maps(distances.error_maps(x, mean)))
cols[2].plotly_chart(maps, theme="streamlit", key="error_maps")
st.caption("Red in a − b: a has ink where the ideal digit has little; blue: the ideal digit has ink that a "
           "lacks. Squaring shrinks small differences (0.3² = 0.09) but keeps large ones (0.9² = 0.81).")
_by_hand(x, mean)
_signed_parts(x, mean)
st.write("Ink that a has and b lacks is positive, ink that b has and a lacks is negative: they cancel, and a very "
         "different image can score almost zero. Worse, mean(a − b) = mean(a) − mean(b), so when one image is "
         "compared with two ideal digits the image drops out of the comparison:")
means = ui.memo("means", lambda: similarity.class_means(data, pair))
inks = {d: distances.ink(means[d]).item() for d in pair}
heavier = max(inks, key=inks.get)
table = ui.memo("dist_metrics", lambda: similarity.metric_table(data, pair, distances.METRICS))  # metric × digit
st.write(" · ".join(f"mean{d} has average brightness **{v:.4f}**" for d, v in inks.items()) +
         f". The signed mean therefore calls *every* image a {heavier}: measured accuracy on the {a}s "
         f"**{table.loc['signed mean', f'{a}s']:.0%}**, on the {b}s **{table.loc['signed mean', f'{b}s']:.0%}**.")

st.header("The baseline under each metric, measured now")
st.write(f"Nearest-mean accuracy on the validation {a}s and {b}s, and over all {len(data.digits)} digits of "
         f"{data.name} competing at once:")
st.table(table.style.format("{:.2%}"))
st.plotly_chart(ui.memo("dist_metrics bars", lambda: splots.accuracy_bars(table)), theme="streamlit", key="metric_bars")

st.header("What each metric rewards")
st.write("L1 charges every error in proportion to its size: one pixel off by 1.0 costs as much as ten pixels off "
         "by 0.1. RMSE squares first, so a few big mistakes cost far more than many small ones. Share the same "
         f"total error ({SPREAD_TOTAL} pixels' worth) among more and more pixels:")
_spread_demo()
st.caption("L1 stays flat: same total error, same distance. RMSE falls as the error spreads, because big errors "
           "weigh more once squared. For digits, RMSE punishes a missing stroke more than a slightly thicker one.")

st.header("Stop and think: compare outlines instead of ink")
st.write("Two writers draw the same digit with strokes a pixel apart: every ink pixel differs, yet the shape is the "
         "same. One alternative compares *edges*, the change from each pixel to its right and lower neighbours "
         "(first differences). Does it beat plain L1? Here is the measurement, not a guess:")
_edge_views(x, mean, f"{name_a} {name_b}")
h = st.columns(2)
h[0].metric(f"accuracy, {a} vs {b}: edge L1", f"{table.loc['edge L1', 'mean']:.2%}")
h[1].metric(f"accuracy, {a} vs {b}: plain L1", f"{table.loc['L1', 'mean']:.2%}")
better = table.loc["edge L1", "mean"] > table.loc["L1", "mean"]
st.caption(f"Here edges measure **{'better' if better else 'no better'}** than plain L1. Mean images are blurry, "
           "so their edges are weak and spread out, and a sharp digit's edges rarely line up with them. An idea "
           "that sounds better has to be measured on the validation set before you believe it.")

ui.show_code(distances.l1, distances.rmse, distances.l1_torch, distances.rmse_torch, distances.signed_mean,
             distances.edges, distances.edge_l1, similarity.evaluate, distances.spread_error)
