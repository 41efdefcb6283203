"""The training page as a visitor uses it: pick a learning rate, step, play, and share the settings as a link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import stbrowser as sb

LR, BS = "Learning rate", "Batch size"
LOSS = "loss"  # the loss chart's traces have "loss" in their names


def _button(page, word: str):
    """A button whose label is this word, with or without an icon in front ("▶ Play")."""
    return page.get_by_role("button", name=re.compile(rf"^\W*{word}$"))


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_change_learning_rate_then_step_and_play(page, app_url):
    sb.open_path(page, app_url, "training")
    assert sb.metric(page, "Steps") == "0"
    assert sb.chart_points(page, LOSS) == 0

    lr0 = sb.slider_value(page, LR)
    sb.press_slider(page, LR, "ArrowLeft")
    lr1 = sb.slider_value(page, LR)
    assert float(lr1) < float(lr0)
    assert _query(page).get("lr") == [lr1], f"the link should carry the new learning rate: {page.url}"

    sb.click_button(page, "Step")
    assert sb.metric(page, "Steps") == "1"
    assert re.fullmatch(r"\d+\.\d+", sb.metric(page, "Last batch loss")), "one step should show its loss"
    assert sb.chart_points(page, LOSS) >= 1

    _button(page, "Play").click()  # plays in short reruns of its fragment until the epochs are done
    seen = sb.wait_metric_values(page, "Steps", 3)
    assert all(int(a.replace(",", "")) < int(b.replace(",", "")) for a, b in zip(seen, seen[1:], strict=False)), seen
    _button(page, "Play").wait_for(timeout=120_000)  # back when training is finished
    sb.wait_idle(page)
    steps = int(sb.metric(page, "Steps").replace(",", ""))
    assert steps > int(seen[-1].replace(",", "")) > 1
    assert sb.chart_points(page, LOSS) > 1, "the loss chart should grow while training"
    assert re.fullmatch(r"\d+(\.\d)?%", sb.metric(page, "Validation accuracy")), "accuracy after an epoch"
    assert sb.slider_value(page, LR) == lr1, "training must keep the chosen learning rate"
    sb.assert_clean(page)


def test_shared_link_restores_the_settings(page, app_url):
    sb.open_path(page, app_url, "training?lr=0.05&bs=64")
    assert (sb.slider_value(page, LR), sb.slider_value(page, BS)) == ("0.05", "64")
    sb.click_button(page, "Step")
    assert sb.metric(page, "Steps") == "1"
    sb.assert_clean(page)
    # the gradient page has a learning-rate slider too: the link's value must not leak into it or break it
    sb.after_rerun(page, page.locator("[data-testid='stSidebarNavLink'][href$='/gradient']").click)
    assert 0 < float(sb.slider_value(page, LR)) <= 1.5
    sb.assert_clean(page)


def test_shared_link_as_the_first_visit_to_a_fresh_server(chromium):
    """A student's click on a teacher's link may be the server's very first request: it must get the whole app."""
    with sb.running_app() as url:
        page = sb.new_page(chromium)
        try:
            sb.open_path(page, url, "training?lr=0.05&bs=64")
            sb.screenshot(page, sb.SHOTS / "first_visit_shared_link.png")
            links = sb.sidebar_links(page)
            assert "training" in links and "gradient" in links, f"no page navigation in the sidebar: {links}"
            assert page.get_by_text("First digit", exact=True).count() == 1, "the sidebar's data choices are missing"
            width = page.evaluate("document.querySelector(\"[data-testid='stMainBlockContainer']\").offsetWidth")
            assert width > 0.7 * (page.viewport_size["width"] - 300), f"app.py's wide layout is missing ({width} px)"
            assert (sb.slider_value(page, LR), sb.slider_value(page, BS)) == ("0.05", "64")
            sb.assert_clean(page)
        finally:
            page.context.close()


def test_link_with_nonsense_settings_falls_back_to_defaults(page, app_url):
    sb.open_path(page, app_url, "training?lr=banana&bs=3")
    assert float(sb.slider_value(page, LR)) > 0
    assert int(sb.slider_value(page, BS)) > 0
    sb.assert_clean(page)
