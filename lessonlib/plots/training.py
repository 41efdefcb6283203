"""Training, drawn: live loss and accuracy curves (and the weights, from plots.weights), a learning-rate sweep, a
confusion matrix.

The live figures are redrawn several times a second, so each is built in one go (data and layout together) from
float32 arrays: plotly validates once and sends the numbers as compact binary.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.colors import sample_colorscale

from lessonlib.book import BookResult
from lessonlib.history import History, Series, smoothed
from lessonlib.live import LiveRun
from lessonlib.plots.weights import weights_figure
from lessonlib.sweep import SweepRun

TRAIN_COLOUR, VALID_COLOUR, ACCURACY_COLOUR = "#7aa6d6", "#e4572e", "#2ca02c"
BASELINE_COLOUR = "#8c8c8c"  # grey reads on light and dark backgrounds
BOOK_COLOUR = "#d4a017"
MARGIN = dict(l=10, r=10, t=30, b=10)


def _xy(s: Series) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(s.y, dtype=np.float32)
    return np.asarray(s.x, dtype=np.float32), np.where(np.isfinite(y), y, np.nan)  # inf/nan: a gap, not an axis to ∞


def _curve_layout(y_title: str, x_max: float | None, height: int, **extra) -> dict:
    return dict(height=height, margin=MARGIN, uirevision="keep", hovermode="x unified",
                legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
                xaxis=dict(title=dict(text="epoch"), range=[0, x_max] if x_max else None, rangemode="tozero"),
                yaxis=dict(title=dict(text=y_title)), **extra)


def loss_figure(history: History, x_max: float | None = None, height: int = 320) -> go.Figure:
    """Training loss of every batch (faint) and smoothed, and validation loss after every epoch, against epochs."""
    (bx, by), (vx, vy) = _xy(history.batch_loss), _xy(history.valid_loss)
    smooth = np.asarray(smoothed(history.batch_loss.y), dtype=np.float32)
    return go.Figure([
        go.Scatter(x=bx, y=by, mode="lines", name="training loss (each batch)", opacity=0.45,
                   line=dict(width=1, color=TRAIN_COLOUR), hovertemplate="%{y:.4f}"),
        go.Scatter(x=bx, y=smooth, mode="lines", name="smoothed", line=dict(width=2.5, color=TRAIN_COLOUR),
                   hovertemplate="%{y:.4f}"),
        go.Scatter(x=vx, y=vy, mode="lines+markers", name="validation loss", line=dict(color=VALID_COLOUR),
                   hovertemplate="%{y:.4f}"),
    ], _curve_layout("loss", x_max, height))


def accuracy_figure(history: History, baseline: float | None = None, x_max: float | None = None,
                    height: int = 320, book: BookResult | None = None) -> go.Figure:
    """Validation accuracy after every epoch, with the pixel-similarity baseline as a dashed line and the book's
    published result as a star."""
    ax, ay = _xy(history.valid_accuracy)
    traces = [go.Scatter(x=ax, y=ay, mode="lines+markers", name="validation accuracy",
                         line=dict(color=ACCURACY_COLOUR), hovertemplate="%{y:.1%}")]
    if book is not None:
        x_max = max(x_max or 0, book.epochs)
        traces.append(go.Scatter(x=[book.epochs], y=[book.accuracy], mode="markers", name=book.label,
                                 marker=dict(symbol="star", size=14, color=BOOK_COLOUR), hovertemplate="%{y:.2%}"))
    if baseline is not None:
        right = max(x_max or 0, float(ax[-1]) if len(ax) else 0, 1)
        traces.append(go.Scatter(x=[0, right], y=[baseline, baseline], mode="lines", hovertemplate="%{y:.1%}",
                                 name=f"pixel-similarity baseline ({baseline:.1%})",
                                 line=dict(color=BASELINE_COLOUR, dash="dash")))
    low = min(float(np.nanmin(ay)) if len(ay) and not np.isnan(ay).all() else 1.0, baseline or 1.0, 0.9)
    layout = _curve_layout("accuracy", x_max, height)
    layout["yaxis"].update(range=[max(0.0, low - 0.05), 1.005], tickformat=".0%")
    return go.Figure(traces, layout)


def live_figures(run: LiveRun, baseline: float | None = None, change: bool = False,
                 book: BookResult | None = None) -> dict[str, go.Figure]:
    """What the page redraws after every chunk of training: loss, accuracy, and the pixel weights (or how far
    training has moved them from where they started)."""
    x_max = max(run.goal or 0.0, run.trainer.progress, 1.0)
    t = run.trainer
    per_digit = t.train.multiclass and t.config.model != "simple_net"  # one weight map per digit
    labels = [str(d) for d in t.train.labels] if per_digit else None
    return {"loss": loss_figure(run.history, x_max),
            "accuracy": accuracy_figure(run.history, baseline, x_max, book=book),
            "weights": weights_figure(run.pixel_weights(change), change, labels=labels)}


def confusion_figure(matrix: torch.Tensor, digits: tuple[int, ...], height: int = 300) -> go.Figure:
    """A confusion matrix: rows the true digit, columns the predicted one, counts written in the cells."""
    labels = [str(d) for d in digits]
    heat = go.Heatmap(z=matrix.numpy(), x=labels, y=labels, text=matrix.numpy(), texttemplate="%{text}",
                      colorscale="Blues", showscale=False, textfont=dict(size=18 if len(labels) <= 3 else 11),
                      hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>")
    return go.Figure(heat, dict(height=height, margin=MARGIN,
                                xaxis=dict(title=dict(text="predicted"), type="category", side="top"),
                                yaxis=dict(title=dict(text="true digit"), type="category", autorange="reversed")))


def _steady_range(runs: list[SweepRun]) -> list[float] | None:
    """A y range that fits the runs that did not diverge, so one overflowing run does not flatten the rest."""
    ys = [_xy(r.history.batch_loss)[1] for r in runs if r.diverged_at is None] or [np.zeros(1)]
    y = np.concatenate(ys)
    y = y[np.isfinite(y)]
    if not len(y) or len(ys) == len(runs):
        return None  # nothing diverged: let plotly fit everything
    lo, hi = float(min(y.min(), 0.0)), float(y.max())
    pad = 0.1 * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


def sweep_figure(runs: list[SweepRun], height: int = 360) -> go.Figure:
    """Training loss of each learning rate against epochs, one line per rate; a diverged run ends in a cross, drawn
    at the edge of the chart when its loss has left it."""
    y_range, traces = _steady_range(runs), []
    for i, run in enumerate(runs):
        colour = sample_colorscale("Plasma", [0.15 + 0.7 * i / max(len(runs) - 1, 1)])[0]  # no darkest, no palest
        x, y = _xy(run.history.batch_loss)
        name = f"lr {run.learning_rate:g}" + (" — diverged" if run.diverged_at is not None else "")
        traces.append(go.Scatter(x=x, y=y, mode="lines", name=name, line=dict(color=colour, width=1.5),
                                 hovertemplate=f"lr {run.learning_rate:g}: " + "%{y:.4g}<extra></extra>"))
        if run.diverged_at is not None:
            last = float(y[np.isfinite(y)][-1]) if np.isfinite(y).any() else 0.0
            if y_range:
                last = min(max(last, y_range[0]), y_range[1])
            traces.append(go.Scatter(x=[run.diverged_at], y=[last], mode="markers", showlegend=False,
                                     marker=dict(symbol="x", size=12, color=colour), hoverinfo="skip",
                                     cliponaxis=False))
    layout = _curve_layout("training loss", None, height)
    layout.update(hovermode="closest", legend=dict(orientation="v", y=1, x=1.02, yanchor="top"))
    layout["yaxis"]["range"] = y_range
    return go.Figure(traces, layout)
