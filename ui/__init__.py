"""What the pages share, one module per idea: `runs` (every page runs through app.py), `core` (data, shared results,
"Show the code"), `share` (settings in the link, teacher mode), `sidebar` and `training` (the training page's
sections)."""

from ui.core import CHAPTER, data, digit_pair, memo, show_code, use_source
from ui.runs import ensure_app, run_page
from ui.share import HIDEABLE, KNOWN_PARAMS, control, hidden, link_settings, link_value, share_link, validation_image
from ui.sidebar import sidebar

__all__ = ["CHAPTER", "HIDEABLE", "KNOWN_PARAMS", "control", "data", "digit_pair", "ensure_app", "hidden",
           "link_settings", "link_value", "memo", "run_page", "share_link", "show_code", "sidebar", "use_source",
           "validation_image"]
