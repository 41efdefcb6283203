"""All ten digits: softmax, cross-entropy and accuracy against torch, the trainer against a plain
torch loop, the 10×10 confusion matrix against a hand count, and the book's reference results."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lessonlib import book, checkpoint, confusion, mistakes, tenclass
from lessonlib.data import DigitData
from lessonlib.models import MODELS, make_model, predict_probabilities, probabilities
from lessonlib.training import EpochEvent, Split, TrainConfig, Trainer, make_trainer


def test_softmax_and_cross_entropy_match_torch():
    g = torch.Generator().manual_seed(0)
    acts = torch.randn(16, 10, generator=g) * 5
    acts[0, 3] = 200.0  # large activations must not overflow
    targets = torch.randint(0, 10, (16,), generator=g)
    assert torch.allclose(tenclass.softmax(acts), torch.softmax(acts, 1), atol=1e-6)
    assert torch.allclose(tenclass.softmax(acts).sum(1), torch.ones(16), atol=1e-6)
    assert tenclass.cross_entropy(acts, targets).item() == pytest.approx(
        F.cross_entropy(acts, targets).item(), rel=1e-6)


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    acts = torch.tensor([[1.0, 2.0, 0.5]], requires_grad=True)
    tenclass.cross_entropy(acts, torch.tensor([1])).backward()
    p = np.exp([1.0, 2.0, 0.5]) / np.exp([1.0, 2.0, 0.5]).sum()  # hand softmax
    assert np.allclose(acts.grad.numpy()[0], p - np.array([0, 1, 0]), atol=1e-6)


def test_accuracy_is_the_share_of_rows_whose_largest_activation_is_the_target():
    acts = torch.tensor([[0.1, 0.9, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 5.0], [1.0, 3.0, 2.0]])
    assert tenclass.accuracy(acts, torch.tensor([1, 0, 1, 2])).item() == pytest.approx(0.5)


def test_all_digits_split_holds_every_digit_with_its_class_index(bundled):
    x, y, labels = tenclass.all_digits(bundled, "valid")
    assert (labels == tuple(range(10)) and x.shape == (10000, 784) and y.shape == (10000,)
            and y.dtype == torch.long)
    for i in (0, 5, 9):
        first = int((y == i).nonzero()[0])
        assert torch.equal(x[first], bundled.images("valid", labels[i])[0].flatten())
    # MNIST's test set
    assert torch.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.mark.parametrize("name", MODELS)
def test_every_model_has_one_output_per_class(name):
    model = make_model(name, hidden=8, seed=1, outputs=10)
    assert model(torch.rand(5, 784)).shape == (5, 10)
    again = make_model(name, hidden=8, seed=1, outputs=10)
    assert all(torch.equal(p, q)
               for p, q in zip(model.parameters(), again.parameters(), strict=True))


def test_probabilities_are_sigmoid_pairs_for_one_output_and_softmax_for_many():
    one = torch.tensor([[0.0], [2.0]])
    assert torch.allclose(probabilities(one), torch.tensor([[0.5, 0.5], [0.8808, 0.1192]]),
                          atol=1e-4)
    many = torch.randn(4, 10)
    assert torch.allclose(probabilities(many), torch.softmax(many, 1))
    model = make_model("linear", seed=0, outputs=10)
    images = torch.rand(3, 28, 28)
    assert torch.allclose(predict_probabilities(model, images),
                          torch.softmax(model(images.view(3, 784)), 1))


def test_trainer_on_all_digits_matches_torch_sgd_with_cross_entropy(bundled):
    """Our loop against torch.optim.SGD (momentum 0.9) and F.cross_entropy fed the very same
    shuffled batches."""
    config = TrainConfig("simple_net", 0.1, 128, hidden=16, seed=3, momentum=0.9, all_digits=True)
    trainer = make_trainer(bundled, (3, 7), config)
    ref = make_model("simple_net", 16, seed=3, outputs=10)
    sgd = torch.optim.SGD(ref.parameters(), lr=0.1, momentum=0.9)
    gen = torch.Generator().manual_seed(3)
    for _ in range(2):
        for idx in torch.randperm(len(trainer.train.x), generator=gen).split(128):
            F.cross_entropy(ref(trainer.train.x[idx]), trainer.train.y[idx]).backward()
            sgd.step()
            sgd.zero_grad()
    events = [e for e in trainer.fit(2) if isinstance(e, EpochEvent)]
    for p, q in zip(trainer.model.parameters(), ref.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-5)
    with torch.no_grad():
        out = ref(trainer.valid.x)
        assert events[-1].valid_loss == pytest.approx(F.cross_entropy(out, trainer.valid.y).item(),
                                                      rel=1e-5)
        assert events[-1].valid_accuracy == pytest.approx(
            (out.argmax(1) == trainer.valid.y).float().mean().item())


def test_a_linear_model_on_all_digits_beats_the_pixel_similarity_baseline(bundled):
    trainer = make_trainer(bundled, (3, 7),
                           TrainConfig("linear", 1.0, 256, seed=42, all_digits=True))
    last = [e for e in trainer.fit(10) if isinstance(e, EpochEvent)][-1]
    # the L1 baseline over all ten digits is 0.675 on this data
    assert last.valid_accuracy > 0.675 + 0.1


def test_ten_class_mistakes_have_their_own_losses():
    acts = torch.tensor([[1.0, 2.0, 0.0], [0.5, 0.0, 3.0]], requires_grad=True)
    targets = torch.tensor([1, 0])
    raw = mistakes.loss_function({"no_sigmoid"}, multiclass=True)(acts, targets)
    assert raw.item() == pytest.approx(-(2.0 + 0.5) / 2)  # minus the right classes' raw activations
    acc = mistakes.loss_function({"accuracy_loss"}, multiclass=True)(acts, targets)
    assert acc.item() == pytest.approx(0.5) and not acc.requires_grad
    assert mistakes.loss_function((), multiclass=True) is tenclass.cross_entropy
    assert mistakes.describe("no_sigmoid", True)[0] == "Drop the softmax"
    assert mistakes.describe("no_sigmoid", False)[0] == "Drop the sigmoid"


def test_ten_by_ten_confusion_matrix_matches_a_hand_count():
    g = torch.Generator().manual_seed(4)
    valid = Split(torch.rand(60, 784, generator=g), torch.randint(0, 10, (60,), generator=g),
                  tuple(range(10)))
    model = make_model("linear", seed=2, outputs=10)
    found = confusion.find_mistakes(model, valid)
    pred = model(valid.x).argmax(1).numpy()
    truth = valid.y.numpy()
    hand = np.zeros((10, 10), dtype=int)
    for t, q in zip(truth, pred, strict=True):
        hand[t, q] += 1
    assert found.matrix.tolist() == hand.tolist()
    assert sorted(found.wrong.tolist()) == np.flatnonzero(truth != pred).tolist()
    sure = found.probabilities[found.wrong, found.predicted[found.wrong]]
    assert sure.tolist() == sorted(sure.tolist(), reverse=True)
    i = int(found.wrong[0])
    assert confusion.titles(found, valid.labels, 1) == [f"a {truth[i]}: p({pred[i]})={sure[0]:.2f}"]


def test_weights_for_two_digits_are_refused_by_a_ten_digit_model(bundled):
    two = make_trainer(bundled, (3, 7), TrainConfig("linear"))
    ten = make_trainer(bundled, (3, 7), TrainConfig("linear", all_digits=True))
    before = ten.model.weight.clone()
    with pytest.raises(checkpoint.CheckpointError, match=r"trained on 2 digits \(3,7\).*on 10"):
        checkpoint.restore(ten, checkpoint.to_bytes(two, (3, 7)))
    assert torch.equal(ten.model.weight, before)
    list(ten.fit(1))
    other = make_trainer(bundled, (3, 7), TrainConfig("linear", all_digits=True, seed=9))
    checkpoint.restore(other, checkpoint.to_bytes(ten, ten.train.labels))
    assert torch.equal(other.model.weight, ten.model.weight)


def _fake(counts: dict[tuple[str, int], int]) -> DigitData:
    parts = {"train": {}, "valid": {}}
    for (split, digit), n in counts.items():
        parts[split][digit] = torch.zeros(n, 28, 28, dtype=torch.uint8)
    return DigitData("fake", parts["train"], parts["valid"])


def test_the_books_numbers_are_offered_only_for_3_vs_7_on_the_books_validation_images(bundled):
    sample = _fake(book.MNIST_SAMPLE_COUNTS)
    assert book.is_mnist_sample(sample) and not book.is_mnist_sample(bundled)
    assert book.book_result(sample, "linear", (3, 7)).accuracy == 0.9785
    assert book.book_result(sample, "simple_net", (3, 7)).epochs == 40
    # the notebook: 20 epochs after one, 0.9696
    linear1 = book.book_result(sample, "linear1", (3, 7))
    assert (linear1.accuracy, linear1.epochs, linear1.learning_rate) == (0.9696, 21, 1.0)
    assert book.book_result(sample, "linear", (7, 3)) is None  # the book's positive class is 3
    # the same validation images
    assert not book.is_mnist_sample(bundled) and book.has_books_validation(bundled)
    assert book.book_result(bundled, "linear", (3, 7)).accuracy == 0.9785
    fewer = _fake({**book.MNIST_SAMPLE_COUNTS, ("valid", 7): 1000})
    assert not book.is_mnist_sample(fewer) and book.book_result(fewer, "linear", (3, 7)) is None


def test_ten_class_trainer_from_a_split_made_by_hand():
    g = torch.Generator().manual_seed(0)
    split = Split(torch.rand(30, 784, generator=g), torch.randint(0, 3, (30,), generator=g),
                  (1, 4, 8))
    t = Trainer(split, split, TrainConfig("linear1", 0.5, 10, seed=0))
    assert t.model(split.x).shape == (30, 3) and split.outputs == 3 and split.multiclass
    assert len([e for e in t.fit(2) if isinstance(e, EpochEvent)]) == 2
