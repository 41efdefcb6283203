"""What the pages share, one module per idea.

Streamlit side: `runs` (every page runs through app.py), `core` (the data, "Show the code"), `share`
(settings in the link, teacher mode), `widgets` (a setting's widget, the image picker), `predict`
(predict first, then see), `shared` (results and figures shared by all visitors), `sidebar`, `theme`
(the style sheet the theme cannot reach), and the sections some pages keep beside them: `training`
and `trainrun` (the training page), `seven_steps` (the gradient page), `digit_input` (your digit).
Pure, no Streamlit: `registry` (the pages), `links` and `settings` (what a link may carry), `prose`
(a page's markdown), `live`, `pace`, `history` (training in chunks, fair shares, chart buffers)."""

from ui.core import data, digit_pair, show_code, source, source_text, use_source
from ui.predict import predict_first, reveal
from ui.runs import ensure_app, run_page
from ui.share import hidden, link_settings, share_link
from ui.sidebar import sidebar
from ui.widgets import image_settings, pick_image, value, widget

__all__ = ["data", "digit_pair", "ensure_app", "hidden", "image_settings",
           "link_settings", "pick_image", "predict_first", "reveal", "run_page", "share_link",
           "show_code", "sidebar", "source", "source_text", "use_source", "value", "widget"]
