"""Fixtures for the real-browser tests: one Streamlit server and one Chromium per test session
(per xdist worker)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import stbrowser
import stserver


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        stbrowser.unavailable("browser tests need Playwright: pip install -r requirements-dev.txt")
    if not Path(stbrowser.CHROMIUM).exists():
        stbrowser.unavailable(f"browser tests need {stbrowser.CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = stbrowser.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url(chromium) -> str:
    """Base URL of `streamlit run app.py` on a free port, stopped after the session."""
    with stserver.running_app() as url:
        # One visit to the root first: until st.navigation has run once a fresh server
        # serves /<page> links without app.py (test_shared_link_as_the_first_visit_to_a_fresh_server
        # checks that case on its own server), so without this the tests would depend on which of
        # them happens to run first.
        warm = stbrowser.new_page(chromium)
        stbrowser.open_path(warm, url, "")
        warm.context.close()
        yield url


@pytest.fixture
def page(chromium, app_url, request):
    """A fresh browser tab (a new Streamlit session); its full page is saved as a PNG after the
    test."""
    tab = stbrowser.new_page(chromium)
    yield tab
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    try:
        stbrowser.screenshot(tab, stbrowser.SHOTS / f"{name}.png")
    except Exception as e:  # a missing screenshot must not hide the test's own result
        warnings.warn(f"no screenshot for {name}: {e}", stacklevel=1)
    tab.context.close()

