"""The jargon page's measurements, shared by every visitor (they depend only on the data and the two
digits), and its links to the pages that show each term live."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessonlib import jargon
from lessonlib.jargon import Anatomy, Term
from lessonlib.training import binary_split
from ui.core import Source, load
from ui.registry import BY_KEY


@st.cache_resource(max_entries=16, show_spinner=False)
def anatomy(src: Source, pair: tuple[int, int]) -> Anatomy:
    """simple_net (30 hidden units, seed 42) on the first shuffled mini-batch of the two digits'
    training images."""
    return jargon.anatomy(*jargon.first_batch(binary_split(load(src), "train", pair)))


def table(a: Anatomy, kinds: tuple[str, ...], step: bool = False) -> pd.DataFrame:
    """The tensors of these kinds: name, kind, shape, rank, and (after the step) what autograd and
    SGD did."""
    rows = []
    for t in (t for t in a.tensors if t.kind in kinds):
        row = {"tensor": t.name, "kind": t.kind, "shape": str(t.shape), "rank": t.rank}
        if step:
            row |= {"requires_grad": t.requires_grad,
                    ".grad after backward()": "filled" if t.has_grad else "None",
                    "changed by opt.step()": "yes" if t.changed else "no"}
        rows.append(row)
    return pd.DataFrame(rows)


def links(term: Term, where) -> None:
    """A link to each page of the app that shows the term live (pages not in this app are left
    out)."""
    for key in term.pages:
        if key in BY_KEY:
            page = BY_KEY[key]
            where.page_link(page.file, label=page.title, icon=page.icon)
