"""The similarity page's drawing: the chosen image's distances and the verdict of the nearest mean,
and what stands between the book's numbers and the live ones."""

from __future__ import annotations

import pandas as pd

from lessonlib import book
from lessonlib.data import DigitData
from lessonlib.similarity import BaselineResult


def prediction(where, table: pd.DataFrame, pair: tuple[int, int], metric: str, predicted: int,
               true: int) -> None:
    """The image's L1 and RMSE to each mean (rows: digits), and whether the nearest mean is its
    digit."""
    m = where.columns(4)
    for i, d in enumerate(pair):
        m[2 * i].metric(f"L1 to mean{d}", f"{table.loc[d, 'L1']:.4f}")
        m[2 * i + 1].metric(f"RMSE to mean{d}", f"{table.loc[d, 'RMSE']:.4f}")
    verdict = f"Prediction by {metric}: **{predicted}** (nearest mean) — the true digit is {true}"
    (where.success if predicted == true else where.error)(
        verdict + (": correct." if predicted == true else ": wrong."))


def books_note(data: DigitData, pair: tuple[int, int], metric: str,
               result: BaselineResult) -> str:
    """How to compare like with like (other digits, another distance), or what still differs from
    the book's run: the training images, or the validation images themselves."""
    if pair != (3, 7):
        return ("The book's figures are for 3 vs 7: pick 3 and 7 in the sidebar to compare like "
                "with like.")
    if metric != "L1":
        return "The book's figures use L1: switch the distance above to compare like with like."
    if book.has_books_validation(data):
        theirs = [book.MNIST_SAMPLE_COUNTS[("train", d)] for d in pair]
        return (f"The book's own validation images; the means here come from "
                f"{data.count('train', 3):,} and {data.count('train', 7):,} training images, "
                f"the book's from {theirs[0]:,} and {theirs[1]:,}. The mean accuracy differs by "
                f"{result.mean - book.BASELINE_MEAN:+.4f}.")
    n = data.count("valid", pair[0])
    return (f"Other validation images than the book's move these numbers: with {n:,} images "
            f"of {pair[0]}, each one is {1 / n:.2%} of its accuracy.")
