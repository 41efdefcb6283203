"""What a first visitor to The MNIST loss and Mini-batches waits for: each result the two pages
share between visitors (ui.loss_shared), computed cold in a fresh process, then once more warm, on
the bundled digits (3 vs 7).

Times are CPU seconds of this process (time.process_time, torch on one thread as in the app), so
other programs on the machine barely move them; wall seconds are printed too. Figures include
plotly.io.to_json, what st.plotly_chart sends. Last line: `first_visit_cpu_s=X.XX warm_cpu_s=Y.YY`,
the sums over every shared result.

    python bench/loss_pages.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessonlib import batch_noise, minibatch, nudge, sigmoid_loss  # noqa: E402
from lessonlib.data import load_bundled  # noqa: E402
from lessonlib.linear1_fit import RECIPE, fit_linear1  # noqa: E402
from lessonlib.models import make_model  # noqa: E402
from lessonlib.plots import batches as bplots  # noqa: E402
from lessonlib.plots import loss as lplots  # noqa: E402

PAIR = (3, 7)


def timed(name: str, work: Callable[[], object]) -> tuple[object, float]:
    """Run `work`, send any figures through to_json, print CPU and wall time;
    (result, CPU seconds)."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    for fig in result if isinstance(result, tuple) else (result,):
        if isinstance(fig, go.Figure):
            pio.to_json(fig)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{name:<34} {cpu * 1000:8.0f} ms CPU {wall * 1000:8.0f} ms wall")
    return result, cpu


def pass_over(data) -> float:
    """Every result the two pages share, in the order a visitor meets them; total CPU seconds."""
    total = 0.0
    fit, t = timed("linear1, the book's recipe", lambda: fit_linear1(data, PAIR))
    total += t
    z, y = fit.outputs(fit.valid.x), fit.valid.y[:, 0]
    x, yt = fit.train.x, fit.train.y
    steps = [
        ("two histograms",
         lambda: (lplots.output_histograms(z[y == 1], z[y == 0], PAIR, 0.0, False),
                  lplots.output_histograms(z[y == 1].sigmoid(), z[y == 0].sigmoid(), PAIR, 0.5,
                                           True))),
        ("ink map", lambda: lplots.pixel_map(x.mean(0).view(28, 28), 14, 14)),
        ("one nudge", lambda: nudge.nudge(fit.weights, fit.bias, x, yt, 406, 0.001)),
        ("784 nudges (movers)", lambda: nudge.weights_that_move(fit.weights, fit.bias,
                                                                x, yt, 0.001)),
        ("sweep of one weight",
         lambda: lplots.nudge_curves(nudge.sweep(fit.weights, fit.bias, x, yt, 406, 10.0),
                                      0.0, 0.001, 406)),
        ("sigmoid curves", lambda: (lplots.sigmoid_curve(t := sigmoid_loss.curves(), 2.0),
                                    lplots.one_image_loss(t, 2.0))),
        ("DataLoader batches",
         lambda: (bplots.batch_map(b := minibatch.batches(x, yt, 256, True, 42), PAIR),
                  bplots.batch_counts(b, PAIR))),
        ("gradient noise, 11 batch sizes", lambda: bplots.noise_figure(batch_noise.gradient_noise(
            batch_noise.per_example_gradients(m.weights, m.bias, x, yt),
            batch_noise.batch_sizes(len(x))))),
        ("epoch cost, 11 batch sizes", lambda: bplots.cost_figure(batch_noise.epoch_cost(
            m.weights, m.bias, x, yt, batch_noise.batch_sizes(len(x))))),
    ]
    m = make_model("linear1", seed=RECIPE.seed)
    for name, work in steps:
        total += timed(name, work)[1]
    return total


def main() -> None:
    torch.set_num_threads(1)
    data = load_bundled()
    print("cold (first visit in a fresh process):")
    cold = pass_over(data)
    print("warm (the same work again in this process):")
    warm = pass_over(data)
    print(f"first_visit_cpu_s={cold:.2f} warm_cpu_s={warm:.2f}")


if __name__ == "__main__":
    main()
