"""Pictures for the "your digit" page: each preprocessing step as a small image, distances to every
mean."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import torch
from PIL import Image

NEAREST = "#d9480f"  # the app's primary colour marks the winner
OTHERS = "#8c8c8c"  # a grey that reads on light and dark backgrounds
FRAME = 2  # pixels of grey outline around each small picture


def picture(image: np.ndarray, size: int = 120) -> np.ndarray:
    """An (H, W) float image in [0, 1] (1 = white), framed in grey, in a size×size RGBA box; the
    rest transparent.

    The aspect is kept; small images are enlarged by whole pixels so they stay crisp, large ones
    averaged down."""
    a = (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
    h, w = a.shape
    inner = size - 2 * FRAME
    if max(h, w) > inner:
        f = inner / max(h, w)
        a = np.asarray(Image.fromarray(a).resize((max(1, round(w * f)), max(1, round(h * f))),
                                                 Image.Resampling.BOX))
    else:
        k = inner // max(h, w)
        a = np.kron(a, np.ones((k, k), dtype=np.uint8))  # nearest-neighbour upscale shows the
                                                         # pixels
    framed = np.pad(a, FRAME, constant_values=128)  # a grey outline shows where the image ends
    box = np.zeros((size, size, 4), np.uint8)  # (size, size, RGBA), transparent
    top, left = (size - framed.shape[0]) // 2, (size - framed.shape[1]) // 2
    box[top : top + framed.shape[0], left : left + framed.shape[1], :3] = framed[..., None]
    box[top : top + framed.shape[0], left : left + framed.shape[1], 3] = 255
    return box


def model_input(image: torch.Tensor, height: int = 330) -> go.Figure:
    """The (28, 28) input as MNIST stores it, 1 = white ink on 0 = black; hovering shows each
    value."""
    fig = go.Figure(go.Heatmap(z=image.detach().numpy(),
                               colorscale=[[0.0, "black"], [1.0, "white"]], zmin=0, zmax=1,
                               hovertemplate="row %{y}, col %{x}: %{z:.2f}<extra></extra>",
                               showscale=False))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10),
                      title="What the models see: 28×28 values from 0 to 1")
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="",
                     constrain="domain")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="",
                     autorange="reversed", scaleanchor="x", constrain="domain")
    return fig


def distance_bars(distances: torch.Tensor, digits: list[int], metric: str = "L1",
                  height: int = 300) -> go.Figure:
    """One bar per digit: the distance of the user's digit to that digit's mean; the shortest bar
    wins."""
    d = distances.detach().numpy()
    best = int(d.argmin())
    colours = [NEAREST if i == best else OTHERS for i in range(len(d))]
    fig = go.Figure(go.Bar(x=[str(k) for k in digits], y=d, marker_color=colours,
                           text=[f"{v:.3f}" for v in d],
                           textposition="outside",
                           hovertemplate=f"mean {{x}}: {metric} %{{y:.4f}}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      title=f"{metric} distance to each mean digit (shorter is more alike)")
    fig.update_xaxes(type="category", title="mean image of digit")
    fig.update_yaxes(title=metric, range=[0, float(d.max()) * 1.18])
    return fig


def probability_bar(probability: float, digits: tuple[int, int], height: int = 110) -> go.Figure:
    """A single bar split at the model's probability: the first digit's share against the
    second's."""
    a, b = digits
    fig = go.Figure()
    for name, share, colour in ((f"{a}", probability, NEAREST), (f"{b}", 1 - probability, OTHERS)):
        fig.add_trace(go.Bar(y=[""], x=[share], orientation="h", name=name, marker_color=colour,
                             text=f"{name}: {share:.0%}", textposition="inside",
                             insidetextanchor="middle",
                             hovertemplate=f"P({name}) = {share:.1%}<extra></extra>"))
    fig.update_layout(barmode="stack", height=height, margin=dict(l=10, r=10, t=10, b=10),
                      showlegend=False)
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    return fig


def probability_bars(probabilities: torch.Tensor, digits: tuple[int, ...], height: int = 260,
                     title: str = "Your trained model's probabilities") -> go.Figure:
    """One bar per digit: a model's softmax probability for each; the most probable is
    highlighted."""
    p = probabilities.detach().numpy()
    best = int(p.argmax())
    fig = go.Figure(go.Bar(x=[str(k) for k in digits], y=p, text=[f"{v:.0%}" for v in p],
                           textposition="outside",
                           marker_color=[NEAREST if i == best else OTHERS for i in range(len(p))],
                           hovertemplate="P(%{x}) = %{y:.1%}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), title=title)
    fig.update_xaxes(type="category", title="digit")
    fig.update_yaxes(range=[0, 1.15], tickformat=".0%")
    return fig
