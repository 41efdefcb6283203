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


def distances_to_means(x: torch.Tensor, means: dict[int, torch.Tensor], metric: Metric = l1) -> torch.Tensor:
    """Distance of each image to each class mean: (N, 28, 28) -> (N, len(means))."""
    return torch.stack([metric(x, m) for m in means.values()], dim=-1)  # broadcast (N,28,28) - (28,28)


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


BOOK_SOURCE = "Deep Learning for Coders with fastai & PyTorch, ch. 4"
BOOK_ACCURACY = {3: 0.9168, 7: 0.9854}  # the book's L1 baseline on the full MNIST_SAMPLE validation set
BOOK_VALID_COUNTS = {3: 1010, 7: 1028}  # validation images of MNIST_SAMPLE
BOOK_MEAN = 0.9511


def sample_distances(x: torch.Tensor, means: dict[int, torch.Tensor]) -> pd.DataFrame:
    """L1 and RMSE of one (28, 28) image to each class mean, one row per digit."""
    columns = {name: distances_to_means(x, means, metric).tolist() for name, metric in (("L1", l1), ("RMSE", rmse))}
    return pd.DataFrame(columns, index=pd.Index(list(means), name="digit"))


@dataclass(frozen=True)
class Step:
    """One line of the broadcasting computation: the code, the shape of what it gave, what happened."""

    code: str
    shape: tuple[int, ...]
    note: str


def broadcast_steps(valid: torch.Tensor, mean_a: torch.Tensor, mean_b: torch.Tensor,
                    names: tuple[int, int] = (3, 7)) -> tuple[list[Step], float]:
    """The book's `is_3(valid_3)` on a whole stack at once, recording the real shape of every tensor."""
    a, b = names
    steps: list[Step] = []

    def keep(code: str, t: torch.Tensor, note: str) -> torch.Tensor:
        steps.append(Step(code, tuple(t.shape), note))
        return t

    x = keep(f"valid_{a}", valid, "every validation image of one digit: a rank-3 tensor")
    m = keep(f"mean{a}", mean_a, "the ideal digit: a matrix (rank 2)")
    stride = tuple(m.expand_as(x).stride())
    diff = keep(f"valid_{a} - mean{a}", x - m,  # (N, 28, 28) - (28, 28) -> (N, 28, 28)
                f"broadcast: mean{a} is reused for every image (stride {stride}), never copied")
    dist_a = keep(f"dist_to_{a} = (valid_{a} - mean{a}).abs().mean((-1, -2))", diff.abs().mean((-1, -2)),
                  "averaged over the last two axes (rows, columns): one distance per image")
    dist_b = keep(f"dist_to_{b} = mnist_distance(valid_{a}, mean{b})", l1(x, mean_b), "the same to the other mean")
    is_a = keep(f"is_{a} = dist_to_{a} < dist_to_{b}", dist_a < dist_b, "elementwise comparison: one bool per image")
    acc = keep(f"is_{a}.float().mean()", is_a.float().mean(), "a rank-0 tensor (a scalar): the accuracy")
    return steps, acc.item()


@dataclass
class Mistakes:
    """Misclassified validation images with their true and predicted digits and distances to each mean."""

    images: torch.Tensor  # (K, 28, 28)
    true: list[int]
    predicted: list[int]
    distances: torch.Tensor  # (K, number of digits)
    total: int  # mistakes in all, K may be fewer


def mistakes(data: DigitData, result: BaselineResult, metric: Metric = l1, limit: int = 32) -> Mistakes:
    """The validation images `result` got wrong (at most `limit`), with their distances to each mean."""
    digits = list(result.per_digit)
    means = class_means(data, digits)
    x = torch.cat([data.images("valid", d)[result.wrong[d]] for d in digits])  # (total, 28, 28)
    true = [d for d in digits for _ in range(len(result.wrong[d]))]
    dist = distances_to_means(x, means, metric)  # (total, len(digits))
    predicted = [digits[i] for i in dist.argmin(-1).tolist()]
    return Mistakes(x[:limit], true[:limit], predicted[:limit], dist[:limit], len(x))


def valid_distances(data: DigitData, means: dict[int, torch.Tensor], metric: Metric = l1) -> dict[int, torch.Tensor]:
    """For each digit of `means`, its validation images' distances to every mean: (N, len(means))."""
    return {d: distances_to_means(data.images("valid", d), means, metric) for d in means}


def metric_table(data: DigitData, digits: list[int], metrics: dict[str, Metric]) -> pd.DataFrame:
    """Validation accuracy per metric: one column per digit, their mean, and the mean over all the data's digits."""
    rows = {}
    for name, metric in metrics.items():
        pair = evaluate(data, digits, metric)
        rows[name] = {**{f"{d}s": acc for d, acc in pair.per_digit.items()}, "mean": pair.mean,
                      "all digits": evaluate(data, data.digits, metric).mean}
    return pd.DataFrame.from_dict(rows, orient="index")


def per_digit_table(data: DigitData, digits: list[int], metrics: dict[str, Metric]) -> pd.DataFrame:
    """Validation accuracy of each digit (rows) under each metric (columns), all digits competing."""
    return pd.DataFrame({name: evaluate(data, digits, m).per_digit for name, m in metrics.items()})
