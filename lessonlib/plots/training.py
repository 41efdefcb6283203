"""Training, drawn: loss and accuracy curves, a learning-rate sweep, a confusion matrix.

The live figures are redrawn several times a second, so each is built in one go (data and layout
together) from float32 arrays: plotly validates once and sends the numbers as compact binary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.colors import sample_colorscale

from lessonlib.book import BookResult
from lessonlib.sweep import SweepRun

TRAIN_COLOUR, VALID_COLOUR, ACCURACY_COLOUR = "#7aa6d6", "#e4572e", "#2ca02c"
BASELINE_COLOUR = "#8c8c8c"  # grey reads on light and dark backgrounds
BOOK_COLOUR = "#d4a017"
MARGIN = dict(l=10, r=10, t=30, b=10)


class Line(Protocol):
    """Points of a curve: x in epochs (fractional for batches), y the value."""

    x: Sequence[float]
    y: Sequence[float]


def _xy(s: Line) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(s.y, dtype=np.float32)
    # inf/nan: a gap, not an axis to ∞
    return np.asarray(s.x, dtype=np.float32), np.where(np.isfinite(y), y, np.nan)


def smoothed(values: Sequence[float], beta: float = 0.9) -> list[float]:
    """An exponential moving average with bias correction, as fastai smooths its training loss:
    avg = beta·avg + (1 − beta)·value, shown as avg / (1 − betaⁿ) after n values. A value that is
    not a number shows as nan and starts the average afresh."""
    out, avg, n = [], 0.0, 0
    for v in values:
        if not math.isfinite(v):
            out.append(math.nan)
            avg, n = 0.0, 0
            continue
        avg, n = beta * avg + (1 - beta) * v, n + 1
        out.append(avg / (1 - beta**n))
    return out


def _curve_layout(y_title: str, x_max: float | None, height: int, **extra) -> dict:
    return dict(height=height, margin=MARGIN, uirevision="keep", hovermode="x unified",
                legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
                xaxis=dict(title=dict(text="epoch"), range=[0, x_max] if x_max else None,
                           rangemode="tozero"),
                yaxis=dict(title=dict(text=y_title)), **extra)


def loss_figure(batch_loss: Line, valid_loss: Line, x_max: float | None = None,
                height: int = 320) -> go.Figure:
    """Training loss of every batch (faint) and smoothed, and validation loss after every epoch,
    against epochs."""
    (bx, by), (vx, vy) = _xy(batch_loss), _xy(valid_loss)
    smooth = np.asarray(smoothed(batch_loss.y), dtype=np.float32)
    return go.Figure([
        go.Scatter(x=bx, y=by, mode="lines", name="training loss (each batch)", opacity=0.45,
                   line=dict(width=1, color=TRAIN_COLOUR), hovertemplate="%{y:.4f}"),
        go.Scatter(x=bx, y=smooth, mode="lines", name="smoothed",
                   line=dict(width=2.5, color=TRAIN_COLOUR), hovertemplate="%{y:.4f}"),
        go.Scatter(x=vx, y=vy, mode="lines+markers", name="validation loss",
                   line=dict(color=VALID_COLOUR), hovertemplate="%{y:.4f}"),
    ], _curve_layout("loss", x_max, height))


def accuracy_figure(accuracy: Line, baseline: float | None = None, x_max: float | None = None,
                    height: int = 320, book: BookResult | None = None) -> go.Figure:
    """Validation accuracy after every epoch, with the pixel-similarity baseline as a dashed line
    and the book's published result as a star."""
    ax, ay = _xy(accuracy)
    traces = [go.Scatter(x=ax, y=ay, mode="lines+markers", name="validation accuracy",
                         line=dict(color=ACCURACY_COLOUR), hovertemplate="%{y:.1%}")]
    if book is not None:
        x_max = max(x_max or 0, book.epochs)
        traces.append(go.Scatter(x=[book.epochs], y=[book.accuracy], mode="markers",
                                 name=book.label,
                                 marker=dict(symbol="star", size=14, color=BOOK_COLOUR),
                                 hovertemplate="%{y:.2%}"))
    if baseline is not None:
        right = max(x_max or 0, float(ax[-1]) if len(ax) else 0, 1)
        traces.append(go.Scatter(x=[0, right], y=[baseline, baseline], mode="lines",
                                 hovertemplate="%{y:.1%}",
                                 name=f"pixel-similarity baseline ({baseline:.1%})",
                                 line=dict(color=BASELINE_COLOUR, dash="dash")))
    low = min(float(np.nanmin(ay)) if len(ay) and not np.isnan(ay).all() else 1.0,
              baseline or 1.0, 0.9)
    layout = _curve_layout("accuracy", x_max, height)
    layout["yaxis"].update(range=[max(0.0, low - 0.05), 1.005], tickformat=".0%")
    return go.Figure(traces, layout)


