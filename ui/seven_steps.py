"""The gradient page's seven steps of SGD on the roller coaster's speed: the visitor's fit, its
controls, the numbers of each step and the charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessonlib import quadratic
from lessonlib.plots import gradient as plots
from lessonlib.quadratic import SpeedFit
from ui.settings import FIT_LR
from ui.widgets import value, widget


def current_fit() -> SpeedFit:
    """The visitor's fit, at the learning rate the slider shows."""
    fit = st.session_state.setdefault("grad_fit", SpeedFit(*quadratic.speed_data()))
    fit.learning_rate = value(FIT_LR)
    return fit


def _restart() -> None:
    st.session_state.grad_fit = SpeedFit(*quadratic.speed_data())


def controls(fit: SpeedFit) -> None:
    """The fit's learning rate, and buttons to take the next step, repeat, or start over."""
    c = st.columns([2, 1, 1, 1, 1], vertical_alignment="bottom")
    widget(FIT_LR, c[0])
    c[1].button("Next step", key="fit_next", on_click=lambda: current_fit().next_step(),
                disabled=fit.stage >= 7, type="primary")
    can_repeat = fit.stage >= 5 and not fit.diverged()
    for col, times in zip(c[2:4], (1, 10), strict=True):
        col.button(f"Repeat ×{times}", key=f"fit_repeat{times}",
                   on_click=lambda n=times: current_fit().keep_going(n), disabled=not can_repeat)
    c[4].button("Start over", key="fit_restart", on_click=_restart)


def charts(fit: SpeedFit) -> None:
    """The data with the current curve (and the best one at the end), and the loss so far."""
    k = fit.stage
    curve = [v.tolist() for v in fit.curve()] if k else None
    preds = fit.preds.detach().tolist() if fit.preds is not None else None
    best = [v.tolist() for v in fit.best_curve()] if k == 7 else None
    what = "and the current quadratic" if k else "measured once a second for 20 seconds"
    st.plotly_chart(plots.speed_fit(fit.time.tolist(), fit.speed.tolist(), curve, preds, best),
                    theme="streamlit",
                    key="fit_chart", alt=f"The roller coaster's speed against time, {what}")
    if k >= 5:
        losses = fit.loss_history()
        st.plotly_chart(plots.loss_history(losses), theme="streamlit", key="fit_loss",
                        alt=f"The loss after each step, from {losses[0]:,.1f} to {losses[-1]:,.1f}")


def _params(columns: dict[str, list[float]]) -> None:
    st.dataframe(pd.DataFrame(columns, index=["a", "b", "c"]), width="content")


def numbers(fit: SpeedFit, why_so_small: str) -> None:
    """The numbers of the step just taken."""
    k, p = fit.stage, fit.params.detach().tolist()
    if fit.diverged():
        st.error(f"The loss has **blown up** to {fit.current_loss():.3g}: at "
                 f"lr = {FIT_LR.show(fit.learning_rate)} each step overshoots further than the "
                 "last (divergence, not overfitting). Pick 1e-5 and **Start over**.")
    elif k == 1:
        _params({"params": p})
    elif k == 2:
        st.dataframe(pd.DataFrame({"time": fit.time.tolist(), "speed": fit.speed.tolist(),
                                   "prediction": fit.preds.detach().tolist()}),
                     hide_index=True, height=220)
    elif k == 3:
        st.metric("loss = mse(preds, speed)", f"{fit.loss.item():,.1f}")
    elif k == 4:
        g = fit.params.grad.tolist()
        _params({"params": p, "params.grad": g, "lr · grad": [fit.learning_rate * v for v in g]})
        st.info(why_so_small)
    elif k == 5:
        _params({"before": fit.previous.tolist(), "after": p})
        before, now = fit.loss_history()[-2:]
        st.metric("loss at the new parameters", f"{now:,.1f}", f"{now - before:,.1f}",
                  delta_color="inverse")
    elif k == 6:
        st.metric(f"loss after {len(fit.losses)} steps", f"{fit.loss_history()[-1]:,.1f}",
                  f"{-100 * fit.improvement():.2g} % in the last step", delta_color="inverse")
        _params({"params": p})
    else:
        _stop_message(fit)


def _stop_message(fit: SpeedFit) -> None:
    drop = 100 * fit.improvement()
    if drop < 0:
        st.warning(f"The loss rose by {-drop:.3g} % in the last step: stop, and try a smaller "
                   f"learning rate.")
    elif fit.stop():
        st.success(f"The last step lowered the loss by only {drop:.3f} %: time to stop.")
    else:
        st.info(f"The loss still fell {drop:.2f} % in the last step. The book stops after ten "
                "iterations anyway; press **Repeat ×10** to go on.")
    best, best_loss = quadratic.least_squares(fit.time, fit.speed), fit.best_loss()
    st.markdown(f"Loss now **{fit.loss_history()[-1]:,.1f}**. The best possible quadratic (dashed; "
                f"by least squares a = {best[0]:.3f}, b = {best[1]:.2f}, c = {best[2]:.1f}) "
                f"reaches **{best_loss:.1f}**. Why is SGD stuck so far above it? With one learning "
                "rate for all three, a's gradient is scaled by t² (up to 361) and c's by 1: a "
                "settles quickly while b and c barely move. How fast SGD gets there depends on "
                "the learning rate and on the scale of the inputs.")
