"""Autograd on x² against calculus, and gradient steps against their closed form
x_n = x0·(1 − 2·lr)^n."""

import math

import pytest
import torch

from lessonlib import gradients
from lessonlib.plots import gradient as plots

POINTS = [-1e6, -123.456, -10.0, -3.0, -1.0, -0.5, -1e-3, 0.0, 1e-8, 0.25, 1.0, 2.5, 3.0,
          7.77, 10.0, 1e5]


@pytest.mark.parametrize("x", POINTS + torch.linspace(-50, 50, 41).tolist())
def test_autograd_slope_is_2x(x):
    y, grad = gradients.value_and_grad(x)
    assert y == pytest.approx(x * x, rel=1e-12, abs=1e-300)
    assert grad == pytest.approx(2 * x, rel=1e-12, abs=1e-300)


def test_slope_matches_a_finite_difference():
    # a check that doesn't know the answer 2x: central difference (x+h)² − (x−h)² over 2h is exact
    # for x²
    for x in POINTS[2:-1]:
        h = 1e-3
        numeric = ((x + h) ** 2 - (x - h) ** 2) / (2 * h)
        assert gradients.value_and_grad(x)[1] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_vector_grad_is_the_books_example():
    grad = gradients.vector_grad([3.0, 4.0, 10.0])
    assert torch.equal(grad, torch.tensor([6.0, 8.0, 20.0]))


def test_vector_grad_is_2x_elementwise():
    x = torch.randn(50, generator=torch.Generator().manual_seed(0)) * 20
    torch.testing.assert_close(gradients.vector_grad(x.tolist()), 2 * x, rtol=1e-6, atol=1e-6)


def test_tangent_touches_the_curve_with_slope_2x():
    for x in (-4.0, -0.5, 0.0, 1.5, 3.0):
        slope, intercept = gradients.tangent(x)
        assert slope == pytest.approx(2 * x)
        assert slope * x + intercept == pytest.approx(x * x)  # the line passes through (x, x²)
        assert intercept == pytest.approx(-x * x)  # and crosses the y-axis at −x²


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.25, 0.3, 0.49, 0.5, 0.7, 0.99, 1.0, 1.2, 1.5])
@pytest.mark.parametrize("x0", [3.0, -7.5, 0.1])
def test_trajectory_matches_closed_form(lr, x0):
    xs = gradients.trajectory(x0, lr, 40)
    assert len(xs) == 41
    for n, x in enumerate(xs):
        assert x == pytest.approx(x0 * (1 - 2 * lr) ** n, rel=1e-9, abs=1e-12)


def test_one_step_is_x_minus_lr_times_2x():
    assert gradients.sgd_step(3.0, 0.1) == pytest.approx(3.0 - 0.1 * 6.0, rel=1e-15)
    assert gradients.step_factor(0.1) == pytest.approx(0.8)
    assert gradients.step_factor(1.5) == pytest.approx(-2.0)


@pytest.mark.parametrize("lr, name", [
    (0.01, "shrinks"), (0.3, "shrinks"), (0.4999, "shrinks"), (0.5, "one step"),
    (0.5001, "oscillates"),
    (0.8, "oscillates"), (0.9999, "oscillates"), (1.0, "bounces"), (1.0001, "diverges"),
    (1.5, "diverges"), (0.0, "invalid"), (-0.1, "invalid"), (float("nan"), "invalid"),
])
def test_regime_boundaries(lr, name):
    assert gradients.regime(lr).name == name


def test_regime_tolerates_slider_rounding():
    # a slider stepping by 0.01 may land on 0.5000000000000002 rather than 0.5
    assert sum([0.01] * 50) != 0.5
    assert gradients.regime(sum([0.01] * 50)).name == "one step"
    assert gradients.regime(sum([0.01] * 100)).name == "bounces"


@pytest.mark.parametrize("lr", [0.05, 0.2, 0.45, 0.55, 0.75, 0.95, 1.0, 1.05, 1.4])
def test_regime_names_what_the_steps_really_do(lr):
    xs = gradients.trajectory(2.0, lr, 12)
    sizes = [abs(x) for x in xs]
    flips = all(a * b < 0 for a, b in zip(xs, xs[1:], strict=False))
    same_side = all(a * b > 0 for a, b in zip(xs, xs[1:], strict=False))
    shrinking = all(b < a for a, b in zip(sizes, sizes[1:], strict=False))
    growing = all(b > a for a, b in zip(sizes, sizes[1:], strict=False))
    expected = {"shrinks": same_side and shrinking, "oscillates": flips and shrinking,
                "bounces": flips and all(s == pytest.approx(2.0) for s in sizes),
                "diverges": flips and growing}
    assert expected[gradients.regime(lr).name]


def test_half_lands_on_the_minimum_in_one_step():
    assert gradients.trajectory(3.0, 0.5, 3) == [3.0, 0.0, 0.0, 0.0]


def test_divergence_stops_before_overflow():
    xs = gradients.trajectory(10.0, 1.5, 500)
    assert all(math.isfinite(x) for x in xs)
    assert len(xs) < 501 and abs(xs[-1]) > gradients.LIMIT  # stopped early, right after passing the
                                                            # limit
    assert not gradients.diverged(xs[-2]) and gradients.diverged(xs[-1])
    for bad in (float("inf"), float("-inf"), float("nan"), 1e31):
        assert gradients.diverged(bad)
        assert len(gradients.trajectory(bad, 0.1, 5)) == 1  # no step taken from there


def test_parse_numbers():
    assert gradients.parse_numbers("3, 4, 10") == [3.0, 4.0, 10.0]
    assert gradients.parse_numbers(" -1.5  2e3,0 ") == [-1.5, 2000.0, 0.0]
    for bad in ("", "  , ", "3, four", "nan", "inf, 1", "1e300", ",".join(["1"] * 101)):
        with pytest.raises(ValueError):
            gradients.parse_numbers(bad)


def test_figures_build_for_every_regime():
    for lr in (0.1, 0.5, 0.8, 1.0, 1.5):
        walk = gradients.trajectory(3.0, lr, 3)
        preview = gradients.trajectory(walk[-1], lr, 50)
        fig = plots.parabola(walk, preview, *gradients.tangent(walk[-1]))
        lo, hi = fig.layout.xaxis.range
        assert lo <= min(walk + preview) and max(walk + preview) <= hi  # every point is in view
        assert len(plots.steps_chart(walk, preview).data) == 3
