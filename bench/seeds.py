"""The chapter's recipes over several seeds on the bundled digits, beside the book's numbers.

3 vs 7 on the bundled data: 1,000 training images; validation: the book's own 2,038 images (the
3s and 7s of MNIST's test set). Each of the chapter's models is trained with the book's recipe (lr 1
for linear1 and nn.Linear, 0.1 for simple_net; batch 256; plain SGD) from each seed, and measured:

- after the book's number of epochs (linear1 20, linear 20, simple_net 40);
- after the book's number of *steps*: MNIST_SAMPLE's 12,396 training images make 49 batches of 256
  an epoch, so 20 epochs are 980 steps and 40 are 1,960; the bundled 1,000 images make 4 batches,
  so that is 245 and 490 epochs here;
- the epoch at which the median over seeds first passes the pixel-similarity baseline, and the
  epoch from which it stays above it.

Then all ten digits (softmax and cross-entropy; 5,000 training images, validation: MNIST's 10,000
test digits) for linear and simple_net, 20 epochs, the same seeds, beside the ten-digit baseline.

Training runs through the project's own loop (`Trainer.fit`) on one thread. Times are the trainer's
training seconds (evaluation excluded), medians over seeds. Prints markdown tables, then one line of
key=value figures.

    python bench/seeds.py [--seeds 0 1 2 3 4 42]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessonlib import similarity  # noqa: E402
from lessonlib.data import DigitData, load_bundled  # noqa: E402
from lessonlib.training import EpochEvent, TrainConfig, make_trainer  # noqa: E402

BATCH = 256
BOOK_STEPS_PER_EPOCH = math.ceil(12396 / BATCH)  # 49: MNIST_SAMPLE's 3s and 7s, in batches of 256
DIGITS = (3, 7)
HEADER = ("| model | epochs | steps | mean | min–max | seeds above baseline | train time "
          "| book (MNIST_SAMPLE) |\n| --- | --- | --- | --- | --- | --- | --- | --- |")


@dataclass(frozen=True)
class Recipe:
    """A model, its learning rate and epochs, and the book's accuracy for it (None: none)."""

    model: str
    learning_rate: float
    epochs: int
    book: float | None = None
    book_epochs: int | None = None  # the epochs behind the book's number, when not `epochs`


BINARY = (
    Recipe("linear1", 1.0, 20, 0.9696, book_epochs=21),  # one epoch before the 20-epoch loop
    Recipe("linear", 1.0, 20, 0.9785),  # train_model(linear_model, 20), BasicOptim
    Recipe("simple_net", 0.1, 40, 0.9828),  # learn.fit(40, 0.1): 0.982826
)
TEN = (Recipe("linear", 1.0, 20), Recipe("simple_net", 0.1, 20))
LABELS = {"epochs": "book's epochs", "steps": "book's steps", "book_steps": "steps behind the book"}


@dataclass
class Run:
    """One seed: accuracy after every epoch; accuracy and training seconds at marked steps."""

    curve: list[float]
    marks: dict[int, tuple[float, float]]  # step -> (accuracy, training seconds)
    steps_per_epoch: int


def train(data: DigitData, recipe: Recipe, seed: int, marks: set[int], ten: bool) -> Run:
    """Trainer.fit until the last marked step's epoch ends, measuring at each marked step."""
    config = TrainConfig(model=recipe.model, learning_rate=recipe.learning_rate,
                         batch_size=BATCH, seed=seed, all_digits=ten)
    trainer = make_trainer(data, DIGITS, config)
    per_epoch = math.ceil(len(trainer.train.x) / BATCH)
    curve, measured = [], {}
    for event in trainer.fit(math.ceil(max(marks) / per_epoch)):
        if isinstance(event, EpochEvent):
            curve.append(event.valid_accuracy)
        elif event.step in marks:
            measured[event.step] = (trainer.evaluate()[1], trainer.seconds)
    return Run(curve, measured, per_epoch)


def crossing(runs: list[Run], baseline: float) -> tuple[int | None, int | None]:
    """First epoch whose median over seeds is above the baseline; first from which it stays so."""
    epochs = min(len(r.curve) for r in runs)
    above = [statistics.median(r.curve[e] for r in runs) > baseline for e in range(epochs)]
    first = next((e + 1 for e, a in enumerate(above) if a), None)
    stays = next((e + 1 for e in range(epochs) if all(above[e:])), None)
    return first, stays


def row(label: str, runs: list[Run], step: int, book: str, baseline: float) -> tuple[str, float]:
    """A table row for the accuracy at one marked step, and the mean accuracy."""
    acc = [r.marks[step][0] for r in runs]
    seconds = statistics.median(r.marks[step][1] for r in runs)
    epochs = step / runs[0].steps_per_epoch
    above = sum(a > baseline for a in acc)
    cells = [label, f"{epochs:,g}", f"{step:,}", f"{statistics.fmean(acc):.4f}",
             f"{min(acc):.4f}–{max(acc):.4f}", f"{above} of {len(acc)}", f"{seconds:.2f} s", book]
    return "| " + " | ".join(cells) + " |", statistics.fmean(acc)


