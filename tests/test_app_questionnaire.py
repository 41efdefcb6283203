"""AppTest: the questionnaire page shows every question, reveals answers on demand and keeps a self-check count."""

from helpers import open_page
from streamlit.testing.v1 import AppTest

from lessonlib.questionnaire import QUESTIONS


def questionnaire() -> AppTest:
    at = open_page("questionnaire")
    assert not at.exception
    return at


def test_every_question_has_a_hidden_answer_and_a_link():
    at = questionnaire()
    assert at.title[0].value == "Questionnaire"
    answers = [e for e in at.expander if e.label == "Show answer"]
    assert len(answers) == len(QUESTIONS)
    links = at.get("page_link")
    assert len(links) == len(QUESTIONS)
    # Streamlit resolved every link to a page of the navigation: it would raise for an unknown file
    assert {link.proto.page for link in links} == {"pixels", "similarity", "distances", "gradient", "training",
                                                   "nonlinearity", "deeper", "your-digit"}
    text = " ".join(m.value for m in answers[4].markdown)
    assert "three axes" in text  # the rank-3 answer sits inside its expander


def test_the_self_check_counts_ticks_and_keeps_them_across_pages():
    at = questionnaire()
    at.checkbox(key="qz_done_0").check().run()
    at.checkbox(key="qz_done_4").check().run()
    assert not at.exception
    assert "2 of 39" in at.get("progress")[0].proto.text
    at.switch_page("pages/pixels.py").run()
    at.switch_page("pages/questionnaire.py").run()
    assert at.checkbox(key="qz_done_4").value and "2 of 39" in at.get("progress")[0].proto.text
    at.button(key="qz_reset").click().run()
    assert not at.checkbox(key="qz_done_4").value and "0 of 39" in at.get("progress")[0].proto.text
