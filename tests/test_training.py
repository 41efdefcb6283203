"""The training loop: BasicOptim against torch.optim.SGD, seeds, live settings, divergence."""

import pytest
import torch
from helpers import tiny_split

from lessonlib.loss import mnist_loss
from lessonlib.models import make_model
from lessonlib.optim import BasicOptim
from lessonlib.training import BatchEvent, EpochEvent, TrainConfig, Trainer, make_trainer


def losses(events):
    return [e.loss for e in events if isinstance(e, BatchEvent)]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_basic_optim_steps_like_torch_sgd(momentum):
    x, y = tiny_split().x, tiny_split().y
    ours, ref = (make_model("simple_net", hidden=8, seed=0),
                 make_model("simple_net", hidden=8, seed=0))
    opt = BasicOptim(ours.parameters(), 0.3, momentum)
    sgd = torch.optim.SGD(ref.parameters(), lr=0.3, momentum=momentum)
    for i in range(5):
        xb, yb = x[i * 8 : (i + 1) * 8], y[i * 8 : (i + 1) * 8]
        for model, o in ((ours, opt), (ref, sgd)):
            mnist_loss(model(xb), yb).backward()
            o.step()
            o.zero_grad()
    for p, q in zip(ours.parameters(), ref.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-6)


def test_one_step_is_lr_times_the_gradient():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    (w**2).sum().backward()  # gradient 2w
    BasicOptim([w], 0.1).step()
    assert torch.allclose(w.detach(), torch.tensor([1.0 - 0.1 * 2, -2.0 + 0.1 * 4]))


def test_trainer_matches_a_plain_torch_loop_on_the_same_batches(bundled):
    """Our loop (BasicOptim, mnist_loss) against torch.optim.SGD fed the very same shuffled
    batches."""
    config = TrainConfig("linear", 1.0, 64, seed=5)
    trainer = make_trainer(bundled, (3, 7), config)
    ref = make_model("linear", seed=5)
    sgd = torch.optim.SGD(ref.parameters(), lr=1.0)
    gen = torch.Generator().manual_seed(5)
    for _ in range(3):
        order = torch.randperm(len(trainer.train.x), generator=gen)
        for idx in order.split(64):
            mnist_loss(ref(trainer.train.x[idx]), trainer.train.y[idx]).backward()
            sgd.step()
            sgd.zero_grad()
    list(trainer.fit(3))
    assert torch.allclose(trainer.model.weight, ref.weight, atol=1e-5)
    assert torch.allclose(trainer.model.bias, ref.bias, atol=1e-5)


def test_same_seed_same_curves_other_seed_other_curves():
    split = tiny_split()
    runs = [list(Trainer(split, split, TrainConfig("simple_net", 0.5, 8, 6, seed)).fit(2))
            for seed in (1, 1, 2)]
    assert losses(runs[0]) == losses(runs[1])
    assert [e for e in runs[0] if isinstance(e, EpochEvent)][-1].valid_loss == \
        [e for e in runs[1] if isinstance(e, EpochEvent)][-1].valid_loss
    assert losses(runs[0]) != losses(runs[2])


def test_fit_yields_batches_then_the_epoch_result():
    split = tiny_split(40)
    events = list(Trainer(split, split, TrainConfig("linear", 1.0, 16)).fit(2))
    kinds = ["E" if isinstance(e, EpochEvent) else "B" for e in events]
    assert kinds == ["B", "B", "B", "E", "B", "B", "B", "E"]  # 40 images in batches of 16, 16, 8
    assert [e.batch_size for e in events[:3]] == [16, 16, 8]
    assert [e.progress for e in events[:3]] == pytest.approx([0.4, 0.8, 1.0])
    epochs = [e for e in events if isinstance(e, EpochEvent)]
    assert [e.epoch for e in epochs] == [1, 2] and 0 < epochs[0].seconds <= epochs[1].seconds


def test_learning_rate_change_applies_at_the_next_batch_without_reset():
    split = tiny_split()
    a, b = (Trainer(split, split, TrainConfig("linear", 1.0, 8, seed=3)) for _ in range(2))
    for t in (a, b):
        t.train_batch()
        t.train_batch()
    before = a.model.weight.detach().clone()
    assert torch.equal(before, b.model.weight)
    a.set_learning_rate(0.5)
    b.set_learning_rate(0.25)
    a.train_batch()
    b.train_batch()
    # same point, same batch, same gradient: the step is exactly proportional to the new rate
    assert torch.allclose(a.model.weight - before, 2 * (b.model.weight - before), atol=1e-7)
    assert a.steps == 3 and a.config.learning_rate == 0.5
    a.set_learning_rate(0.0)
    now = a.model.weight.detach().clone()
    a.train_batch()
    assert torch.equal(a.model.weight, now)


def test_batch_size_change_applies_at_the_next_batch_without_reset():
    split = tiny_split(40)
    t = Trainer(split, split, TrainConfig("linear", 1.0, 16))
    t.train_batch()
    trained = t.model.weight.detach().clone()
    t.set_batch_size(4)
    event = t.train_batch()
    assert event.batch_size == 4 and event.step == 2 and event.progress == pytest.approx(20 / 40)
    assert not torch.equal(t.model.weight, make_model("linear", seed=42).weight)
    assert not torch.equal(t.model.weight, trained)


def test_divergence_is_an_event_not_an_exception():
    split = tiny_split()
    t = Trainer(split, split, TrainConfig("linear", 1e37, 8, mistakes=frozenset({"no_sigmoid"})))
    events = list(t.fit(5))
    assert isinstance(events[-1], BatchEvent) and events[-1].diverged and t.diverged
    assert all(isinstance(e, BatchEvent) for e in events)  # stopped inside the first epoch, no
                                                           # evaluation after
    assert not any(e.diverged for e in events[:-1])


def test_accuracy_as_the_loss_never_moves_the_weights():
    split = tiny_split()
    t = Trainer(split, split, TrainConfig("linear", 1.0, 8, mistakes=frozenset({"accuracy_loss"})))
    start = t.model.weight.detach().clone()
    list(t.fit(2))
    assert torch.equal(t.model.weight, start)


def test_skipping_zero_grad_accumulates_the_gradients():
    split = tiny_split()
    t = Trainer(split, split, TrainConfig("linear", 0.0, 8, mistakes=frozenset({"keep_grads"})))
    list(t.fit(1))  # lr 0 keeps the weights, so .grad ends as the sum of the 5 batches' gradients
    ref = make_model("linear", seed=42)
    mnist_loss(ref(split.x), split.y).backward()  # equal batches: their sum is 5 × the full-data
                                                  # gradient
    assert torch.allclose(t.model.weight.grad, 5 * ref.weight.grad, atol=1e-6)
