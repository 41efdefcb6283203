"""Settings in the address: which a link may carry, teacher mode's hidden controls, the notice for
ignored values, and "Copy link to this setup"."""

from __future__ import annotations

import urllib.parse

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from ui import links
from ui.links import Setting
from ui.settings import HIDEABLE, KNOWN


def _hide_flags() -> str:
    """The link's `hide` list, kept for the whole visit (and in the URL) once a link brought it."""
    raw = st.query_params.get(links.HIDE)
    if raw is not None:
        st.session_state._hide = raw
    elif st.session_state.get("_hide"):
        # page links drop it; keep it for copied links
        st.query_params[links.HIDE] = st.session_state._hide
    return st.session_state.get("_hide", "")


def hidden(name: str) -> bool:
    """Whether a teacher's link hides this control or section: `?hide=model,bs`."""
    return name in links.parse_hide(_hide_flags(), HIDEABLE)[0]


def link_settings(*params: Setting) -> None:
    """Call before a page's widgets: take numeric spellings from the link (`lr=1` for 1.0) and say,
    in a small notice, which link values are ignored and why. A value another page left under the
    same name is first brought into this page's range (`Setting.fit`), or dropped for the widget's
    default."""
    for p in params:
        kept = st.session_state.get(p.name)
        if p.count == 1 and kept is not None and p.fit(kept) != kept:
            if p.fit(kept) is None:
                del st.session_state[p.name]
            else:
                st.session_state[p.name] = p.fit(kept)
        raw = st.query_params.get(p.name) if p.count == 1 else None
        value = None if raw is None else p.value(raw)
        if value is not None and str(value) != raw and st.session_state.get(p.name) != value:
            st.session_state[p.name] = value  # the widget's own matching is by exact spelling
    # a range slider repeats its name
    query = {name: st.query_params.get_all(name) for name in st.query_params}
    problems = links.notices(params, query, KNOWN)
    _, unknown_hide = links.parse_hide(st.query_params.get(links.HIDE, ""), HIDEABLE)
    problems += [f"nothing called `{links.short(n)}` to hide" for n in unknown_hide]
    _mend_link(params, query)
    if problems:
        st.caption(":material/link_off: Ignored from the link: " + "; ".join(problems) + ".")


def _mend_link(params: tuple[Setting, ...], query: dict[str, list[str]]) -> None:
    """Before a widget reads the link: take out every value the notice names, and put a range given
    backwards (`rows=9&rows=2`) the right way round. Streamlit 1.67 would still apply some refused
    values (`seed=2.5` as 2), raise OverflowError, a traceback, on others (`seed=inf`), and show a
    backwards range with its thumbs swapped. Done through Streamlit's own query-params object, as
    st.query_params refuses to touch a value bound to a widget."""
    refused = [p.name for p in params if p.name in query and p.check(query[p.name])]
    backwards = {p.name: sorted(query[p.name], key=p.value) for p in params
                 if p.count == 2 and p.name in query and p.name not in refused
                 and p.value(query[p.name][0]) > p.value(query[p.name][1])}
    if not refused and not backwards:
        return
    with get_script_run_ctx().session_state.query_params() as qp:
        for name in refused:
            qp.remove_param(name)
            qp._initial_query_params.pop(name, None)  # what a widget is first given
        for name, values in backwards.items():
            qp.set_with_no_forward_msg(name, values)
            qp._initial_query_params[name] = values
        if backwards:
            qp._send_query_param_msg()  # the address bar shows the mended range too


def link_value(s: Setting, default: object) -> object:
    """The link's valid value for a hidden control, else its default."""
    raw = st.query_params.get(s.name)
    value = None if raw is None else s.value(raw)
    return default if value is None else value


def share_link() -> None:
    """"Copy link to this setup": the page's address with every setting now in the URL."""
    if hidden("link"):
        return
    pairs = [(name, value) for name in st.query_params for value in st.query_params.get_all(name)]
    query = urllib.parse.urlencode(pairs, safe=",")  # every value of a range slider, each escaped
    url = (st.context.url or "") + (f"?{query}" if query else "")
    with st.sidebar.popover("Copy link to this setup", icon=":material/link:", width="stretch"):
        st.caption("This link opens this page with its settings. Teachers: add `&hide=model,bs` "
                   "(or data, digits, code, lr, …) to hide controls for a focused exercise.")
        st.code(url, language=None, wrap_lines=True)
