"""Gradients with autograd: f(x) = x², stepping downhill with a learning rate."""

from __future__ import annotations

import torch


def f(x: torch.Tensor) -> torch.Tensor:
    """The chapter's example function, x²."""
    return x**2


def value_and_grad(x: float) -> tuple[float, float]:
    """f(x) and df/dx at x, computed by autograd's backward()."""
    xt = torch.tensor(float(x)).requires_grad_()
    y = f(xt)
    y.backward()  # fills xt.grad with dy/dx
    return y.item(), xt.grad.item()


def vector_grad(values: list[float]) -> torch.Tensor:
    """Gradient of sum(x²) for a vector x: one partial derivative per element, 2x."""
    xt = torch.tensor(values, dtype=torch.float32).requires_grad_()
    f(xt).sum().backward()
    return xt.grad


def sgd_step(x: float, learning_rate: float) -> float:
    """One step x ← x − lr · f'(x), with the gradient from autograd."""
    _, grad = value_and_grad(x)
    return x - learning_rate * grad


def trajectory(x0: float, learning_rate: float, steps: int) -> list[float]:
    """x after 0, 1, …, steps gradient steps (stops early once x is no longer finite)."""
    xs = [float(x0)]
    for _ in range(steps):
        if abs(xs[-1]) > 1e30:
            break
        xs.append(sgd_step(xs[-1], learning_rate))
    return xs


def regime(learning_rate: float) -> str:
    """What repeated steps on x² do: each step multiplies x by (1 − 2·lr)."""
    if learning_rate <= 0:
        return "stuck or climbing: a learning rate must be positive"
    if learning_rate < 0.5:
        return "shrinks steadily towards the minimum"
    if learning_rate == 0.5:
        return "jumps straight to the minimum in one step"
    if learning_rate < 1:
        return "oscillates from side to side while closing in"
    if learning_rate == 1:
        return "bounces between x and −x forever"
    return "diverges: every step lands farther from the minimum"


def tangent(x: float) -> tuple[float, float]:
    """Slope and intercept of the tangent line to x² at x."""
    y, slope = value_and_grad(x)
    return slope, y - slope * x
