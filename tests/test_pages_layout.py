"""Every page is declared once, in ui.registry, and is safe to open straight from a link on a fresh
server.

Streamlit treats an app with a pages/ folder as an old-style multipage app until st.navigation has
run once in the server process. On that first run a link to /<name> is matched against the page
files' names: the file must carry the same name as its url path (else a "Page not found" dialog),
and must call ui.ensure_app() first so that it runs through app.py (else no sidebar and no page
config).
"""

import ast
from pathlib import Path

from streamlit.source_util import page_icon_and_name

from ui.registry import BY_KEY, CHAPTER, PAGES

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_file_is_in_the_registry_once_and_the_start_page_is_first():
    files = sorted(p.file for p in PAGES)
    assert files == sorted(f"pages/{f.name}" for f in (ROOT / "pages").glob("*.py"))
    assert len(set(files)) == len(files) and len(BY_KEY) == len(PAGES)
    assert PAGES[0].key == "" and all(p.key for p in PAGES[1:])


def test_url_paths_match_the_file_names_and_the_chapter_is_in_the_books_order():
    for page in PAGES[1:]:
        assert page_icon_and_name(Path(page.file))[1] == page.key, page.file
    chapter = [p.key for p in PAGES if p.part == CHAPTER]
    assert (chapter[:4] == ["pixels", "similarity", "distances", "gradient"]
            and "training" in chapter[4:])
    assert all(p.section for p in PAGES if p.part == CHAPTER), ("a chapter page names the book's "
                                                                "section it teaches")


def test_app_py_navigates_by_the_registry_and_names_no_page_file():
    source = (ROOT / "app.py").read_text()
    assert "PAGES" in source and "pages/" not in source


def first_streamlit_call(source: str) -> str:
    """The dotted name of the first top-level call into st or ui in a page."""
    for stmt in ast.parse(source).body:
        calls = [n for n in ast.walk(stmt) if isinstance(n, ast.Call)] if not isinstance(
            stmt, (ast.FunctionDef, ast.ClassDef)) else []
        for call in calls:
            name = ast.unparse(call.func)
            if name.startswith(("st.", "ui.")):
                return name
    return ""


def test_every_page_runs_through_app_py_first():
    for page in PAGES:
        assert first_streamlit_call((ROOT / page.file).read_text()) == "ui.ensure_app", page.file


def test_no_page_file_is_named_outside_the_registry():
    """Pages link to each other through ui.registry, never by a file name of their own."""
    for path in list(ROOT.glob("pages/*.py")) + list(ROOT.glob("ui/*.py")) + list(
        ROOT.glob("lessonlib/**/*.py")):
        if path.name != "registry.py":
            assert '"pages/' not in path.read_text(), path
