"""Distances between images: L1 (mean absolute difference) and RMSE (root mean squared error)."""

from __future__ import annotations

import pandas as pd
import torch
import torch.nn.functional as F


def l1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference over the last two axes: (…, 28, 28) -> (…)."""
    return (a - b).abs().mean((-1, -2))


def rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Root of the mean squared difference over the last two axes: (…, 28, 28) -> (…)."""
    return ((a - b) ** 2).mean((-1, -2)).sqrt()


def signed_mean(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean of a − b without abs or square: positive and negative errors cancel."""
    return (a - b).mean((-1, -2))


def l1_torch(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """L1 distance of two images as PyTorch computes it."""
    return F.l1_loss(a, b)


def rmse_torch(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """RMSE of two images as PyTorch computes it."""
    return F.mse_loss(a, b).sqrt()


def edges(x: torch.Tensor) -> torch.Tensor:
    """Edge strength from first differences: (…, 28, 28) -> (…, 27, 27)."""
    dx = x[..., :-1, 1:] - x[..., :-1, :-1]  # horizontal change
    dy = x[..., 1:, :-1] - x[..., :-1, :-1]  # vertical change
    return (dx**2 + dy**2).sqrt()


def edge_l1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """L1 distance between edge maps: compares strokes' outlines rather than ink."""
    return l1(edges(a), edges(b))


METRICS = {"L1": l1, "RMSE": rmse, "signed mean": signed_mean, "edge L1": edge_l1}


def ink(x: torch.Tensor) -> torch.Tensor:
    """Mean brightness over the last two axes: (…, 28, 28) -> (…)."""
    return x.mean((-1, -2))


def error_parts(a: torch.Tensor, b: torch.Tensor) -> tuple[float, float]:
    """Means of the positive and the negative parts of a − b: signed mean = pos − neg,
    L1 = pos + neg."""
    diff = a - b
    return diff.clamp(min=0).mean().item(), (-diff).clamp(min=0).mean().item()


def spread_error(total: float, pixels: int, seed: int = 0) -> torch.Tensor:
    """A (28, 28) difference image: an absolute error of `total` shared equally by `pixels` random
    pixels."""
    if not 1 <= pixels <= 28 * 28:
        raise ValueError(f"pixels must be between 1 and 784, got {pixels}")
    diff = torch.zeros(28 * 28)
    where = torch.randperm(28 * 28, generator=torch.Generator().manual_seed(seed))[:pixels]
    diff[where] = total / pixels
    return diff.view(28, 28)  # (784,) -> (28, 28)


def spread_table(total: float, counts: list[int]) -> pd.DataFrame:
    """L1 and RMSE of `spread_error(total, k)` for each k: L1 stays put, RMSE shrinks as the error
    spreads."""
    zero = torch.zeros(28, 28)
    rows = [(l1(e, zero).item(), rmse(e, zero).item())
            for e in (spread_error(total, k) for k in counts)]
    return pd.DataFrame(rows, columns=["L1", "RMSE"], index=pd.Index(counts, name="wrong pixels"))


def compare_with_torch(a: torch.Tensor, b: torch.Tensor) -> pd.DataFrame:
    """L1 and RMSE of two images by hand and by torch.nn.functional, with their absolute
    difference."""
    rows = {"L1": (l1(a, b).item(), l1_torch(a, b).item()),
            "RMSE": (rmse(a, b).item(), rmse_torch(a, b).item())}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["by hand", "torch.nn.functional"])
    table["difference"] = (table["by hand"] - table["torch.nn.functional"]).abs()
    return table


def error_maps(a: torch.Tensor, b: torch.Tensor) -> dict[str, torch.Tensor]:
    """The pixelwise pieces behind the metrics: a − b, |a − b| (L1's) and (a − b)² (RMSE's), each
    (28, 28)."""
    diff = a - b
    return {"a − b": diff, "|a − b|": diff.abs(), "(a − b)²": diff**2}
