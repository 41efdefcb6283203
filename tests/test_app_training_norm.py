"""AppTest: the training page shows the weights' norm live, and skipping the zeroing makes it
grow."""

import pytest
import torch
from helpers import open_page

from lessonlib.models import make_model


def norm_metric(at):
    return next(m for m in at.metric if m.label == "Weight norm")


def test_the_norm_starts_at_the_seeds_weights_and_grows_faster_without_zeroing():
    at = open_page("training")
    start = torch.cat([p.detach().flatten()
                       for p in make_model("linear", seed=42).parameters()]).norm().item()
    # shown with 3 significant digits
    assert float(norm_metric(at).value) == pytest.approx(start, rel=1e-2)
    for _ in range(3):
        at.button(key="tr_epoch").click().run()
    zeroed = float(norm_metric(at).value)
    at.button(key="tr_reset").click()
    at.toggle(key="tr_mistake_keep_grads").set_value(True).run()
    assert "never zeroed" in next(c.value for c in at.caption if "Each step" in c.value)
    for _ in range(3):
        at.button(key="tr_epoch").click().run()
    assert not at.exception
    kept = float(norm_metric(at).value)
    assert kept > 3 * zeroed > 3 * start
    assert at.session_state.tr_run.history.weight_norm.x == [0.0, 1.0, 2.0, 3.0]
