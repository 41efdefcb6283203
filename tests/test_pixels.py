"""Pixel tables, shapes and ranks against numpy."""

import numpy as np
import torch

from lessonlib import pixels


def test_pixel_table_is_the_numpy_slice(bundled):
    im = bundled.images("train", 3)[1]
    table = pixels.pixel_table(im, (4, 15), (4, 22))
    raw = np.round(im.numpy() * 255).astype(np.uint8)
    assert table.shape == (11, 18)  # the book's im3[4:15, 4:22]: the ends excluded
    assert list(table.index) == list(range(4, 15)) and list(table.columns) == list(range(4, 22))
    np.testing.assert_array_equal(table.to_numpy(), raw[4:15, 4:22])


def test_shaded_table_renders_dark_cells_for_ink():
    im = torch.zeros(28, 28)
    im[5, 5] = 1.0
    html = pixels.shaded(pixels.pixel_table(im, (4, 6), (4, 6))).to_html()
    assert "background-color: #000000" in html and "background-color: #ffffff" in html


def test_facts_name_ranks_correctly(bundled):
    stack = bundled.images("train", 7)
    assert pixels.facts(stack[0]) == pixels.TensorFacts((28, 28), 2, "torch.float32")
    assert pixels.facts(stack[0]).kind == "matrix"
    assert (pixels.facts(stack).shape == (500, 28, 28)
            and pixels.facts(stack).kind == "rank-3 tensor")
    assert pixels.facts(torch.tensor(1.0)).kind == "scalar"
    assert pixels.facts(np.zeros(3)).kind == "vector"
    colour = pixels.as_colour(stack[0])
    assert colour.shape == (28, 28, 3) and torch.equal(colour[..., 2], stack[0])


def test_inkiest_window_matches_a_brute_force_search(bundled):
    for im in bundled.images("train", 3)[:5]:
        a = im.numpy()
        sums = {(r, c): a[r : r + 6, c : c + 6].sum() for r in range(23) for c in range(23)}
        best = max(sums.values())
        r, c = pixels.inkiest_window(im)
        assert abs(sums[(r, c)] - best) < 1e-4
        assert a[r : r + 6, c : c + 6].max() > 0.5  # the printed slice shows ink
