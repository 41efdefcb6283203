"""The gradient page in AppTest: it renders, the learning rate and the buttons change what it
shows."""

import pytest
from helpers import open_page
from streamlit.testing.v1 import AppTest


def _page() -> AppTest:
    at = open_page("gradient")
    assert not at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _alerts(at: AppTest) -> str:
    return " ".join(e.value for kind in (at.success, at.info, at.warning, at.error) for e in kind)


def test_page_renders_with_autograd_beside_2x():
    at = _page()
    assert at.title[0].value == "Gradient of x²"
    assert _metric(at, "x now") == "3"
    assert _metric(at, "x.grad from autograd") == _metric(at, "2x, by calculus") == "6"
    assert "shrinks steadily" in _alerts(at)
    assert len(at.get("plotly_chart")) >= 3


def test_learning_rate_slider_changes_regime_and_trajectory():
    at = _page()
    seen = {}
    for lr, words in [(0.3, "shrinks steadily"), (0.5, "in one step"),
                      (0.8, "jumps across the minimum"),
                      (1.0, "bounces between x and −x"), (1.5, "diverge")]:
        at.slider(key="lr").set_value(lr).run()
        assert not at.exception
        assert words in _alerts(at), lr
        seen[lr] = next(c.value for c in at.caption if c.value.startswith("Steps taken"))
        assert f"{1 - 2 * lr:+.2f}" in _metric(at, "each step multiplies x by")
    assert len(set(seen.values())) == len(seen)  # each rate previews a different trajectory
    assert "3 → 1.2 → 0.48" in seen[0.3]  # x_n = 3 · 0.4^n
    assert "3 → -6 → 12 → -24" in seen[1.5]  # x_n = 3 · (−2)^n
    assert "not overfitting" in at.error[0].value


def test_step_and_reset_buttons_move_the_point():
    at = _page()
    at.slider(key="lr").set_value(0.25).run()
    for expected in ("1.5", "0.75", "0.375"):  # x_n = 3 · 0.5^n
        at.button(key="step").click().run()
        assert _metric(at, "x now") == expected
    assert at.session_state.grad_walk == pytest.approx([3.0, 1.5, 0.75, 0.375])
    at.button(key="reset").click().run()
    assert _metric(at, "x now") == "3" and at.session_state.grad_walk == [3.0]
    at.number_input(key="x0").set_value(-5.0).run()
    assert _metric(at, "x now") == "-5"


def test_a_diverged_point_shows_a_message_not_a_traceback():
    at = _page()
    for walk in ([3.0, 1e31], [float("inf")], [float("nan")]):
        at.session_state.grad_walk = walk
        at.run()
        assert not at.exception
        assert "diverged" in at.error[0].value
        assert at.button(key="step").disabled
        at.button(key="reset").click().run()
        assert not at.exception and _metric(at, "x now") == "3"


def test_extreme_settings_render():
    at = _page()
    at.slider(key="steps").set_value(50).run()
    for lr in (0.01, 0.5, 1.0, 1.5):
        at.slider(key="lr").set_value(lr).run()
        at.button(key="step").click().run()
        assert not at.exception, lr


def test_vector_gradient_and_bad_input():
    at = _page()
    table = at.dataframe[0].value
    assert table["x.grad (autograd)"].tolist() == [6.0, 8.0, 20.0]
    at.text_input(key="grad_vec").set_value("3, four").run()
    assert not at.exception and "Could not read" in at.error[0].value


def test_seven_step_walkthrough_advances_and_repeats():
    at = _page()
    for k, name in enumerate(["init", "predict", "loss", "gradient", "step", "repeat", "stop"],
                             start=1):
        at.button(key="fit_next").click().run()
        assert not at.exception
        assert at.subheader[0].value == f"Step {k}: {name}"
    assert at.button(key="fit_next").disabled
    # step 7 draws the least-squares target
    assert "best quadratic" in at.get("plotly_chart")[-2].proto.spec
    fit = at.session_state.grad_fit
    before = len(fit.losses)
    at.button(key="fit_repeat10").click().run()
    fit = at.session_state.grad_fit
    assert len(fit.losses) == before + 10 and fit.stage == 6
    assert fit.loss_history()[-1] < fit.loss_history()[0]
    at.button(key="fit_restart").click().run()
    assert at.session_state.grad_fit.stage == 0 and not at.exception


def test_too_high_a_fit_learning_rate_blows_up_gracefully():
    at = _page()
    at.select_slider(key="fitlr").set_value(1e-4).run()
    for _ in range(5):
        at.button(key="fit_next").click().run()
    for _ in range(3):
        if not at.button(key="fit_repeat10").disabled:
            at.button(key="fit_repeat10").click().run()
    assert not at.exception
    assert at.session_state.grad_fit.diverged()
    assert any("blown up" in e.value for e in at.error)
    assert at.button(key="fit_repeat10").disabled


def test_a_link_sets_the_learning_rate_and_start_and_bad_values_are_named():
    at = open_page("gradient", {"lr": "0.8", "x0": "5", "steps": "abc"})
    assert not at.exception
    assert at.slider(key="lr").value == 0.8 and at.number_input(key="x0").value == 5.0
    assert at.session_state["grad_walk"] == [5.0]
    assert "Steps to preview `abc`: not a number" in " ".join(c.value for c in at.caption)
