"""The jargon recap as a learner uses it: answer the quiz, see what one SGD step changed, follow a
term's link."""

from __future__ import annotations

import stbrowser as sb
import stpage as sp

PHONE = {"width": 390, "height": 844}


def test_quiz_then_the_steps_table_and_a_link(page, app_url):
    sb.open_path(page, app_url, "jargon")
    assert sp.title(page) == "Jargon recap"
    sp.predict(page, "jargon_sgd", "only the parameters")
    assert "Right: only the parameters" in sp.alerts(page), sp.alerts(page)
    sb.assert_clean(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sb.screenshot(page, sb.SHOTS / "jargon_1280.png")
    page.set_viewport_size(PHONE)
    sb.screenshot(page, sb.SHOTS / "jargon_phone.png")
    page.set_viewport_size({"width": 1400, "height": 900})
    link = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first
    target = link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
    sb.after_rerun(page, link.click)
    assert page.url.split("?")[0].endswith(f"/{target}") and sp.title(page)
    sb.assert_clean(page)
