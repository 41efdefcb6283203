"""A digit as numbers: pixel tables, shapes and ranks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from pandas.io.formats.style import Styler


def pixel_table(image: torch.Tensor, rows: tuple[int, int], cols: tuple[int, int]) -> pd.DataFrame:
    """Pixel values 0–255 of the slice image[r0:r1, c0:c1] (the ends excluded, as Python slices),
    rows and columns labelled by their index in the image."""
    (r0, r1), (c0, c1) = rows, cols
    values = (image[r0:r1, c0:c1] * 255).round().to(torch.uint8).numpy()  # (r1 - r0, c1 - c0)
    return pd.DataFrame(values, index=list(range(r0, r1)), columns=list(range(c0, c1)))


def inkiest_window(image: torch.Tensor, size: int = 6) -> tuple[int, int]:
    """Top-left (row, col) of the size × size square holding the most ink: a slice worth
    printing."""
    # (28, 28) -> (29 - size, 29 - size)
    sums = F.avg_pool2d(image[None, None], size, stride=1)[0, 0]
    r, c = divmod(int(sums.argmax()), sums.shape[1])
    return r, c


def shaded(table: pd.DataFrame) -> Styler:
    """The table shaded like the digit: dark cells for high values, as the book's view."""
    return table.style.background_gradient("Greys", vmin=0, vmax=255).format("{:d}")


@dataclass(frozen=True)
class TensorFacts:
    """What the book asks of a tensor: its shape, its rank (number of axes) and its element type."""

    shape: tuple[int, ...]
    rank: int
    dtype: str

    @property
    def kind(self) -> str:
        """A name for the rank: scalar, vector, matrix, or a rank-n tensor."""
        return {0: "scalar", 1: "vector", 2: "matrix"}.get(self.rank, f"rank-{self.rank} tensor")


def facts(x: torch.Tensor | np.ndarray) -> TensorFacts:
    """Shape, rank and dtype of a tensor or array."""
    return TensorFacts(tuple(x.shape), x.ndim, str(x.dtype))


def as_colour(image: torch.Tensor) -> torch.Tensor:
    """The grey image as an RGB image, (28, 28) -> (28, 28, 3): a colour picture has one more
    axis."""
    return image.unsqueeze(-1).expand(*image.shape, 3)
