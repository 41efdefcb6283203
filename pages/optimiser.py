"""Page: the optimiser and Learner, one training loop three ways: BasicOptim, torch.optim.SGD and a
Learner."""

import streamlit as st

import ui
from lessonlib import book, learner, three_ways
from lessonlib.learner import DataLoader, Learner
from lessonlib.optim import BasicOptim
from lessonlib.training import TrainConfig
from ui import optimiser as runs
from ui.prose import prose
from ui.settings import LR, MODEL, OPT_BS, OPT_EPOCHS, SEED
from ui.trainrun import book_lr

TEXT = prose("optimiser")
FASTAI = """# fastai, as the book calls it
dls = DataLoaders(dl, valid_dl)
learn = Learner(
    dls, nn.Linear(28*28,1),
    opt_func=SGD,
    loss_func=mnist_loss,
    metrics=batch_accuracy)
learn.fit(10, lr=lr)"""
OURS = """# ours: lessonlib.learner
dls = DataLoaders(
    DataLoader(train, 256,
               shuffle=True, seed=42),
    DataLoader(valid, 256))
learn = Learner(
    dls, make_model("linear", seed=42),
    opt_func=SGD,
    loss_func=mnist_loss,
    metrics=batch_accuracy)
learn.fit(10, lr=lr)"""


def intro() -> None:
    st.title("The optimiser and Learner")
    st.write(TEXT["intro"])


def an_optimiser() -> None:
    st.header("1. An optimiser object: BasicOptim")
    st.write(TEXT["optimiser"])
    st.code(ui.source_text(BasicOptim), language="python", wrap_lines=True)
    st.code(ui.source_text(learner.train_epoch), language="python", wrap_lines=True)
    st.caption(TEXT["momentum"])


def pytorchs_sgd() -> None:
    st.header("2. PyTorch's SGD takes the same step")
    st.write(TEXT["sgd"])
    st.code("# the book's class\nopt = BasicOptim(model.parameters(), lr)\n# or PyTorch's\n"
            "opt = torch.optim.SGD(model.parameters(), lr=lr)\n# the same loop either way\n"
            "train_model(model, dls, opt, epochs)", language="python", wrap_lines=True)


def learner_section() -> None:
    st.header("3. Learner: the whole loop in one object")
    st.write(TEXT["learner"])
    left, right = st.columns(2)
    left.code(FASTAI, language="python", wrap_lines=True)
    right.code(OURS, language="python", wrap_lines=True)
    st.caption(TEXT["learner note"])
    ui.show_code(Learner, learner.train_model, learner.validate, DataLoader,
                 label="Show our Learner's code")


def all_three(pair: tuple[int, int], train_images: int) -> tuple[TrainConfig, int]:
    st.header("4. All three, live")
    st.write(f"BasicOptim and torch.optim.SGD in the book's `train_model`, and our Learner with "
             f"torch.optim.SGD, each from the seed's starting weights, on the {train_images:,} "
             f"training {pair[0]}s and {pair[1]}s.")
    c = st.columns([3, 2, 2, 1, 1])
    model = ui.widget(MODEL, c[0], on_change=book_lr)
    lr, bs = ui.widget(LR, c[1]), ui.widget(OPT_BS, c[2])
    epochs, seed = ui.widget(OPT_EPOCHS, c[3]), ui.widget(SEED, c[4])
    config = TrainConfig(model, lr, bs, seed=seed)
    steps = runs.steps_per_way(train_images, bs, epochs)
    if steps > runs.MAX_STEPS:
        st.warning(f"{epochs} epochs in batches of {bs} are {steps:,} steps a way, more than the "
                   f"{runs.MAX_STEPS:,} one click may take here: choose fewer epochs or larger "
                   f"batches.")
        return config, epochs
    guess = ui.predict_first("opt_same", "Three optimisers, same seed, same batches: the final "
                             "weights will be …",
                             three_ways.AGREEMENT)
    if guess is None:
        return config, epochs
    k = runs.key(pair, config, epochs)
    if st.button("Train all three", key="opt_train", icon=":material/play_arrow:", type="primary"):
        runs.run(k)
    result = runs.last(k)
    if result is None:
        st.info(f"Press **Train all three**: {steps:,} steps each.")
        return config, epochs
    st.dataframe(runs.results_table(result), hide_index=True)
    st.caption(TEXT["training loss"])
    runs.differences(result)
    runs.accuracy_chart(result)
    ui.reveal(guess, three_ways.agreement(result.largest), runs.why(result, lr))
    st.caption(runs.trainer_note(result))
    return config, epochs


def the_books_runs(config: TrainConfig, epochs: int, pair: tuple[int, int]) -> None:
    st.header("5. The book's runs")
    b, s, learn = (book.OPTIMISER_RUNS[k] for k in ("BasicOptim", "SGD", "Learner"))
    st.write(f"In *{book.SOURCE}*, at lr 1 with batches of 256 on MNIST_SAMPLE, BasicOptim prints "
             f"{b[1]} after the second epoch and fastai's SGD {s[1]}: that run began from a new "
             f"`nn.Linear`, with new random weights. After 20 epochs both print {b[-1]}; the "
             f"Learner prints {learn[-1]} after {len(learn)}. Above, all three start from the same "
             "seed and see the same batches, so any difference left comes from the optimisers' "
             "arithmetic alone.")
    result = runs.last(runs.key(pair, config, epochs))
    book_setup = ("linear", 1.0, 256, 20)
    if ((config.model, config.learning_rate, config.batch_size, epochs) != book_setup
        or pair != (3, 7)):
        st.caption(TEXT["compare"])
    elif result:
        n = sum(ui.data().count("train", d) for d in pair)
        st.caption(f"Live here: {result.results['BasicOptim'].accuracy:.4f} after 20 epochs, "
                   f"trained on {n:,} images; the book's {b[-1]} was trained on MNIST_SAMPLE's "
                   f"12,396.")


ui.ensure_app()
intro()
data, pair = ui.data(), ui.digit_pair()
ui.link_settings(MODEL, LR, OPT_BS, OPT_EPOCHS, SEED)
an_optimiser()
pytorchs_sgd()
learner_section()
config, epochs = all_three(pair, sum(data.count("train", d) for d in pair))
the_books_runs(config, epochs, pair)
ui.show_code(three_ways.compare, three_ways.by_basic_optim, three_ways.by_torch_sgd,
             three_ways.by_learner, three_ways.largest_difference)
