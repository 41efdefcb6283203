"""Page: adding a nonlinearity: two linear layers are one, ReLU, curves from ReLUs, simple_net."""

import streamlit as st
import torch

import ui
from lessonlib import collapse, hidden, relu, relusum
from lessonlib.data import DigitData
from lessonlib.plots import images
from ui import nonlinearity as nl
from ui.prose import prose

TEXT = prose("nonlinearity")
SAME, MORE = "No: one layer computes the same", "Yes: two layers can compute more"


def two_linear_layers(data: DigitData, pair: tuple[int, int]) -> None:
    st.header("1. Two linear layers are only one")
    st.markdown(TEXT["collapse"])
    guess = ui.predict_first("nl_collapse", "Two linear layers, 784 → 30 → 1, with nothing "
                             "between them: can they compute anything one layer 784 → 1 cannot?",
                             (MORE, SAME))
    if guess is None:
        return
    x = torch.cat([data.images("valid", d).view(-1, 784) for d in pair])  # (N, 784)
    r = collapse.compare(collapse.two_linear_layers(30, 1), x)
    nl.show_collapse(r, pair)
    agree = (f"All {len(x):,} outputs agree to {r.max_difference:.1e}, float32 rounding, with "
             f"outputs up to {r.largest_output:.2f}." if r.same else
             f"The outputs differ by up to {r.max_difference:.1e}.")
    ui.reveal(guess, SAME if r.same else MORE, f"{agree} W2 (1, 30) @ W1 (30, 784) is (1, 784): "
              "one weight per pixel, the shape of nn.Linear(28*28, 1).")
    ui.show_code(collapse.two_linear_layers, collapse.collapse, collapse.compare)


def relu_section() -> None:
    st.header("2. ReLU: every negative number becomes zero")
    st.markdown(TEXT["relu"])
    nl.show_relu()
    guess = ui.predict_first("nl_relu_params", "simple_net has nn.ReLU() between its two layers. "
                             "How many parameters does it give SGD to change?",
                             ("None", "One", "One per unit"))
    if guess is not None:
        n = relu.parameters_of(torch.nn.ReLU())
        ui.reveal(guess, {0: "None", 1: "One"}.get(n, "One per unit"),
                  f"`sum(p.numel() for p in nn.ReLU().parameters())` is {n}. ReLU computes "
                  "activations; only the linear layers around it hold parameters.")
    ui.show_code(relu.relu_forms, relu.parameters_of)


def by_hand() -> relusum.Hand:
    st.header("3. A curve from four ReLUs, by hand")
    st.markdown(TEXT["hand"])
    hand = nl.hand_sliders()
    error = nl.show_hand(hand)
    guess = ui.predict_first("nl_four", "Can four ReLUs follow this curve to within an RMSE of "
                             "0.1?", ("Yes", "No: it needs more ReLUs"))
    if guess is not None:
        best = nl.relu_counts()[0][nl.COUNTS.index(4)]
        ui.reveal(guess, "Yes" if best < 0.1 else "No: it needs more ReLUs", f"SGD found four "
                  f"ReLUs with an RMSE of {best:.4f} (section 5). Yours: {error:.4f}.")
    return hand


def by_sgd(hand: relusum.Hand) -> None:
    st.header("4. The same four ReLUs, fitted by SGD")
    st.markdown(TEXT["sgd"])
    guess = ui.predict_first("nl_sgd", "Starting from your curve, will SGD end closer to the "
                             "target than your hand fit?", ("Closer", "About the same", "Further"))
    if guess is None:
        return
    if st.button(f"Train {nl.STEPS_A_PRESS} steps", key="nl_train", icon=":material/play_arrow:"):
        nl.train_from(hand)
    fit = nl.sgd_fit(hand)
    if fit is None:
        st.info("Press **Train** to let SGD adjust your ReLUs. Moving a slider starts it afresh.")
        return
    if fit.diverged:
        st.error("The loss stopped being a number: the steps overshot. Move a slider to restart.")
        return
    mine, sgd = nl.show_sgd(hand, fit)
    answer = "Closer" if sgd < 0.9 * mine else "Further" if sgd > 1.1 * mine else "About the same"
    ui.reveal(guess, answer, f"After {fit.steps:,} steps (learning rate {relusum.LEARNING_RATE:g}, "
              f"momentum {relusum.MOMENTUM:g}) the error went from {mine:.4f} to {sgd:.4f}. A "
              "hinge that is zero over the whole range gets no gradient, so SGD cannot move it.")
    ui.show_code(relusum.hand_net, relusum.Fit)