def confusion_figure(matrix: torch.Tensor, digits: tuple[int, ...], height: int = 300) -> go.Figure:
    """A confusion matrix: rows the true digit, columns the predicted one, counts written in the
    cells."""
    labels = [str(d) for d in digits]
    heat = go.Heatmap(z=matrix.numpy(), x=labels, y=labels, text=matrix.numpy(),
                      texttemplate="%{text}",
                      colorscale="Blues", showscale=False,
                      textfont=dict(size=18 if len(labels) <= 3 else 11),
                      hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>")
    return go.Figure(heat, dict(height=height, margin=MARGIN,
                                xaxis=dict(title=dict(text="predicted"),
                                           type="category", side="top"),
                                yaxis=dict(title=dict(text="true digit"), type="category",
                                           autorange="reversed")))


def _steady_range(runs: list[SweepRun]) -> list[float] | None:
    """A y range that fits the runs that did not diverge, so one overflowing run does not flatten
    the rest."""
    ys = [_xy(_thin(r))[1] for r in runs if r.diverged_at is None] or [np.zeros(1)]
    y = np.concatenate(ys)
    y = y[np.isfinite(y)]
    if not len(y) or len(ys) == len(runs):
        return None  # nothing diverged: let plotly fit everything
    lo, hi = float(min(y.min(), 0.0)), float(y.max())
    pad = 0.1 * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


@dataclass
class _Points:
    x: list[float]
    y: list[float]


def _thin(run: SweepRun, limit: int = 600) -> _Points:
    """A sweep run's loss curve with at most about `limit` points: consecutive batches averaged in
    groups."""
    k = max(1, math.ceil(len(run.loss) / limit))
    if k == 1:
        return _Points(run.progress, run.loss)
    groups = range(0, len(run.loss), k)
    return _Points([run.progress[min(i + k, len(run.loss)) - 1] for i in groups],
                   [sum(run.loss[i : i + k]) / len(run.loss[i : i + k]) for i in groups])


def sweep_figure(runs: list[SweepRun], height: int = 360) -> go.Figure:
    """Training loss of each learning rate against epochs, one line per rate; a diverged run ends in
    a cross, drawn at the edge of the chart when its loss has left it."""
    y_range, traces = _steady_range(runs), []
    for i, run in enumerate(runs):
        # no darkest, no palest
        colour = sample_colorscale("Plasma", [0.15 + 0.7 * i / max(len(runs) - 1, 1)])[0]
        x, y = _xy(_thin(run))
        name = f"lr {run.learning_rate:g}" + (" — diverged" if run.diverged_at is not None else "")
        traces.append(go.Scatter(x=x, y=y, mode="lines", name=name,
                                 line=dict(color=colour, width=1.5),
                                 hovertemplate=f"lr {run.learning_rate:g}: "
                                               + "%{y:.4g}<extra></extra>"))
        if run.diverged_at is not None:
            last = float(y[np.isfinite(y)][-1]) if np.isfinite(y).any() else 0.0
            if y_range:
                last = min(max(last, y_range[0]), y_range[1])
            traces.append(go.Scatter(x=[run.diverged_at], y=[last], mode="markers",
                                     showlegend=False,
                                     marker=dict(symbol="x", size=12, color=colour),
                                     hoverinfo="skip", cliponaxis=False))
    layout = _curve_layout("training loss", None, height)
    layout.update(hovermode="closest", legend=dict(orientation="v", y=1, x=1.02, yanchor="top"))
    layout["yaxis"]["range"] = y_range
    return go.Figure(traces, layout)
