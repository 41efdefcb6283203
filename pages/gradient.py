"""Page: the slope of x² from autograd, what a learning rate does, and the chapter's seven steps of
SGD."""

import pandas as pd
import streamlit as st

import ui
from lessonlib import gradients, quadratic
from lessonlib.plots import gradient as plots
from lessonlib.quadratic import SpeedFit
from ui import gradient_view as view
from ui import seven_steps as seven_steps_ui
from ui.prose import prose
from ui.settings import FIT_LR, STEP_LR, STEPS, X0

TEXT = prose("gradient")


def _start_over() -> None:
    st.session_state.grad_walk = [float(st.session_state.x0)]


def _step() -> None:
    walk = st.session_state.grad_walk
    st.session_state.grad_walk = walk + [gradients.sgd_step(walk[-1], st.session_state.lr)]


def _walk_controls(stuck: bool) -> tuple[float, int]:
    c = st.columns([1, 2, 1.3, 1], vertical_alignment="bottom")
    ui.widget(X0, c[0], on_change=_start_over)
    lr, n = ui.widget(STEP_LR, c[1]), ui.widget(STEPS, c[2])
    b = c[3].columns(2)
    b[0].button("Step", key="step", on_click=_step, disabled=stuck, type="primary",
                help="Move x by one gradient step: x ← x − lr · x.grad")
    b[1].button("Reset", key="reset", on_click=_start_over, help="Back to the starting x")
    return lr, n


def _walk_metrics(walk: list[float], y: float, grad: float, factor: float) -> None:
    m = st.columns(5)
    m[0].metric("x now", f"{walk[-1]:.6g}", help=f"after {len(walk) - 1} steps from {walk[0]:g}")
    m[1].metric("f(x) = x²", f"{y:.6g}")
    m[2].metric("x.grad from autograd", f"{grad:.6g}")
    m[3].metric("2x, by calculus", f"{2 * walk[-1]:.6g}")
    m[4].metric("each step multiplies x by", f"{factor:+.2f}", help="x − lr·2x = (1 − 2·lr)·x")


def slope_and_steps() -> None:
    st.header("The slope of x², and one step at a time")
    st.write(TEXT["slope"])
    walk = st.session_state.setdefault("grad_walk", [float(ui.value(X0))])
    x = walk[-1]
    lr, n = _walk_controls(stuck=gradients.diverged(x))
    if gradients.diverged(x):
        st.error(f"x = {x:.3g} after {len(walk) - 1} steps: it has **diverged**, far too big to "
                 "keep stepping (a few more and it would overflow to infinity). "
                 "Press **Reset** and pick a learning rate below 1.")
        return
    y, grad = gradients.value_and_grad(x)
    factor = gradients.step_factor(lr)
    _walk_metrics(walk, y, grad, factor)
    preview = gradients.trajectory(x, lr, n)
    view.regime(lr, factor, preview, n)
    left, right = st.columns(2)
    left.plotly_chart(plots.parabola(walk, preview, *gradients.tangent(x)), theme="streamlit",
                      key="grad_parabola",
                      alt=f"The parabola y = x², the point x = {view.num(x)} with its tangent of "
                      f"slope {view.num(grad)}, and the steps taken and to come")
    right.plotly_chart(plots.steps_chart(walk, preview), theme="streamlit", key="grad_steps_chart",
                       alt=f"x after each step: {view.path(walk + preview[1:])}")
    taken = (f"Steps taken: {view.path(walk)}." if len(walk) > 1
             else f"Steps taken: none yet, x = {view.num(x)}.")
    st.caption(f"{taken}  \nNext {len(preview) - 1} steps at lr = {lr:g}: {view.path(preview)}.")
    with st.expander("Which learning rates converge on x²?"):
        st.markdown(TEXT["regimes"])
    st.code(f"xt = tensor({x:.6g}).requires_grad_()\nyt = f(xt)          # x² = {y:.6g}\n"
            f"yt.backward()\nxt.grad             # {grad:.6g}, the slope 2x\n"
            f"xt.data -= lr * xt.grad   # lr = {lr:g}: x becomes {gradients.sgd_step(x, lr):.6g}",
            language="python", wrap_lines=True)
    ui.show_code(gradients.f, gradients.value_and_grad, gradients.tangent, gradients.sgd_step,
                 gradients.trajectory, gradients.step_factor, gradients.regime)


def vector_gradient() -> None:
    st.header("A gradient for every element")
    st.write(TEXT["vector"])
    try:
        values = gradients.parse_numbers(st.text_input("x (numbers separated by commas)",
                                                       "3, 4, 10", key="grad_vec"))
    except ValueError as e:
        st.error(str(e))
        return
    grad = gradients.vector_grad(values)
    left, right = st.columns([1, 1])
    left.code(f"xt = tensor({values}).requires_grad_()\nyt = (xt**2).sum()\nyt.backward()\n"
              f"xt.grad\n# {grad}",
              language="python", wrap_lines=True)
    right.dataframe(pd.DataFrame({"x": values, "x.grad (autograd)": grad.tolist(),
                                  "2x": [2 * v for v in values]}),
                    hide_index=True)
    ui.show_code(gradients.vector_grad, gradients.parse_numbers)


def seven_steps() -> None:
    st.header("End to end: the seven steps of SGD")
    st.write(TEXT["roller coaster"])
    fit = seven_steps_ui.current_fit()
    seven_steps_ui.controls(fit)
    k = fit.stage
    st.markdown(" → ".join(f":orange-badge[**{i} · {name}**]" if i == k else f"{i} · {name}"
                           for i, name in enumerate(quadratic.STEPS, start=1)))
    left, right = st.columns([1, 1.2])
    if k == 0:
        left.info("Press **Next step** to run step 1.")
    else:
        left.subheader(f"Step {k}: {quadratic.STEPS[k - 1]}")
        left.markdown(TEXT[f"step {k}"])
        left.code(ui.source_text(SpeedFit.STEP_METHODS[k - 1]), language="python", wrap_lines=True)
        with left:
            seven_steps_ui.numbers(fit, TEXT["why so small"])
    with right:
        seven_steps_ui.charts(fit)
    ui.show_code(quadratic.speed_data, quadratic.quadratic, quadratic.mse, SpeedFit,
                 quadratic.least_squares)


ui.ensure_app()
st.title("Gradient of x²")
st.write(TEXT["intro"])
ui.link_settings(X0, STEP_LR, STEPS, FIT_LR)
slope_and_steps()
vector_gradient()
seven_steps()
