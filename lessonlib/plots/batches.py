"""Figures for mini-batches: which items each batch holds, how many of each digit, and the
batch-size trade-off."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessonlib.minibatch import Batch

FIRST, SECOND = "#4c78a8", "#f28e2b"
FAINT = "rgba(128,128,128,0.35)"
MARGIN = dict(l=10, r=10, t=40, b=10)


def _legend_on_top(fig: go.Figure) -> go.Figure:
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0), margin=MARGIN)
    return fig


def batch_map(batches: list[Batch], digits: tuple[int, int], height: int = 300) -> go.Figure:
    """Every item of the dataset as a mark at (its index, the batch it landed in): circles for the
    first digit, crosses for the second."""
    fig = go.Figure()
    for target, d, colour, symbol in ((1, digits[0], FIRST, "circle"),
                                      (0, digits[1], SECOND, "x-thin-open")):
        xs = [i for b in batches for i, t in zip(b.indices, b.targets, strict=True) if t == target]
        ys = [k + 1 for k, b in enumerate(batches) for t in b.targets if t == target]
        fig.add_trace(go.Scattergl(x=xs, y=ys, mode="markers", name=f"a {d} (y = {target})",
                                   marker=dict(color=colour, symbol=symbol, size=5,
                                               line=dict(width=1, color=colour)),
                                   hovertemplate="dset[%{x}] is in batch %{y}<extra></extra>"))
    fig.update_yaxes(title_text="batch", autorange="reversed",
                     dtick=1 if len(batches) <= 20 else None)
    fig.update_xaxes(title_text="index in dset (first digit first, as the book stacks them)")
    fig.update_layout(height=height)
    return _legend_on_top(fig)


def batch_counts(batches: list[Batch], digits: tuple[int, int], height: int = 260) -> go.Figure:
    """How many images of each digit every batch holds, as stacked bars with the count written on
    each."""
    names = [str(k + 1) for k in range(len(batches))]
    fig = go.Figure()
    for target, d, colour, pattern in ((1, digits[0], FIRST, ""), (0, digits[1], SECOND, "/")):
        counts = [sum(t == target for t in b.targets) for b in batches]
        fig.add_trace(go.Bar(x=names, y=counts, name=f"{d}s",
                             marker=dict(color=colour, pattern=dict(shape=pattern)),
                             text=counts if len(batches) <= 20 else None, textposition="inside",
                             hovertemplate=f"batch %{{x}}: %{{y}} {d}s<extra></extra>"))
    fig.update_layout(barmode="stack", height=height, xaxis_title="batch", yaxis_title="images")
    _legend_on_top(fig)
    fig.update_layout(legend_traceorder="normal")
    return fig


def noise_figure(table: pd.DataFrame, height: int = 340) -> go.Figure:
    """How far a mini-batch's gradient is from the full gradient, against the batch size
    (both on log scales): the mean over random batches, and the band from the 10th to the 90th
    percentile. The whole training set, whose gradient is the full one (distance 0), is left out: a
    log scale has no 0."""
    table = table[table["batch size"] < table["batch size"].max()] if len(table) > 1 else table
    x = table["batch size"]
    band_x = list(x) + list(x)[::-1]
    band_y = list(table["distance p90"]) + list(table["distance p10"])[::-1]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=band_x, y=band_y,
                             fill="toself", fillcolor=FAINT, line=dict(width=0),
                             name="10th–90th percentile", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=table["relative distance"], mode="lines+markers", name="mean",
                             line=dict(color=FIRST, width=3), customdata=table["cosine"],
                             hovertemplate="batch %{x}: |g_batch − g| / |g| = %{y:.3f}, cosine "
                             "%{customdata:.3f}<extra></extra>"))
    _batch_axis(fig, x)
    # 0.1, 1, 10
    fig.update_yaxes(title_text="|g_batch − g| / |g| (log scale)", type="log", dtick=1)
    fig.update_layout(height=height)
    return _legend_on_top(fig)


def _batch_axis(fig: go.Figure, sizes: pd.Series) -> None:
    """A log x axis with one tick per batch size measured."""
    fig.update_xaxes(type="log", title_text="batch size (log scale)", tickvals=list(sizes),
                     ticktext=[str(s) for s in sizes])


def cost_figure(table: pd.DataFrame, height: int = 300) -> go.Figure:
    """Steps per epoch and seconds per epoch against the batch size."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("steps per epoch", "CPU seconds per epoch"),
                        horizontal_spacing=0.12)
    x = table["batch size"]
    fig.add_trace(go.Scatter(x=x, y=table["steps per epoch"], mode="lines+markers",
                             line=dict(color=FIRST, width=3),
                             hovertemplate="batch %{x}: %{y} steps<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=table["seconds per epoch"], mode="lines+markers",
                             line=dict(color=SECOND, width=3, dash="dot"),
                             hovertemplate="batch %{x}: %{y:.3g} s<extra></extra>"), row=1, col=2)
    _batch_axis(fig, x)
    fig.update_yaxes(type="log", dtick=1)  # powers of ten only
    fig.update_layout(height=height, showlegend=False, margin=MARGIN)
    return fig
