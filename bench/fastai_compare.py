"""Our training loop against fastbook's recipe on fastai's Learner: time and accuracy on the same
data.

For each of the chapter's two recipes (nn.Linear, lr 1, 20 epochs; simple_net with 30 hidden units,
lr 0.1, 40 epochs; batch 256 for both), on the bundled digits (3 vs 7, 800 training / 200 validation
images), from the same initial weights (lessonlib.models.make_model with the same seed):

(a) ours:     lessonlib.training.Trainer(...).fit(epochs), consumed fully;
(b) fastai:   the book's recipe: a list of (x, y) tuples in fastai DataLoaders (bs 256, the training
one shuffled),
              Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy),
              learn.fit(epochs, lr), inside learn.no_bar() and learn.no_logging();
(c) fastai with its default callbacks as a learner runs it (progress bar and per-epoch table on; the
console output
    goes to a string buffer so this output stays readable).

Only fit() is timed, in CPU seconds of this process (time.process_time; torch on one thread, as the
app), so other programs on the machine barely move the figures; wall seconds are shown too. Repeat r
uses seed `--seed + r` for all three. Last line: `speedup_linear=X.XX speedup_simple_net=Y.YY`,
median fastai (b) CPU time / median ours.

    bash bench/install_fastai.sh                              # once: a separate venv with fastai
    .venv-fastai/bin/python bench/fastai_compare.py [--repeats 5] [--seed 42] [--tolerance 0.01]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessonlib.data import load_bundled  # noqa: E402
from lessonlib.loss import batch_accuracy, mnist_loss  # noqa: E402
from lessonlib.models import make_model  # noqa: E402
from lessonlib.training import Split, TrainConfig, Trainer, binary_split  # noqa: E402

try:
    with warnings.catch_warnings():  # torch warns about torch.jit.script while fastai imports
        warnings.simplefilter("ignore", FutureWarning)
        import fastai
        from fastai.callback.progress import ProgressCallback  # noqa: F401 (adds the bar to the default callbacks)
        from fastai.data.core import DataLoaders
        from fastai.data.load import DataLoader
        from fastai.learner import Learner
        from fastai.optimizer import SGD
except ImportError:
    print("fastai is not installed here: run `bash bench/install_fastai.sh`, then "
          "`.venv-fastai/bin/python bench/fastai_compare.py`")
    sys.exit(1)

BATCH_SIZE, HIDDEN, DIGITS = 256, 30, (3, 7)


@dataclass(frozen=True)
class Recipe:
    label: str
    model: str
    learning_rate: float
    epochs: int


RECIPES = {
    "linear": Recipe("nn.Linear, lr 1", "linear", 1.0, 20),
    "simple_net": Recipe("simple_net (30), lr 0.1", "simple_net", 0.1, 40),
}
RUNNERS = ("ours", "fastai", "fastai_bar")
RUNNER_LABELS = {
    "ours": "lessonlib Trainer.fit",
    "fastai": "fastai Learner, no bar/logging",
    "fastai_bar": "fastai Learner, default callbacks",
}


@dataclass
class Run:
    cpu: float
    wall: float
    steps: int
    accuracy: float


@torch.no_grad()
def accuracy(model: torch.nn.Module, valid: Split) -> float:
    """The same measure for both: the book's batch_accuracy on the whole validation set."""
    return batch_accuracy(model(valid.x), valid.y).item()


def timed(fit: Callable[[], object]) -> tuple[float, float]:
    """CPU and wall seconds that fit() takes."""
    c0, w0 = time.process_time(), time.perf_counter()
    fit()
    return time.process_time() - c0, time.perf_counter() - w0


def ours(train: Split, valid: Split, recipe: Recipe, seed: int, epochs: int) -> Run:
    """Our loop: every batch and epoch event consumed, as the CLI does."""
    config = TrainConfig(model=recipe.model, learning_rate=recipe.learning_rate,
                         batch_size=BATCH_SIZE, hidden=HIDDEN, seed=seed)
    trainer = Trainer(train, valid, config)
    cpu, wall = timed(lambda: list(trainer.fit(epochs)))
    return Run(cpu, wall, trainer.steps, accuracy(trainer.model, valid))


def book_learner(train: Split, valid: Split, recipe: Recipe, seed: int) -> Learner:
    """fastbook's recipe: datasets as lists of (x, y) tuples, fastai DataLoaders, a Learner with
    fastai's SGD."""
    random.seed(seed)  # a fastai DataLoader seeds its shuffling from Python's random
    # items: (784,), (1,)
    train_dl = DataLoader(list(zip(train.x, train.y, strict=True)), bs=BATCH_SIZE, shuffle=True)
    valid_dl = DataLoader(list(zip(valid.x, valid.y, strict=True)), bs=BATCH_SIZE)
    model = make_model(recipe.model, HIDDEN, seed)  # the weights our Trainer starts from
    return Learner(DataLoaders(train_dl, valid_dl), model, opt_func=SGD, loss_func=mnist_loss,
                   metrics=batch_accuracy)


