"""Page: the chapter's jargon recap, each term measured on simple_net at work on one mini-batch of
real digits."""

import streamlit as st

import ui
from lessonlib import jargon
from lessonlib.jargon import Anatomy
from ui import jargon as recap


def intro(pair: tuple[int, int]) -> None:
    st.title("Jargon recap")
    st.write("The book ends the chapter by naming what we built. A neural network holds a great "
             "many numbers, but only of two kinds: numbers it **computes** from the input "
             "(activations) and numbers it **learns**, set at random and then changed by SGD "
             "(parameters). Every term below is shown on a "
             "real model at work: the book's simple_net (784 → 30 → ReLU → 1, seed 42) on the "
             f"first mini-batch of the training {pair[0]}s and {pair[1]}s, before any training.")


def two_kinds_of_numbers(a: Anatomy) -> None:
    st.header("1. Activations and parameters")
    left, right = st.columns(2)
    left.markdown("**Parameters**: random at first, then changed by SGD")
    left.dataframe(recap.table(a, ("parameter",)), hide_index=True)
    right.markdown("**Activations**: computed from the batch, layer by layer (and the loss from "
                   "them)")
    right.dataframe(recap.table(a, ("input", "activation", "loss")), hide_index=True)
    st.write("Then `loss.backward()` and one step, `opt.step()`, at the book's learning rate for "
             "simple_net.")
    guess = ui.predict_first("jargon_sgd", "Which of these does one SGD step change?", jargon.QUIZ)
    if guess is None:
        return
    st.dataframe(recap.table(a, ("input", "parameter", "activation", "loss"), step=True),
                 hide_index=True)
    answer = jargon.what_changed(a.changed_kinds)
    changed = ", ".join(t.name for t in a.tensors if t.changed)
    kept = ", ".join(dict.fromkeys(f"the {t.kind}" for t in a.tensors if not t.changed))
    ui.reveal(guess, answer, f"The step changed {changed}, in place. Those are the tensors that "
              "got a `.grad` from `backward()`: they require gradients and were not computed from "
              f"other tensors. The rest kept their values ({kept}). Activations are not stored "
              "state: push the same batch through again and the new parameters compute new "
              f"activations (the outputs moved by up to {a.output_moved:.3g}).")


def every_term(a: Anatomy, pair: tuple[int, int]) -> None:
    st.header("2. Every term, live")
    st.write("The book's recap, plus its table of the words of SGD. Each with what it means, what "
             "it is on the model above, and the page of this app that shows it live.")
    examples = jargon.examples(a, pair)
    for term in jargon.TERMS:
        with st.container(border=True):
            words, example, pages = st.columns([3, 4, 2.4])
            words.markdown(f"**{term.name}**: {term.meaning}")
            example.markdown(examples[term.name])
            recap.links(term, pages)


ui.ensure_app()
pair = ui.digit_pair()
intro(pair)
ui.link_settings()
anatomy = recap.anatomy(ui.source(), pair)
two_kinds_of_numbers(anatomy)
every_term(anatomy, pair)
ui.show_code(jargon.first_batch, jargon.anatomy, jargon.what_changed, jargon.examples)
