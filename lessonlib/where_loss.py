"""The book's first mnist_loss, on predictions already between 0 and 1, and torch.where element by
element."""

from __future__ import annotations

import pandas as pd
import torch


def first_mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The mean distance of each prediction from its target: 1 − p where the target is 1, p where it
    is 0."""
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def where_by_hand(condition: list[bool], if_true: list[float],
                  if_false: list[float]) -> list[float]:
    """What torch.where(condition, if_true, if_false) does, as the book's list comprehension."""
    return [if_true[i] if condition[i] else if_false[i] for i in range(len(condition))]


def where_table(predictions: torch.Tensor, targets: torch.Tensor) -> pd.DataFrame:
    """One row per image: its target, prediction, `targets==1`, the branch torch.where took and what
    it gave."""
    chosen = torch.where(targets == 1, 1 - predictions, predictions)  # (N,)
    is_one = (targets == 1).tolist()
    return pd.DataFrame({
        "target": targets.tolist(),
        "prediction": predictions.tolist(),
        "targets==1": is_one,
        "branch taken": ["1 - prds" if one else "prds" for one in is_one],
        "torch.where gives": chosen.tolist(),
    }, index=pd.RangeIndex(1, len(targets) + 1, name="image"))
