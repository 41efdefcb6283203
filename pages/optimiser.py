"""Page: the optimiser and Learner, one training loop three ways: BasicOptim, torch.optim.SGD and a
Learner."""

import streamlit as st

import ui
from lessonlib import book, learner, three_ways
from lessonlib.learner import DataLoader, Learner
from lessonlib.optim import BasicOptim
from lessonlib.training import TrainConfig
from ui import optimiser as runs
from ui.settings import LR, MODEL, OPT_BS, OPT_EPOCHS, SEED
from ui.trainrun import book_lr

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
    st.write("After every mini-batch the training loop moves each parameter, `p -= lr * p.grad`, "
             "then forgets the gradient. The book's section *Creating an Optimizer* packs that "
             "into an object, swaps in fastai's own `SGD`, and ends with fastai's `Learner`, which "
             "runs the whole loop. Here the same loop runs with the book's class, with PyTorch's "
             "`torch.optim.SGD` and through a Learner, live on the same batches, to see whether "
             "anything changes.")


def an_optimiser() -> None:
    st.header("1. An optimiser object: BasicOptim")
    st.write("Give it the model's parameters and a learning rate. `step()` moves every parameter "
             "against its gradient; `zero_grad()` drops the gradients, because `backward()` adds "
             "to them. The loop over one epoch then reads like the chapter's steps: predict, loss, "
             "gradients, step, reset.")
    st.code(ui.source_text(BasicOptim), language="python", wrap_lines=True)
    st.code(ui.source_text(learner.train_epoch), language="python", wrap_lines=True)
    st.caption("This app's BasicOptim can also keep momentum, as the training page lets you; here "
               "it stays 0, the book's plain step.")


def pytorchs_sgd() -> None:
    st.header("2. PyTorch's SGD takes the same step")
    st.write("`torch.optim.SGD` with its defaults (no momentum, no weight decay) computes the same "
             "update, and its `zero_grad()` also sets the gradients to None. The book uses "
             "fastai's `SGD`, which with its defaults does the same; fastai is not installed here, "
             "so PyTorch's plays its part. Only one line of the loop changes:")
    st.code("# the book's class\nopt = BasicOptim(model.parameters(), lr)\n# or PyTorch's\n"
            "opt = torch.optim.SGD(model.parameters(), lr=lr)\n# the same loop either way\n"
            "train_model(model, dls, opt, epochs)", language="python", wrap_lines=True)


def learner_section() -> None:
    st.header("3. Learner: the whole loop in one object")
    st.write("A `Learner` gets everything the loop needs: the `DataLoaders` (training and "
             "validation batches), the model, the optimiser function (it calls it with the model's "
             "parameters), the loss function and, if you like, metrics to report after each epoch. "
             "Building one ourselves is the chapter's first further-research project: it takes "
             "fastai's arguments and runs the loop above.")
    left, right = st.columns(2)
    left.code(FASTAI, language="python", wrap_lines=True)
    right.code(OURS, language="python", wrap_lines=True)
    st.caption("fastai is not installed here, so the book's code is shown as text. Both `SGD`s are "
               "optimiser functions: called with parameters and a learning rate, they return an "
               "optimiser. Ours is `torch.optim.SGD`. Our batches are shuffled each epoch from the "
               "seed, as on the training page; the book's `DataLoader(dset, batch_size=256)` keeps "
               "one order.")
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
    st.caption("Training loss: the mean over the last epoch's batches. Below, the largest "
               "difference between two ways' trained weights, max |a − b| over every weight and "
               "bias:")
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
        st.caption("To compare with the book, choose nn.Linear, learning rate 1, batches of 256 "
                   "and 20 epochs on 3 vs 7 (this page's defaults).")
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
