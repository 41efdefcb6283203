"""Our Learner and the three ways of training against torch.optim.SGD in a loop written here, step
for step."""

import pytest
import torch
from helpers import tiny_split

from lessonlib import book, three_ways
from lessonlib.learner import DataLoader, DataLoaders, Learner, validate
from lessonlib.loss import batch_accuracy, mnist_loss
from lessonlib.models import make_model
from lessonlib.optim import BasicOptim
from lessonlib.training import TrainConfig, Trainer

ATOL = 1e-6


def weights(model):
    return [p.detach().clone() for p in model.parameters()]


def assert_close(a, b, atol=ATOL):
    for p, q in zip(a, b, strict=True):
        assert torch.allclose(p, q, atol=atol, rtol=0), (p - q).abs().max().item()


def reference_steps(split, model_name, lr, bs, seed, epochs):
    """torch.optim.SGD on the batches a seeded randperm gives each epoch; the weights after every
    step."""
    model = make_model(model_name, hidden=8, seed=seed)
    sgd = torch.optim.SGD(model.parameters(), lr=lr)
    gen, after = torch.Generator().manual_seed(seed), []
    for _ in range(epochs):
        for idx in torch.randperm(len(split.x), generator=gen).split(bs):
            sgd.zero_grad()
            p = model(split.x[idx]).sigmoid()
            y = split.y[idx]
            (y * (1 - p) + (1 - y) * p).mean().backward()  # mnist_loss, written out
            sgd.step()
            after.append(weights(model))
    return after


@pytest.mark.parametrize("model_name", ["linear", "simple_net"])
def test_basic_optim_matches_torch_sgd_after_every_step(model_name):
    split = tiny_split(40)
    ref = reference_steps(split, model_name, 0.3, 8, seed=4, epochs=2)
    model = make_model(model_name, hidden=8, seed=4)
    opt = BasicOptim(model.parameters(), 0.3)
    dl = DataLoader(split, 8, shuffle=True, seed=4)
    step = 0
    for _ in range(2):
        for xb, yb in dl:
            mnist_loss(model(xb), yb).backward()
            opt.step()
            opt.zero_grad()
            assert_close(weights(model), ref[step])
            step += 1
    assert step == len(ref) == 10


@pytest.mark.parametrize("model_name", ["linear", "simple_net"])
def test_learner_matches_torch_sgd_step_for_step(model_name):
    """With one batch an epoch, each fit(1) is one step: compare after every one."""
    split = tiny_split(24)
    ref = reference_steps(split, model_name, 0.5, 24, seed=9, epochs=5)
    learn = Learner(DataLoaders(DataLoader(split, 24, shuffle=True, seed=9), DataLoader(split, 24)),
                    make_model(model_name, hidden=8, seed=9), opt_func=torch.optim.SGD,
                    loss_func=mnist_loss, metrics=batch_accuracy)
    for step in range(5):
        learn.fit(1, lr=0.5)
        assert_close(weights(learn.model), ref[step])
    assert (learn.recorder.names == ["train_loss", "valid_loss", "batch_accuracy"]
            and len(learn.recorder.values) == 5)


def test_learner_over_many_batches_matches_torch_sgd_epoch_by_epoch():
    split = tiny_split(40)
    # 3 batches an epoch: 16, 16, 8
    ref = reference_steps(split, "linear", 0.2, 16, seed=1, epochs=3)
    learn = Learner(DataLoaders(DataLoader(split, 16, shuffle=True, seed=1), DataLoader(split, 16)),
                    make_model("linear", seed=1), metrics=[batch_accuracy])
    for epoch in range(3):
        learn.fit(1, 0.2)
        assert_close(weights(learn.model), ref[3 * epoch + 2])


def test_learner_with_basic_optim_ends_where_the_training_pages_trainer_does():
    split = tiny_split(40)
    trainer = Trainer(split, split, TrainConfig("simple_net", 0.5, 16, hidden=6, seed=3))
    list(trainer.fit(3))
    learn = Learner(DataLoaders(DataLoader(split, 16, shuffle=True, seed=3), DataLoader(split, 16)),
                    make_model("simple_net", hidden=6, seed=3), opt_func=BasicOptim,
                    metrics=batch_accuracy)
    learn.fit(3, lr=0.5)
    assert_close(weights(learn.model), weights(trainer.model), atol=0)
    assert learn.recorder.values[-1][2] == pytest.approx(trainer.evaluate()[1], abs=1e-6)


def test_validate_weighs_batches_by_their_size():
    split = tiny_split(10)  # batches of 4, 4 and 2
    model = make_model("linear", seed=2)
    loss, accuracy = validate(model, DataLoader(split, 4), mnist_loss, [batch_accuracy])
    with torch.no_grad():
        preds = model(split.x)
    right = ((preds.sigmoid() > 0.5).float() == split.y).float().mean().item()
    assert accuracy == pytest.approx(right, abs=1e-6)
    assert loss == pytest.approx(mnist_loss(preds, split.y).item(), abs=1e-6)


def test_the_three_ways_agree_and_say_how_closely():
    split = tiny_split(40)
    c = three_ways.compare(split, split, TrainConfig("linear", 0.1, 8, seed=5), 3)
    assert list(c.results) == list(three_ways.WAYS)
    assert c.largest < ATOL and c.trainer_difference < ATOL
    assert c.differences[("torch.optim.SGD", "Learner")] == 0  # the very same optimiser and loop
    accuracies = {r.accuracy for r in c.results.values()}
    assert len(accuracies) == 1
    exact = three_ways.compare(split, split, TrainConfig("linear", 1.0, 8, seed=5), 3)
    assert exact.largest == 0 and three_ways.agreement(exact.largest) == "identical"


def test_agreement_and_exact_learning_rates():
    assert [three_ways.agreement(d) for d in (0.0, 3e-8, 1e-5, 2e-5, 0.4)] == [
        "identical", "close", "close", "different", "different"]
    assert [three_ways.exact_multiple(lr) for lr in (1.0, 0.5, 4.0, 0.1, 0.3, 0.0)] == [
        True, True, True, False, False, False]


def test_the_books_optimiser_runs_end_where_its_results_say():
    runs = book.OPTIMISER_RUNS
    assert len(runs["BasicOptim"]) == len(runs["SGD"]) == 20 and len(runs["Learner"]) == 10
    assert runs["BasicOptim"][-1] == runs["SGD"][-1] == book.RESULTS["linear"].accuracy
    assert runs["BasicOptim"][1] != runs["SGD"][1]  # two runs from different random weights
