"""SGD on two digits (or all ten), one batch at a time: the loop yields progress and never
prints."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch

from lessonlib import tenclass
from lessonlib.data import DigitData
from lessonlib.loss import batch_accuracy, mnist_loss
from lessonlib.mistakes import loss_function
from lessonlib.models import make_model
from lessonlib.optim import BasicOptim


@dataclass
class TrainConfig:
    """Everything that decides a run: same config, same curves."""

    model: str = "linear"  # "linear1" | "linear" | "simple_net"
    learning_rate: float = 1.0
    batch_size: int = 256
    hidden: int = 30
    seed: int = 42
    momentum: float = 0.0
    # names from lessonlib.mistakes.MISTAKES
    mistakes: frozenset[str] = field(default_factory=frozenset)
    all_digits: bool = False  # every digit of the data, softmax + cross-entropy, instead of two
                              # with mnist_loss


@dataclass
class Split:
    """Flattened images and their targets, x (N, 784): for two digits y (N, 1) is 1.0 for the first
    and 0.0 for the second; for all digits y (N,) is the index of each image's digit in `labels`."""

    x: torch.Tensor
    y: torch.Tensor
    labels: tuple[int, ...] = ()  # the digits, in the order of the model's classes (the first digit
                                  # first)

    @property
    def multiclass(self) -> bool:
        return self.y.dim() == 1

    @property
    def outputs(self) -> int:
        """How many activations a model needs for this split: 1 for two digits, one per class
        otherwise."""
        return len(self.labels) if self.multiclass else 1


def binary_split(data: DigitData, split: str, digits: tuple[int, int]) -> Split:
    """Images of two digits as rows; the first digit is target 1, the second 0 (the book's 3 vs
    7)."""
    a, b = (data.images(split, d).view(-1, 28 * 28) for d in digits)  # (N, 28, 28) -> (N, 784)
    y = torch.tensor([1.0] * len(a) + [0.0] * len(b)).unsqueeze(1)  # (N,) -> (N, 1)
    return Split(torch.cat([a, b]), y, tuple(digits))


def all_digits_split(data: DigitData, split: str) -> Split:
    """Every digit of the data; each image's target is its class index."""
    return Split(*tenclass.all_digits(data, split))


@dataclass
class BatchEvent:
    step: int
    epoch: int  # the epoch this batch belongs to, from 1
    loss: float
    batch_size: int
    epoch_done: bool  # this batch was the epoch's last
    progress: float = 0.0  # epochs done after this batch, e.g. 2.5

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.loss)


@dataclass
class EpochEvent:
    epoch: int
    valid_loss: float
    valid_accuracy: float
    seconds: float  # time spent training so far, without evaluation


class Trainer:
    """A model, its optimiser and its place in the data; learning rate, batch size, momentum and
    mistakes may change between any two batches."""

    def __init__(self, train: Split, valid: Split, config: TrainConfig):
        self.train, self.valid, self.config = train, valid, config
        self.model = make_model(config.model, config.hidden, config.seed, train.outputs)
        self.opt = BasicOptim(self.model.parameters(), config.learning_rate, config.momentum)
        self.gen = torch.Generator().manual_seed(config.seed)
        self.steps, self.epoch, self.seconds, self.diverged = 0, 0, 0.0, False
        self._order, self._pos = torch.empty(0, dtype=torch.long), 0

    def set_learning_rate(self, learning_rate: float) -> None:
        self.config.learning_rate = self.opt.lr = learning_rate

    def set_batch_size(self, batch_size: int) -> None:
        self.config.batch_size = max(1, int(batch_size))

    def set_momentum(self, momentum: float) -> None:
        self.config.momentum = self.opt.momentum = momentum

    def set_mistakes(self, mistakes: frozenset[str]) -> None:
        loss_function(mistakes)  # refuses unknown names
        self.config.mistakes = frozenset(mistakes)

    @property
    def progress(self) -> float:
        """Epochs done so far, with the current epoch as a fraction: 2.5 is half-way through epoch
        3."""
        if self.epoch == 0:
            return 0.0
        return self.epoch - 1 + self._pos / len(self._order)

    def train_batch(self) -> BatchEvent:
        """Step 2–5 on the next mini-batch: predict, loss, gradient, step."""
        t0 = time.perf_counter()
        if self._pos >= len(self._order):  # a new epoch: shuffle, as DataLoader(shuffle=True)
            self._order, self._pos = torch.randperm(len(self.train.x), generator=self.gen), 0
            self.epoch += 1
        idx = self._order[self._pos : self._pos + self.config.batch_size]
        self._pos += len(idx)
        xb, yb = self.train.x[idx], self.train.y[idx]  # (B, 784), (B, 1) or (B,)
        loss = loss_function(self.config.mistakes, self.train.multiclass)(self.model(xb), yb)
        if loss.requires_grad:  # accuracy as the loss has no gradient at all
            loss.backward()
        self.opt.step()
        if "keep_grads" not in self.config.mistakes:
            self.opt.zero_grad()
        self.steps += 1
        self.seconds += time.perf_counter() - t0
        done = self._pos >= len(self._order)
        event = BatchEvent(self.steps, self.epoch, loss.item(), len(idx), done, self.progress)
        self.diverged = self.diverged or event.diverged
        return event

    @torch.no_grad()
    def evaluate(self) -> tuple[float, float]:
        """Loss (mnist_loss, or cross-entropy for all digits, whatever the training loss) and
        accuracy on the whole validation set."""
        preds = self.model(self.valid.x)  # (N, 1) or (N, C)
        loss, metric = ((tenclass.cross_entropy, tenclass.accuracy) if self.valid.multiclass
                        else (mnist_loss, batch_accuracy))
        return loss(preds, self.valid.y).item(), metric(preds, self.valid.y).item()

    def end_epoch(self) -> EpochEvent:
        """The validation result after the epoch just finished."""
        return EpochEvent(self.epoch, *self.evaluate(), self.seconds)

    def fit(self, epochs: int) -> Iterator[BatchEvent | EpochEvent]:
        """Train whole epochs, yielding every batch and, after each epoch, the validation result."""
        for _ in range(epochs):
            while True:
                event = self.train_batch()
                yield event
                if event.diverged:
                    return
                if event.epoch_done:
                    break
            yield self.end_epoch()


def make_trainer(data: DigitData, digits: tuple[int, int], config: TrainConfig) -> Trainer:
    """A Trainer on two digits of the data, the first digit as the positive class; on every digit of
    the data when config.all_digits."""
    if config.all_digits:
        return Trainer(all_digits_split(data, "train"), all_digits_split(data, "valid"), config)
    return Trainer(binary_split(data, "train", digits), binary_split(data, "valid", digits), config)
