"""The training page as a visitor uses it: pick a learning rate, step, play, and share the settings
as a link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import stbrowser as sb
import stpage as sp

LR, BS = "Learning rate", "Batch size"
LOSS = "loss"  # the loss chart's traces have "loss" in their names


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_change_learning_rate_then_step_and_play(page, app_url):
    sb.open_path(page, app_url, "training")
    assert sp.metric(page, "Steps") == "0"
    assert sp.chart_points(page, LOSS) == 0

    lr0 = sp.slider_value(page, LR)
    sp.press_slider(page, LR, "ArrowLeft")
    lr1 = sp.slider_value(page, LR)
    assert float(lr1) < float(lr0)
    assert _query(page).get("lr") == [lr1], (
        f"the link should carry the new learning rate: {page.url}")

    sp.click_button(page, "Step")
    assert sp.metric(page, "Steps") == "1"
    assert re.fullmatch(r"\d+\.\d+", sp.metric(page, "Last batch loss")), (
        "one step should show its loss")
    assert sp.chart_points(page, LOSS) >= 1

    sp.button(page, "Play").click()  # plays in short reruns of its fragment until the epochs are
                                     # done
    seen = sp.wait_metric_values(page, "Steps", 3)  # the numbers move while it plays
    assert all(int(a.replace(",", "")) < int(b.replace(",", ""))
               for a, b in zip(seen, seen[1:], strict=False)), seen
    sb.wait_quiet(page)  # the fragment stops rerunning once the epochs are done
    assert sp.button(page, "Play").is_visible() and not sp.button(page, "Pause").is_visible()
    steps = int(sp.metric(page, "Steps").replace(",", ""))
    assert steps >= int(seen[-1].replace(",", "")) > 1
    assert sp.chart_points(page, LOSS) > 1, "the loss chart should grow while training"
    assert re.fullmatch(r"\d+(\.\d)?%", sp.metric(page, "Validation accuracy")), (
        "accuracy after an epoch")
    assert sp.slider_value(page, LR) == lr1, "training must keep the chosen learning rate"
    sb.assert_clean(page)


def test_shared_link_restores_the_settings(page, app_url):
    sb.open_path(page, app_url, "training?lr=0.05&bs=64")
    assert (sp.slider_value(page, LR), sp.slider_value(page, BS)) == ("0.05", "64")
    sp.click_button(page, "Step")
    assert sp.metric(page, "Steps") == "1"
    sb.assert_clean(page)
    # the gradient page has a learning-rate slider too: the link's value must not leak into it or
    # break it
    sp.go_to(page, "gradient")
    assert 0 < float(sp.slider_value(page, LR)) <= 1.5
    sb.assert_clean(page)


def test_link_with_nonsense_settings_falls_back_to_defaults(page, app_url):
    sb.open_path(page, app_url, "training?lr=banana&bs=3")
    assert float(sp.slider_value(page, LR)) > 0
    assert int(sp.slider_value(page, BS)) > 0
    sb.assert_clean(page)


def test_live_charts_stay_at_full_strength_while_playing(page, app_url):
    """While the next frame is on its way Streamlit greys out the last one (opacity 0.33); on a page
    redrawn five times a second that is flicker. Sampled while playing, no visible live chart may be
    greyed out."""
    # 1,000 epochs: still playing at the end, however slow the machine
    sb.open_path(page, app_url, "training?epochs=1000")
    sp.button(page, "Play").click()  # not click_button: while playing the page is never idle long
    sp.button(page, "Pause").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    samples = []
    for _ in range(40):
        samples.append(page.evaluate("""() => \
[...document.querySelectorAll("[data-testid='stPlotlyChart']")]
            .map(chart => chart.closest("[data-testid='stElementContainer']"))
            .filter(box => box.getBoundingClientRect().height > 0
                && /st-key-tr_(loss|acc|weights)_chart/.test(box.className))
            .map(box => parseFloat(getComputedStyle(box).opacity))"""))
        page.wait_for_timeout(100)
    assert all(len(s) == 3 for s in samples), f"three live charts in view: {samples}"
    assert all(o == 1 for s in samples for o in s), (f"greyed-out live charts while playing: "
                                                     f"{samples}")
    sp.click_button(page, "Pause")
