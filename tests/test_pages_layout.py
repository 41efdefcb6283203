"""Every page is declared in app.py and safe to open straight from a link on a fresh server.

Streamlit treats an app with a pages/ folder as an old-style multipage app until st.navigation has run
once in the server process. On that first run a link to /<name> is matched against the page files'
names: the file must carry the same name as its url path (else a "Page not found" dialog), and must call
ui.ensure_app() first so that it runs through app.py (else no sidebar and no page config).
"""

import ast
from pathlib import Path

from streamlit.source_util import page_icon_and_name

ROOT = Path(__file__).resolve().parent.parent


def declared_pages() -> list[tuple[str, str | None, bool]]:
    """(file, url_path, default) for each st.Page call in app.py."""
    found = []
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            found.append((node.args[0].value, kw.get("url_path"), kw.get("default", False)))
    return found


def test_every_page_file_is_declared_once():
    files = sorted(f for f, _, _ in declared_pages())
    assert files == sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert [d for _, _, d in declared_pages()].count(True) == 1


def test_url_paths_match_the_file_names_and_the_chapter():
    paths = {}
    for file, url_path, default in declared_pages():
        if default:
            continue
        assert page_icon_and_name(Path(file))[1] == url_path, file
        paths[url_path] = file
    assert {"pixels", "similarity", "distances", "gradient", "training"} <= set(paths)


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
    for file, _, _ in declared_pages():
        assert first_streamlit_call((ROOT / file).read_text()) == "ui.ensure_app", file
