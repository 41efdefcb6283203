"""A wiggly curve as a sum of ReLUs, set by hand or learned by SGD: the universal approximation
theorem, seen.

The model is simple_net's shape with one input: nn.Sequential(nn.Linear(1, n), nn.ReLU(),
nn.Linear(n, 1)). Unit i computes relu(wᵢ·x + cᵢ), a hinge with its kink at x = −cᵢ/wᵢ; the output
adds them up, aᵢ times each, plus b.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn

from lessonlib.optim import BasicOptim

LOW, HIGH, POINTS = -2.0, 2.0, 201
TARGET = "sin(2x) + 0.3x"
LEARNING_RATE, MOMENTUM = 0.05, 0.9  # full-batch SGD with momentum: steady for 1 to 32 ReLUs on
                                     # this curve


def target(x: torch.Tensor) -> torch.Tensor:
    """The curve to fit, sin(2x) + 0.3x, elementwise."""
    return torch.sin(2 * x) + 0.3 * x


def grid() -> torch.Tensor:
    """The x values the fit is measured on: POINTS evenly spaced from LOW to HIGH, (POINTS, 1)."""
    return torch.linspace(LOW, HIGH, POINTS).unsqueeze(1)


def relu_net(units: int) -> nn.Sequential:
    """One input, `units` ReLUs, one output: 1 -> units -> ReLU -> 1."""
    return nn.Sequential(nn.Linear(1, units), nn.ReLU(), nn.Linear(units, 1))


@dataclass(frozen=True)
class Hand:
    """A sum of ReLUs set by hand: b + Σ aᵢ·relu(x − kᵢ). Each ReLU is 0 left of its kink kᵢ and
    adds slope aᵢ right of it."""

    height: float  # b: the curve's value left of every kink
    kinks: tuple[float, ...]  # kᵢ
    slopes: tuple[float, ...]  # aᵢ


@torch.no_grad()
def hand_net(hand: Hand) -> nn.Sequential:
    """relu_net with the hand's numbers as its parameters: first layer weight 1 and bias −kᵢ, second
    layer aᵢ, b."""
    net = relu_net(len(hand.kinks))
    net[0].weight.fill_(1.0)  # (units, 1)
    net[0].bias.copy_(-torch.tensor(hand.kinks))  # (units,)
    net[2].weight.copy_(torch.tensor(hand.slopes).unsqueeze(0))  # (units,) -> (1, units)
    net[2].bias.fill_(hand.height)
    return net


@torch.no_grad()
def spread_net(units: int, seed: int = 0) -> nn.Sequential:
    """relu_net with its kinks spread evenly over LOW..HIGH, each hinge opening left or right at
    random, and small random output weights: a start from which SGD can use every ReLU."""
    g = torch.Generator().manual_seed(seed)
    net = relu_net(units)
    kinks = torch.linspace(LOW, HIGH, units + 2)[1:-1]  # (units,), inside the range
    direction = torch.where(torch.rand(units, generator=g) < 0.5, -1.0, 1.0)
    net[0].weight.copy_(direction.unsqueeze(1))
    net[0].bias.copy_(-direction * kinks)
    net[2].weight.copy_(torch.randn(1, units, generator=g) * 0.1)
    net[2].bias.zero_()
    return net


@torch.no_grad()
def curve(net: nn.Module) -> torch.Tensor:
    """The net's output on the grid, (POINTS,)."""
    return net(grid()).squeeze(1)


@torch.no_grad()
def rmse(net: nn.Module) -> float:
    """Root mean squared distance between the net's curve and the target on the grid."""
    x = grid()
    return ((net(x) - target(x)) ** 2).mean().sqrt().item()


@torch.no_grad()
def kinks(net: nn.Sequential) -> list[float]:
    """Where each unit's hinge bends, −cᵢ/wᵢ, for the units whose kink lies inside LOW..HIGH,
    sorted."""
    w, c = net[0].weight[:, 0], net[0].bias
    at = [-ci / wi for wi, ci in zip(w.tolist(), c.tolist(), strict=True) if wi != 0]
    return sorted(k for k in at if LOW <= k <= HIGH)


@dataclass
class Fit:
    """SGD on a sum of ReLUs: every step predicts the whole grid, takes the mean squared error,
    steps."""

    net: nn.Sequential
    steps: int = 0
    losses: list[float] = field(default_factory=list)  # the mean squared error before each step

    def __post_init__(self) -> None:
        self.opt = BasicOptim(self.net.parameters(), LEARNING_RATE, MOMENTUM)

    @property
    def diverged(self) -> bool:
        return bool(self.losses) and not math.isfinite(self.losses[-1])

    def train(self, steps: int) -> None:
        """Take `steps` more steps (fewer if the loss stops being a number)."""
        x = grid()
        y = target(x)  # (POINTS, 1)
        for _ in range(steps):
            loss = ((self.net(x) - y) ** 2).mean()
            self.losses.append(loss.item())
            if self.diverged:
                return
            loss.backward()
            self.opt.step()
            self.opt.zero_grad()
            self.steps += 1


def fit_error(units: int, steps: int, seed: int = 0) -> float:
    """The RMSE SGD reaches with `units` ReLUs from spread_net after `steps` steps."""
    fit = Fit(spread_net(units, seed))
    fit.train(steps)
    return rmse(fit.net)
