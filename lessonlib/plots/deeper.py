"""Figures for going deeper: resnet18's validation accuracy epoch by epoch, beside simple_net, the
baseline and the book's resnet18."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from lessonlib.book import BookResult
from lessonlib.plots.training import ACCURACY_COLOUR, BASELINE_COLOUR, BOOK_COLOUR, MARGIN

SIMPLE_NET_COLOUR = "#4c78a8"


def _level(name: str, value: float, right: float, colour: str, dash: str) -> go.Scatter:
    return go.Scatter(x=[0, right], y=[value, value], mode="lines", name=f"{name} ({value:.2%})",
                      line=dict(color=colour, dash=dash), hovertemplate="%{y:.2%}<extra></extra>")


def accuracy_figure(epochs: Sequence[float], accuracy: Sequence[float], goal: float,
                    simple_net: float | None = None,
                    baseline: float | None = None, book: BookResult | None = None,
                    height: int = 340) -> go.Figure:
    """resnet18's validation accuracy after each epoch (solid, circles), simple_net's (dotted) and
    the baseline's (dashed) as levels, and the book's resnet18 as a star."""
    right = max([goal, 1.0, *epochs])
    traces = [go.Scatter(x=list(epochs), y=list(accuracy), mode="lines+markers",
                         name="resnet18 here",
                         line=dict(color=ACCURACY_COLOUR, width=3), marker=dict(size=9),
                         hovertemplate="epoch %{x}: %{y:.2%}<extra></extra>")]
    if simple_net is not None:
        traces.append(_level("simple_net, 40 epochs", simple_net, right, SIMPLE_NET_COLOUR, "dot"))
    if baseline is not None:
        traces.append(_level("pixel-similarity baseline", baseline, right, BASELINE_COLOUR, "dash"))
    if book is not None:
        traces.append(go.Scatter(x=[book.epochs], y=[book.accuracy], mode="markers",
                                 name=book.label,
                                 marker=dict(symbol="star", size=15, color=BOOK_COLOUR),
                                 hovertemplate="%{y:.2%}<extra>the book</extra>"))
    lows = [*accuracy, *(v for v in (simple_net, baseline) if v is not None)]
    low = max(0.0, min(lows or [0.9]) - 0.03)
    return go.Figure(traces, dict(
        height=height, margin=MARGIN, hovermode="closest",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        xaxis=dict(title=dict(text="epoch"), range=[0, right + 0.2],
                   dtick=1 if right <= 20 else None),
        yaxis=dict(title=dict(text="validation accuracy"), range=[low, 1.015], tickformat=".0%")))
