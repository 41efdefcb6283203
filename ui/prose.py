"""Teaching prose that has no live numbers, kept in a markdown file beside its page
(pages/<url path>.md), where a teacher can edit it: each `## name` heading starts a piece a page
shows by name."""

from __future__ import annotations

import functools
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "pages"


@functools.cache
def prose(key: str) -> dict[str, str]:
    """The pieces of pages/<key>.md by their heading, read once per server process."""
    pieces, name = {}, None
    for line in (PAGES / f"{key}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            pieces[name] = []
        elif name is not None:
            pieces[name].append(line)
    return {k: "\n".join(v).strip() for k, v in pieces.items()}
