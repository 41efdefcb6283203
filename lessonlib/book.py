"""The book's published results, and whether the data is the one they were measured on.

Numbers from fastbook chapter 4 ("Under the Hood: Training a Digit Classifier"), as quoted in this project's
issue #3; image counts of fast.ai's MNIST_SAMPLE as the chapter prints them (threes and sevens, train and valid).
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonlib.data import DigitData

MNIST_SAMPLE_COUNTS = {("train", 3): 6131, ("train", 7): 6265, ("valid", 3): 1010, ("valid", 7): 1028}


@dataclass(frozen=True)
class BookResult:
    """A validation accuracy the book reports for one of its recipes."""

    model: str
    learning_rate: float
    epochs: int
    accuracy: float

    @property
    def label(self) -> str:
        return f"the book: {self.accuracy:.2%} after {self.epochs} epochs at lr {self.learning_rate:g}"


BOOK_RESULTS = {
    "linear": BookResult("linear", 1.0, 20, 0.9785),  # nn.Linear with BasicOptim, batch size 256
    "simple_net": BookResult("simple_net", 0.1, 40, 0.9828),  # simple_net with Learner, batch size 256
}


def is_mnist_sample(data: DigitData) -> bool:
    """True when the data has exactly MNIST_SAMPLE's digits and image counts (3s and 7s, 12,396 + 2,038)."""
    if data.digits != [3, 7]:
        return False
    return all(data.count(split, digit) == n for (split, digit), n in MNIST_SAMPLE_COUNTS.items())


def book_result(data: DigitData, model: str, digits: tuple[int, ...]) -> BookResult | None:
    """The book's number for this model, when training on MNIST_SAMPLE's 3 (target 1) vs 7 as the book does."""
    if tuple(digits) != (3, 7) or not is_mnist_sample(data):
        return None
    return BOOK_RESULTS.get(model)
