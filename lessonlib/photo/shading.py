"""The paper under a digit: its uneven shading, and the table that shows around it in a photo."""

from __future__ import annotations

import numpy as np

from lessonlib.photo.upload import shrink

WORK = 256  # the paper's shading changes slowly: a copy with this longer side will do
EDGES = 512  # the table's outline is found on a copy with at most this longer side
EDGE_RUN = 0.25  # a table meets an edge of the image from a corner, along at least this fraction of
                 # the side
THICK = 3  # at the working size, dark areas at most this wide along an edge (twice that elsewhere)
           # are pen strokes


def shading(x: np.ndarray) -> np.ndarray:
    """Paper level under bright ink, (H, W): a quadratic surface fitted to the blocks' low
    percentiles, ink left out."""
    small = x if max(x.shape) <= WORK else shrink(x, WORK)
    b = max(4, max(small.shape) // 12)
    gh, gw = -(-small.shape[0] // b), -(-small.shape[1] // b)
    padded = np.pad(small, ((0, gh * b - small.shape[0]), (0, gw * b - small.shape[1])),
                    mode="edge")
    blocks = padded.reshape(gh, b, gw, b).transpose(0, 2, 1, 3).reshape(gh, gw, b * b)
    level = np.percentile(blocks, 20, axis=-1).ravel()  # (gh·gw,) paper, unless a block is mostly
                                                        # ink
    # block centres in pixels of the small copy
    rows, cols = np.indices((gh, gw)).reshape(2, -1) * b + b / 2
    basis = _quadratic(rows / max(small.shape), cols / max(small.shape))  # (gh·gw, 6)
    keep = level <= np.median(level)  # start from the lower half: ink covers fewer than half of the
                                      # blocks
    for _ in range(5):  # refit to every block near the surface; those standing out above it hold
                        # ink
        coef = np.linalg.lstsq(basis[keep], level[keep], rcond=None)[0]
        excess = level - basis @ coef
        keep = excess <= 3 * 1.4826 * np.median(np.abs(excess[keep])) + 0.02
    r = np.arange(x.shape[0], dtype=np.float32)[:, None] / max(x.shape)  # (H, 1)
    c = np.arange(x.shape[1], dtype=np.float32)[None, :] / max(x.shape)  # (1, W)
    k = coef.astype(np.float32)
    # broadcast to (H, W)
    return k[0] + k[1] * r + k[2] * c + k[3] * r * r + k[4] * r * c + k[5] * c * c


def _quadratic(r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Terms of a quadratic surface (1, r, c, r², rc, c²) stacked on a new last axis: shading,
    gradients, vignettes."""
    return np.stack([np.ones_like(r), r, c, r * r, r * c, c * c], axis=-1)


def table(ink: np.ndarray) -> np.ndarray:
    """Which pixels of an (H, W) ink mask are the table around the paper rather than a digit, (H, W)
    bool."""
    # (h, w) any ink in the area
    small = shrink(ink.astype(np.float32), min(EDGES, max(ink.shape))) > 0
    rows = ((np.arange(ink.shape[0]) + 0.5) * small.shape[0] / ink.shape[0]).astype(int)
    cols = ((np.arange(ink.shape[1]) + 0.5) * small.shape[1] / ink.shape[1]).astype(int)
    full = _table(small)[rows][:, cols]  # (h, w) -> (H, W), nearest neighbour
    # and the paper's shaded rim next to it
    return _dilate(full, 1 + -(-max(ink.shape) // max(small.shape)))


def _table(small: np.ndarray) -> np.ndarray:
    """Table: broad areas along the edge from a corner with their thin tips, and ink that never
    leaves the edge."""
    broad = _dilate(~_dilate(~small, THICK), THICK)  # an opening: strokes vanish, broad areas
                                                     # (and edge strips) stay
    rim = np.ones_like(small)
    rim[THICK:-THICK, THICK:-THICK] = False  # a band THICK pixels wide along the edges
    within = broad | (small & rim)
    seed = np.zeros_like(small)
    for edge in (np.s_[0, :], np.s_[-1, :], np.s_[:, 0], np.s_[:, -1]):
        seed[edge] |= _corner_runs(within[edge], EDGE_RUN * within[edge].size)
    along = _grow(seed, within)
    inward = _grow(small & ~rim, small)  # ink that reaches further in than the band, as every digit
                                         # does
    return _grow(along & broad, along) | (small & ~inward)  # a pen stroke along the edge is never
                                                            # broad


def _dilate(mask: np.ndarray, r: int) -> np.ndarray:
    """Set every pixel within a (2r + 1)-pixel square of a set pixel; nothing is set beyond the
    image."""
    out = mask.copy()
    for _ in range(r):  # one pixel each way per step: down, up, right, left
        out[1:] |= out[:-1]
        out[:-1] |= out[1:]
        out[:, 1:] |= out[:, :-1]
        out[:, :-1] |= out[:, 1:]
    return out


def _grow(seed: np.ndarray, within: np.ndarray) -> np.ndarray:
    """The parts of `within` connected (8-neighbour) to the seed pixels."""
    grown = seed & within
    while True:
        bigger = _dilate(grown, 1) & within
        if (bigger == grown).all():
            return grown
        grown = bigger


def _corner_runs(line: np.ndarray, length: float) -> np.ndarray:
    """Which entries of a 1-D boolean array lie in a run of set entries from either end at least
    `length` long."""
    # start, end, start, end …
    bounds = np.flatnonzero(np.diff(np.concatenate([[0], line.astype(np.int8), [0]])))
    out = np.zeros(line.shape, bool)
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        out[start:end] = end - start >= length and (start == 0 or end == line.size)
    return out
