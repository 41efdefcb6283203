"""Bad links, on every page: each setting a page takes from the URL gets nonsense, and the page says
which values it ignored and why, raises nothing, and a rerun with a bad link keeps the session's
trained model and settings.

The settings are not listed here by hand: each page's `links.Setting`s are recorded as the page
hands them to `ui.link_settings`, and every name in `settings.KNOWN` goes into every link, so a new
setting is covered as soon as a page declares it.
"""

from __future__ import annotations

import math

import pytest
import torch
from helpers import open_page
from streamlit.testing.v1 import AppTest

import ui
from ui import links, registry, settings

PAGES = [p.key for p in registry.PAGES]
BAD = ["abc", "nan", "inf", "-1", "0", "1e308", "", "2.5", "<script>alert(1)</script>",
       "../../etc/passwd", "3,3",
       "$(id)"]  # not a number, not finite, negative, zero, huge, empty, not whole; markup, a path,
                 # a shell word
NOTICE = "Ignored from the link"
WIDGETS = ("slider", "select_slider", "number_input", "radio", "selectbox", "toggle",
           "checkbox", "text_input", "segmented_control")


class Recorder:
    """Wraps ui.link_settings and remembers the Settings each run hands it."""

    def __init__(self) -> None:
        self.params: list[links.Setting] = []
        self.real = ui.link_settings

    def __call__(self, *params: links.Setting) -> None:
        self.params.extend(params)
        self.real(*params)


def keyed_widgets(at: AppTest) -> dict:
    """key -> widget, for every widget of the page that has a key."""
    return {w.key: w for kind in WIDGETS for w in at.get(kind) if getattr(w, "key", None)}


@pytest.fixture(scope="module")
def declared():
    """page -> (its Params, the value of each widget keyed by a Setting's name with no link, the
    keys of the page's widgets that carry a link setting's name)."""
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        for page in PAGES:
            recorder = Recorder()
            mp.setattr(ui, "link_settings", recorder)
            at = open_page(page)
            assert not at.exception, page
            params = list({p.name: p for p in recorder.params}.values())
            bound = set(keyed_widgets(at)) & set(settings.KNOWN)
            values = {p.name: at.session_state[p.name] for p in params
                      if p.name in at.session_state}
            out[page] = params, values, bound
    return out


def notice(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption if NOTICE in c.value)


def sidebar_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def test_every_page_declares_its_link_settings(declared):
    """Each widget keyed by a link setting has a Setting (so a bad value gets a notice); each
    Setting is known."""
    for page, (params, _, bound) in declared.items():
        assert {p.name for p in params} <= set(settings.KNOWN), page
        assert bound <= {p.name for p in params}, (page, bound)
    names = {page: {p.name for p in params} for page, (params, _, _) in declared.items()}
    assert {"rows", "cols"} <= names["pixels"] and {"todo"} <= names["questionnaire"]
    assert {"lr", "bs", "model", "seed"} <= names["training"]


@pytest.mark.parametrize("raw", BAD)
@pytest.mark.parametrize("page", PAGES)
def test_a_bad_value_for_every_setting_is_named_and_ignored(declared, page, raw):
    params, defaults, _ = declared[page]
    at = open_page(page, {name: raw for name in settings.KNOWN})
    assert not at.exception, at.exception
    shown = notice(at)
    for p in params:
        bad = p.check([raw])
        if bad is None:  # a valid value (seed=0, x0=-1 …) is used as it is
            assert p.name not in defaults or at.session_state[p.name] == p.value(raw), (p.name, raw)
            continue
        assert f"{p.label} `{links.short(bad[0])}`: {bad[1]}" in shown, (p.name, raw, shown)
        if p.name in defaults:  # refused means refused: even `2.5`, which Streamlit alone would
                                # make 2
            assert at.session_state[p.name] == defaults[p.name], (p.name, raw)
    assert at.session_state["digit_pair"] == (3, 7)
    if raw in MARKUP:  # link values appear only inside code spans, where nothing is markup
        assert raw[:8] not in " ".join(outside_code(t) for t in texts(at))


MARKUP = ("<script>alert(1)</script>", "../../etc/passwd", "$(id)")


def texts(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "title",
             "header", "subheader")
    return [e.value for kind in kinds for e in at.get(kind)] + [e.value for e in at.sidebar.caption]


def outside_code(text: str) -> str:
    """The text without its `code spans`."""
    return "".join(text.split("`")[::2])


@pytest.mark.parametrize("raw", BAD)
def test_bad_digits_are_named_once_and_the_pair_kept(raw):
    at = open_page("", {"digits": raw})
    assert not at.exception
    _, why = links.parse_digits(raw, range(10))
    assert f"Ignored digits `{links.short(raw)}` from the link: {why}." in sidebar_text(at)
    assert at.session_state["digit_pair"] == (3, 7)
    assert at.query_params["digits"] == "3,7"  # the link now carries the pair in use …
    at.run()
    assert "Ignored digits" not in sidebar_text(at)  # … so the notice is not repeated on every
                                                     # rerun


@pytest.mark.parametrize("page", PAGES)
def test_unknown_settings_and_hide_names_are_named_on_every_page(page):
    at = open_page(page, {"nonsense": "1", "<b>x</b>": "2", "hide": "code,../../etc/passwd,<i>"})
    assert not at.exception
    shown = notice(at)
    for part in ("unknown setting `nonsense`", "unknown setting `<b>x</b>`",
                 "nothing called `../../etc/passwd` to hide", "nothing called `<i>` to hide"):
        assert part in shown, (page, shown)
    # hide=code still works
    assert not [e for e in at.expander if e.label.startswith("Show the code")]


