"""The pixel-similarity baseline: compare a digit with the mean ("ideal") image of each class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import torch

from lessonlib.data import DigitData
from lessonlib.distances import l1, rmse

Metric = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def class_means(data: DigitData, digits: list[int]) -> dict[int, torch.Tensor]:
    """The mean training image of each digit: (N, 28, 28) -> (28, 28)."""
    return {d: data.images("train", d).mean(0) for d in digits}


def distances_to_means(x: torch.Tensor, means: dict[int, torch.Tensor],
                       metric: Metric = l1) -> torch.Tensor:
    """Distance of each image to each class mean: (N, 28, 28) -> (N, len(means))."""
    # broadcast (N,28,28) - (28,28)
    return torch.stack([metric(x, m) for m in means.values()], dim=-1)


def predict(x: torch.Tensor, means: dict[int, torch.Tensor], metric: Metric = l1) -> torch.Tensor:
    """The digit whose mean is nearest, per image: (N, 28, 28) -> (N,)."""
    digits = torch.tensor(list(means))
    return digits[distances_to_means(x, means, metric).argmin(-1)]


@dataclass
class BaselineResult:
    """Validation accuracy of the baseline per digit and as the mean of the per-digit accuracies."""

    per_digit: dict[int, float]
    mean: float
    wrong: dict[int, torch.Tensor]  # digit -> indices into that digit's valid images


def evaluate(data: DigitData, digits: list[int], metric: Metric = l1) -> BaselineResult:
    """Accuracy of nearest-mean classification on the validation set, as the book computes it."""
    means = class_means(data, digits)
    per_digit, wrong = {}, {}
    for d in digits:
        correct = predict(data.images("valid", d), means, metric) == d  # (N,) bool
        per_digit[d] = correct.float().mean().item()
        wrong[d] = (~correct).nonzero().flatten()
    return BaselineResult(per_digit, sum(per_digit.values()) / len(per_digit), wrong)


def sample_distances(x: torch.Tensor, means: dict[int, torch.Tensor]) -> pd.DataFrame:
    """L1 and RMSE of one (28, 28) image to each class mean, one row per digit."""
    columns = {name: distances_to_means(x, means, metric).tolist()
               for name, metric in (("L1", l1), ("RMSE", rmse))}
    return pd.DataFrame(columns, index=pd.Index(list(means), name="digit"))


def valid_distances(data: DigitData, means: dict[int, torch.Tensor],
                    metric: Metric = l1) -> dict[int, torch.Tensor]:
    """For each digit of `means`, its validation images' distances to every mean:
    (N, len(means))."""
    return {d: distances_to_means(data.images("valid", d), means, metric) for d in means}


def metric_table(data: DigitData, digits: list[int], metrics: dict[str, Metric]) -> pd.DataFrame:
    """Validation accuracy per metric: one column per digit, their mean, and the mean over all the
    data's digits."""
    rows = {}
    for name, metric in metrics.items():
        pair = evaluate(data, digits, metric)
        rows[name] = {**{f"{d}s": acc for d, acc in pair.per_digit.items()}, "mean": pair.mean,
                      "all digits": evaluate(data, data.digits, metric).mean}
    return pd.DataFrame.from_dict(rows, orient="index")


def per_digit_table(data: DigitData, digits: list[int], metrics: dict[str, Metric]) -> pd.DataFrame:
    """Validation accuracy of each digit (rows) under each metric (columns), all digits
    competing."""
    return pd.DataFrame({name: evaluate(data, digits, m).per_digit for name, m in metrics.items()})
