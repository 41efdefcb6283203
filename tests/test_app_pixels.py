"""AppTest: the pixels page and its widgets drive what is shown."""

from streamlit.testing.v1 import AppTest


def pixels_page() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception and "Under the hood" in at.title[0].value  # the start page
    at.switch_page("pages/1_pixels.py").run()
    assert not at.exception
    return at


def test_pixels_page_renders_and_follows_the_sliders():
    at = pixels_page()
    assert "Pixels" in at.title[0].value
    facts = at.table[1].value
    assert list(facts["shape"]) == ["(28, 28)", "(400, 28, 28)", "(28, 28, 3)"]
    assert list(facts["rank (ndim)"]) == [2, 3, 3]
    first = at.table[0].value.copy()
    assert first.shape == (12, 19)  # the book's slice: rows 4-15, columns 4-22
    at.slider(key="px_index").set_value(7).run()
    assert not at.exception
    assert not at.table[0].value.equals(first)
    at.slider(key="px_rows").set_value((0, 3)).run()
    assert at.table[0].value.shape == (4, 19)
    assert (at.table[0].value.to_numpy() == 0).all()  # the top rows of an MNIST digit are blank


def test_sidebar_digit_choice_reaches_the_page():
    at = pixels_page()
    at.selectbox(key="digit_a").set_value(5).run()
    assert not at.exception
    assert at.radio(key="px_digit").options == ["5", "7"]
