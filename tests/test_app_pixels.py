"""AppTest: the pixels page and its widgets drive what is shown."""

from helpers import open_page
from streamlit.testing.v1 import AppTest


def pixels_page() -> AppTest:
    at = open_page("")
    assert not at.exception and "Under the hood" in at.title[0].value  # the start page
    at.switch_page("pages/pixels.py").run()
    assert not at.exception
    return at


def test_pixels_page_renders_and_follows_the_sliders():
    at = pixels_page()
    assert "Pixels" in at.title[0].value
    facts = at.table[0].value
    assert list(facts["shape"]) == ["(28, 28)", "(500, 28, 28)", "(28, 28, 3)"]
    assert list(facts["rank (ndim)"]) == [2, 3, 3]
    first = at.dataframe[0].value.copy()
    assert first.shape == (11, 18)  # the book's slice im3[4:15, 4:22]: the ends left out
    at.slider(key="i").set_value(7).run()
    assert not at.exception
    assert not at.dataframe[0].value.equals(first)
    at.slider(key="rows").set_value((0, 3)).run()
    assert at.dataframe[0].value.shape == (3, 18)
    assert (at.dataframe[0].value.to_numpy() == 0).all()  # the top rows of an MNIST digit are blank


def test_sidebar_digit_choice_reaches_the_page():
    at = pixels_page()
    at.selectbox(key="digit_a").set_value(5).run()
    assert not at.exception
    assert at.radio(key="digit").options == ["5", "7"]


def open_with_link(query: dict[str, str]) -> AppTest:
    at = open_page("", query)
    at.first_sidebar_captions = " ".join(c.value for c in at.sidebar.caption)
    at.switch_page("pages/pixels.py").run()
    assert not at.exception
    return at


def test_a_link_restores_digits_image_and_slice():
    at = open_with_link({"digits": "4,9", "digit": "9", "i": "12", "rows": ["0", "3"]})
    assert at.session_state["digit_pair"] == (4, 9)
    assert at.radio(key="digit").value == 9
    assert at.slider(key="i").value == 12
    assert at.slider(key="rows").value == (0, 3)


def test_bad_link_values_are_ignored_with_a_notice():
    at = open_with_link({"digits": "3,3", "i": "abc", "digit": "<script>", "zzz": "1",
                         "hide": "nonsense"})
    assert at.session_state["digit_pair"] == (3, 7)
    assert at.slider(key="i").value == 1
    notice = " ".join(c.value for c in at.caption)
    assert "Image index `abc`: not a number" in notice
    assert "Digit `<script>`: not one of the choices" in notice
    assert "unknown setting `zzz`" in notice and "nothing called `nonsense` to hide" in notice
    assert ("Ignored digits `3,3` from the link: the two digits must differ"
            in at.first_sidebar_captions)
