"""What .streamlit/config.toml's theme cannot reach, as one style sheet for every page: each rule
keeps a contrast of at least 4.5 : 1 (WCAG AA) in the light and the dark theme, checked by
tests/browser/test_browser_a11y.py."""

from __future__ import annotations

import streamlit as st

CSS = """
/* Streamlit's code highlighting draws numbers, strings, comments and operators in fixed colours \
of 2.6-4.3 : 1 on
   the code background; draw every token in the text colour and tell them apart by weight and \
slant. */
[data-testid="stCode"] .token { color: inherit !important; }
[data-testid="stCode"] .token.comment { font-style: italic; }
[data-testid="stCode"] .token.keyword, [data-testid="stCode"] .token.builtin,
[data-testid="stCode"] .token.function { font-weight: 600; }
/* Code that does not fit wraps instead of scrolling sideways: a scrolling box is one the keyboard \
cannot reach, and
   one more thing to swipe on a phone. */
[data-testid="stMarkdownContainer"] pre, [data-testid="stMarkdownContainer"] pre code,
[data-testid="stCode"] pre, [data-testid="stCode"] pre code {
  white-space: pre-wrap !important; overflow-wrap: anywhere;
}
/* Links to pages wrap instead of being cut off mid-word on a phone. */
[data-testid="stPageLink"] p { white-space: normal; }
/* A primary button's text is white; on the dark theme's light orange it needs to be dark. The \
dark theme follows
   the system setting unless a visitor changes it in the app's menu. */
@media (prefers-color-scheme: dark) {
  [data-testid="stBaseButton-primary"], \
[data-testid="stBaseButton-primary"] * { color: #111111 !important; }
}
"""


def apply() -> None:
    """Add the style sheet to the page (at the sidebar's end, where its empty element takes no
    room)."""
    st.sidebar.html(f"<style>{CSS}</style>")
