"""The questionnaire's data: every question of the chapter, answered, linked to a real page of the
app."""

import math
from pathlib import Path

from lessonlib.questionnaire import QUESTIONS, curve
from ui.registry import BY_KEY


def test_the_chapter_has_37_questions_and_2_research_projects():
    assert len([q for q in QUESTIONS if not q.further]) == 37
    assert len([q for q in QUESTIONS if q.further]) == 2
    assert len({q.question for q in QUESTIONS}) == len(QUESTIONS)


def test_every_question_has_an_answer_and_a_page_of_the_app_or_a_section_of_the_book():
    for q in QUESTIONS:
        assert q.question.strip() and len(q.answer) > 40, q.question
        if q.page:
            assert q.page in BY_KEY, f"{q.page} is not a page of ui.registry"
            assert Path(BY_KEY[q.page].file).is_file(), q.page
        else:  # no page shows it live: the book's section instead
            assert q.book, q.question


def _find(word: str):
    found = [q for q in QUESTIONS if word.lower() in q.question.lower()]
    assert len(found) == 1, (word, [q.question for q in found])
    return found[0]


def test_the_common_slips_are_named_kindly_and_correctly():
    rank3 = _find("rank-3")
    assert "not a matrix" in rank3.pitfall and "stack of matrices" in rank3.pitfall
    distances = _find("RMSE")
    assert "mean(|a − b|)" in distances.answer and "sqrt(mean((a − b)²))" in distances.answer
    lr = _find("high learning rate")
    assert ("oscillat" in lr.answer and "diverg" in lr.answer
            and "not cause overfitting" in lr.pitfall)
    assert "validation set" in _find("metrics usually computed").answer
    steps = _find("seven steps").answer
    assert all(f"{k}. " in steps for k in range(1, 8))
    assert "Initialise" in steps and "Stop" in steps
    assert "mini-batch" in _find("use mini-batches").answer
    accuracy = _find("accuracy as a loss")
    assert "gradient is zero" in accuracy.answer
    backward = _find("`backward` method")
    assert "gradient" in backward.answer and "does not change the weights" in backward.pitfall


def test_the_curves_to_draw_are_sigmoid_and_relu():
    s = curve("sigmoid", -6, 6)
    for x, y in zip(s["x"], s["sigmoid"], strict=True):
        assert abs(y - 1 / (1 + math.exp(-x))) < 1e-6
    r = curve("relu")
    assert r["x"].min() == -2 and r["x"].max() == 2
    assert (r["relu"] == r["x"].clip(lower=0)).all()
    assert [q.curve for q in QUESTIONS if q.curve] == ["sigmoid", "relu"]


def test_the_step_backward_and_forward_are_told_as_pytorch_does_them():
    """The answers match what PyTorch really does, checked here."""
    import pytest
    import torch

    w = torch.randn(3).requires_grad_()
    (w * 2).sum().backward()
    with pytest.raises(RuntimeError):  # a leaf that requires grad cannot be changed in place while
                                       # recording
        w -= 0.1 * w.grad
    step = _find("computes new weights")
    assert "torch.no_grad()" in step.answer and "w.data -= lr * w.grad.data" in step.answer
    assert "raises an error outside `torch.no_grad()`" in step.pitfall
    x = torch.randn(3).requires_grad_()
    y = x * 3  # an intermediate result
    y.sum().backward()
    assert x.grad is not None
    with pytest.warns(UserWarning, match="not a leaf"):  # PyTorch says so itself
        assert y.grad is None  # only the leaf gets .grad
    assert "*leaf* tensor" in _find("`backward` method").answer
    assert ("forward pass computes the activations"
            in _find("What is an activation function").pitfall)
