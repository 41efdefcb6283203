"""Figures for gradient descent: x² with its tangent and steps, x against step, a fitted quadratic,
a loss curve."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

ACCENT = "#f28e2b"  # orange, the current point and the fit: these mid-tones read on light and dark
                    # backgrounds
BLUE = "#4c78a8"  # the curve x² and the measured data
GREEN = "#54a24b"  # the steps taken
FAINT = "rgba(128,128,128,0.7)"  # what comes next, error segments


def _finite(values: list[float]) -> list[float]:
    return [v for v in values if math.isfinite(v)]


def _layout(fig: go.Figure, height: int, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), xaxis_title=x_title,
                      yaxis_title=y_title,
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
                      hovermode="closest")
    return fig


def _whole_steps(fig: go.Figure, last: int) -> go.Figure:
    # step numbers are whole numbers
    fig.update_xaxes(rangemode="tozero", dtick=max(1, math.ceil(last / 10)))
    return fig


def parabola(taken: list[float], preview: list[float], slope: float, intercept: float,
             height: int = 420) -> go.Figure:
    """x² with the current point (taken[-1]), its tangent line, the steps taken and the next steps,
    dotted."""
    xs = _finite(taken + preview)
    r = max(max(abs(v) for v in xs), 1.0) * 1.15  # half-width of the view: every point fits
    grid = np.linspace(-r, r, 401)
    x, y = taken[-1], taken[-1] ** 2
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=grid, y=grid**2, mode="lines", name="f(x) = x²",
                             line=dict(color=BLUE, width=3),
                             hovertemplate="x %{x:.4g}<br>x² %{y:.4g}<extra></extra>"))
    near = np.array([x - r / 2, x + r / 2])
    fig.add_trace(go.Scatter(x=near, y=slope * near + intercept, mode="lines",
                             name=f"tangent, slope {slope:.4g}",
                             line=dict(color=ACCENT, dash="dash", width=2), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=preview, y=[v**2 for v in preview], mode="lines+markers",
                             name="next steps",
                             line=dict(color=FAINT, dash="dot"),
                             marker=dict(symbol="circle-open", size=8),
                             hovertemplate="x %{x:.4g}<extra>next steps</extra>"))
    fig.add_trace(go.Scatter(x=taken, y=[v**2 for v in taken], mode="lines+markers",
                             name="steps taken",
                             line=dict(color=GREEN, width=1.5), marker=dict(color=GREEN, size=7),
                             hovertemplate="x %{x:.4g}<extra>steps taken</extra>"))
    fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers", name=f"x = {x:.4g}",
                             marker=dict(color=ACCENT, size=15, line=dict(width=2, color=FAINT)),
                             hovertemplate="x %{x:.4g}<br>x² %{y:.4g}<extra>current point</extra>"))
    fig.update_yaxes(range=[-0.08 * r * r, 1.05 * r * r])  # keep the tangent from stretching the
                                                           # view downwards
    fig.update_xaxes(range=[-r, r], zeroline=True)
    return _layout(fig, height, "x", "f(x) = x²")


def steps_chart(taken: list[float], preview: list[float], height: int = 420) -> go.Figure:
    """x against step number: the steps taken, solid, then the next steps, dotted."""
    k = len(taken) - 1
    fig = go.Figure()
    fig.add_hline(y=0, line=dict(color=FAINT, width=1), annotation_text="minimum",
                  annotation_position="top left")
    fig.add_trace(go.Scatter(x=list(range(k, k + len(preview))), y=preview, mode="lines+markers",
                             name="next steps",
                             line=dict(color=FAINT, dash="dot"),
                             marker=dict(symbol="circle-open", size=8),
                             hovertemplate="step %{x}: x = %{y:.4g}<extra></extra>"))
    fig.add_trace(go.Scatter(x=list(range(len(taken))), y=taken, mode="lines+markers",
                             name="steps taken", line=dict(color=GREEN), marker=dict(color=GREEN),
                             hovertemplate="step %{x}: x = %{y:.4g}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[k], y=[taken[-1]], mode="markers", name="current x",
                             showlegend=False,
                             marker=dict(color=ACCENT, size=13), hoverinfo="skip"))
    _whole_steps(fig, k + len(preview) - 1)
    return _layout(fig, height, "step", "x")


def speed_fit(time: list[float], speed: list[float],
              curve: tuple[list[float], list[float]] | None = None,
              preds: list[float] | None = None, best: tuple[list[float], list[float]] | None = None,
              height: int = 400) -> go.Figure:
    """The measured speeds, the fitted quadratic (t, y), each prediction's error and the best
    quadratic, if given."""
    fig = go.Figure()
    if best is not None:
        fig.add_trace(go.Scatter(x=best[0], y=best[1], mode="lines",
                                 name="best quadratic (least squares)",
                                 line=dict(color=FAINT, dash="dash"), hoverinfo="skip"))
    if preds is not None:
        seg_x = [v for t in time for v in (t, t, None)]
        seg_y = [v for p, s in zip(preds, speed, strict=True) for v in (p, s, None)]
        fig.add_trace(go.Scatter(x=seg_x, y=seg_y, mode="lines", name="error (prediction − speed)",
                                 line=dict(color=FAINT, width=1.5), hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=time, y=preds, mode="markers", name="predictions",
                                 marker=dict(color=ACCENT, size=8, symbol="diamond"),
                                 hovertemplate="time %{x}: predicted %{y:.4g}<extra></extra>"))
    if curve is not None:
        fig.add_trace(go.Scatter(x=curve[0], y=curve[1], mode="lines", name="a·t² + b·t + c",
                                 line=dict(color=ACCENT), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=time, y=speed, mode="markers", name="measured speed",
                             marker=dict(color=BLUE, size=9),
                             hovertemplate="time %{x}: speed %{y:.2f}<extra></extra>"))
    return _layout(fig, height, "time", "speed")


def loss_history(losses: list[float], height: int = 300) -> go.Figure:
    """The loss before each step and at the current parameters, on a log scale."""
    # a log axis has no place for 0 or inf
    shown = [v if math.isfinite(v) and v > 0 else None for v in losses]
    fig = go.Figure(go.Scatter(x=list(range(len(losses))), y=shown, mode="lines+markers",
                               name="loss", line=dict(color=ACCENT), marker=dict(color=ACCENT),
                               hovertemplate="after %{x} steps: loss %{y:.5g}<extra></extra>"))
    fig.update_yaxes(type="log", dtick=1, exponentformat="power")  # one tick per power of ten
    _whole_steps(fig, len(losses) - 1)
    return _layout(fig, height, "steps taken", "loss (MSE, log scale)")
