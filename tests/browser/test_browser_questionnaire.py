"""The questionnaire: tick an answer, follow its link to the page that shows it live, come back to
the tick."""

from __future__ import annotations

import re

import stbrowser as sb
import stpage as sp


def _progress(page) -> str:
    return page.locator("[data-testid='stMain'] [data-testid='stProgress']").first.inner_text()


def test_tick_follow_the_link_and_come_back(page, app_url):
    sb.open_path(page, app_url, "questionnaire")
    before = re.search(r"(\d+) of (\d+)", _progress(page))
    assert before and before[1] == "0", _progress(page)

    tick = page.locator("[data-testid='stMain'] [data-testid='stCheckbox']").filter(
        has_text="I got this").first
    sb.after_rerun(page, tick.click)
    assert f"1 of {before[2]}" in _progress(page)

    link = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first
    target = link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
    sb.after_rerun(page, link.click)
    assert page.url.split("?")[0].endswith(f"/{target}") and sp.title(page), (
        f"the link to {target} led to {page.url}")
    sb.assert_clean(page)

    sp.go_to(page, "questionnaire")
    assert f"1 of {before[2]}" in _progress(page), "the tick should survive a visit to another page"
    sb.assert_clean(page)
