"""Figures for the pixel-similarity baseline: distances to the two means, accuracies, mistakes."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import torch

from lessonlib.misclassified import Mistakes
from lessonlib.plots.images import gallery


def distance_scatter(dist: dict[int, torch.Tensor], metric: str = "L1",
                     sample: tuple[float, float] | None = None, height: int = 420) -> go.Figure:
    """Each validation image as a point (distance to the first mean, to the second); the diagonal
    decides."""
    a, b = list(dist)
    fig = go.Figure()
    for (d, xy), symbol in zip(dist.items(), ("circle", "x"), strict=True):  # xy: (N, 2)
        fig.add_trace(go.Scatter(x=xy[:, 0].numpy(), y=xy[:, 1].numpy(), mode="markers",
                                 name=f"true {d}", marker=dict(size=7, opacity=0.7, symbol=symbol),
                                 hovertemplate=f"a {d}<br>to mean {a}: %{{x:.4f}}<br>to mean {b}: "
                                               "%{y:.4f}<extra></extra>"))
    both = torch.cat(list(dist.values()))
    lo, hi = both.min().item() * 0.95, both.max().item() * 1.02
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="equal distance",
                             hoverinfo="skip", line=dict(dash="dash", color="grey")))
    if sample is not None:
        fig.add_trace(go.Scatter(x=[sample[0]], y=[sample[1]], mode="markers", name="chosen image",
                                 marker=dict(symbol="star", size=18,
                                             line=dict(width=1.5, color="grey"))))
    fig.add_annotation(x=lo, y=hi, xanchor="left", yanchor="top", showarrow=False,
                       text=f"predicted {a}")
    fig.add_annotation(x=hi, y=lo, xanchor="right", yanchor="bottom", showarrow=False,
                       text=f"predicted {b}")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=60, b=10),
                      # above the plot, not over points
                      legend=dict(orientation="h", yanchor="bottom", y=1.02),
                      xaxis_title=f"{metric} to mean {a}", yaxis_title=f"{metric} to mean {b}")
    fig.update_xaxes(range=[lo, hi])
    fig.update_yaxes(range=[lo, hi])
    return fig


def accuracy_bars(table: pd.DataFrame, height: int = 340, title: str = "") -> go.Figure:
    """Grouped bars of accuracies in [0, 1]: one group per row of `table`, one bar per column."""
    fig = go.Figure()
    for column in table.columns:
        values = table[column]
        fig.add_trace(go.Bar(x=[str(i) for i in table.index], y=values, name=str(column),
                             text=[f"{v:.1%}" for v in values], textposition="outside",
                             hovertemplate=f"{column}<br>%{{x}}: %{{y:.2%}}<extra></extra>"))
    fig.update_layout(barmode="group", height=height,
                      margin=dict(l=10, r=10, t=40 if title else 20, b=10),
                      title=title, legend=dict(orientation="h", y=1.12), uniformtext_minsize=9)
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%", title="validation accuracy")
    return fig


def mistakes_gallery(m: Mistakes, digits: list[int], metric: str = "L1",
                     columns: int = 6) -> go.Figure:
    """The misclassified images, each captioned with its true digit, the prediction and its
    distances."""
    titles = []
    for true, pred, dist in zip(m.true, m.predicted, m.distances.tolist(), strict=True):
        lines = [f"{metric} to {d}: {v:.3f}" for d, v in zip(digits, dist, strict=True)]
        titles.append("<br>".join([f"<b>a {true}, called {pred}</b>", *lines]))
    return gallery(m.images, titles, columns=columns, size=130)