def test_repeated_and_partial_range_values_are_named():
    at = open_page("pixels", {"rows": ["2", "99"], "cols": "5", "i": ["3", "abc"]})
    assert not at.exception
    shown = notice(at)
    assert ("Rows (start:stop) `99`: outside 0…28" in shown
            and "Columns (start:stop) `5`: expected 2 values" in shown)
    assert "Image index `abc`: not a number" in shown  # a repeated setting takes its last value, as
                                                       # Streamlit does
    assert at.slider(key="rows").value == (4, 15) and at.slider(key="cols").value == (4, 22)


def test_a_range_given_backwards_is_put_the_right_way_round():
    at = open_page("pixels", {"rows": ["9", "2"], "cols": ["8", "3"]})
    assert not at.exception and not notice(at)
    assert at.dataframe[0].value.shape == (7, 5)  # rows 2:9, columns 3:8
    # thumbs in order
    assert at.slider(key="rows").value == (2, 9) and at.slider(key="cols").value == (3, 8)


def test_the_share_link_escapes_values_and_keeps_both_ends_of_a_range():
    at = open_page("pixels", {"rows": ["2", "9"], "nonsense": "a&b=<c> d"})
    shared = at.sidebar.code[0].value
    assert ("rows=2&rows=9" in shared and "nonsense=a%26b%3D%3Cc%3E+d" in shared
            and "<c>" not in shared)


# ---- nothing lost: a bad link in the middle of a session -----------------------------------------


def widget(at: AppTest, key: str):
    return next(w for kind in WIDGETS for w in at.get(kind) if getattr(w, "key", None) == key)


def other_value(p: links.Setting, now):
    """A valid value of the setting that differs from `now`."""
    if isinstance(now, bool):  # a toggle
        return not now
    if p.count == 2:
        return (int(p.low), int(p.high))
    if p.options:
        return next(o for o in p.options if o != now and str(o) != str(now))
    value = p.low if p.low != now else p.high
    return int(value) if p.integer else float(value)


def all_bad(params: list[links.Setting]) -> list[str]:
    """The bad values that no setting of the page accepts (a valid one, like seed=0, may rightly
    change a setting)."""
    return [raw for raw in BAD if all(p.check([raw]) for p in params)]


@pytest.mark.parametrize("page", [p for p in PAGES if p != "training"])
def test_a_bad_link_mid_session_keeps_the_pages_settings(page, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(ui, "link_settings", recorder)
    at = open_page(page)
    recorder.params.clear()
    at.selectbox(key="digit_a").set_value(4).run()
    # as declared for digits 4 and 7 …
    params = [p for p in {p.name: p for p in recorder.params}.values()
              if p.name in keyed_widgets(at)]  # … with a widget of that name
    for p in params:  # move every setting away from its default
        w = widget(at, p.name)
        w.set_value(other_value(p, at.session_state[p.name])).run()
        assert not at.exception, p.name
    chosen = {p.name: at.session_state[p.name] for p in params}
    for raw in all_bad(params):
        at.query_params.clear()
        at.query_params.update({name: raw for name in settings.KNOWN})
        at.run()
        assert not at.exception, raw
        assert {p.name: at.session_state[p.name] for p in params} == chosen, raw
        assert at.session_state["digit_pair"] == (4, 7), raw


def snapshot(at: AppTest) -> dict:
    run = at.session_state["tr_run"]
    c = run.trainer.config
    return {"run": run, "steps": run.trainer.steps, "points": len(run.history.batch_loss),
            "epochs": list(run.history.valid_accuracy.x),
            "weights": {k: v.clone() for k, v in run.trainer.model.state_dict().items()},
            "config": (c.model, c.learning_rate, c.batch_size, c.momentum, c.seed),
            "widgets": {k: at.session_state[k]
                        for k in ("lr", "bs", "momentum", "seed", "model", "epochs")}}


def test_a_bad_link_mid_session_keeps_the_trained_model(declared):
    params, _, _ = declared["training"]
    at = open_page("training")
    at.select_slider(key="lr").set_value(0.5)
    at.select_slider(key="bs").set_value(64)
    at.select_slider(key="momentum").set_value(0.9)
    at.number_input(key="seed").set_value(7).run()
    at.button(key="tr_epoch").click().run()
    at.button(key="tr_step").click().run()  # an epoch of 1,000 images in batches of 64, and one
                                            # more step
    assert not at.exception
    before = snapshot(at)
    assert (before["steps"] == math.ceil(1000 / 64) + 1
            and before["config"] == ("linear", 0.5, 64, 0.9, 7))
    values = all_bad(params)
    assert ({"abc", "nan", "inf", "-1", "1e308", "<script>alert(1)</script>", "../../etc/passwd"}
            <= set(values))
    for raw in values:
        at.query_params.clear()
        at.query_params.update({name: raw for name in settings.KNOWN} | {"nonsense": raw})
        at.run()
        assert not at.exception, raw
        now = snapshot(at)
        assert now["run"] is before["run"], raw  # the same run object: nothing was restarted
        for key in ("steps", "points", "epochs", "config", "widgets"):
            assert now[key] == before[key], (raw, key)
        for k, v in before["weights"].items():
            assert torch.equal(now["weights"][k], v), (raw, k)
        assert "Learning rate `" in notice(at), raw
    at.button(key="tr_step").click().run()  # and it trains on from where it was
    assert at.session_state["tr_run"].trainer.steps == before["steps"] + 1
