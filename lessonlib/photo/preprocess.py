"""A user's digit made the way MNIST's were: light ink on black, cropped, 20 px on its longer side,
centred in 28×28."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from lessonlib.photo import shading
from lessonlib.photo.upload import UploadError, shrink

BOX, FRAME = 20, 28  # MNIST: the digit's longer side is 20 px, centred in a 28×28 frame
CENTRE = 14.0  # where MNIST's centres of mass sit, in pixel indices: 14.0 ± 0.29 over the bundled
               # digits
MIN_INK = 0.12  # the weakest contrast counted as ink, on a 0–1 scale
STROKE = 1.95  # MNIST's median stroke width by stroke_width(), in pixels of the 20-px box
THIN = 1.5  # thinner than 9 in 10 MNIST digits: such strokes are thickened towards STROKE


class NoInkError(UploadError):
    """An image in which no ink stands out from the paper."""


def _otsu(x: np.ndarray) -> float:
    """The threshold that best splits the values in two groups (Otsu's method, 256 bins)."""
    counts, edges = np.histogram(x, bins=256, range=(0, 1))
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(counts)
    m0 = np.cumsum(counts * centres)
    w1, m1 = w0[-1] - w0, m0[-1] - m0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = w0 * w1 * (m0 / w0 - m1 / w1) ** 2
    return float(edges[1:][np.nanargmax(np.nan_to_num(between, nan=-1))])


def _neighbours(mask: np.ndarray) -> np.ndarray:
    """How many of the 3×3 pixels around each pixel (itself included) are set."""
    p = np.pad(mask.astype(np.uint8), 1)
    h, w = mask.shape
    return sum(p[i : i + h, j : j + w] for i in range(3) for j in range(3))


def _ink_box(ink: np.ndarray, mask: np.ndarray, trim: float = 0.001) -> tuple[int, int, int, int]:
    """Rows and columns (top, bottom, left, right; end exclusive) around the mask's ink and its soft
    edges."""
    box = []
    margin = max(2, max(ink.shape) // 100)  # soft, anti-aliased edges lie next to the mask
    for axis, size in ((1, ink.shape[0]), (0, ink.shape[1])):
        where = np.flatnonzero(mask.any(axis))
        lo, hi = max(where[0] - margin, 0), min(where[-1] + 1 + margin, size)
        mass = np.cumsum(ink.sum(axis)[lo:hi])
        # a sliver of faint mass is left out
        start = int(np.searchsorted(mass, trim * mass[-1], side="right"))
        end = int(np.searchsorted(mass, (1 - trim) * mass[-1], side="left")) + 1
        box += [lo + start, lo + max(end, start + 1)]
    return box[0], box[1], box[2], box[3]


@dataclass
class Steps:
    """Every intermediate image of the preprocessing, for showing, and the MNIST-like result."""

    gray: np.ndarray  # (H, W) the input as luminance, 1 = white
    inverted: bool  # the ink was dark on light paper, so the image was flipped
    ink: np.ndarray  # (H, W) ink bright on black, the paper's level and noise removed, ink ≈ 1
    box: tuple[int, int, int, int]  # top, bottom, left, right of the ink in `ink`
    cropped: np.ndarray  # (h, w) the ink's bounding box
    stroke: float  # estimated stroke width, in pixels of the 20-px box
    thickened: np.ndarray | None  # (≤80+, ≤80+) the crop with thin strokes widened, or None when
                                  # not needed
    scaled: np.ndarray  # (≤20, ≤20) longer side 20 px
    centred: np.ndarray  # (28, 28) centre of mass at (14, 14)
    final: torch.Tensor  # (28, 28) in [0, 1], brightest pixel 1: the models' input


def extract_ink(gray: np.ndarray) -> tuple[np.ndarray, bool, np.ndarray]:
    """Ink as bright on black with the paper (and any table around it) removed, whether it was
    inverted, its mask."""
    # paper fills most of the picture: is it light?
    inverted = bool(np.median(gray) > (gray.min() + gray.max()) / 2)
    x = 1 - gray if inverted else gray  # MNIST wants light ink on black
    x = x - shading.shading(x)  # paper shading and tint removed: paper ≈ 0 give or take its noise
    threshold = max(_otsu(np.clip(x, 0, 1)), MIN_INK)
    mask = (x > threshold) & (_neighbours(x > threshold) >= 3)  # lone specks of noise are not ink
    table = shading.table(mask)  # (H, W) the table around the sheet, where the photo shows it
    mask &= ~table
    if mask.sum() < 4 or (mask | table).all():
        raise NoInkError("I can't find a digit: no ink stands out from the background.")
    blank, ink = x[~mask & ~table], x[mask]
    blank = blank[:: max(1, blank.size // 50_000)]  # a regular sample is plenty for two statistics
    mid = np.median(blank)
    # about 3σ of the paper's noise above its level
    floor = float(mid + 4.5 * np.median(np.abs(blank - mid)))
    level = float(np.percentile(ink[:: max(1, ink.size // 50_000)], 90))  # typical ink, made 1
    return np.clip((x - floor) / max(level - floor, 1e-6), 0, 1) * ~table, inverted, mask


def centre(scaled: np.ndarray) -> np.ndarray:
    """Place a ≤20×20 image in a 28×28 frame with its centre of mass nearest (14, 14), as MNIST did.

    Shifts are whole pixels, ties rounded towards the top left, so a 20×20 block gets 4 pixels of
    margin all round."""
    h, w = scaled.shape
    rows, cols = np.indices(scaled.shape)
    total = scaled.sum()
    com = (rows * scaled).sum() / total, (cols * scaled).sum() / total
    top, left = (int(np.clip(np.ceil(CENTRE - c - 0.5 - 1e-6), 0, FRAME - n))
                 for c, n in zip(com, (h, w), strict=True))
    frame = np.zeros((FRAME, FRAME), np.float32)
    frame[top : top + h, left : left + w] = scaled
    return frame


def stroke_width(image: np.ndarray) -> float:
    """Rough stroke width of a crop, in pixels of the 20-px box: twice the inked area over its
    outline."""
    work = shrink(image, 4 * BOX) > 0.5  # (≤80, ≤80) the same resolution for every input
    outline = (work & (_neighbours(work) < 9)).sum()
    return float(2 * work.sum() / max(outline, 1) / 4)


def thicken(image: np.ndarray, radius: int) -> np.ndarray:
    """Grey dilation by `radius` pixels, alternating a 3×3 square and a cross (a rough disc); the
    image grows."""
    image = np.pad(image, radius)
    h, w = image.shape
    for i in range(radius):
        p = np.pad(image, 1)
        shifts = ([(1, 1), (0, 1), (2, 1), (1, 0), (1, 2)]
                  + ([(0, 0), (0, 2), (2, 0), (2, 2)] if i % 2 == 0 else []))
        image = np.max([p[a : a + h, b : b + w] for a, b in shifts], axis=0)
    return image


def preprocess(gray: np.ndarray) -> Steps:
    """The MNIST recipe on an (H, W) gray image: invert, crop to the ink, scale to 20 px, centre in
    28×28."""
    ink, inverted, mask = extract_ink(gray)
    top, bottom, left, right = _ink_box(ink, mask)
    cropped = ink[top:bottom, left:right]  # (h, w)
    if not cropped.any():
        raise NoInkError("I can't find a digit: the ink is too faint.")
    stroke, thickened = stroke_width(cropped), None
    if stroke < THIN:  # a fine pen: widen the strokes at 4× the final size, then scale down
        # radius in 80-px pixels
        thickened = thicken(shrink(cropped, 4 * BOX), round(2 * (STROKE - stroke)))
    scaled = np.clip(shrink(cropped if thickened is None else thickened, BOX), 0, 1)  # (≤20, ≤20)
    centred = centre(scaled)  # (28, 28)
    final = torch.from_numpy(centred / centred.max()).float()  # (28, 28), brightest pixel 1
    return Steps(gray, inverted, ink, (top, bottom, left, right), cropped, stroke, thickened,
                 scaled, centred, final)
