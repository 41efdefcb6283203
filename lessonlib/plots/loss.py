"""Figures for the MNIST loss: the two digits' outputs against a threshold, the sigmoid and one
image's loss, and loss and accuracy as one weight moves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

FIRST, SECOND = "#4c78a8", "#f28e2b"  # blue and orange, with a hatched pattern for the second digit
                                      # too
FAINT = "rgba(128,128,128,0.8)"
MARGIN = dict(l=10, r=10, t=40, b=10)


def _legend_on_top(fig: go.Figure) -> go.Figure:
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0), margin=MARGIN)
    return fig


def output_histograms(first: torch.Tensor, second: torch.Tensor, digits: tuple[int, int],
                      threshold: float, after_sigmoid: bool, height: int = 360) -> go.Figure:
    """Histograms of the outputs for the first digit's images and the second's, with the threshold
    as a line: above it an image is called the first digit."""
    a, b = digits
    values = np.concatenate([first.numpy(), second.numpy()])
    low, high = (0.0, 1.0) if after_sigmoid else (float(values.min()), float(values.max()))
    size = max((high - low) / 60, 1e-6)
    bins = dict(start=low, end=high + size, size=size)  # the same bins for both digits
    fig = go.Figure()
    for v, d, colour, pattern in ((first, a, FIRST, ""), (second, b, SECOND, "/")):
        fig.add_trace(go.Histogram(x=v.numpy(), xbins=bins, name=f"images of {d}", opacity=0.65,
                                   marker=dict(color=colour, pattern=dict(shape=pattern)),
                                   hovertemplate=f"{d}s: %{{y}} with output in "
                                   f"%{{x}}<extra></extra>"))
    fig.add_vline(x=threshold, line=dict(color=FAINT, width=3, dash="dash"))
    fig.add_annotation(x=threshold, y=0.98, yref="paper", text=f" above {threshold:g} → {a} ",
                       showarrow=False,
                       xanchor="left", yanchor="top", font=dict(size=12),
                       bgcolor="rgba(128,128,128,0.15)")
    pad = (high - low) * 0.03
    fig.update_xaxes(range=[min(low, threshold) - pad, max(high + size, threshold) + pad])
    fig.update_layout(barmode="overlay", height=height, bargap=0.02,
                      xaxis_title="sigmoid(output)" if after_sigmoid
                                  else "raw output: xb @ weights + bias",
                      yaxis_title="validation images")
    return _legend_on_top(fig)


def sigmoid_curve(table: pd.DataFrame, z: float, height: int = 320) -> go.Figure:
    """sigmoid(z) over the grid of `table` (from sigmoid_loss.curves), the chosen z marked."""
    at = table.iloc[(table["z"] - z).abs().argmin()]
    fig = go.Figure(go.Scatter(x=table["z"], y=table["sigmoid"], mode="lines", name="sigmoid(z)",
                               line=dict(color=FIRST, width=3),
                               hovertemplate="z %{x:.2f}: %{y:.4f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[z], y=[at["sigmoid"]], mode="markers", name=f"z = {z:g}",
                             marker=dict(color=SECOND, size=13, symbol="diamond"),
                             hoverinfo="skip"))
    fig.add_hline(y=0.5, line=dict(color=FAINT, dash="dash", width=1))
    fig.add_vline(x=0, line=dict(color=FAINT, dash="dash", width=1))
    fig.update_xaxes(title_text="raw output z")
    fig.update_yaxes(title_text="sigmoid(z)", range=[-0.03, 1.03])
    fig.update_layout(height=height)
    return _legend_on_top(fig)


def one_image_loss(table: pd.DataFrame, z: float, height: int = 320) -> go.Figure:
    """One image's mnist_loss against its raw output, for target 1 (solid) and target 0 (dotted), z
    marked."""
    at = table.iloc[(table["z"] - z).abs().argmin()]
    fig = go.Figure()
    for target, dash, colour in ((1, "solid", FIRST), (0, "dot", SECOND)):
        col = f"loss, target {target}"
        fig.add_trace(go.Scatter(x=table["z"], y=table[col], mode="lines", name=col,
                                 line=dict(color=colour, width=3, dash=dash),
                                 hovertemplate=f"z %{{x:.2f}}: loss %{{y:.4f}}<extra>target "
                                 f"{target}</extra>"))
        fig.add_trace(go.Scatter(x=[z], y=[at[col]], mode="markers", showlegend=False,
                                 hoverinfo="skip",
                                 marker=dict(color=colour, size=12, symbol="diamond")))
    fig.add_vline(x=0, line=dict(color=FAINT, dash="dash", width=1))
    fig.update_xaxes(title_text="raw output z")
    fig.update_yaxes(title_text="one image's loss", range=[-0.03, 1.03])
    fig.update_layout(height=height)
    return _legend_on_top(fig)


def nudge_curves(table: pd.DataFrame, now: float, nudged: float, index: int,
                 height: int = 420) -> go.Figure:
    """Loss (top) and accuracy (bottom) of the training images as weights[index] runs over a range;
    the trained value and the nudged one marked."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=("loss (mnist_loss): smooth", "accuracy: flat steps"))
    fig.add_trace(go.Scatter(x=table["weight"], y=table["loss"], mode="lines", name="loss",
                             line=dict(color=FIRST, width=3),
                             hovertemplate="w %{x:.3f}: loss %{y:.6f}<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=table["weight"], y=table["accuracy"], mode="lines", name="accuracy",
                             line=dict(color=SECOND, width=3, shape="hv"),
                             hovertemplate="w %{x:.3f}: accuracy %{y:.2%}<extra></extra>"), row=2,
                  col=1)
    fig.add_vline(x=now, line=dict(color=FAINT, dash="dash", width=2))
    fig.add_vline(x=nudged, line=dict(color=FAINT, dash="dot", width=2))
    fig.update_xaxes(title_text=f"weights[{index}]", row=2, col=1)
    fig.update_yaxes(tickformat=".1%", row=2, col=1)
    fig.update_layout(height=height, showlegend=False, margin=MARGIN)
    return fig


def pixel_map(ink: torch.Tensor, row: int, col: int, height: int = 260) -> go.Figure:
    """How much ink each pixel has on average over the training images (28, 28), the chosen pixel
    ringed."""
    fig = go.Figure(go.Heatmap(z=ink.numpy(), colorscale=[[0, "white"], [1, "black"]],
                               zmin=0, zmax=1,
                               showscale=False, hovertemplate="row %{y}, col %{x}: mean ink "
                               "%{z:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[col], y=[row], mode="markers", hoverinfo="skip", showlegend=False,
                             marker=dict(size=16, symbol="circle-open", color=SECOND,
                                         line=dict(width=3))))
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0))
    return fig
