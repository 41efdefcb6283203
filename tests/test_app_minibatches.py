"""AppTest: the mini-batch page asks before it shows; shapes, batches and the trade-off it shows
match references computed here (by hand, numpy and DataLoader itself)."""

import math

import torch
from helpers import answer, open_page, random_sample, revealed
from torch.utils.data import DataLoader

PREDICTS = ("mb_item", "mb_shape", "mb_batches", "mb_noise")


def test_each_section_waits_for_a_prediction():
    at = open_page("minibatches")
    assert not at.exception and at.title[0].value.startswith("Mini-batches")
    assert ([r.key for r in at.radio if r.key.startswith("predict_")]
            == [f"predict_{k}" for k in PREDICTS])
    assert not at.get("plotly_chart") and not at.get("imgs")


def test_a_dataset_item_is_an_image_and_its_label():
    at = answer(open_page("minibatches"), "mb_item", 0)
    assert "measured: a tuple: an image and its label" in revealed(at)
    assert "x of shape (784,) and y = [1.0]" in revealed(at)
    # zip, as the questionnaire asks
    assert "[(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')]" in at.code[0].value


def test_the_shape_table_and_the_silent_b_by_b():
    at = answer(open_page("minibatches"), "mb_shape", 2)
    shapes = at.table[0].value["shape"].tolist()
    assert shapes == ["`(500, 28, 28)`", "`(500, 28, 28)`", "`(1000, 28, 28)`",
                      "`(1000, 784)`", "`(784, 1)`",
                      # 500 bundled training 3s and 7s
                      "`(1,)`", "`(1000, 1)`", "`(1000,)`", "`(1000, 1)`"]
    assert "Right: (1000, 1000)" in revealed(at)
    assert f"averages {1000 * 1000:,} numbers" in revealed(at)


def test_dataloader_batches_as_dataloader_makes_them():
    at = open_page("minibatches", {"bs": "64", "seed": "7"})
    assert at.select_slider(key="bs").value == 64
    answer(at, "mb_batches", 0)
    full, rest = divmod(1000, 64)
    assert f"Right: {math.ceil(1000 / 64)} batches: {full} of 64, then 1 of {rest}" in revealed(at)
    seeded = DataLoader(range(15), batch_size=5, shuffle=True,
                        generator=torch.Generator().manual_seed(7))
    assert f"seed 7: {[b.tolist() for b in seeded]}" in " ".join(c.value for c in at.code)
    assert len(at.get("plotly_chart")) == 2
    at.radio(key="shuffle").set_value("False").run()
    assert "hold images of one digit only" in " ".join(c.value for c in at.caption)
    at.select_slider(key="bs").set_value(1024).run()  # more than the 1,000 images: one batch of all
    # new choices for a new batch size: predict again
    assert at.radio(key="predict_mb_batches").value is None
    answer(at, "mb_batches", 0)
    assert "Right: 1 batch of 1000" in revealed(at) and not at.exception


def test_the_trade_off_chart_and_its_answer():
    at = answer(open_page("minibatches"), "mb_noise", 1)
    assert "measured: closer to the full gradient" in revealed(at)
    assert "at batch size 1," in revealed(at) and "0.00 at batch size 1,000" in revealed(at)
    words = " ".join(m.value for m in at.markdown)
    assert "Batch size 1: 1,000 steps" in words and "batch size 1,000: 1 step and" in words
    assert len(at.get("plotly_chart")) == 2


def test_a_tiny_folder(tmp_path, open_folders):
    random_sample(tmp_path, digits=(1, 8), n_train=3, n_valid=2)
    at = open_page("minibatches")
    at.sidebar.text_input[0].input(str(tmp_path))
    at.sidebar.button[0].click().run()
    for key in PREDICTS:
        answer(at, key)
    assert not at.exception
    assert "Right: 1 batch of 6" in revealed(at)  # 6 images: one batch of all
    assert "measured: (6, 6)" in revealed(at) and f"averages {6 * 6} numbers" in revealed(at)
    shapes = at.table[0].value["shape"].tolist()
    assert shapes[3] == "`(6, 784)`" and shapes[-1] == "`(6, 1)`"
