"""A learning-rate sweep: the same starting weights trained at several rates, side by side."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from lessonlib.training import EpochEvent, Split, TrainConfig, Trainer


@dataclass
class SweepRun:
    """One learning rate's curves, and the epoch where its loss went inf/nan, if it did."""

    learning_rate: float
    progress: list[float] = field(default_factory=list)  # epochs done after each batch
    loss: list[float] = field(default_factory=list)  # each batch's training loss
    accuracy: list[float] = field(default_factory=list)  # validation accuracy after each epoch
    diverged_at: float | None = None  # epochs done when the loss stopped being a number

    @property
    def final_accuracy(self) -> float | None:
        return self.accuracy[-1] if self.accuracy else None


def log_rates(low: float, high: float, count: int) -> list[float]:
    """`count` learning rates evenly spaced on a log scale from low to high, rounded to 2
    significant figures (just `low` when count < 2 or the range is empty)."""
    if count < 2 or high <= low:
        return [low]
    step = (math.log10(high) - math.log10(low)) / (count - 1)
    return [float(f"{10 ** (math.log10(low) + i * step):.2g}") for i in range(count)]


def sweep(train: Split, valid: Split, config: TrainConfig, rates: Sequence[float],
          epochs: int) -> Iterator[SweepRun]:
    """Train a fresh model from the same seed at each rate for a few epochs; a run that diverges
    stops early."""
    for lr in rates:
        # same seed: same weights, same batches
        trainer = Trainer(train, valid, replace(config, learning_rate=lr))
        run = SweepRun(lr)
        for event in trainer.fit(epochs):
            if isinstance(event, EpochEvent):
                run.accuracy.append(event.valid_accuracy)
                continue
            run.progress.append(event.progress)
            run.loss.append(event.loss)
            if event.diverged:
                run.diverged_at = event.progress
        yield run
