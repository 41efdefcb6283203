"""Link parameters: every value is either accepted or refused with a reason, never an exception."""

import math

from hypothesis import given
from hypothesis import strategies as st

from ui.links import Setting, notices, parse_digits, parse_hide

LR = Setting("lr", "Learning rate", options=(0.0001, 0.001, 0.01, 0.1, 1.0, 10.0))
BS = Setting("bs", "Batch size", low=1, high=1024, integer=True)
SEED = Setting("seed", "Seed", low=0, high=2**31 - 1, integer=True)
MODEL = Setting("model", "Model", options=("linear1", "linear", "simple_net"))
KNOWN = ["lr", "bs", "seed", "model", "digits", "hide"]


def test_hand_picked_values():
    assert LR.problem("0.1") is None and LR.problem("1") is None and LR.problem("1e-4") is None
    assert LR.problem("0.05").startswith("not one of the choices")
    for bad, why in [("abc", "not a number"), ("nan", "not a finite number"),
                     ("inf", "not a finite number"),
                     ("-inf", "not a finite number"), ("0", "outside 1…1024"),
                     ("-3", "outside 1…1024"),
                     ("1e9", "outside 1…1024"), ("2.5", "not a whole number"),
                     ("", "not a number")]:
        assert BS.problem(bad) == why, bad
    assert BS.problem("64") is None and BS.problem("64.0") is None
    assert MODEL.problem("simple_net") is None and MODEL.problem("<script>") is not None
    assert LR.value("1") == 1.0 and LR.value("1e-4") == 0.0001 and LR.value("0.05") is None
    assert BS.value("64.0") == 64 and isinstance(BS.value("64.0"), int) and BS.value("0") is None
    assert MODEL.value("linear") == "linear"


def test_digits_and_hide():
    assert parse_digits("3,7", range(10)) == ((3, 7), None)
    assert parse_digits(" 4 , 9 ", range(10)) == ((4, 9), None)
    assert parse_digits("3,3", range(10)) == (None, "the two digits must differ")
    assert parse_digits("3,5", [3, 7]) == (None, "the data has no digit 5")
    for bad in ["", "3", "3,7,1", "a,b", "-1,3", "10,3", "../../etc/passwd", "3;7"]:
        assert parse_digits(bad, range(10))[0] is None, bad
    assert parse_hide("model,bs,nope", ["model", "bs", "lr"]) == ({"model", "bs"}, ["nope"])


def test_notices_name_invalid_and_unknown_values_as_code():
    out = notices([LR, BS], {"lr": "abc", "bs": "64", "zzz": "1", "model": "x", "hide": "bs"},
                  KNOWN)
    assert out == ["Learning rate `abc`: not one of the choices (0.0001, 0.001, 0.01, 0.1, 1.0, "
                   "10.0)",
                   "unknown setting `zzz`"]
    long = notices([BS], {"bs": "`<b>" + "9" * 100}, KNOWN)[0]
    assert "`'<b>" in long and len(long) < 80 and "`<b>" not in long.replace("`'<b>", "")


@given(st.text(max_size=60))
def test_any_text_is_accepted_or_refused_with_a_reason(raw):
    for p in (LR, BS, SEED, MODEL):
        why = p.problem(raw)
        assert why is None or isinstance(why, str)
    pair, why = parse_digits(raw, range(10))
    assert (pair is None) != (why is None)
    shown, unknown = parse_hide(raw, KNOWN)
    assert shown <= set(KNOWN) and not set(unknown) & set(KNOWN)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_numbers_are_accepted_exactly_when_finite_whole_and_in_range(x):
    ok = math.isfinite(x) and x == int(x) and 1 <= x <= 1024 if math.isfinite(x) else False
    assert (BS.problem(repr(x)) is None) == ok


@given(st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=8))
def test_notices_never_raise_and_quote_every_value(query):
    for line in notices([LR, BS, SEED, MODEL], query, KNOWN):
        assert line.count("`") == 2


def test_a_value_from_another_page_is_fitted_into_this_pages_range():
    rate = Setting("lr", "Learning rate", 0.01, 1.5)
    assert rate.fit(10.0) == 1.5 and rate.fit(0.0001) == 0.01 and rate.fit(0.37) == 0.37
    assert rate.fit(float("nan")) is None and rate.fit("x") is None and rate.fit(True) is None
    options = Setting("lr", "Learning rate", options=(0.1, 1.0, 10.0))
    assert options.fit(1.0) == 1.0 and options.fit(0.37) is None
    whole = Setting("seed", "Seed", 0, 100, integer=True)
    assert whole.fit(250) == 100 and isinstance(whole.fit(250), int)
