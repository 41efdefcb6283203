"""Read and drive a Streamlit page by what a visitor sees: labels of sliders, buttons, metrics,
links, charts."""

from __future__ import annotations

import json
import re
import urllib.parse

from stbrowser import after_rerun

METRIC_VALUE = """
label => {
  for (const m of document.querySelectorAll("[data-testid='stMetric']")) {
    const l = m.querySelector("[data-testid='stMetricLabel']");
    if (l && l.innerText.trim() === label) \
return m.querySelector("[data-testid='stMetricValue']").innerText.trim();
  }
  return null;
}
"""


def metric(page, label: str) -> str | None:
    """The displayed value of the st.metric with this exact label (None if there is none)."""
    return page.evaluate(METRIC_VALUE, label)


def slider(page, label: str):
    """The thumb of the slider (or select_slider) with this exact label; focus it and use the
    keyboard."""
    return page.locator(f"[data-testid='stSlider'] "
                        f"input[type='range'][aria-label={json.dumps(label)}]")


def slider_value(page, label: str) -> str:
    """The value a slider displays, as text."""
    return slider(page, label).get_attribute("aria-valuetext")


def press_slider(page, label: str, *keys: str) -> None:
    """Focus a slider's thumb and press keys; waits for the rerun the new value causes."""
    thumb = slider(page, label)
    thumb.focus()

    def press() -> None:
        for key in keys:
            thumb.press(key)

    after_rerun(page, press)


def click_button(page, label: str) -> None:
    """Click the button with this label (an icon in front is allowed) and wait for the rerun."""
    after_rerun(page, button(page, label).click)


def sidebar_links(page) -> dict[str, str]:
    """URL path -> visible label of every page link in the sidebar navigation."""
    more = page.locator("[data-testid='stSidebarNavViewButton']")
    if more.count() and "more" in more.inner_text():
        more.click()
    links = page.locator("[data-testid='stSidebarNavLink']")
    found = {}
    for i in range(links.count()):
        link = links.nth(i)
        path = urllib.parse.urlparse(link.get_attribute("href")).path.strip("/")
        found[path] = link.inner_text().strip().splitlines()[-1].strip()
    return found


def title(page) -> str:
    """The text of the page's st.title."""
    return page.locator("[data-testid='stMain'] h1").first.inner_text().strip()


CHART_POINTS = """
part => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")]
  .flatMap(g => g._fullData || []).filter(t => (t.name || '').includes(part))
  .reduce((n, t) => n + (t._length ?? 0), 0)
"""


def chart_points(page, trace_name_part: str) -> int:
    """How many points the plotly traces whose name contains this text have, over every chart on the
    page.

    Reads plotly.js's decoded traces (`_fullData`): `data` may hold base64-packed arrays without a
    length.
    """
    return page.evaluate(CHART_POINTS, trace_name_part)


def wait_metric_values(page, label: str, count: int, timeout: float = 60) -> list[str]:
    """Watch a metric until it has shown `count` different values; returns them in the order
    seen."""
    script = "([label, count]) => {\n const v = (" + METRIC_VALUE.strip() + """)(label);
      window.__seen = window.__seen || [];
      if (v !== null && window.__seen[window.__seen.length - 1] !== v) window.__seen.push(v);
      return new Set(window.__seen).size >= count;
    }"""
    page.evaluate("window.__seen = []")
    page.wait_for_function(script, arg=[label, count], polling=20, timeout=timeout * 1000)
    return page.evaluate("window.__seen")


def button(page, word: str):
    """The button whose label is this word, with or without an icon in front ("▶ Play")."""
    return page.get_by_role("button", name=re.compile(rf"^\W*{re.escape(word)}$"))


def go_to(page, path: str) -> None:
    """Click the sidebar link to a page (by its URL path) and wait for the page to run."""
    after_rerun(page, page.locator(f"[data-testid='stSidebarNavLink'][href$='/{path}']").click)


def draw(page, *strokes: list[tuple[float, float]], steps: int = 12) -> None:
    """Draw strokes with the mouse on the drawing canvas; points are fractions (x, y) of its size.

    Each stroke ends with the mouse released, which sends the drawing to the app: waits for that
    rerun.
    """
    # fabric.js takes the mouse on its top layer
    box = page.locator("canvas.upper-canvas").bounding_box()

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return box["x"] + point[0] * box["width"], box["y"] + point[1] * box["height"]

    for stroke in strokes:
        def move(stroke=stroke) -> None:
            page.mouse.move(*at(stroke[0]))
            page.mouse.down()
            for start, end in zip(stroke, stroke[1:], strict=False):
                for i in range(1, steps + 1):
                    t = i / steps
                    page.mouse.move(*at((start[0] + t * (end[0] - start[0]),
                                         start[1] + t * (end[1] - start[1]))))
            page.mouse.up()

        after_rerun(page, move)


def predict(page, key: str, choice: int | str = 0) -> None:
    """Answer the predict-first box `key` (ui.predict_first) by the position or the exact words of
    a choice, and wait for the answer to show."""
    options = page.locator(f".st-key-predict_{key}_box [role='radiogroup'] label")
    option = (options.nth(choice) if isinstance(choice, int) else
              options.filter(has_text=re.compile(rf"^\s*{re.escape(choice)}\s*$")).first)
    after_rerun(page, option.click)


def alerts(page) -> str:
    """The text of every st.info / success / warning / error box on the page."""
    return "\n".join(page.locator("[data-testid='stAlert']").all_inner_texts())
