"""Training, drawn: live loss and accuracy curves, the weights as images, a learning-rate sweep, a confusion matrix."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.colors import sample_colorscale

from lessonlib.history import History
from lessonlib.live import LiveRun
from lessonlib.models import first_layer_weights
from lessonlib.plots.images import signed
from lessonlib.sweep import SweepRun

ACCURACY_COLOUR = "#2ca02c"
BASELINE_COLOUR = "#8c8c8c"  # grey reads on light and dark backgrounds


def _curve_layout(fig: go.Figure, y_title: str, x_max: float | None, height: int) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), uirevision="keep",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), hovermode="x unified")
    fig.update_xaxes(title_text="epoch", range=[0, x_max] if x_max else None, rangemode="tozero")
    fig.update_yaxes(title_text=y_title)
    return fig


def _finite(values: list[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]  # inf/nan would break the axis; show a gap


def loss_figure(history: History, x_max: float | None = None, height: int = 320) -> go.Figure:
    """Training loss of every batch and validation loss after every epoch, against epochs."""
    b, v = history.batch_loss, history.valid_loss
    fig = go.Figure([
        go.Scatter(x=b.x, y=_finite(b.y), mode="lines", name="training loss (batches)", line=dict(width=1),
                   opacity=0.7, hovertemplate="%{y:.4f}"),
        go.Scatter(x=v.x, y=_finite(v.y), mode="lines+markers", name="validation loss", hovertemplate="%{y:.4f}"),
    ])
    return _curve_layout(fig, "loss", x_max, height)


def accuracy_figure(history: History, baseline: float | None = None, x_max: float | None = None,
                    height: int = 320) -> go.Figure:
    """Validation accuracy after every epoch, with the pixel-similarity baseline as a dashed line."""
    a = history.valid_accuracy
    traces = [go.Scatter(x=a.x, y=a.y, mode="lines+markers", name="validation accuracy",
                         line=dict(color=ACCURACY_COLOUR), hovertemplate="%{y:.1%}")]
    if baseline is not None:
        right = max(x_max or 0, a.x[-1] if len(a) else 0, 1)
        traces.append(go.Scatter(x=[0, right], y=[baseline, baseline], mode="lines", hovertemplate="%{y:.1%}",
                                 name=f"pixel-similarity baseline ({baseline:.1%})",
                                 line=dict(color=BASELINE_COLOUR, dash="dash")))
    fig = _curve_layout(go.Figure(traces), "accuracy", x_max, height)
    low = min([*a.y, baseline if baseline is not None else 1.0, 0.9])
    fig.update_yaxes(range=[max(0.0, low - 0.05), 1.005], tickformat=".0%")
    return fig


def tile(images: torch.Tensor, columns: int) -> np.ndarray:
    """Images in a grid, each scaled to [-1, 1], NaN between: (U, 28, 28) -> (rows·29−1, columns·29−1)."""
    u = len(images)
    rows = math.ceil(u / columns)
    scale = images.flatten(1).abs().amax(1).clamp_min(1e-12)  # (U,) each unit's largest |weight|
    scaled = (images / scale[:, None, None]).float().numpy()
    grid = np.full((rows * 29 - 1, columns * 29 - 1), np.nan, dtype=np.float32)
    for i in range(u):
        r, c = divmod(i, columns)
        grid[r * 29 : r * 29 + 28, c * 29 : c * 29 + 28] = scaled[i]
    return grid


def weights_figure(weights: torch.Tensor, height: int = 330) -> go.Figure:
    """Pixel weights as red/blue images: one 28×28 map for a linear model, a grid of units for simple_net."""
    if len(weights) == 1:
        return signed(weights[0], title="weight of each pixel", height=height)
    columns = min(10, math.ceil(math.sqrt(len(weights) * 2)))
    grid = tile(weights, columns)
    fig = go.Figure(go.Heatmap(z=grid, colorscale="RdBu_r", zmin=-1, zmax=1, zmid=0, showscale=False,
                               hovertemplate="%{z:.2f} of this unit's largest weight<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10),
                      title=f"first-layer weights of {len(weights)} units, each on its own scale")
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    return fig


def confusion_figure(matrix: torch.Tensor, digits: tuple[int, int], height: int = 300) -> go.Figure:
    """A 2×2 confusion matrix: rows the true digit, columns the predicted one, counts written in the cells."""
    labels = [str(d) for d in digits]
    fig = go.Figure(go.Heatmap(z=matrix.numpy(), x=labels, y=labels, text=matrix.numpy(), texttemplate="%{text}",
                               colorscale="Blues", showscale=False, textfont=dict(size=18),
                               hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10))
    fig.update_xaxes(title_text="predicted", type="category", side="top")
    fig.update_yaxes(title_text="true digit", type="category", autorange="reversed")
    return fig


def sweep_figure(runs: list[SweepRun], height: int = 360) -> go.Figure:
    """Training loss of each learning rate against epochs, one line per rate; diverged runs end in a cross."""
    fig = go.Figure()
    for i, run in enumerate(runs):
        colour = _rate_colour(i, len(runs))
        b = run.history.batch_loss
        name = f"lr {run.learning_rate:g}" + (" — diverged" if run.diverged_at is not None else "")
        fig.add_trace(go.Scatter(x=b.x, y=_finite(b.y), mode="lines", name=name, line=dict(color=colour, width=1.5),
                                 hovertemplate=f"lr {run.learning_rate:g}: " + "%{y:.4f}<extra></extra>"))
        if run.diverged_at is not None:
            last = next((y for y in reversed(b.y) if math.isfinite(y)), 0.0)
            fig.add_trace(go.Scatter(x=[run.diverged_at], y=[last], mode="markers", showlegend=False,
                                     marker=dict(symbol="x", size=12, color=colour), hoverinfo="skip"))
    fig = _curve_layout(fig, "training loss", None, height)
    fig.update_layout(hovermode="closest", legend=dict(orientation="v", y=1, x=1.02, yanchor="top"))
    return fig


def _rate_colour(i: int, n: int) -> str:
    return sample_colorscale("Plasma", [0.85 * i / max(n - 1, 1)])[0]  # stop before Plasma's pale yellow end


def live_figures(run: LiveRun, baseline: float | None = None) -> dict[str, go.Figure]:
    """What the page redraws after every chunk of training: loss, accuracy and the pixel weights."""
    x_max = max(run.goal or 0.0, run.trainer.progress, 1.0)
    return {"loss": loss_figure(run.history, x_max), "accuracy": accuracy_figure(run.history, baseline, x_max),
            "weights": weights_figure(first_layer_weights(run.trainer.model))}
