"""Settings in a link: each setting declared once (its name in the link, label, range or choices,
default, help and widget), the query parameters a shared URL carries checked against it, and why a
value is ignored. Pure: no Streamlit here; ui.widgets draws a Setting."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

HIDE = "hide"  # ?hide=model,bs hides those controls (teacher mode)
DIGITS = "digits"  # ?digits=3,7 chooses the two digits


@dataclass(frozen=True)
class Setting:
    """One setting a link may carry: a number in [low, high] (ints if `integer`), or one of
    `options`; with the default, help text and kind of widget that shows it."""

    name: str  # in the link and in session state
    label: str
    low: float | None = None
    high: float | None = None
    integer: bool = False
    options: tuple = ()
    count: int = 1  # how many values the link gives: 2 for a range slider's two ends,
                    # `rows=4&rows=15`
    default: object = None
    help: str | None = None
    widget: str = "slider"  # slider, select_slider, radio, selectbox, number_input, toggle
    step: float | None = None
    show: Callable[[object], str] = str  # how an option is written on screen, and in the link

    def within(self, **bounds: object) -> Setting:
        """The same setting with bounds or choices known only at run time (the data's image count,
        its digits)."""
        return replace(self, **bounds)

    def problem(self, raw: str) -> str | None:
        """Why `raw` is not a valid value for this setting, or None when it is."""
        if self.options:
            if any(_same(raw, o) for o in self.options):
                return None
            shown = (", ".join(str(o) for o in self.options[:8])
                     + (" …" if len(self.options) > 8 else ""))
            return f"not one of the choices ({shown})"
        try:
            value = float(raw)
        except ValueError:
            return "not a number"
        if not math.isfinite(value):
            return "not a finite number"
        if self.integer and value != int(value):
            return "not a whole number"
        if ((self.low is not None and value < self.low)
            or (self.high is not None and value > self.high)):
            return f"outside {_number(self.low)}…{_number(self.high)}"
        return None

    def check(self, values: Sequence[str]) -> tuple[str, str] | None:
        """(the value to quote, why) when the link's values for this setting are ignored, else None.

        A single setting repeated in the link takes its last value, as Streamlit does."""
        used = list(values[-1:] if self.count == 1 else values)
        for raw in used:
            why = self.problem(raw)
            if why:
                return raw, why
        if len(used) != self.count:
            return ",".join(used), f"expected {self.count} values"
        return None

    def fit(self, kept: object) -> object | None:
        """A value another page left under this setting's name (pages share `lr`, with different
        ranges), brought into this setting's range: a number clamped to low…high, an option kept;
        None for anything else."""
        if self.widget == "toggle":  # the link spells it "true" or "false"; the widget holds a bool
            return kept if isinstance(kept, bool) else None
        if self.options:
            return kept if kept in self.options else None
        if isinstance(kept, bool) or not isinstance(kept, int | float) or not math.isfinite(kept):
            return None
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        fitted = min(max(kept, low), high)
        return int(fitted) if self.integer else fitted

    def value(self, raw: str) -> object | None:
        """The setting's value for `raw` (the matching option, an int or a float), or None if
        invalid."""
        if self.problem(raw) is not None:
            return None
        if self.options:
            return next(o for o in self.options if _same(raw, o))
        return int(float(raw)) if self.integer else float(raw)


def _number(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def _same(raw: str, option: object) -> bool:
    if isinstance(option, str):
        return raw == option
    try:
        return math.isclose(float(raw), float(option), rel_tol=1e-9)
    except (TypeError, ValueError):
        return False


def parse_digits(raw: str, available: Sequence[int]) -> tuple[tuple[int, int] | None, str | None]:
    """`3,7` as (3, 7) when both digits exist and differ; else (None, the reason)."""
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 1 for p in parts):
        return None, "expected two digits like 3,7"
    a, b = int(parts[0]), int(parts[1])
    if a == b:
        return None, "the two digits must differ"
    missing = [d for d in (a, b) if d not in available]
    if missing:
        return None, f"the data has no digit {missing[0]}"
    return (a, b), None


def parse_hide(raw: str, names: Sequence[str]) -> tuple[set[str], list[str]]:
    """The control names in `hide=a,b` that exist, and those that do not."""
    asked = [p.strip() for p in raw.split(",") if p.strip()]
    return {p for p in asked if p in names}, [p for p in asked if p not in names]


def notices(params: Sequence[Setting], query: Mapping[str, str | Sequence[str]],
            known: Sequence[str]) -> list[str]:
    """One sentence per link value that will be ignored: invalid values of this page's settings and
    parameters no page knows. `query` maps a name to its value or to all its values
    (a repeated name). Values are shortened and shown as code, never as markup."""
    by_name = {p.name: p for p in params}
    out = []
    for name, raw in query.items():
        if name in by_name:
            bad = by_name[name].check([raw] if isinstance(raw, str) else raw)
            if bad:
                out.append(f"{by_name[name].label} `{short(bad[0])}`: {bad[1]}")
        elif name not in known:
            out.append(f"unknown setting `{short(name)}`")
    return out


def short(text: str, limit: int = 24) -> str:
    """A value fit to quote in a message: no backticks or newlines, at most `limit` characters."""
    if not text:
        return "(empty)"  # an empty code span would swallow the rest of the message
    text = text.replace("`", "'").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
