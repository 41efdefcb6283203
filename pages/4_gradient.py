"""Page 4: the slope of x² from autograd, what a learning rate does, and the chapter's seven steps of SGD."""

import inspect
import textwrap

import pandas as pd
import streamlit as st

import ui
from lessonlib import gradients, links, quadratic
from lessonlib.plots import gradient as plots
from lessonlib.quadratic import SpeedFit

ui.ensure_app()

ALERTS = {"shrinks": st.success, "one step": st.success, "oscillates": st.info, "bounces": st.warning,
          "diverges": st.error, "invalid": st.error}
FIT_RATES = (1e-6, 3e-6, 1e-5, 3e-5, 1e-4)
X0 = links.Param("x0", "Starting x", -10, 10)
LINK = (X0, links.Param("lr", "Learning rate", 0.01, 1.5), links.Param("steps", "Steps to preview", 1, 50, True),
        links.Param("fitlr", "Learning rate for this fit", options=FIT_RATES))
STEP_CODE = {1: SpeedFit.init, 2: SpeedFit.predict, 3: SpeedFit.compute_loss, 4: SpeedFit.gradient,
             5: SpeedFit.step, 6: SpeedFit.repeat, 7: SpeedFit.stop}
STEP_NOTES = {
    1: "Start from **random** a, b, c. `requires_grad_()` tells PyTorch to record every calculation made with "
       "them, so that it can work out their gradients later. The orange curve is this random guess.",
    2: "Use the current a, b, c to **predict** the speed at each of the 20 times (orange diamonds). "
       "With random parameters they are far off.",
    3: "Measure how wrong the predictions are: the **mean squared error**, the average of the squared grey gaps. "
       "This one number is what SGD pushes down.",
    4: "`loss.backward()` fills `params.grad` with the **gradient**: how much the loss rises for a tiny increase "
       "of a, of b and of c. A positive gradient means: make that parameter smaller.",
    5: "**Step**: move each parameter a little against its gradient, `params -= lr * params.grad`. Then set "
       "`params.grad = None`, because `backward()` adds to `.grad` instead of replacing it.",
    6: "**Repeat** steps 2–5 in a loop: predict, loss, gradient, step. Each pass is one iteration; the loss "
       "curve shows what each one achieved.",
    7: "**Stop**: decide when to stop. The book simply stops after ten iterations; a common rule is to stop once "
       "the loss no longer improves (here: by less than 0.1 % in a step), when it is good enough, or when time "
       "is up.",
}


def _sci(v: float) -> str:
    return f"{v:.0e}".replace("e-0", "e-")


def _num(v: float) -> str:
    return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:.3g}"


def _fmt(values: list[float], most: int = 8) -> str:
    shown = [_num(v) for v in values]
    return " → ".join(shown if len(shown) <= most else shown[: most - 1] + ["…", shown[-1]])


# ---- f(x) = x²: slope and steps ------------------------------------------------------------------------------------

def _start_over() -> None:
    st.session_state.grad_walk = [float(st.session_state.x0)]


def _step() -> None:
    walk = st.session_state.grad_walk
    st.session_state.grad_walk = walk + [gradients.sgd_step(walk[-1], st.session_state.lr)]


def _walk_controls(stuck: bool) -> tuple[float, int]:
    c = st.columns([1, 2, 1.3, 1], vertical_alignment="bottom")
    c[0].number_input("Starting x", -10.0, 10.0, 3.0, step=0.5, key="x0", on_change=_start_over, bind="query-params")
    lr = c[1].slider("Learning rate", 0.01, 1.5, 0.1, step=0.01, key="lr", bind="query-params",
                     help="How far each step goes, as a multiple of the gradient. Try 0.5, 0.8, 1.0 and 1.2.")
    n = c[2].slider("Steps to preview", 1, 50, 10, key="steps", bind="query-params")
    b = c[3].columns(2)
    b[0].button("Step", key="step", on_click=_step, disabled=stuck, type="primary",
                help="Move x by one gradient step: x ← x − lr · x.grad")
    b[1].button("Reset", key="reset", on_click=_start_over, help="Back to the starting x")
    return lr, n


def _walk_metrics(walk: list[float], y: float, grad: float, factor: float) -> None:
    x = walk[-1]
    m = st.columns(5)
    m[0].metric("x now", f"{x:.6g}", help=f"after {len(walk) - 1} steps from {walk[0]:g}")
    m[1].metric("f(x) = x²", f"{y:.6g}")
    m[2].metric("x.grad from autograd", f"{grad:.6g}")
    m[3].metric("2x, by calculus", f"{gradients.derivative(x):.6g}")
    m[4].metric("each step multiplies x by", f"{factor:+.2f}", help="x − lr·2x = (1 − 2·lr)·x")


