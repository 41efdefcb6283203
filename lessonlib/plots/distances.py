"""Figures for distance metrics: error maps and how L1 and RMSE weigh one big error against many
small ones."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

CLEAR = "rgba(128,128,128,0)"  # zero shows the page background, light or dark
HEAT = [[0.0, CLEAR], [0.25, "#fdd49e"], [0.6, "#ef6548"], [1.0, "#7f0000"]]
SIGNED = [[0.0, "#053061"], [0.25, "#4393c3"], [0.5, CLEAR], [0.75, "#ef6548"], [1.0, "#7f0000"]]
FRAME = dict(showticklabels=False, ticks="", showgrid=False, zeroline=False, constrain="domain",
             showline=True, mirror=True, linecolor="rgba(128,128,128,0.5)")


def magnitude(image: torch.Tensor, title: str = "", zmax: float = 1.0,
              height: int = 300) -> go.Figure:
    """A map of non-negative values (|a − b|, (a − b)², edge strength) from transparent zero to dark
    red."""
    fig = go.Figure(go.Heatmap(z=image.detach().numpy(), colorscale=HEAT, zmin=0, zmax=zmax,
                               colorbar=dict(thickness=10, len=0.8),
                               hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>"))
    fig.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=40, b=10))
    fig.update_xaxes(**FRAME)
    fig.update_yaxes(**FRAME, autorange="reversed", scaleanchor="x")
    return fig


def edge_maps(edges_a: torch.Tensor, edges_b: torch.Tensor, height: int = 260) -> list[go.Figure]:
    """Three maps: the edges of a, of b, and how far apart they are, |edges(a) − edges(b)|."""
    return [magnitude(im, title, height=height) for im, title in
            ((edges_a, "edges(a)"), (edges_b, "edges(b)"),
             ((edges_a - edges_b).abs(), "|edges(a) − edges(b)|"))]


def error_maps(maps: dict[str, torch.Tensor], signed: tuple[str, ...] = ("a − b",),
               height: int = 330) -> go.Figure:
    """Side-by-side maps of a − b (signed, blue/red) and of non-negative errors, each with a scale
    beneath."""
    fig = make_subplots(rows=1, cols=len(maps), subplot_titles=list(maps), horizontal_spacing=0.04)
    for k, (name, z) in enumerate(maps.items(), start=1):
        domain = fig.layout[f"xaxis{k if k > 1 else ''}"].domain
        bar = dict(orientation="h", x=(domain[0] + domain[1]) / 2, xanchor="center",
                   y=-0.02, yanchor="top", len=(domain[1] - domain[0]) * 0.9, thickness=10)
        scale, low = (SIGNED, -1) if name in signed else (HEAT, 0)
        fig.add_trace(go.Heatmap(z=z.detach().numpy(), colorscale=scale, zmin=low,
                                 zmax=1, colorbar=bar,
                                 hovertemplate=f"{name}<br>row %{{y}}, col %{{x}}: "
                                 f"%{{z:.3f}}<extra></extra>"),
                      row=1, col=k)
        fig.update_layout(
            {f"yaxis{k if k > 1 else ''}": dict(scaleanchor=f"x{k if k > 1 else ''}")})
    fig.update_xaxes(**FRAME)
    fig.update_yaxes(**FRAME, autorange="reversed")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=50))
    return fig


def spread_curve(table: pd.DataFrame, current: int, height: int = 340) -> go.Figure:
    """L1 and RMSE against how many pixels share the same total error, with the chosen count
    marked."""
    fig = go.Figure()
    for column, dash in (("L1", "solid"), ("RMSE", "dot")):
        fig.add_trace(go.Scatter(x=table.index, y=table[column], mode="lines", name=column,
                                 line=dict(dash=dash),
                                 hovertemplate=f"{column} %{{y:.4f}} with %{{x}} wrong "
                                 f"pixels<extra></extra>"))
    fig.add_vline(x=current, line=dict(color="grey", dash="dash"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=20, b=10),
                      legend=dict(orientation="h", y=1.1),
                      xaxis_title=f"{table.index.name} (same total error)", yaxis_title="distance")
    fig.update_yaxes(rangemode="tozero")
    return fig
