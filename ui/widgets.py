"""A setting's widget, drawn from its declaration (ui.settings) and bound to the link."""

from __future__ import annotations

import random

import streamlit as st

from lessonlib.data import DigitData
from ui.links import Setting
from ui.settings import DIGIT, HIDEABLE, IMAGE
from ui.share import hidden, link_value


def widget(s: Setting, where=st, **extra) -> object:
    """Show the setting's widget in `where` (st, a column, the sidebar) and return its value. Under
    teacher mode's `?hide=<name>` show nothing and use the link's value, or the default, so a
    teacher can fix a setting. `extra` goes to the widget (on_change, disabled, captions …)."""
    if s.name in HIDEABLE and hidden(s.name):
        st.session_state[s.name] = link_value(s, s.default)
        return st.session_state[s.name]
    kw = dict(key=s.name, help=s.help, bind="query-params") | extra
    if s.widget == "slider":
        return where.slider(s.label, s.low, s.high, s.default, step=s.step, **kw)
    if s.widget == "number_input":
        return where.number_input(s.label, s.low, s.high, s.default, step=s.step, **kw)
    if s.widget == "select_slider":
        return where.select_slider(s.label, s.options, value=s.default, format_func=s.show, **kw)
    if s.widget == "radio":
        return where.radio(s.label, s.options, index=_index(s), format_func=s.show,
                           horizontal=True, **kw)
    if s.widget == "selectbox":
        return where.selectbox(s.label, s.options, index=_index(s), format_func=s.show, **kw)
    if s.widget == "toggle":
        return where.toggle(s.label, value=s.default, **kw)
    if s.widget == "segmented_control":
        return where.segmented_control(s.label, s.options, default=s.default, format_func=s.show,
                                       required=True, **kw)
    raise ValueError(f"no widget {s.widget!r} for the setting {s.name!r}")


def _index(s: Setting) -> int:
    return s.options.index(s.default) if s.default in s.options else 0


def value(s: Setting) -> object:
    """The setting's value now: what its widget holds, or its default before the widget is drawn."""
    return st.session_state.get(s.name, s.default)


def image_settings(data: DigitData, split: str, pair: tuple[int, int], digit_label: str,
                   image_label: str, default: int = 0) -> tuple[Setting, Setting]:
    """The `digit` and `i` settings of a page that shows one image of the pair, bounded by the
    data."""
    last = max(data.count(split, d) for d in pair) - 1
    return (DIGIT.within(label=digit_label, options=pair, default=pair[0]),
            IMAGE.within(label=image_label, high=last, default=min(default, last)))


def pick_image(data: DigitData, split: str, digit_s: Setting, image_s: Setting,
               where=st) -> tuple[int, int]:
    """A digit of the pair and one of its images (both in the link), with a Random button:
    (digit, index)."""
    pair = digit_s.options
    if st.session_state.get(digit_s.name, pair[0]) not in pair:  # the sidebar's pair changed
        st.session_state[digit_s.name] = pair[0]

    def pick_random() -> None:
        st.session_state[digit_s.name] = d = random.choice(pair)
        st.session_state[image_s.name] = random.randrange(data.count(split, d))

    digit = widget(digit_s, where)
    count = data.count(split, digit)
    if st.session_state.get(image_s.name, 0) >= count:  # another digit or data set may have fewer
                                                        # images
        st.session_state[image_s.name] = count - 1
    index = 0
    if count > 1:
        index = widget(image_s.within(high=count - 1, default=min(image_s.default, count - 1)),
                       where)
    else:
        where.info(f"The data has only one {'validation' if split == 'valid' else 'training'} "
                   f"{digit}.")
    where.button("🎲 Random", key="random_image", on_click=pick_random,
                 help=f"A random {'validation' if split == 'valid' else 'training'} image of "
                 f"either digit")
    return digit, index
