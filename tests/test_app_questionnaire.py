"""AppTest: the questionnaire page shows every question, reveals answers on demand and keeps a
self-check count."""

from helpers import open_page
from streamlit.testing.v1 import AppTest

from lessonlib.questionnaire import QUESTIONS


def questionnaire() -> AppTest:
    at = open_page("questionnaire")
    assert not at.exception
    return at


def test_every_question_has_a_hidden_answer_and_a_link_or_the_books_section():
    at = questionnaire()
    assert at.title[0].value == "Questionnaire"
    answers = [e for e in at.expander if e.label == "Show answer"]
    assert len(answers) == len(QUESTIONS)
    links = at.get("page_link")
    assert len(links) == len([q for q in QUESTIONS if q.page])
    # Streamlit resolved every link to a page of the navigation: it would raise for an unknown file
    assert {link.proto.page for link in links} == {q.page for q in QUESTIONS if q.page}
    sections = [c.value for c in at.caption if "In the book: the section" in c.value]
    assert (len(sections) == len([q for q in QUESTIONS if not q.page])
            and any("The MNIST Loss" in c for c in sections))
    assert {"pixels", "similarity", "distances", "gradient", "mnist-loss", "minibatches",
            "optimiser", "training",
            "nonlinearity", "deeper", "your-digit"} <= {link.proto.page for link in links}
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


def test_the_unticked_only_toggle_stays_on_across_reruns():
    """A toggle declared in ui.settings keeps its value: the link's "true"/"false" and the widget's
    bool agree."""
    at = questionnaire()
    at.checkbox(key="qz_done_0").check().run()
    at.toggle(key="todo").set_value(True).run()
    shown = len([c for c in at.checkbox if c.key.startswith("qz_done_")])
    at.run()
    assert at.toggle(key="todo").value is True
    # 39 questions, 1 ticked
    assert len([c for c in at.checkbox if c.key.startswith("qz_done_")]) == shown == 38