def on_fastai(train: Split, valid: Split, recipe: Recipe, seed: int, epochs: int, bar: bool) -> Run:
    """learn.fit(epochs, lr), quiet (no bar, no logging) or with fastai's default callbacks."""
    learn = book_learner(train, valid, recipe, seed)
    if bar:
        with contextlib.redirect_stdout(io.StringIO()):  # the bar and table are still drawn, into a
                                                         # buffer
            cpu, wall = timed(lambda: learn.fit(epochs, recipe.learning_rate))
    else:
        with learn.no_bar(), learn.no_logging():
            cpu, wall = timed(lambda: learn.fit(epochs, recipe.learning_rate))
    return Run(cpu, wall, learn.train_iter, accuracy(learn.model, valid))


def run_one(runner: str, train: Split, valid: Split, recipe: Recipe, seed: int, epochs: int) -> Run:
    if runner == "ours":
        return ours(train, valid, recipe, seed, epochs)
    return on_fastai(train, valid, recipe, seed, epochs, bar=runner == "fastai_bar")


def measure(train: Split, valid: Split, repeats: int,
            seed: int) -> dict[tuple[str, str], list[Run]]:
    """Every recipe by every runner, `repeats` times; the order of the runners rotates between
    repeats."""
    for recipe in RECIPES.values():  # warm up: first calls pay for lazy imports and allocations
        for runner in RUNNERS:
            run_one(runner, train, valid, recipe, seed, 1)
    runs: dict[tuple[str, str], list[Run]] = {}
    for r in range(repeats):
        for name, recipe in RECIPES.items():
            for i in range(len(RUNNERS)):
                runner = RUNNERS[(i + r) % len(RUNNERS)]
                run = run_one(runner, train, valid, recipe, seed + r, recipe.epochs)
                runs.setdefault((name, runner), []).append(run)
    return runs


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def report(runs: dict[tuple[str, str], list[Run]], tolerance: float) -> str:
    """The table, a parity line per recipe, and the last line with the speedups."""
    print(f"{'recipe':24} {'runner':34} {'steps':>5} {'CPU s':>7} {'wall s':>7} {'ms/step':>8} "
          f"{'accuracy (median, min-max)':>27}")
    speedups = []
    for name, recipe in RECIPES.items():
        for runner in RUNNERS:
            rs = runs[(name, runner)]
            cpu, steps = median(rs, "cpu"), rs[0].steps
            accs = [run.accuracy for run in rs]
            print(f"{recipe.label:24} {RUNNER_LABELS[runner]:34} {steps:5d} {cpu:7.3f} "
                  f"{median(rs, 'wall'):7.3f} {1000 * cpu / steps:8.2f} "
                  f"{statistics.median(accs):11.4f} ({min(accs):.3f}-{max(accs):.3f})")
        ours_acc, fastai_acc = (median(runs[(name, k)], "accuracy") for k in ("ours", "fastai"))
        verdict = "at parity" if ours_acc >= fastai_acc - tolerance else "BELOW fastai"
        print(f"  {name}: ours {ours_acc:.4f} vs fastai {fastai_acc:.4f} (tolerance "
              f"{tolerance:.3f}): {verdict}")
        speedup = median(runs[(name, "fastai")], "cpu") / median(runs[(name, "ours")], "cpu")
        speedups.append(f"speedup_{name}={speedup:.2f}")
    return " ".join(speedups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42,
                        help="repeat r uses seed + r, the same for all runners")
    parser.add_argument("--tolerance", type=float, default=0.01,
                        help="accuracy parity margin (0.01 = 1 point)")
    args = parser.parse_args()
    torch.set_num_threads(1)  # as the app; fastai's DataLoader uses no worker processes here
                              # (num_workers=0)
    data = load_bundled()
    train, valid = binary_split(data, "train", DIGITS), binary_split(data, "valid", DIGITS)
    print(f"torch {torch.__version__}, fastai {fastai.__version__}, {torch.get_num_threads()} "
          f"thread; {len(train.x)} training / {len(valid.x)} validation images; batch "
          f"{BATCH_SIZE}; {args.repeats} repeats, seeds "
          f"{args.seed}-{args.seed + args.repeats - 1}; medians")
    last = report(measure(train, valid, args.repeats, args.seed), args.tolerance)
    print(last)


if __name__ == "__main__":
    main()
