"""The distances page's drawing: L1 and RMSE by hand against PyTorch's, and what the signed mean
does to the baseline, in the measured numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessonlib import distances
from ui import shared
from ui.core import source


def agreement(check: pd.DataFrame) -> None:
    """L1 and RMSE by hand and by torch.nn.functional, as metrics and to ten decimals (rows L1,
    RMSE)."""
    m = st.columns(4)
    m[0].metric("L1 = mean(|a − b|)", f"{check.loc['L1', 'by hand']:.6f}")
    m[1].metric("F.l1_loss(a, b)", f"{check.loc['L1', 'torch.nn.functional']:.6f}")
    m[2].metric("RMSE = sqrt(mean((a − b)²))", f"{check.loc['RMSE', 'by hand']:.6f}")
    m[3].metric("F.mse_loss(a, b).sqrt()", f"{check.loc['RMSE', 'torch.nn.functional']:.6f}")
    st.table(check.style.format({"by hand": "{:.10f}", "torch.nn.functional": "{:.10f}",
                                 "difference": "{:.1e}"}))


def signed_words(pair: tuple[int, int]) -> str:
    """The two means' brightness, and the digit the signed mean therefore calls every image, with
    its measured accuracy on each digit."""
    means = shared.means(source(), pair)
    inks = {d: distances.ink(means[d]).item() for d in pair}
    table, _ = shared.metric_table(source(), pair)  # metric × digit
    a, b = pair
    return (" · ".join(f"mean{d} has average brightness **{v:.4f}**" for d, v in inks.items())
            + f". The signed mean therefore calls *every* image a {max(inks, key=inks.get)}: "
            f"measured accuracy on the {a}s **{table.loc['signed mean', f'{a}s']:.0%}**, on the "
            f"{b}s **{table.loc['signed mean', f'{b}s']:.0%}**.")
