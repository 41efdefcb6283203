"""A bounded record of a training run: recent points kept as they are, older ones averaged in
pairs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lessonlib.training import BatchEvent, EpochEvent


@dataclass
class Series:
    """Points (x, y) that never grow past `limit`: when full, the older half is averaged in
    pairs."""

    limit: int = 600
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)

    def add(self, x: float, y: float) -> None:
        self.x.append(x)
        self.y.append(y)
        if len(self.x) > self.limit:
            self._compress()

    def _compress(self) -> None:
        half = (len(self.x) // 2) & ~1  # an even number of the oldest points
        self.x[:half] = _pair_means(self.x[:half])
        self.y[:half] = _pair_means(self.y[:half])

    def __len__(self) -> int:
        return len(self.x)


def _pair_means(values: list[float]) -> list[float]:
    return [(a + b) / 2 for a, b in zip(values[::2], values[1::2], strict=False)]


@dataclass
class History:
    """Training loss per batch, validation loss and accuracy per epoch, and the weights' norm at the
    start and after each epoch; x in epochs (fractional for batches)."""

    limit: int = 600
    batch_loss: Series = field(init=False)
    valid_loss: Series = field(init=False)
    valid_accuracy: Series = field(init=False)
    weight_norm: Series = field(init=False)
    steps: int = 0

    def __post_init__(self) -> None:
        self.batch_loss, self.valid_loss, self.valid_accuracy, self.weight_norm = (
            Series(self.limit) for _ in range(4))

    def record(self, events: Iterable[BatchEvent | EpochEvent]) -> None:
        """Add what a chunk of training reported."""
        for e in events:
            if isinstance(e, BatchEvent):
                self.batch_loss.add(e.progress, e.loss)
                self.steps = e.step
            else:
                self.valid_loss.add(e.epoch, e.valid_loss)
                self.valid_accuracy.add(e.epoch, e.valid_accuracy)

    @property
    def last_accuracy(self) -> float | None:
        return self.valid_accuracy.y[-1] if len(self.valid_accuracy) else None
