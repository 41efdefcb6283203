"""The paper under a digit: its shading recovered under heavy ink, and the table told apart from pen
strokes."""

import numpy as np
import pytest
import torch

from lessonlib.photo import shading


def test_dilate_is_a_square_max_filter_like_torchs_max_pool():
    rng = np.random.default_rng(0)
    for _ in range(100):
        mask = rng.random(tuple(rng.integers(1, 40, 2))) < rng.random() * 0.2
        r = int(rng.integers(0, 6))
        t = torch.from_numpy(mask.astype(np.float32))[None, None]
        expected = (torch.nn.functional.max_pool2d(t, 2 * r + 1, stride=1, padding=r)[0, 0].numpy()
                    > 0)
        np.testing.assert_array_equal(shading._dilate(mask, r), expected)


def test_corner_runs_keep_long_runs_that_start_at_either_end():
    line = np.array([1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1], bool)
    # the middle run is long but touches no end
    expected = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1], bool)
    np.testing.assert_array_equal(shading._corner_runs(line, 2), expected)
    np.testing.assert_array_equal(shading._corner_runs(line, 3), expected & (np.arange(12) < 3))


def test_shading_recovers_a_known_surface_under_heavy_ink():
    """A quadratic paper level (ink bright on it, as after inverting) with a third of it covered by
    thick ink."""
    rng = np.random.default_rng(1)
    rows, cols = np.indices((300, 240)) / 300
    # (300, 240)
    surface = 0.2 + 0.08 * rows - 0.05 * cols + 0.1 * (rows - 0.5) ** 2 - 0.06 * rows * cols
    x = surface + rng.normal(0, 0.02, surface.shape)
    ink = np.zeros(surface.shape, bool)
    ink[40:170, 30:150] = True  # a filled block …
    ink[180:280, 100:130] = ink[240:270, 60:220] = True  # … and thick strokes
    assert 0.3 < ink.mean() < 0.4
    blank = shading.shading(x)
    x[ink] += 0.6
    np.testing.assert_allclose(shading.shading(x), blank, atol=0.01)  # as if the ink were not there
    # fitted to low percentiles: 0.84σ = 0.017 low
    np.testing.assert_allclose(shading.shading(x), surface, atol=0.02)


def test_the_table_is_found_around_a_thin_digit():
    mask = np.zeros((300, 240), bool)
    mask[:40, :] = mask[:, :25] = mask[-12:, :] = True  # table above, left and below the sheet
    mask[100:200, 118:124] = mask[100:106, 100:160] = True  # a thin "T" on the sheet
    found = shading.table(mask)
    assert found[:40].all() and found[:, :25].all() and found[-12:].all()
    assert not found[100:200, 118:124].any() and not found[100:106, 100:160].any()
    assert not found[45:-17, 30:].any()  # within a few pixels of the table's edge, nothing more


def test_a_sliver_of_table_alone_at_an_edge_is_table():
    mask = np.zeros((200, 160), bool)
    mask[-2:, :] = True  # two pixels of table along the bottom
    mask[60:140, 70:76] = True  # a "1"
    found = shading.table(mask)
    assert found[-2:].all() and not found[60:140, 70:76].any()


@pytest.mark.parametrize("name", ["outline in the corner", "drawn stroke edge to edge",
                                  "blob on one edge"])
def test_strokes_and_blobs_that_touch_the_edge_are_not_table(name):
    mask = np.zeros((100, 100), bool)
    if name == "outline in the corner":  # a "0" drawn as a box, 3-px strokes, in the top-left
                                         # corner
        mask[0:40, 0:40] = True
        mask[3:37, 3:37] = False
    elif name == "drawn stroke edge to edge":  # the canvas's 22-px pen from top to bottom
        mask[:, 40:62] = True
    else:  # a thick marker stroke cut by the top edge, away from the corners
        mask[0:30, 40:60] = True
    assert not shading.table(mask).any()
