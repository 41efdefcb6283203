"""The deeper page's answers to its three questions, on hand-made numbers."""

from lessonlib.depth import DepthResult
from ui import deeper

TIMES = ("About as many", "About 10 times", "About 100 times", "Hundreds of times or more")


def test_parameter_ratio_bands():
    # resnet18 with one input channel and one output: 11,170,753 parameters; simple_net 23,581
    assert deeper.size_answer(11_170_753 / 23_581, TIMES) == "Hundreds of times or more"
    assert [deeper.size_answer(r, TIMES) for r in (1, 2.9, 3, 29.9, 30, 299, 300)] == [
        TIMES[0], TIMES[0], TIMES[1], TIMES[1], TIMES[2], TIMES[2], TIMES[3]]


def test_resnet_against_simple_net_within_a_quarter_point_is_the_same():
    assert deeper.versus_simple_net(0.9826, 0.9706) == deeper.RESNET
    assert deeper.versus_simple_net(0.9650, 0.9706) == deeper.SIMPLE
    assert deeper.versus_simple_net(0.9720, 0.9706) == deeper.SAME


def test_depth_verdict_names_the_parameter_ratio():
    deep = DepthResult("deep", (784, 30, 30, 1), 24_521, 0.975)
    wide = DepthResult("wide", (784, 300, 1), 235_801, 0.972)
    answer, why = deeper.depth_verdict(deep, wide)
    assert answer == deeper.SAME and "about as well with 10 times fewer" in why  # 235,801 / 24,521
    assert deeper.depth_verdict(deep, DepthResult("wide", (), 235_801, 0.960))[0] == deeper.DEEP
    answer, why = deeper.depth_verdict(deep, DepthResult("wide", (), 235_801, 0.990))
    assert answer == deeper.WIDE and "did not pay" in why
