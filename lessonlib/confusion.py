"""Where a model goes wrong: a confusion matrix and its most confident mistakes, for two digits or
all ten."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lessonlib.models import probabilities
from lessonlib.training import Split


@dataclass
class Mistakes:
    """Counts (rows: true class, columns: predicted class, in the order of the split's labels) and
    the validation images the model got wrong."""

    matrix: torch.Tensor  # (C, C) int
    wrong: torch.Tensor  # (W,) indices into the validation split, most confident mistakes first
    probabilities: torch.Tensor  # (N, C) each class's predicted probability for every validation
                                 # image
    truth: torch.Tensor  # (N,) true class index
    predicted: torch.Tensor  # (N,) predicted class index


def class_index(split: Split) -> torch.Tensor:
    """Each image's class as an index into split.labels, (N,): for two digits the first digit
    (target 1) is 0."""
    return split.y if split.multiclass else (1 - split.y.squeeze(1)).long()


@torch.no_grad()
def find_mistakes(model: torch.nn.Module, valid: Split) -> Mistakes:
    """Confusion matrix and the misclassified images, sorted by how sure the model was of its wrong
    answer."""
    p = probabilities(model(valid.x))  # (N, C)
    truth = class_index(valid)
    # two digits: the first only when sigmoid > 0.5, exactly as batch_accuracy counts it
    predicted = p.argmax(dim=1) if valid.multiclass else (p[:, 0] <= 0.5).long()
    c = p.shape[1]
    matrix = torch.bincount(truth * c + predicted, minlength=c * c).view(c, c)  # (C·C,) -> (C, C)
    wrong = (predicted != truth).nonzero().flatten()
    confidence = p[wrong, predicted[wrong]]  # the probability given to the wrong answer
    return Mistakes(matrix, wrong[confidence.argsort(descending=True)], p, truth, predicted)


def titles(found: Mistakes, labels: tuple[int, ...], limit: int = 12) -> list[str]:
    """A caption for each of the first `limit` mistakes: its true digit and the probability of the
    predicted one."""
    out = []
    for i in found.wrong[:limit].tolist():
        t, q = found.truth[i].item(), found.predicted[i].item()
        out.append(f"a {labels[t]}: p({labels[q]})={found.probabilities[i, q]:.2f}")
    return out
