"""Gradients with autograd: f(x) = x², its slope, and stepping downhill with a learning rate."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

LIMIT = 1e30  # |x| past this counts as diverged: x² is still finite in float64, but not for long


def f(x: torch.Tensor) -> torch.Tensor:
    """The chapter's example function, x²."""
    return x**2


def value_and_grad(x: float) -> tuple[float, float]:
    """f(x) and df/dx at x, computed by autograd's backward()."""
    # float64: a walk can get huge
    xt = torch.tensor(float(x), dtype=torch.float64).requires_grad_()
    yt = f(xt)
    yt.backward()  # fills xt.grad with dy/dx
    return yt.item(), xt.grad.item()


def vector_grad(values: list[float]) -> torch.Tensor:
    """Gradient of sum(x²) for a vector x: one partial derivative per element, 2x."""
    xt = torch.tensor(values, dtype=torch.float32).requires_grad_()  # (n,)
    f(xt).sum().backward()  # sum makes one number (a rank-0 tensor) to call backward() on
    return xt.grad  # (n,)


def parse_numbers(text: str) -> list[float]:
    """Comma- or space-separated numbers from a text box; ValueError with a readable message
    otherwise."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts:
        raise ValueError("Type at least one number, e.g. 3, 4, 10.")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"Could not read {text!r} as numbers: separate them by commas, e.g. 3, 4, "
                         f"10.") from None
    if len(values) > 100:
        raise ValueError(f"That is {len(values)} numbers; 100 at most, please.")
    if not all(math.isfinite(v) and abs(v) <= 1e15 for v in values):
        raise ValueError("Use finite numbers no bigger than 10¹⁵ in size.")
    return values


def tangent(x: float) -> tuple[float, float]:
    """Slope and intercept of the tangent line to x² at x."""
    y, slope = value_and_grad(x)
    return slope, y - slope * x


def step_factor(learning_rate: float) -> float:
    """What one step multiplies x by on x²: x − lr·2x = (1 − 2·lr)·x."""
    return 1 - 2 * learning_rate


def sgd_step(x: float, learning_rate: float) -> float:
    """One step x ← x − lr · f'(x), with the gradient from autograd."""
    _, grad = value_and_grad(x)
    return x - learning_rate * grad


def diverged(x: float, limit: float = LIMIT) -> bool:
    """True once x is too big to keep stepping (or is already inf/nan)."""
    return not math.isfinite(x) or abs(x) > limit


def trajectory(x0: float, learning_rate: float, steps: int, limit: float = LIMIT) -> list[float]:
    """x after 0, 1, …, steps gradient steps; stops early once |x| passes limit (diverged)."""
    xs = [float(x0)]
    for _ in range(steps):
        if diverged(xs[-1], limit):
            break
        xs.append(sgd_step(xs[-1], learning_rate))
    return xs


@dataclass(frozen=True)
class Regime:
    """What repeated steps on x² do at one learning rate."""

    name: str  # "invalid" | "shrinks" | "one step" | "oscillates" | "bounces" | "diverges"
    text: str


def regime(learning_rate: float, tolerance: float = 1e-9) -> Regime:
    """Name the behaviour of x ← (1 − 2·lr)·x; lr within tolerance of 0.5 or 1 counts as exactly
    that."""
    lr = learning_rate
    if not lr > 0:
        return Regime("invalid",
                      "a learning rate must be positive: zero never moves, negative climbs uphill")
    if abs(lr - 0.5) <= tolerance:
        return Regime("one step", "lands exactly on the minimum in one step (factor 0)")
    if lr < 0.5:
        return Regime("shrinks",
                      "shrinks steadily towards the minimum, never crossing it (0 < factor < 1)")
    if lr < 1 - tolerance:
        return Regime("oscillates",
                      "jumps across the minimum every step, closing in (−1 < factor < 0)")
    if abs(lr - 1) <= tolerance:
        return Regime("bounces",
                      "bounces between x and −x forever, never getting closer (factor −1)")
    return Regime("diverges",
                  "diverges: every step lands farther from the minimum than the last (factor < −1)")
