"""The seven-step quadratic fit to the roller coaster speeds, against hand-derived MSE gradients and
torch.optim."""

import math

import numpy as np
import pytest
import torch

from lessonlib import quadratic
from lessonlib.plots import gradient as plots
from lessonlib.quadratic import SpeedFit


@pytest.fixture
def fit():
    return SpeedFit(*quadratic.speed_data())


def _hand_gradient(params, t, s):
    """d/da mean((a t² + b t + c − s)²) = mean(2 r t²), d/db = mean(2 r t), d/dc = mean(2 r), with
    r = pred − s."""
    a, b, c = params
    r = a * t**2 + b * t + c - s
    return np.array([np.mean(2 * r * t**2), np.mean(2 * r * t), np.mean(2 * r)]), np.mean(r**2)


def test_speed_data_is_the_books_recipe():
    time, speed = quadratic.speed_data()
    assert time.tolist() == list(range(20))
    noise = speed - (0.75 * (time - 9.5) ** 2 + 1)  # what torch.randn(20) * 3 added
    assert abs(noise.mean()) < 3 and 1.5 < noise.std() < 4.5
    assert torch.equal(speed, quadratic.speed_data()[1])  # same seed, same data


def test_quadratic_and_mse_by_hand():
    t = torch.tensor([0.0, 1.0, 2.0, 3.0])
    assert quadratic.quadratic(t, torch.tensor([2.0, -1.0, 0.5])).tolist() == [0.5, 1.5, 6.5, 15.5]
    assert (quadratic.mse(torch.tensor([1.0, 2.0, 4.0]), torch.tensor([1.0, 0.0, 1.0])).item()
            == pytest.approx(13 / 3))


def test_steps_one_to_five_match_a_hand_computed_gradient(fit):
    for _ in range(4):  # init, predict, loss, gradient
        fit.next_step()
    p0 = fit.params.detach().double().numpy().copy()
    t, s = fit.time.double().numpy(), fit.speed.double().numpy()
    grad, loss = _hand_gradient(p0, t, s)
    assert fit.losses == [pytest.approx(loss, rel=1e-5)]
    np.testing.assert_allclose(fit.params.grad.numpy(), grad, rtol=1e-4)
    fit.next_step()  # step
    np.testing.assert_allclose(fit.params.detach().numpy(), p0 - 1e-5 * grad, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(fit.previous.numpy(), p0, rtol=0)
    assert fit.params.grad is None  # reset, so the next backward() doesn't add on


def test_seven_steps_reduce_the_loss(fit):
    stages = [fit.next_step() for _ in range(7)]
    assert stages == [1, 2, 3, 4, 5, 6, 7]
    history = fit.loss_history()
    assert len(history) == 3  # before step 5, before the loop's step, now
    assert history[-1] < history[1] < history[0]
    assert fit.next_step() == 7  # nothing after "stop"
    fit.keep_going(10)
    history = fit.loss_history()
    assert fit.stage == 6 and len(history) == 13
    # every step helps at the book's lr 1e-5
    assert all(b < a for a, b in zip(history, history[1:], strict=False))


@pytest.mark.parametrize("steps", [1, 10])
def test_steps_match_torch_optim_sgd(fit, steps):
    fit.next_step()  # init
    p = fit.params.detach().clone().requires_grad_()
    opt = torch.optim.SGD([p], lr=fit.learning_rate)
    fit.keep_going(steps)  # steps 2–5 once, then `steps` more iterations
    assert len(fit.losses) == steps + 1
    for _ in range(steps + 1):
        opt.zero_grad()
        quadratic.mse(quadratic.quadratic(fit.time, p), fit.speed).backward()
        opt.step()
    torch.testing.assert_close(fit.params.detach(), p.detach(), rtol=1e-5, atol=1e-6)


def test_keep_going_from_scratch_runs_steps_one_to_five_first(fit):
    fit.keep_going(3)
    assert fit.stage == 6 and len(fit.losses) == 4


def _stability_limit(fit):
    """MSE of a linear model has Hessian 2/n·XᵀX; plain GD is stable while lr < 2 / its largest
    eigenvalue."""
    t = fit.time.double().numpy()
    x = np.stack([t**2, t, np.ones_like(t)], axis=1)
    return 2 / np.linalg.eigvalsh(2 * x.T @ x / len(t)).max()


def test_learning_rate_below_the_stability_limit_converges(fit):
    fit.learning_rate = 0.9 * _stability_limit(fit)
    fit.keep_going(300)
    assert not fit.diverged() and fit.loss_history()[-1] < fit.loss_history()[0] / 10


def test_learning_rate_above_the_stability_limit_diverges_gracefully(fit):
    fit.learning_rate = 1.1 * _stability_limit(fit)
    assert fit.learning_rate < 1e-4  # so the page's largest choice, 1e-4, diverges
    fit.keep_going(1000)
    assert fit.diverged() and fit.stop()
    assert len(fit.losses) < 1000  # the loop stopped by itself
    assert all(math.isfinite(v) for v in fit.loss_history())
    plots.loss_history(fit.loss_history())
    plots.speed_fit(fit.time.tolist(), fit.speed.tolist(), [v.tolist() for v in fit.curve()])


def test_book_learning_rate_is_stable(fit):
    assert 1e-5 < _stability_limit(fit) < 1e-4


def test_least_squares_matches_numpy_polyfit(fit):
    best = quadratic.least_squares(fit.time, fit.speed)
    # highest power first
    reference = np.polyfit(fit.time.double().numpy(), fit.speed.double().numpy(), 2)
    np.testing.assert_allclose(best.numpy(), reference, rtol=1e-4, atol=1e-4)


def test_best_curve_is_the_least_squares_fit(fit):
    fit.next_step()
    t, y = fit.best_curve(points=20)
    a, b, c = np.polyfit(fit.time.double().numpy(), fit.speed.double().numpy(), 2)
    np.testing.assert_allclose(y.numpy(), a * t.numpy() ** 2 + b * t.numpy() + c,
                               rtol=1e-4, atol=1e-3)


def test_best_loss_is_the_polyfit_residual(fit):
    t, speed = fit.time.double().numpy(), fit.speed.double().numpy()
    residual = np.polyval(np.polyfit(t, speed, 2), t) - speed
    assert abs(fit.best_loss() - (residual**2).mean()) < 1e-3 * (residual**2).mean()


def test_stop_rule(fit):
    assert not fit.stop()  # nothing to compare yet
    fit.keep_going(1)
    assert not fit.stop(tolerance=1e-3)  # the first step cuts the loss by far more than 0.1 %
    fit.keep_going(40)
    assert fit.stop(tolerance=1e-3) and fit.improvement() < 1e-3


def test_speed_fit_figure_draws_errors(fit):
    fit.next_step()
    preds = fit.predict().detach().tolist()
    fig = plots.speed_fit(fit.time.tolist(), fit.speed.tolist(), [v.tolist() for v in fit.curve()],
                          preds)
    segments = fig.data[0]
    assert list(segments.y[:3]) == [preds[0], fit.speed[0].item(), None]
