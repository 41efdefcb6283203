"""The three ways of training, drawn: validation accuracy after each epoch, one line a way."""

from __future__ import annotations

import plotly.graph_objects as go

from lessonlib.three_ways import WayResult

STYLES = {  # way -> (line dash, marker, width): told apart by shape as well as colour, even where
            # lines coincide
    "BasicOptim": ("solid", "circle", 6),
    "torch.optim.SGD": ("dash", "x", 3),
    "Learner": ("dot", "diamond-open", 1.5),
}


def accuracy_by_epoch(results: dict[str, WayResult]) -> go.Figure:
    """Validation accuracy after each epoch for every way; identical runs draw one line over
    another."""
    fig, epochs = go.Figure(), max(len(r.rows) for r in results.values())
    for way, r in results.items():
        dash, marker, width = STYLES.get(way, ("solid", "circle", 2))
        fig.add_scatter(x=list(range(1, len(r.rows) + 1)), y=[row[2] for row in r.rows], name=way,
                        mode="lines+markers",
                        line=dict(dash=dash, width=width),
                        marker=dict(symbol=marker, size=7 + width))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10), hovermode="x unified",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
                      xaxis=dict(title=dict(text="epoch"), dtick=max(1, epochs // 10)),
                      yaxis=dict(title=dict(text="validation accuracy"), tickformat=".1%"))
    return fig
