"""The book's published numbers, and whether the data is the one they were measured on.

From *Deep Learning for Coders with fastai & PyTorch*, chapter 4 ("Under the Hood: Training a Digit Classifier"),
as printed in fastbook's notebook 04_mnist_basics: fast.ai's MNIST_SAMPLE image counts (threes and sevens, train and
valid), the pixel-similarity baseline, and the validation accuracy of each recipe the chapter trains.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonlib.data import DigitData

SOURCE = "Deep Learning for Coders with fastai & PyTorch, ch. 4"
MNIST_SAMPLE_COUNTS = {("train", 3): 6131, ("train", 7): 6265, ("valid", 3): 1010, ("valid", 7): 1028}
BASELINE = {3: 0.9168, 7: 0.9854}  # L1 distance to the mean 3 and 7: is_3(valid_3s), 1 - is_3(valid_7s)
BASELINE_MEAN = 0.9511


@dataclass(frozen=True)
class BookResult:
    """A validation accuracy the book reports for one of its recipes."""

    model: str
    learning_rate: float
    epochs: int
    accuracy: float

    @property
    def label(self) -> str:
        epochs = "1 epoch" if self.epochs == 1 else f"{self.epochs} epochs"
        return f"the book: {self.accuracy:.2%} after {epochs} at lr {self.learning_rate:g}"


RESULTS = {
    "linear": BookResult("linear", 1.0, 20, 0.9785),  # nn.Linear with BasicOptim, batch size 256
    "simple_net": BookResult("simple_net", 0.1, 40, 0.9828),  # simple_net with Learner, batch size 256
    # "Going Deeper": `cnn_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy, metrics=accuracy)` then
    # `learn.fit_one_cycle(1, 0.1)`; its one-row table: train_loss 0.082089, valid_loss 0.009578, accuracy 0.997056
    "resnet18": BookResult("resnet18", 0.1, 1, 0.997056),
}
RESNET18_TIME = "00:11"  # the time column of that table: one epoch on the authors' machine
RESNET18_BATCH = 64  # ImageDataLoaders.from_folder(path) with fastai's default batch size, bs=64


def is_mnist_sample(data: DigitData) -> bool:
    """True when the data has exactly MNIST_SAMPLE's digits and image counts (3s and 7s, 12,396 + 2,038)."""
    if data.digits != [3, 7]:
        return False
    return all(data.count(split, digit) == n for (split, digit), n in MNIST_SAMPLE_COUNTS.items())


def book_result(data: DigitData, model: str, digits: tuple[int, ...]) -> BookResult | None:
    """The book's number for this model, when training on MNIST_SAMPLE's 3 (target 1) vs 7 as the book does."""
    if tuple(digits) != (3, 7) or not is_mnist_sample(data):
        return None
    return RESULTS.get(model)