def slope_and_steps() -> None:
    st.header("The slope of x², and one step at a time")
    st.write("Put x in a tensor that **requires grad**, compute y = x², call **`backward()`**, and `x.grad` holds the "
             "slope at x. Gradient descent then steps against the slope: **x ← x − lr · x.grad**.")
    st.session_state.setdefault("grad_walk", [float(ui.link_value(X0, 3.0))])
    walk = st.session_state.grad_walk
    x = walk[-1]
    lr, n = _walk_controls(stuck=gradients.diverged(x))
    if gradients.diverged(x):
        st.error(f"x = {x:.3g} after {len(walk) - 1} steps: it has **diverged**, far too big to keep stepping "
                 "(a few more and it would overflow to infinity). Press **Reset**, and keep the learning rate ≤ 1.")
        return
    y, grad = gradients.value_and_grad(x)
    factor = gradients.step_factor(lr)
    _walk_metrics(walk, y, grad, factor)
    preview = gradients.trajectory(x, lr, n)
    _regime_message(lr, factor, preview, n)
    slope, intercept = gradients.tangent(x)
    left, right = st.columns(2)
    left.plotly_chart(plots.parabola(walk, preview, slope, intercept), theme="streamlit", key="grad_parabola")
    right.plotly_chart(plots.steps_chart(walk, preview), theme="streamlit", key="grad_steps_chart")
    taken = f"Steps taken: {_fmt(walk)}." if len(walk) > 1 else f"Steps taken: none yet, x = {_num(x)}."
    st.caption(f"{taken}  \nNext {len(preview) - 1} steps at lr = {lr:g}: {_fmt(preview)}.")
    st.code(f"xt = tensor({x:.6g}).requires_grad_()\nyt = f(xt)          # x² = {y:.6g}\nyt.backward()\n"
            f"xt.grad             # {grad:.6g}, the slope 2x\nxt.data -= lr * xt.grad   "
            f"# lr = {lr:g}: x becomes {gradients.sgd_step(x, lr):.6g}", language="python")
    ui.show_code(gradients.f, gradients.value_and_grad, gradients.derivative, gradients.tangent, gradients.sgd_step,
                 gradients.trajectory, gradients.step_factor, gradients.regime)


def _regime_message(lr: float, factor: float, preview: list[float], n: int) -> None:
    r = gradients.regime(lr)
    text = (f"**Learning rate {lr:g}: {r.text}.** Each step is x ← x − lr·2x = (1 − 2·lr)·x, so it multiplies x by "
            f"1 − 2·{lr:g} = **{factor:+.2f}**, and after n steps x = x₀·({factor:+.2f})ⁿ.")
    if r.name == "diverges":
        text += (f" After {len(preview) - 1} more steps |x| would be {_num(abs(preview[-1]))}. Too high a learning "
                 "rate makes gradient descent **diverge** (overshoot, further every time); it is not overfitting.")
    if len(preview) < n + 1:
        text += " The preview stops early: |x| passed 10³⁰, where the numbers would soon overflow to infinity."
    ALERTS[r.name](text)


# ---- a vector --------------------------------------------------------------------------------------------------------

def vector_gradient() -> None:
    st.header("A gradient for every element")
    st.write("For a vector, sum the squares to get the one number `backward()` needs; `x.grad` then holds one "
             "partial derivative per element — 2x again.")
    text = st.text_input("x (numbers separated by commas)", "3, 4, 10", key="grad_vec")
    try:
        values = gradients.parse_numbers(text)
    except ValueError as e:
        st.error(str(e))
        return
    grad = gradients.vector_grad(values)
    left, right = st.columns([1, 1])
    left.code(f"xt = tensor({values}).requires_grad_()\nyt = (xt**2).sum()\nyt.backward()\nxt.grad\n"
              f"# {grad}", language="python")
    right.dataframe(pd.DataFrame({"x": values, "x.grad (autograd)": grad.tolist(),
                                  "2x": [gradients.derivative(v) for v in values]}), hide_index=True)
    ui.show_code(gradients.vector_grad, gradients.parse_numbers)


# ---- the seven steps -------------------------------------------------------------------------------------------------

def _fit() -> SpeedFit:
    if "grad_fit" not in st.session_state:
        st.session_state.grad_fit = SpeedFit(*quadratic.speed_data())
    fit = st.session_state.grad_fit
    fit.learning_rate = st.session_state.get("fitlr", 1e-5)
    return fit


def _restart() -> None:
    st.session_state.grad_fit = SpeedFit(*quadratic.speed_data())


def _fit_controls(fit: SpeedFit) -> None:
    c = st.columns([2, 1, 1, 1, 1], vertical_alignment="bottom")
    c[0].select_slider("Learning rate for this fit", FIT_RATES, value=1e-5, key="fitlr", format_func=_sci,
                       bind="query-params",
                       help="The book uses 1e-5. Try 3e-5 (a overshoots back and forth, yet the loss still falls) "
                       "and 1e-4 (the overshoots grow: it blows up).")
    c[1].button("Next step", key="fit_next", on_click=lambda: _fit().next_step(), disabled=fit.stage >= 7,
                type="primary")
    can_repeat = fit.stage >= 5 and not fit.diverged()
    c[2].button("Repeat ×1", key="fit_repeat1", on_click=lambda: _fit().keep_going(1), disabled=not can_repeat)
    c[3].button("Repeat ×10", key="fit_repeat10", on_click=lambda: _fit().keep_going(10), disabled=not can_repeat)
    c[4].button("Start over", key="fit_restart", on_click=_restart)


