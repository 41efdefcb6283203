"""The book's linear1 (init_params, xb @ weights + bias) trained once with the book's recipe, for
pages that look inside a trained model."""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from lessonlib.data import DigitData
from lessonlib.training import Split, TrainConfig, make_trainer

EPOCHS = 21  # the book trains one epoch, then 20 more
RECIPE = TrainConfig(model="linear1", learning_rate=1.0, batch_size=256, seed=42)


@dataclass(frozen=True)
class Linear1Fit:
    """linear1's weights after training, the data it saw, and how it did on the validation
    images."""

    weights: torch.Tensor  # (784, 1)
    bias: torch.Tensor  # (1,)
    train: Split  # x (N, 784), y (N, 1): the first digit is 1
    valid: Split
    epochs: int
    steps: int
    valid_loss: float
    valid_accuracy: float

    @property
    def digits(self) -> tuple[int, int]:
        return self.train.labels

    def outputs(self, x: torch.Tensor) -> torch.Tensor:
        """The raw outputs (activations) for rows of pixels: (N, 784) -> (N,)."""
        with torch.no_grad():
            return (x @ self.weights + self.bias)[:, 0]  # (N, 1) -> (N,)


def fit_linear1(data: DigitData, digits: tuple[int, int], epochs: int = EPOCHS) -> Linear1Fit:
    """linear1 trained on the training images of two digits with the book's recipe: init_params,
    mnist_loss, learning rate 1, batches of 256, `epochs` epochs (through the app's one training
    loop, which shuffles)."""
    trainer = make_trainer(data, digits, replace(RECIPE))  # a copy: a Trainer may change its config
    for _ in trainer.fit(epochs):
        pass
    loss, accuracy = trainer.evaluate()
    model = trainer.model
    return Linear1Fit(model.weights.detach().clone(), model.bias.detach().clone(), trainer.train,
                      trainer.valid, trainer.epoch, trainer.steps, loss, accuracy)
