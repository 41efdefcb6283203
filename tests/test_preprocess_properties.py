"""Property-based: any gray image either becomes an MNIST-like 28×28 digit or is refused as "no
ink"."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lessonlib.photo.preprocess import NoInkError, preprocess

shapes = st.tuples(st.integers(1, 90), st.integers(1, 90))
images = shapes.flatmap(lambda s: arrays(np.float64, s, elements=st.floats(0, 1, allow_nan=False)))


@settings(max_examples=150, deadline=None)
@given(images)
def test_any_image_gives_a_28_by_28_digit_in_0_1_or_no_ink(gray):
    try:
        steps = preprocess(gray)
    except NoInkError:
        return
    x = steps.final
    assert x.shape == (28, 28) and x.dtype == torch.float32
    assert torch.isfinite(x).all() and x.min() >= 0 and abs(x.max().item() - 1) < 1e-6
    assert max(steps.scaled.shape) <= 20  # the longer side of the ink is scaled to 20 px at most


@settings(max_examples=60, deadline=None)
@given(st.integers(8, 40), st.integers(8, 40), st.integers(0, 50), st.integers(0, 50))
def test_a_dark_stroke_on_light_paper_is_found_wherever_it_is(h, w, top, left):
    paper = np.full((100, 100), 0.9)
    paper[top : top + h, left : left + w] = 0.1  # a dark outline (a "0" drawn as a box, strokes 3
                                                 # px) ...
    paper[top + 3 : top + h - 3, left + 3 : left + w - 3] = 0.9  # ... on light paper
    steps = preprocess(paper)
    assert steps.inverted
    assert steps.box == (top, top + h, left, left + w)  # top, bottom, left, right
    rows, cols = np.nonzero(steps.centred > 0.5)
    centre_of_mass = np.average(np.indices((28, 28)).reshape(2, -1), axis=1,
                                weights=steps.centred.ravel())
    assert np.allclose(centre_of_mass, 14, atol=0.75)  # centred by centre of mass, as MNIST
    assert max(np.ptp(rows), np.ptp(cols)) + 1 <= 21


blocks = st.tuples(st.integers(4, 70),
                   st.integers(4, 70)).filter(lambda hw: hw[0] * hw[1] <= 4000).flatmap(
    lambda hw: st.tuples(st.just(hw[0]), st.just(hw[1]), st.integers(1, 99 - hw[0]),
                         st.integers(1, 99 - hw[1])))


@settings(max_examples=60, deadline=None)
@given(blocks)
def test_a_solid_dark_block_on_light_paper_is_cropped_to_the_block(block):
    """Thick marker close up: filled dark areas up to 40% of the picture, anywhere short of the
    image's edge."""
    h, w, top, left = block
    paper = np.full((100, 100), 0.9)
    paper[top : top + h, left : left + w] = 0.1
    steps = preprocess(paper)
    assert steps.inverted
    assert steps.box == (top, top + h, left, left + w)


@settings(max_examples=40, deadline=None)
@given(blocks, st.integers(0, 2**32 - 1))
def test_a_solid_block_on_shaded_noisy_paper_is_cropped_within_two_pixels(block, seed):
    h, w, top, left = block
    rng = np.random.default_rng(seed)
    rows, cols = np.indices((100, 100)) / 100
    a, b = rng.uniform(-0.1, 0.1, 2)  # light falling off across the sheet, up to 0.1 from side to
                                      # side
    paper = 0.8 + a * (rows - 0.5) + b * (cols - 0.5) + rng.normal(0, 0.02, (100, 100))
    paper[top : top + h, left : left + w] *= 0.2
    steps = preprocess(paper)
    assert np.abs(np.array(steps.box) - (top, top + h, left, left + w)).max() <= 2