def _fit_charts(fit: SpeedFit) -> None:
    k = fit.stage
    curve = [v.tolist() for v in fit.curve()] if k else None
    preds = fit.preds.detach().tolist() if fit.preds is not None else None
    best = [v.tolist() for v in fit.best_curve()] if k == 7 else None
    st.plotly_chart(plots.speed_fit(fit.time.tolist(), fit.speed.tolist(), curve, preds, best), theme="streamlit",
                    key="fit_chart")
    if k >= 5:
        st.plotly_chart(plots.loss_history(fit.loss_history()), theme="streamlit", key="fit_loss")


def seven_steps() -> None:
    st.header("End to end: the seven steps of SGD")
    st.write("The book's roller coaster: its speed, measured once a second for 20 seconds, is noisy. Guess that it "
             "is a quadratic, **a·t² + b·t + c**, and let SGD find a, b and c — step by step, as the chapter does.")
    fit = _fit()
    _fit_controls(fit)
    k = fit.stage
    st.markdown(" → ".join(f":orange-badge[**{i} · {name}**]" if i == k else f":gray-badge[{i} · {name}]"
                           for i, name in enumerate(quadratic.STEPS, start=1)))
    left, right = st.columns([1, 1.2])
    with left:
        if k == 0:
            st.info("Press **Next step** to run step 1.")
        else:
            st.subheader(f"Step {k}: {quadratic.STEPS[k - 1]}")
            st.markdown(STEP_NOTES[k])
            st.code(textwrap.dedent(inspect.getsource(STEP_CODE[k])), language="python", wrap_lines=True)
            _step_numbers(fit)
    with right:
        _fit_charts(fit)
    ui.show_code(quadratic.speed_data, quadratic.quadratic, quadratic.mse, SpeedFit, quadratic.least_squares)


def _params(names: dict[str, list[float]]) -> None:
    st.dataframe(pd.DataFrame(names, index=["a", "b", "c"]), width="content")


def _step_numbers(fit: SpeedFit) -> None:
    k, p = fit.stage, fit.params.detach().tolist()
    if fit.diverged():
        st.error(f"The loss has **blown up** to {fit.current_loss():.3g}: at lr = {_sci(fit.learning_rate)} each "
                 "step overshoots further than the last (divergence, not overfitting). Pick 1e-5 and **Start over**.")
    elif k == 1:
        _params({"params": p})
    elif k == 2:
        st.dataframe(pd.DataFrame({"time": fit.time.tolist(), "speed": fit.speed.tolist(),
                                   "prediction": fit.preds.detach().tolist()}), hide_index=True, height=220)
    elif k == 3:
        st.metric("loss = mse(preds, speed)", f"{fit.loss.item():,.1f}")
    elif k == 4:
        g = fit.params.grad.tolist()
        _params({"params": p, "params.grad": g, "lr · grad": [fit.learning_rate * v for v in g]})
    elif k == 5:
        _params({"before": fit.previous.tolist(), "after": p})
        before, now = fit.loss_history()[-2:]
        st.metric("loss at the new parameters", f"{now:,.1f}", f"{now - before:,.1f}", delta_color="inverse")
    elif k == 6:
        st.metric(f"loss after {len(fit.losses)} steps", f"{fit.loss_history()[-1]:,.1f}",
                  f"{-100 * fit.improvement():.2g} % in the last step", delta_color="inverse")
        _params({"params": p})
    else:
        _stop_message(fit)


def _stop_message(fit: SpeedFit) -> None:
    drop = 100 * fit.improvement()
    if drop < 0:
        st.warning(f"The loss rose by {-drop:.3g} % in the last step: stop, and try a smaller learning rate.")
    elif fit.stop():
        st.success(f"The last step lowered the loss by only {drop:.3f} %: time to stop.")
    else:
        st.info(f"The loss still fell {drop:.2f} % in the last step. The book stops after ten iterations anyway; "
                "press **Repeat ×10** to go on.")
    best, best_loss = quadratic.least_squares(fit.time, fit.speed), fit.best_loss()
    st.markdown(f"Loss now **{fit.loss_history()[-1]:,.1f}**. The best possible quadratic (dashed; by least squares "
                f"a = {best[0]:.3f}, b = {best[1]:.2f}, c = {best[2]:.1f}) reaches **{best_loss:.1f}**. Why is SGD "
                "stuck so far above it? With one learning rate for all three, a's gradient is scaled by t² (up to 361) "
                "and c's by 1: a settles quickly while b and c barely move. How fast SGD gets there depends on the "
                "learning rate and on the scale of the inputs.")


st.title("Gradient of x²")
st.write("A gradient tells us which way is downhill and how steep it is. PyTorch computes it for us; the learning "
         "rate decides how far each step goes. First on f(x) = x², then on a real fit.")
ui.link_settings(*LINK)
slope_and_steps()
vector_gradient()
seven_steps()
