"""A visitor opens the app and walks every page from the sidebar: each shows its title and no
exception."""

from __future__ import annotations

import pytest
import stbrowser as sb
import stpage as sp
import stserver

from ui.registry import PAGES

TITLES = {p.key: p.title for p in PAGES}  # url path ("" for the start page) -> its title in the
                                          # navigation


def _title_problem(page, path: str) -> str | None:
    """A page's st.title must share a word with its navigation title (the start page's may be
    anything)."""
    text = sp.title(page)
    if not text:
        return f"/{path} shows no title"
    words = ({w.strip("²:") for w in TITLES[path].lower().split()}
             - {"the", "a", "and", "of", "here"})
    if path and not words & {w.strip("²:,") for w in text.lower().split()}:
        return f"/{path}: title {text!r} shares no word with its navigation title {TITLES[path]!r}"
    return None


def _page_problems(page, path: str) -> list[str]:
    """Everything wrong with the page on screen: title, exception boxes, "Page not found",
    JavaScript errors."""
    problems = [p for p in [_title_problem(page, path)] if p]
    problems += [f"/{path} shows 'Page not found'"] if sb.page_not_found(page) else []
    problems += [f"/{path} shows an exception:\n{box}" for box in sb.exceptions(page)]
    problems += [f"/{path}: JavaScript error {e}" for e in page.js_errors]
    page.js_errors.clear()
    return problems


def test_root_and_every_page_from_the_sidebar(page, app_url):
    """One visitor opens the app, then clicks every sidebar link in order, in one session, as a
    learner would."""
    sb.open_path(page, app_url, "")
    problems = _page_problems(page, "")
    links = sp.sidebar_links(page)
    missing = [p for p in TITLES if p not in links]
    assert not missing, f"the sidebar has no link to {missing}; it has {links}"
    unknown = sorted(p for p in links if p not in TITLES)
    assert not unknown, f"the sidebar links to {unknown}, which ui.registry does not list"
    for path in TITLES:
        if path:
            sp.go_to(page, path)
            assert page.url.split("?")[0] == f"{app_url}/{path}", (
                f"the sidebar link {links[path]!r}")
            problems += _page_problems(page, path)
        sb.screenshot(page, sb.SHOTS / f"page_{path or 'start'}.png")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("link", ["training?lr=0.05&bs=64", "your-digit"])
def test_first_visit_to_a_fresh_server_by_link(chromium, link):
    """A student's click on a teacher's link may be the server's very first request: it must get the
    whole app.

    Until st.navigation has run once, Streamlit routes /<path> by the names of the files in pages/:
    a page whose url_path differs from its file name then gets a "Page not found" dialog.
    """
    with stserver.running_app() as url:
        page = sb.new_page(chromium)
        try:
            sb.open_path(page, url, link)
            sb.screenshot(page, sb.SHOTS / f"first_visit_{link.split('?')[0]}.png")
            links = sp.sidebar_links(page)
            assert {"training", "your-digit"} <= set(links), (
                f"app.py's page navigation is missing: {links}")
            assert page.get_by_text("First digit", exact=True).count() == 1, (
                "the sidebar's data choices are missing")
            width = page.evaluate(
                "document.querySelector(\"[data-testid='stMainBlockContainer']\").offsetWidth")
            assert width > 0.7 * (page.viewport_size["width"] - 300), (
                f"app.py's wide layout is missing ({width} px)")
            if link.startswith("training"):
                assert (sp.slider_value(page, "Learning rate"),
                        sp.slider_value(page, "Batch size")) == ("0.05", "64")
            sb.assert_clean(page)
        finally:
            page.context.close()
