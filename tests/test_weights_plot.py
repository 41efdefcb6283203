"""The weights picture: the grid of maps, the colour of each weight, and the PNG the browser
gets."""

import base64
import io

import numpy as np
import pytest
import torch
from PIL import Image
from plotly.colors import sample_colorscale, unlabel_rgb

from lessonlib.plots import weights


def decoded(fig) -> np.ndarray:
    """The RGBA pixels of the figure's image trace."""
    source = fig.data[0].source
    assert source.startswith("data:image/png;base64,")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1]))).convert(
        "RGBA"))


def rdbu(value: float) -> tuple[int, ...]:
    """plotly's own RdBu_r colour at a value in [-1, 1], the reference for our lookup table."""
    return tuple(int(round(c))
                 for c in unlabel_rgb(sample_colorscale("RdBu_r", [(value + 1) / 2])[0]))


def test_tile_places_each_map_on_its_own_scale_with_gaps():
    w = torch.randn(30, 28, 28)
    z = weights.tile(w, 8)
    assert z.shape == (4 * 29 - 1, 8 * 29 - 1)  # 30 units in 8 columns: 4 rows, 1-pixel gaps
    assert np.isnan(z[28, 0]) and np.isnan(z[0, 28])
    # unit 9: row 1, column 1
    assert np.allclose(z[29:57, 29:57], (w[9] / w[9].abs().max()).numpy(), atol=1e-6)


def test_colour_matches_plotlys_colour_scale_and_leaves_gaps_transparent():
    z = np.array([[-2.0, -1.0, 0.0], [1.0, 2.0, np.nan]])
    rgba = weights.colour(z, 2.0)
    for value, pixel in ((-1.0, rgba[0, 0]), (-0.5, rgba[0, 1]), (0.0, rgba[0, 2]),
                         (0.5, rgba[1, 0]), (1.0, rgba[1, 1])):
        # 256 levels: within a rounding step
        assert np.abs(np.array(rdbu(value)) - pixel[:3]).max() <= 2
        assert pixel[3] == 255
    assert rgba[1, 2, 3] == 0


def test_a_single_map_is_a_28_by_28_picture_with_its_values_to_hover_and_a_colour_bar():
    w = torch.zeros(1, 28, 28)
    w[0, 3, 5], w[0, 20, 7] = 0.8, -0.4
    fig = weights.weights_figure(w)
    pixels = decoded(fig)
    assert pixels.shape == (28, 28, 4)
    assert (tuple(pixels[3, 5, :3]) == tuple(weights.LUT[255])
            and tuple(pixels[20, 7, :3]) == tuple(weights.LUT[64]))
    assert fig.data[0].hovertext[3][5] == "0.800" and fig.data[0].hovertext[20][7] == "-0.400"
    bar = fig.data[1].marker
    assert bar.showscale and (bar.cmin, bar.cmax) == (pytest.approx(-0.8), pytest.approx(0.8))


def test_ten_digit_maps_are_one_labelled_tile_per_digit():
    w = torch.randn(10, 28, 28)
    fig = weights.weights_figure(w, labels=[str(d) for d in range(10)])
    pixels = decoded(fig)
    assert pixels.shape == (2 * 29 - 1, 5 * 29 - 1, 4)  # 10 maps in 5 columns
    expected = weights.colour((w[6] / w[6].abs().max()).numpy(), 1.0)  # digit 6: row 1, column 1
    assert np.array_equal(pixels[29:57, 29:57], expected)
    assert pixels[28, 0, 3] == 0  # the gap between rows shows the page behind
    assert [a.text for a in fig.layout.annotations] == [str(d) for d in range(10)]
    assert (fig.layout.annotations[6].x, fig.layout.annotations[6].y) == (28.5, 28.5)