def crossing_line(model: str, runs: list[Run], baseline: float) -> tuple[str, int | None]:
    """When the median passes the baseline, as a sentence, and the epoch it stays above from."""
    first, stays = crossing(runs, baseline)
    last, per = len(runs[0].curve), runs[0].steps_per_epoch
    if first is None or stays is None:
        return f"- {model}: never above it in {last} epochs", None
    return (f"- {model}: first above after epoch {first} (step {first * per}), above for good "
            f"from epoch {stays} (step {stays * per}) to epoch {last}"), stays


def binary_recipe(data: DigitData, recipe: Recipe, seeds: list[int], baseline: float,
                  figures: dict[str, str]) -> list[Run]:
    """Print one model's rows of the 3 vs 7 table; its runs."""
    per_epoch = math.ceil(sum(data.count("train", d) for d in DIGITS) / BATCH)  # 4
    book_epochs = recipe.book_epochs or recipe.epochs
    marks = [("epochs", recipe.epochs * per_epoch), ("steps", recipe.epochs * BOOK_STEPS_PER_EPOCH)]
    if recipe.book_epochs:
        marks.append(("book_steps", book_epochs * BOOK_STEPS_PER_EPOCH))
    runs = [train(data, recipe, seed, {step for _, step in marks}, False) for seed in seeds]
    book_steps = book_epochs * BOOK_STEPS_PER_EPOCH
    book = f"{recipe.book:.4f} after {book_epochs} epochs ({book_steps:,} steps)"
    for key, step in marks:
        text, mean = row(f"{recipe.model}, {LABELS[key]}", runs, step, book, baseline)
        print(text)
        figures[f"{recipe.model}_{key}"] = f"{mean:.4f}"
    return runs


def binary_report(data: DigitData, seeds: list[int], figures: dict[str, str]) -> None:
    """The 3 vs 7 table, and when each model's median passes the baseline."""
    base = similarity.evaluate(data, list(DIGITS))
    figures["baseline"] = f"{base.mean:.4f}"
    print(f"\n3 vs 7, bundled data, seeds {' '.join(map(str, seeds))}: accuracy on the book's "
          "2,038 validation images, mean and min–max over seeds; training seconds, median\n")
    print(HEADER)
    print(f"| pixel similarity (3s {base.per_digit[3]:.4f}, 7s {base.per_digit[7]:.4f}) | – | – | "
          f"{base.mean:.4f} | – | – | – | 0.9511 (3s 0.9168, 7s 0.9854) |")
    runs = {r.model: binary_recipe(data, r, seeds, base.mean, figures) for r in BINARY}
    print(f"\nThe median over seeds against the baseline ({base.mean:.4f}):")
    for model, model_runs in runs.items():
        text, stays = crossing_line(model, model_runs, base.mean)
        print(text)
        figures[f"{model}_passes_epoch"] = str(stays)


def ten_report(data: DigitData, seeds: list[int], figures: dict[str, str]) -> None:
    """All ten digits: linear and simple_net, 20 epochs, against the ten-digit baseline."""
    base = similarity.evaluate(data, data.digits)
    counts = {d: data.count("valid", d) for d in data.digits}
    overall = sum(base.per_digit[d] * n for d, n in counts.items()) / sum(counts.values())
    figures["ten_baseline"] = f"{base.mean:.4f}"
    print(f"\nAll ten digits, bundled data: 5,000 training images; accuracy on MNIST's "
          f"{sum(counts.values()):,} test digits\n")
    print(HEADER.replace(" (MNIST_SAMPLE)", ""))
    print(f"| pixel similarity (mean of the digits' accuracies; {overall:.4f} of all images) "
          f"| – | – | {base.mean:.4f} | – | – | – | – |")
    lines = []
    for recipe in TEN:
        per_epoch = math.ceil(sum(data.count("train", d) for d in data.digits) / BATCH)  # 20
        step = recipe.epochs * per_epoch
        runs = [train(data, recipe, seed, {step}, True) for seed in seeds]
        text, mean = row(f"{recipe.model}, lr {recipe.learning_rate:g}", runs, step, "–", base.mean)
        print(text)
        figures[f"ten_{recipe.model}"] = f"{mean:.4f}"
        lines.append(crossing_line(recipe.model, runs, base.mean)[0])
    print(f"\nThe median over seeds against the ten-digit baseline ({base.mean:.4f}):")
    print("\n".join(lines))


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and status 2, not argparse's usage block
        print(f"seeds.py: {message}", file=sys.stderr)
        sys.exit(2)


def seed(text: str) -> int:
    """A seed: a whole number from 0."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0, not {text!r}")
    return int(text)


def main() -> None:
    parser = Parser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=seed, nargs="+", default=[0, 1, 2, 3, 4, 42],
                        metavar="SEED")
    args = parser.parse_args()
    torch.set_num_threads(1)  # as the app
    t0, c0 = time.perf_counter(), time.process_time()
    data, figures = load_bundled(), {}
    binary_report(data, args.seeds, figures)
    ten_report(data, args.seeds, figures)
    figures["wall_s"] = f"{time.perf_counter() - t0:.0f}"
    figures["cpu_s"] = f"{time.process_time() - c0:.0f}"
    print("\n" + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
