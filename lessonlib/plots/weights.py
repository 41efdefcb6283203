"""The weights a model gives each pixel, drawn as a picture: red where a weight is positive, blue
where negative.

The picture is sent as a small PNG that the browser scales up with crisp pixels; a plotly heatmap of
the same numbers costs the browser far more to redraw, and the training page redraws it several
times a second.
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import plotly.graph_objects as go
import torch
from PIL import Image
from plotly.colors import sample_colorscale, unlabel_rgb

COLORSCALE = "RdBu_r"
LUT = np.array([unlabel_rgb(c)
                for c in sample_colorscale(COLORSCALE, list(np.linspace(0, 1, 256)))],
               dtype=np.uint8)  # (256, 3): −lim … +lim


def tile(images: torch.Tensor, columns: int) -> np.ndarray:
    """Images in a grid, each scaled to [-1, 1], NaN between: (U, 28, 28) -> (rows·29−1,
    columns·29−1)."""
    u = len(images)
    rows = math.ceil(u / columns)
    scale = images.flatten(1).abs().amax(1).clamp_min(1e-12)  # (U,) each unit's largest |weight|
    scaled = (images / scale[:, None, None]).float().numpy()
    grid = np.full((rows * 29 - 1, columns * 29 - 1), np.nan, dtype=np.float32)
    for i in range(u):
        r, c = divmod(i, columns)
        grid[r * 29 : r * 29 + 28, c * 29 : c * 29 + 28] = scaled[i]
    return grid


def colour(z: np.ndarray, lim: float) -> np.ndarray:
    """Values in [−lim, lim] through the colour scale, NaN transparent: (H, W) -> (H, W, 4) uint8
    RGBA."""
    index = np.clip(np.rint((np.nan_to_num(z) / lim + 1) * 127.5), 0, 255).astype(np.uint8)
    alpha = np.where(np.isnan(z), 0, 255).astype(np.uint8)[..., None]  # (H, W) -> (H, W, 1)
    return np.concatenate([LUT[index], alpha], axis=-1)


def png_source(rgba: np.ndarray) -> str:
    """An RGBA array as a PNG data URI, for a plotly image trace."""
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _tile_labels(labels: list[str], columns: int) -> list[dict]:
    """A small label in the top-left corner of each tile of a grid made by `tile`."""
    return [dict(x=c * 29 - 0.5, y=r * 29 - 0.5, text=text, showarrow=False, xanchor="left",
                 yanchor="top", font=dict(size=11, color="#222"), bgcolor="rgba(255,255,255,0.7)")
            for text, (r, c) in zip(labels, (divmod(i, columns) for i in range(len(labels))),
                                    strict=False)]


def _scale_bar(lim: float) -> go.Scatter:
    """An invisible point that only carries the colour bar, ±lim."""
    return go.Scatter(x=[0], y=[0], mode="markers", hoverinfo="skip", showlegend=False,
                      marker=dict(size=0, opacity=0, color=[0], colorscale=COLORSCALE,
                                  cmin=-lim, cmax=lim, showscale=True, colorbar=dict(thickness=12)))


def weights_figure(weights: torch.Tensor, change: bool = False, height: int = 340,
                   labels: list[str] | None = None) -> go.Figure:
    """Pixel weights in red (+) and blue (−): one 28×28 map for a linear model on two digits, a grid
    of units for simple_net or of one map per digit (named by `labels`) for a linear model on all
    digits."""
    what = "change of the weight" if change else "weight"
    if len(weights) == 1:
        z = weights[0].float().numpy()
        lim = float(np.abs(z).max()) or 1.0
        text = np.char.mod("%.3f", z).tolist()  # 784 values to hover over
        traces = [go.Image(source=png_source(colour(z, lim)), hovertext=text,
                           hovertemplate="row %{y}, col %{x}: %{hovertext}<extra></extra>"),
                  _scale_bar(lim)]
        title, annotations = f"{what} of each pixel", []
    else:
        columns = 5 if labels else min(10, math.ceil(math.sqrt(len(weights) * 2)))
        traces = [go.Image(source=png_source(colour(tile(weights, columns), 1.0)),
                           hoverinfo="skip")]
        title = (f"{what}s of each digit's output, each on its own scale" if labels else
                 f"first-layer {what}s of {len(weights)} units, each on its own scale")
        annotations = _tile_labels(labels or [], columns)
    axis = dict(visible=False, constrain="domain")
    return go.Figure(traces, dict(height=height, margin=dict(l=10, r=10, t=40, b=10),
                                  title=dict(text=title),
                                  xaxis=axis,
                                  yaxis=dict(axis, autorange="reversed", scaleanchor="x"),
                                  annotations=annotations, plot_bgcolor="rgba(0,0,0,0)"))
