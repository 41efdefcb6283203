"""AppTest: the pixel-similarity and distance-metric pages render and follow their widgets."""

import pytest
from helpers import metrics, open_page, random_sample
from streamlit.testing.v1 import AppTest


@pytest.fixture
def similarity_page() -> AppTest:
    return open_page("similarity")


@pytest.fixture
def distances_page() -> AppTest:
    return open_page("distances")


def test_similarity_page_shows_distances_prediction_and_accuracy(similarity_page):
    at = similarity_page
    assert "Pixel similarity" in at.title[0].value
    shown = metrics(at)
    for label in ("L1 to mean3", "RMSE to mean3", "L1 to mean7", "RMSE to mean7",
                  "Overall (mean of the two)"):
        assert label in shown
    assert shown["Accuracy on 3s (L1)"].endswith("%") and shown["Accuracy on 7s (L1)"].endswith("%")
    assert at.success or at.error  # the prediction, right or wrong
    steps = at.table[0].value  # the broadcasting steps, shapes taken from the tensors that ran
    assert list(steps["shape"]) == ["`(1010, 28, 28)`", "`(28, 28)`", "`(1010, 28, 28)`",
                                    "`(1010,)`",
                                    "`(1010,)`", "`(1010,)`", "`()`"]  # MNIST's 1,010 test 3s
    # the book's published numbers
    assert any("0.9168" in i.value and "0.9854" in i.value for i in at.info)
    note = next(c.value for c in at.caption if "The book's own validation images" in c.value)
    assert ("500 and 500 training images, the book's from 6,131 and 6,265" in note
            and "differs by +0.0015" in note)
    assert any("ch. 4" in i.value for i in at.info)


def test_similarity_sample_slider_changes_the_distances(similarity_page):
    at = similarity_page
    before = metrics(at)
    at.slider(key="i").set_value(5).run()
    assert not at.exception
    after = metrics(at)
    assert after["L1 to mean3"] != before["L1 to mean3"]
    assert after["RMSE to mean7"] != before["RMSE to mean7"]
    # accuracy is not per image
    assert after["Overall (mean of the two)"] == before["Overall (mean of the two)"]
    at.slider(key="i").set_value(1009).run()  # the last validation 3
    assert not at.exception


def test_similarity_other_digit_random_and_metric(similarity_page):
    at = similarity_page
    at.radio(key="digit").set_value(7).run()
    assert not at.exception
    at.button(key="random_image").click().run()
    assert not at.exception
    assert 0 <= at.slider(key="i").value <= 1027  # MNIST's test set has 1,028 sevens
    at.radio(key="metric").set_value("RMSE").run()
    assert not at.exception
    assert "Accuracy on 3s (RMSE)" in metrics(at)


def test_similarity_follows_the_sidebar_digits(similarity_page):
    at = similarity_page
    at.selectbox(key="digit_a").set_value(4).run()
    at.selectbox(key="digit_b").set_value(9).run()
    assert not at.exception
    shown = metrics(at)
    assert "L1 to mean4" in shown and "L1 to mean9" in shown and "Accuracy on 9s (L1)" in shown


def test_distances_page_hand_and_torch_agree(distances_page):
    at = distances_page
    assert "Distance metrics" in at.title[0].value
    shown = metrics(at)
    assert shown["L1 = mean(|a − b|)"] == shown["F.l1_loss(a, b)"]
    assert shown["RMSE = sqrt(mean((a − b)²))"] == shown["F.mse_loss(a, b).sqrt()"]
    # RMSE ≥ L1 always
    assert float(shown["RMSE = sqrt(mean((a − b)²))"]) >= float(shown["L1 = mean(|a − b|)"])
    table = at.table[1].value  # accuracy of the baseline under each metric
    assert list(table.index) == ["L1", "RMSE", "signed mean", "edge L1"]
    assert "accuracy, 3 vs 7: edge L1" in shown and "edge L1 of a and b" in shown


def test_distances_sample_and_target_change_the_numbers(distances_page):
    at = distances_page
    before = metrics(at)["L1 = mean(|a − b|)"]
    at.slider(key="i").set_value(5).run()
    assert not at.exception
    moved = metrics(at)["L1 = mean(|a − b|)"]
    assert moved != before
    at.selectbox(key="mean").set_value(7).run()
    assert not at.exception
    assert metrics(at)["L1 = mean(|a − b|)"] != moved
    at.button(key="random_image").click().run()
    assert not at.exception
    assert at.radio(key="digit").value in (3, 7)


def test_distances_spread_demo_l1_flat_rmse_falls(distances_page):
    at = distances_page
    start = metrics(at)
    at.slider(key="spread").set_value(784).run()
    assert not at.exception
    spread = metrics(at)
    assert spread["L1"] == start["L1"] == "0.0204"  # 16 / 784, however it is shared
    assert float(spread["RMSE"]) < float(start["RMSE"])
    assert spread["RMSE"] == spread["L1"]  # spread evenly over every pixel, RMSE equals L1


@pytest.mark.parametrize("page", ["similarity", "distances"])
def test_pages_cope_with_a_tiny_two_digit_folder(tmp_path, page, open_folders):
    random_sample(tmp_path / "tiny", digits=(3, 7), n_train=2, n_valid=1)
    at = open_page(page)
    if page == "distances":
        at.selectbox(key="mean").set_value(5).run()  # a digit the folder does not have
    at.text_input[0].input(str(tmp_path / "tiny"))
    next(b for b in at.button if b.label == "Load folder").click().run()
    assert not at.exception and not at.sidebar.error
    assert any("only one validation" in i.value for i in at.info) or page == "distances"
    if page == "similarity":
        # no ten-digit chart for two digits
        assert any("has only the digits" in i.value for i in at.info)
    else:
        assert at.selectbox(key="mean").value == 3
