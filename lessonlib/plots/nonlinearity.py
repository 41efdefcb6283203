"""Figures for adding a nonlinearity: ReLU, a curve fitted by ReLUs, the fit's loss and error,
hidden activations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import torch

# mid-tones: read on light and dark themes
BLUE, ORANGE, GREEN, GREY = "#4c78a8", "#f28e2b", "#54a24b", "#8c8c8c"
MARGIN = dict(l=10, r=10, t=30, b=10)


def _layout(fig: go.Figure, height: int, x_title: str, y_title: str, **extra) -> go.Figure:
    fig.update_layout(height=height, margin=MARGIN, xaxis_title=x_title, yaxis_title=y_title,
                      hovermode="closest",
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0), **extra)
    return fig


def relu_figure(x: torch.Tensor, y: torch.Tensor, height: int = 300) -> go.Figure:
    """ReLU against x: flat at 0 for negative x, then the line y = x."""
    fig = go.Figure(go.Scatter(x=x.numpy(), y=y.numpy(), mode="lines", name="F.relu(x)",
                               line=dict(color=BLUE, width=3),
                               hovertemplate="relu(%{x:.2f}) = %{y:.2f}<extra></extra>"))
    return _layout(fig, height, "x", "relu(x)", showlegend=False)


def fit_figure(x: torch.Tensor, target: torch.Tensor, fits: dict[str, torch.Tensor],
               kinks: Sequence[float] = (), height: int = 360) -> go.Figure:
    """The target curve (solid), each fitted curve (dashed, dotted …) and the kinks of the last fit
    (triangles)."""
    xs = x.flatten().numpy()
    fig = go.Figure(go.Scatter(x=xs, y=target.flatten().numpy(), mode="lines", name="target",
                               line=dict(color=GREY, width=4),
                               hovertemplate="%{y:.3f}<extra>target</extra>"))
    styles = [(ORANGE, "dash"), (GREEN, "dot"), (BLUE, "dashdot")]
    last = None
    for (name, y), (colour, dash) in zip(fits.items(), styles, strict=False):
        last = y.flatten().numpy()
        fig.add_trace(go.Scatter(x=xs, y=last, mode="lines", name=name,
                                 line=dict(color=colour, width=3, dash=dash),
                                 hovertemplate="%{y:.3f}<extra>" + name + "</extra>"))
    if kinks and last is not None:
        at = np.interp(np.asarray(kinks), xs, last)
        fig.add_trace(go.Scatter(x=list(kinks), y=at, mode="markers", name="kinks",
                                 marker=dict(symbol="triangle-up", size=11, color=ORANGE,
                                             line=dict(width=1)),
                                 hovertemplate="kink at x = %{x:.2f}<extra></extra>"))
    return _layout(fig, height, "x", "y")


def loss_figure(losses: Sequence[float], height: int = 300) -> go.Figure:
    """Mean squared error before each SGD step, on a log scale."""
    fig = go.Figure(go.Scatter(x=np.arange(len(losses)), y=np.asarray(losses, dtype=np.float32),
                               mode="lines",
                               name="loss", line=dict(color=ORANGE, width=2),
                               hovertemplate="step %{x}: %{y:.4g}"))
    return _layout(fig, height, "SGD step", "mean squared error", showlegend=False,
                   yaxis_type="log")


def counts_figure(counts: Sequence[int], errors: Sequence[float], height: int = 300) -> go.Figure:
    """The error SGD reaches against how many ReLUs it may use, both on log scales."""
    fig = go.Figure(go.Scatter(x=list(counts), y=list(errors), mode="lines+markers+text",
                               name="RMSE",
                               text=[f"{e:.3f}" for e in errors], textposition="top right",
                               line=dict(color=BLUE, width=2), marker=dict(size=9),
                               hovertemplate="%{x} ReLUs: RMSE %{y:.4f}<extra></extra>"))
    fig.update_xaxes(type="log", tickvals=list(counts))
    return _layout(fig, height, "number of ReLUs", "RMSE from the target", showlegend=False,
                   yaxis_type="log")


def hidden_figure(before: torch.Tensor, after: torch.Tensor, height: int = 320) -> go.Figure:
    """Each hidden unit's activation before ReLU (hatched) and after it (solid)."""
    units = np.arange(len(before))
    fig = go.Figure([
        go.Bar(x=units, y=before.numpy(), name="before ReLU: x @ W1ᵀ + b1", marker=dict(
            color=GREY, pattern=dict(shape="/")),
               hovertemplate="unit %{x}: %{y:.3f}<extra>before ReLU</extra>"),
        go.Bar(x=units, y=after.numpy(), name="after ReLU", marker=dict(color=BLUE),
               hovertemplate="unit %{x}: %{y:.3f}<extra>after ReLU</extra>"),
    ])
    fig.update_xaxes(dtick=1 if len(units) <= 40 else None)
    return _layout(fig, height, "hidden unit", "activation", barmode="group")
