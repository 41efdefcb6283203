"""The validation images the pixel-similarity baseline gets wrong, with their distances to each
mean."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lessonlib.data import DigitData
from lessonlib.distances import l1
from lessonlib.similarity import BaselineResult, Metric, class_means, distances_to_means

SHOWN = 32  # mistakes kept with their images and distances, the first ones


@dataclass
class Mistakes:
    """Misclassified validation images with their true and predicted digits and distances to each
    mean."""

    images: torch.Tensor  # (K, 28, 28)
    true: list[int]
    predicted: list[int]
    distances: torch.Tensor  # (K, number of digits)
    total: int  # mistakes in all, K may be fewer


def mistakes(data: DigitData, result: BaselineResult, metric: Metric = l1,
             limit: int = SHOWN) -> Mistakes:
    """The validation images `result` got wrong (at most `limit`), with their distances to each
    mean."""
    digits = list(result.per_digit)
    means = class_means(data, digits)
    x = torch.cat([data.images("valid", d)[result.wrong[d]] for d in digits])  # (total, 28, 28)
    true = [d for d in digits for _ in range(len(result.wrong[d]))]
    dist = distances_to_means(x, means, metric)  # (total, len(digits))
    predicted = [digits[i] for i in dist.argmin(-1).tolist()]
    return Mistakes(x[:limit], true[:limit], predicted[:limit], dist[:limit], len(x))
