"""Page: mini-batches — (x, y) pairs, shapes with view and unsqueeze, DataLoader, the batch-size
trade-off measured."""

import pandas as pd
import streamlit as st

import ui
from lessonlib import batch_noise, book, minibatch
from lessonlib.linear1_fit import Linear1Fit
from lessonlib.plots import images
from ui import loss_shared as shared
from ui import minibatch_view as view
from ui.prose import prose
from ui.settings import BS, SEED, SHUFFLE

TEXT = prose("minibatches")


def intro() -> None:
    st.title("Mini-batches: from a dataset to batches of (x, y)")
    st.write(TEXT["intro"])


def dataset_of_pairs(fit: Linear1Fit, pair: tuple[int, int]) -> None:
    st.header("1. A dataset: (x, y) pairs")
    st.write(TEXT["dataset"])
    st.code(f"list(zip([1, 2, 3, 4], 'abcd'))  # {minibatch.dataset([1, 2, 3, 4], 'abcd')}",
            language="python", wrap_lines=True)
    dset = minibatch.dataset(fit.train.x, fit.train.y)
    guess = ui.predict_first("mb_item", f"`dset` holds {len(dset):,} items. What is `dset[0]`?",
                             view.ITEM_CHOICES)
    if guess is None:
        return
    x, y = dset[0]
    ui.reveal(guess, view.item_answer(dset[0]), f"`dset[0]` is a {type(dset[0]).__name__} of "
              f"{len(dset[0])}: x of shape {tuple(x.shape)} and y = {y.tolist()}, its target.")
    view.show_items(dset, pair)
    ui.show_code(minibatch.dataset)


def shapes(fit: Linear1Fit, pair: tuple[int, int]) -> None:
    st.header("2. Shapes on the way: view and unsqueeze")
    st.write(TEXT["view"])
    data = ui.data()
    stacks = [data.images("train", d) for d in pair]
    steps = minibatch.shape_steps(*stacks, fit.weights, fit.bias, pair)
    st.table(pd.DataFrame([{"code": f"`{s.code}`", "shape": f"`{s.shape}`", "what it is": s.note}
                           for s in steps]), hide_index=True)
    shared_memory = minibatch.view_shares_memory(stacks[0])
    st.caption(f"`view` copies nothing: the (N, 784) view and the (N, 28, 28) stack share their "
               f"memory — measured: {shared_memory}. The book's shapes: train_x "
               f"{book.TRAIN_SHAPES[0]}, train_y {book.TRAIN_SHAPES[1]}.")
    found, b, n = shared.label_shapes(ui.source(), pair)
    some = "" if b == n else f" (a random {b:,} of the {n:,}, to keep the table small)"
    guess = ui.predict_first("mb_shape", f"The predictions for the {b:,} training images{some} "
                             f"have shape ({b}, 1), but the labels were left as ({b},). What shape "
                             "does `torch.where(train_y==1, 1-preds, preds)` give inside "
                             "mnist_loss?",
                             view.shape_choices(b))
    if guess is None:
        return
    shape = found.where_wrong
    ui.reveal(guess, f"({', '.join(map(str, shape))}{',' if len(shape) == 1 else ''})",
              f"So mnist_loss averages {b * b:,} numbers and gives "
              f"{found.loss_wrong:.4f} instead of {found.loss_right:.4f} with ({b}, 1) labels "
              f"(shape {found.where_right}). " + TEXT["broadcast"])
    ui.show_code(minibatch.shape_steps, minibatch.view_shares_memory, minibatch.label_shapes)


def dataloader(fit: Linear1Fit, pair: tuple[int, int]) -> None:
    st.header("3. DataLoader: shuffled mini-batches")
    st.write(TEXT["dataloader"])
    c = st.columns([2, 1, 1], vertical_alignment="bottom")
    bs, seed = ui.widget(BS, c[0]), ui.widget(SEED, c[2])
    shuffle = ui.widget(SHUFFLE, c[1]) == "True"
    theirs = [list(b) for b in book.RANGE15_BATCHES]
    st.code(f"list(DataLoader(range(15), batch_size=5, shuffle=True))\n# seed {seed}: "
            f"{minibatch.range_batches(seed)}\n# the book's run: {theirs}", language="python",
            wrap_lines=True)
    n = len(fit.train.x)
    got = shared.loader_batches(ui.source(), pair, bs, shuffle, seed)
    guess = ui.predict_first("mb_batches", f"{n:,} training images in batches of {bs}: what does "
                             "one epoch of the DataLoader give?", view.batch_choices(n, bs))
    if guess is None:
        return
    sizes = [len(b.indices) for b in got]
    ui.reveal(guess, view.describe(sizes), f"Measured by iterating the DataLoader: {len(got)} "
              f"batch{'es' if len(got) > 1 else ''}, the first with xb {got[0].x_shape} and yb "
              f"{got[0].y_shape}. The last batch keeps what is left (`drop_last=False`).")
    st.write(TEXT["loader on digits"])
    where, counts = shared.batch_figures(ui.source(), pair, bs, shuffle, seed)
    st.plotly_chart(where, theme="streamlit", key="mb_map", alt=f"Each of the {n} training items "
                    f"drawn at its index and its batch: {len(got)} batches, shuffle {shuffle}.")
    st.plotly_chart(counts, theme="streamlit", key="mb_counts", alt="Stacked bars: the number of "
                    f"{pair[0]}s and {pair[1]}s in each batch; {view.composition(got, pair)}.")
    order = "" if shuffle else TEXT["no shuffle"]
    st.caption(f"Measured: {view.composition(got, pair)}. {order}")
    first = got[0].indices[:8]
    st.image([images.to_uint8(fit.train.x[i].view(28, 28), scale=3) for i in first],
             caption=[f"dset[{i}], y = {fit.train.y[i, 0]:g}" for i in first],
             alt=[f"dset[{i}], a {pair[0] if fit.train.y[i] == 1 else pair[1]}" for i in first])
    st.caption("The first images of batch 1.")
    ui.show_code(minibatch.batches, minibatch.range_batches)


def trade_off(pair: tuple[int, int]) -> None:
    st.header("4. How big a batch? The trade-off, measured")
    st.write(TEXT["trade-off"])
    noise, cost, noise_fig, cost_fig = shared.trade_off(ui.source(), pair)
    guess = ui.predict_first("mb_noise", "As the batch grows, the mini-batch gradient gets …",
                             view.NOISE_CHOICES)
    if guess is None:
        return
    ui.reveal(guess, view.noise_answer(noise), "Measured |g_batch − g| / |g| over 100 random "
              f"batches of each size: {view.noise_words(noise)}. " + TEXT["averaging"])
    st.plotly_chart(noise_fig, theme="streamlit", key="mb_noise_chart", alt="Line chart: how far "
                    "a mini-batch gradient is from the full gradient against the batch size; "
                    f"{view.noise_words(noise)}.")
    st.plotly_chart(cost_fig, theme="streamlit", key="mb_cost_chart", alt="Steps per epoch and "
                    f"seconds per epoch against the batch size. {view.cost_words(cost)}")
    st.write(view.cost_words(cost) + " " + TEXT["cost"])
    ui.show_code(batch_noise.per_example_gradients, batch_noise.gradient_noise,
                 batch_noise.epoch_cost)


ui.ensure_app()
intro()
pair = ui.digit_pair()
ui.link_settings(BS, SHUFFLE, SEED)
fit = shared.fit(ui.source(), pair)
dataset_of_pairs(fit, pair)
shapes(fit, pair)
dataloader(fit, pair)
trade_off(pair)