def more_relus() -> None:
    st.header("5. More ReLUs fit closer: the universal approximation theorem")
    st.markdown(TEXT["theorem"])
    counts = nl.COUNTS
    guess = ui.predict_first("nl_counts", f"SGD gets {nl.COUNT_STEPS:,} steps with each of "
                             f"{', '.join(map(str, counts))} ReLUs. What happens to the error?",
                             ("Smaller with every doubling", "Smaller overall, not every time",
                              "No smaller"))
    if guess is None:
        return
    with st.spinner("Fitting with each number of ReLUs…"):
        errors, curves = nl.relu_counts()
    nl.show_counts(errors, curves)
    steady = all(b < a for a, b in zip(errors, errors[1:], strict=False))
    answer = ("Smaller with every doubling" if steady else "Smaller overall, not every time"
              if errors[-1] < errors[0] else "No smaller")
    ui.reveal(guess, answer, f"From {errors[0]:.3f} with {counts[0]} ReLU to {errors[-1]:.4f} with "
              f"{counts[-1]}: {errors[0] / errors[-1]:.0f} times closer.")
    ui.show_code(relusum.spread_net, relusum.fit_error)


def simple_net_section(data: DigitData, pair: tuple[int, int], digit_s, image_s) -> None:
    st.header("6. The book's simple_net: 784 → 30 → ReLU → 1")
    st.markdown(TEXT["simple net"])
    net, accuracy = nl.trained_simple_net(ui.source(), pair)
    st.dataframe(hidden.parameter_table(net), hide_index=True)
    st.caption(f"{sum(p.numel() for p in net.parameters()):,} parameters in all. Validation "
               f"accuracy on {data.name}, {pair[0]} vs {pair[1]}: **{accuracy:.2%}**.")
    pick, show = st.columns([1, 2])
    with pick:
        true, index = ui.pick_image(data, "valid", digit_s, image_s)
    image = data.images("valid", true)[index]  # (28, 28)
    pick.image(images.to_uint8(image, scale=5), caption=f"valid_{true}[{index}]", clamp=True,
               alt=f"Validation image {index} of the digit {true}")
    with show:
        guess = ui.predict_first("nl_hidden", "For this digit, how many of the 30 hidden units "
                                 "will ReLU set to zero?",
                                 ("None", "Fewer than half", "Half or more"))
    if guess is None:
        return
    h = hidden.hidden_activations(net, image)
    n = len(h.after)
    with show:
        nl.show_hidden(h, pair, true)
    answer = "None" if h.zeroed == 0 else "Fewer than half" if h.zeroed < n / 2 else "Half or more"
    ui.reveal(guess, answer, f"{h.zeroed} of the {n} weighted sums were negative, so ReLU made "
              "them 0. Which units it zeroes depends on the image: pick another one.")
    ui.show_code(hidden.hidden_activations, hidden.parameter_table)


ui.ensure_app()
st.title("Adding a nonlinearity")
st.markdown(TEXT["intro"])
data, pair = ui.data(), ui.digit_pair()
digit_s, image_s = ui.image_settings(data, "valid", pair, "True digit", "Validation image")
ui.link_settings(digit_s, image_s)
two_linear_layers(data, pair)
relu_section()
hand = by_hand()
by_sgd(hand)
more_relus()
simple_net_section(data, pair, digit_s, image_s)
