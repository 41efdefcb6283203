"""Digits as pictures: one image for st.image, several in a captioned grid."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

GREYS = [[0.0, "white"], [1.0, "black"]]  # ink is dark, as on paper and in the book's figures


def to_uint8(image: torch.Tensor, scale: int = 8) -> np.ndarray:
    """A (28, 28) image in [0, 1] as a (28·scale, 28·scale) uint8 array, dark ink on white, for
    st.image."""
    a = (1 - image.detach().clamp(0, 1)).mul(255).round().to(torch.uint8).numpy()
    # nearest-neighbour upscale keeps pixels sharp
    return np.kron(a, np.ones((scale, scale), dtype=np.uint8))


def gallery(images: torch.Tensor, titles: list[str], columns: int = 8,
            size: int = 110) -> go.Figure:
    """Several (28, 28) images in a grid with a caption each: (N, 28, 28)."""
    n = max(len(images), 1)
    rows = (n + columns - 1) // columns
    lines = max((t.count("<br>") + 1 for t in titles), default=1)
    title_px = 15 * lines + 8  # room for each caption above its image
    plot_px = rows * (size + title_px) - title_px
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.02,
                        vertical_spacing=title_px / plot_px if rows > 1 else 0.0)
    for i, im in enumerate(images):
        fig.add_trace(go.Heatmap(z=im.detach().numpy(), colorscale=GREYS, zmin=0, zmax=1,
                                 showscale=False,
                                 hovertemplate="row %{y}, col %{x}: %{z:.2f}<extra></extra>"),
                      row=i // columns + 1, col=i % columns + 1)
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", constrain="domain")
    for k in range(1, rows * columns + 1):  # keep every cell square: each y axis follows its own x
                                            # axis
        fig.update_layout(
            {f"yaxis{k if k > 1 else ''}": dict(scaleanchor=f"x{k if k > 1 else ''}")})
    fig.update_annotations(font_size=12)
    fig.update_layout(height=plot_px + title_px + 10, margin=dict(l=0, r=0, t=title_px, b=10))
    return fig
