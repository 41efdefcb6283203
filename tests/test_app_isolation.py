"""Two visitors at once never see each other's model, settings or history."""

from helpers import open_page
from streamlit.testing.v1 import AppTest


def training_page() -> AppTest:
    at = open_page("training")
    assert not at.exception
    return at


def test_two_sessions_train_apart():
    one, two = training_page(), training_page()
    two.selectbox(key="model").set_value("simple_net").run()
    two.select_slider(key="lr").set_value(0.05).run()
    weights_before = one.session_state["tr_run"].trainer.model.weight.detach().clone()
    one.button(key="tr_epoch").click().run()  # one trains an epoch with the default linear model
    assert not one.exception and not two.exception
    run1, run2 = one.session_state["tr_run"], two.session_state["tr_run"]
    assert run1 is not run2 and run1.trainer.model is not run2.trainer.model
    # one's training left two's model untouched
    assert run1.trainer.steps > 0 and run2.trainer.steps == 0
    assert not run1.trainer.model.weight.detach().equal(weights_before)
    assert (run1.trainer.config.model, run1.trainer.config.learning_rate) == ("linear", 1.0)
    assert (run2.trainer.config.model, run2.trainer.config.learning_rate) == ("simple_net", 0.05)
    two.run()
    assert (two.session_state["tr_run"].trainer.steps == 0
            and two.selectbox(key="model").value == "simple_net")
