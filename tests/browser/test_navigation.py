"""A visitor opens the app and walks every page from the sidebar: each shows its title and no exception."""

from __future__ import annotations

import stbrowser as sb

TITLES = {  # url path -> a word its st.title must contain (None: any non-empty title); "" is the start page
    "": None,
    "pixels": "pixels",
    "similarity": "similarity",
    "distances": "distance",
    "gradient": "gradient",
    "training": "training",
    "your-digit": None,
    "questionnaire": None,
}
PENDING = {"your-digit", "questionnaire"}  # pages being built: not required in the sidebar yet


def _title_problem(page, path: str) -> str | None:
    text = sb.title(page)
    if not text:
        return f"/{path} shows no title"
    word = TITLES.get(path)
    if word is not None and word not in text.lower():
        return f"/{path}: title {text!r} should mention {word!r}"
    return None


def _page_problems(page, path: str) -> list[str]:
    """Everything wrong with the page on screen: title, exception boxes, JavaScript errors."""
    problems = [p for p in [_title_problem(page, path)] if p]
    problems += [f"/{path} shows an exception:\n{box}" for box in sb.exceptions(page)]
    problems += [f"/{path}: JavaScript error {e}" for e in page.js_errors]
    page.js_errors.clear()
    return problems


def test_root_and_every_page_from_the_sidebar(page, app_url):
    """One visitor opens the app, then clicks every sidebar link in order, in one session, as a learner would."""
    sb.open_path(page, app_url, "")
    problems = _page_problems(page, "")
    links = sb.sidebar_links(page)
    missing = [p for p in TITLES if p not in PENDING and p not in links]
    assert not missing, f"the sidebar has no link to {missing}; it has {links}"
    unknown = sorted(p for p in links if p not in TITLES)
    assert not unknown, f"new pages {unknown}: add them to TITLES in {__file__}"
    for path in (p for p in TITLES if p in links):
        if path:
            sb.after_rerun(page, page.locator(f"[data-testid='stSidebarNavLink'][href$='/{path}']").click)
            assert page.url.split("?")[0] == f"{app_url}/{path}", f"the sidebar link {links[path]!r}"
            problems += _page_problems(page, path)
        sb.screenshot(page, sb.SHOTS / f"page_{path or 'start'}.png")
    assert not problems, "\n\n".join(problems)
