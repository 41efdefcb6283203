"""The layers: pages -> ui -> lessonlib, never back; lessonlib and ui's plumbing modules free of
Streamlit."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_UI = ("registry", "links", "settings", "pace", "live", "history", "prose")


def imported(path: Path) -> set[str]:
    """The top-level package of everything a module imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(ROOT.glob("lessonlib/**/*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_lessonlib_imports_neither_streamlit_nor_the_app(path):
    assert not imported(path) & {"streamlit", "ui", "pages", "app"}


@pytest.mark.parametrize("name", PURE_UI)
def test_ui_plumbing_is_pure(name):
    """Links, settings, the page registry, the pace, training in chunks and chart buffers: plain
    Python, testable without Streamlit."""
    assert "streamlit" not in imported(ROOT / "ui" / f"{name}.py")


def test_ui_never_imports_a_page():
    for path in ROOT.glob("ui/*.py"):
        assert "pages" not in imported(path), path
