"""Where a two-digit model goes wrong: a confusion matrix and its most confident mistakes."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lessonlib.training import Split


@dataclass
class Mistakes:
    """The 2×2 counts (rows: true digit, columns: predicted digit) and the validation images it got wrong."""

    matrix: torch.Tensor  # (2, 2) int
    wrong: torch.Tensor  # (W,) indices into the validation split, most confident mistakes first
    probability: torch.Tensor  # (N,) predicted probability of the first digit for every validation image


@torch.no_grad()
def first_digit_probability(model: torch.nn.Module, valid: Split) -> torch.Tensor:
    """sigmoid(activation) for each validation image: the model's probability of the first digit, (N, 1) -> (N,)."""
    return model(valid.x).sigmoid().squeeze(1)


def find_mistakes(model: torch.nn.Module, valid: Split) -> Mistakes:
    """Confusion matrix at threshold 0.5 and the misclassified images, sorted by how sure the model was."""
    p = first_digit_probability(model, valid)
    truth = valid.y.squeeze(1).long()  # 1 = first digit
    pred = (p > 0.5).long()
    matrix = torch.zeros(2, 2, dtype=torch.long)
    for t in (1, 0):
        for q in (1, 0):
            matrix[1 - t, 1 - q] = ((truth == t) & (pred == q)).sum()  # row/column 0 is the first digit
    wrong = (pred != truth).nonzero().flatten()
    confidence = (p[wrong] - 0.5).abs()  # distance from the decision boundary
    return Mistakes(matrix, wrong[confidence.argsort(descending=True)], p)


def titles(found: Mistakes, valid: Split, digits: tuple[int, int], limit: int = 12) -> list[str]:
    """A caption for each of the first `limit` mistakes: its true digit and the predicted probability."""
    out = []
    for i in found.wrong[:limit].tolist():
        true = digits[0] if valid.y[i, 0] == 1 else digits[1]
        out.append(f"a {true}: p({digits[0]})={found.probability[i]:.2f}")
    return out
