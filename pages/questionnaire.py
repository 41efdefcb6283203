"""Page: the chapter's questionnaire, answers on demand, each linked to the page that shows it
live."""

import streamlit as st

import ui
from lessonlib import questionnaire
from lessonlib.questionnaire import QUESTIONS, Question
from ui.registry import BY_KEY
from ui.settings import TODO


def _reset() -> None:
    st.session_state.qz_done = set()
    for i in range(len(QUESTIONS)):
        st.session_state.pop(f"qz_done_{i}", None)


def _tick(i: int) -> None:
    st.session_state.qz_done ^= {i}


def show(i: int, number: str, q: Question) -> None:
    with st.container(border=True):
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c1.markdown(f"**{number}. {q.question}**")
        c2.checkbox("I got this", value=i in st.session_state.qz_done, key=f"qz_done_{i}",
                    on_change=_tick, args=(i,))
        with st.expander("Show answer"):
            st.markdown(q.answer)
            if q.curve:
                low, high = (-6.0, 6.0) if q.curve == "sigmoid" else (-2.0, 2.0)
                st.line_chart(questionnaire.curve(q.curve, low, high), x="x", y=q.curve, height=220)
            if q.pitfall:
                st.info(q.pitfall, icon="💡")
        if q.page:
            page = BY_KEY[q.page]
            st.page_link(page.file, label=f"See it live: {page.title}", icon="▶️")
        else:  # no page shows this one live
            st.caption(f":material/menu_book: In the book: the section *{q.book}*.")


def progress() -> None:
    done = len(st.session_state.qz_done)
    top = st.columns([3, 1])
    top[0].progress(done / len(QUESTIONS),
                    text=f"Self-check: {done} of {len(QUESTIONS)} answered right")
    top[1].button("Start over", on_click=_reset, key="qz_reset", disabled=done == 0)
    if done == len(QUESTIONS):
        st.success("All done: every question of the chapter, checked. 🎉")


def questions(unticked: bool) -> None:
    main = [q for q in QUESTIONS if not q.further]
    for i, q in enumerate(main):
        if not (unticked and i in st.session_state.qz_done):
            show(i, str(i + 1), q)
    st.header("Further research")
    st.write("Two bigger projects from the end of the chapter; the app already does part of each.")
    for j, q in enumerate(q for q in QUESTIONS if q.further):
        if not (unticked and len(main) + j in st.session_state.qz_done):
            show(len(main) + j, f"R{j + 1}", q)


ui.ensure_app()
st.title("Questionnaire")
st.write("The chapter ends with these questions. Answer each in your head (or on paper) first, "
         "then open the answer and follow the link to see the idea at work. Tick the ones you got "
         "right to keep count.")
ui.link_settings(TODO)
st.session_state.setdefault("qz_done", set())  # indices ticked; kept while visiting other pages
progress()
questions(ui.widget(TODO))
ui.show_code(questionnaire.curve, Question)
