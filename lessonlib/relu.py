"""ReLU, the rectified linear unit, four ways: the book's `res.max(tensor(0.0))`, `F.relu`,
`nn.ReLU()`, `clamp`."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def relu_forms(x: torch.Tensor) -> dict[str, torch.Tensor]:
    """ReLU of x by each spelling, each the same shape as x."""
    return {
        "x.max(tensor(0.0))": x.max(torch.tensor(0.0)),  # the book's simple_net: elementwise max
                                                         # with 0
        "F.relu(x)": F.relu(x),  # a function
        "nn.ReLU()(x)": nn.ReLU()(x),  # a module: build it, then call it (as nn.Sequential does)
        "x.clamp(min=0)": x.clamp(min=0),
    }


def parameters_of(module: nn.Module) -> int:
    """How many numbers SGD could change in a module."""
    return sum(p.numel() for p in module.parameters())


def curve(low: float = -2.0, high: float = 2.0,
          points: int = 401) -> tuple[torch.Tensor, torch.Tensor]:
    """x from low to high and F.relu(x): (points,) each."""
    x = torch.linspace(low, high, points)
    return x, F.relu(x)
