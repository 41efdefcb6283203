"""The sigmoid, and what it does to one image's loss: mnist_loss for a single raw output, with its
gradient."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import torch

from lessonlib.loss import mnist_loss


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """The book's sigmoid: 1 / (1 + e^−x), between 0 and 1 for any x."""
    return 1 / (1 + torch.exp(-x))


@dataclass(frozen=True)
class OneImage:
    """One raw output z: sigmoid(z), and mnist_loss with its slope dloss/dz for either target."""

    z: float
    probability: float
    loss: dict[int, float]  # target -> mnist_loss of this one image
    slope: dict[int, float]  # target -> d loss / d z, from autograd


def one_image(z: float) -> OneImage:
    """sigmoid(z), and the loss and its gradient (autograd) if the image's target is 1, or 0."""
    loss, slope = {}, {}
    for target in (1, 0):
        # (1, 1), as one row of preds
        zt = torch.tensor([[z]], dtype=torch.float64, requires_grad=True)
        value = mnist_loss(zt, torch.tensor([[float(target)]], dtype=torch.float64))
        value.backward()
        loss[target], slope[target] = value.item(), zt.grad.item()
    return OneImage(z, torch.sigmoid(torch.tensor(z, dtype=torch.float64)).item(), loss, slope)


def curves(low: float = -8.0, high: float = 8.0, points: int = 321) -> pd.DataFrame:
    """z, sigmoid(z), and mnist_loss of one image with that raw output for target 1 and for target
    0, with the slope of each from autograd, over a grid of z."""
    # (P,); 0 is 0, not -0
    grid = torch.linspace(low, high, points, dtype=torch.float64).round(decimals=9) + 0.0
    out = {"z": grid.numpy(), "sigmoid": torch.sigmoid(grid).numpy()}
    for target in (1, 0):
        z = grid.clone().requires_grad_()
        t = torch.tensor([[float(target)]], dtype=torch.float64)
        # (P,): one image each
        losses = torch.stack([mnist_loss(z[i].reshape(1, 1), t) for i in range(points)])
        (slope,) = torch.autograd.grad(losses.sum(), z)  # each loss depends on its own z only
        out[f"loss, target {target}"], out[f"slope, target {target}"] = (
            losses.detach().numpy(), slope.numpy())
    return pd.DataFrame(out)


def steepest(table: pd.DataFrame) -> float:
    """The z on the grid where the loss for target 1 changes fastest."""
    return float(table["z"][table["slope, target 1"].abs().idxmax()])
