"""Broadcasting, step by step: the book's `is_3(valid_3)` on a whole stack at once, with the shape
of every tensor."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lessonlib.distances import l1


@dataclass(frozen=True)
class Step:
    """One line of the broadcasting computation: the code, the shape of what it gave, what
    happened."""

    code: str
    shape: tuple[int, ...]
    note: str


def broadcast_steps(valid: torch.Tensor, mean_a: torch.Tensor, mean_b: torch.Tensor,
                    names: tuple[int, int] = (3, 7)) -> tuple[list[Step], float]:
    """The book's `is_3(valid_3)` on a whole stack at once, recording the real shape of every
    tensor."""
    a, b = names
    steps: list[Step] = []

    def keep(code: str, t: torch.Tensor, note: str) -> torch.Tensor:
        steps.append(Step(code, tuple(t.shape), note))
        return t

    x = keep(f"valid_{a}", valid, "every validation image of one digit: a rank-3 tensor")
    m = keep(f"mean{a}", mean_a, "the ideal digit: a matrix (rank 2)")
    stride = tuple(m.expand_as(x).stride())
    diff = keep(f"valid_{a} - mean{a}", x - m,  # (N, 28, 28) - (28, 28) -> (N, 28, 28)
                f"broadcast: mean{a} is reused for every image (stride {stride}), never copied")
    dist_a = keep(f"dist_to_{a} = (valid_{a} - mean{a}).abs().mean((-1, -2))",
                  diff.abs().mean((-1, -2)),
                  "averaged over the last two axes (rows, columns): one distance per image")
    dist_b = keep(f"dist_to_{b} = mnist_distance(valid_{a}, mean{b})", l1(x, mean_b),
                  "the same to the other mean")
    is_a = keep(f"is_{a} = dist_to_{a} < dist_to_{b}", dist_a < dist_b,
                "elementwise comparison: one bool per image")
    acc = keep(f"is_{a}.float().mean()", is_a.float().mean(),
               "a rank-0 tensor (a scalar): the accuracy")
    return steps, acc.item()
