"""resnet18 as one ModelSpec: built from torchvision (and only when built), fitted to 28×28 grey
digits, trained by the project's loop, kept off the training page, and its 45 MB weights refused by
the weights-file checks."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from helpers import tiny_split
from torch import nn

from lessonlib import book, checkpoint, models
from lessonlib.training import TrainConfig, Trainer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def net():
    return models.make_model("resnet18", seed=0, outputs=1)


def test_it_is_torchvisions_resnet18_with_one_channel_in_and_the_projects_outputs(net):
    from torchvision.models import resnet18

    reference = resnet18(weights=None, num_classes=1)  # torchvision's own: 3 channels in
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    # 17 + 3 shortcuts
    assert len(convs) == 20 and convs[0].in_channels == 1 and convs[0].kernel_size == (7, 7)
    assert sum(isinstance(m, nn.Linear) for m in net.modules()) == 1
    ours = sum(p.numel() for p in net.parameters())
    assert ours == sum(p.numel() for p in reference.parameters()) - 2 * 64 * 7 * 7 == 11_170_753
    x = torch.rand(5, 784)
    assert net(x).shape == (5, 1)
    assert models.make_model("resnet18", seed=0, outputs=10)(x).shape == (5, 10)


def test_the_seed_decides_the_weights():
    a, b = (models.make_model("resnet18", seed=3) for _ in range(2))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    c = models.make_model("resnet18", seed=4)
    assert not torch.equal(a.net.conv1.weight, c.net.conv1.weight)


def test_without_gradients_it_predicts_in_eval_mode_one_image_independent_of_the_others(
    net, monkeypatch):
    monkeypatch.setattr(models, "VALID_CHUNK", 8)
    x = torch.rand(20, 784, generator=torch.Generator().manual_seed(0))  # three chunks
    net(x[:16]).sum().backward()  # a training step's forward: batch statistics, and the running
                                  # averages move
    net.zero_grad()
    assert net.net.training
    with torch.no_grad():
        together = net(x)
        alone = torch.cat([net(x[i : i + 1]) for i in (0, 1, len(x) - 1)])
        net.net.eval()
        reference = net.net(x.view(-1, 1, 28, 28))  # torchvision's eval mode on the whole stack at
                                                    # once
        net.net.train()
    assert net.net.training, "the model is back in training mode afterwards"
    assert torch.allclose(together, reference, atol=1e-5)
    assert torch.allclose(together[[0, 1, -1]], alone, atol=1e-5)


def test_the_projects_loop_trains_it_a_step_and_validates_it():
    split = tiny_split(n=8)
    trainer = Trainer(split, split, TrainConfig("resnet18", 0.1, 4, seed=1))
    before = trainer.model.net.fc.weight.clone()
    event = trainer.train_batch()
    assert event.batch_size == 4 and torch.isfinite(torch.tensor(event.loss))
    assert not torch.equal(before, trainer.model.net.fc.weight)
    loss, accuracy = trainer.evaluate()
    assert 0.0 <= accuracy <= 1.0 and loss == loss


def test_it_is_not_on_the_training_page_and_its_weights_file_is_refused():
    from ui.settings import MODEL

    assert "resnet18" not in MODEL.options
    assert set(MODEL.options) == {m for m, spec in models.MODELS.items() if spec.on_training_page}
    split = tiny_split(n=8)
    trainer = Trainer(split, split, TrainConfig("resnet18", 0.1, 4))
    data = checkpoint.to_bytes(trainer, (3, 7))
    assert len(data) > checkpoint.MAX_BYTES  # 11 million float32 numbers: about 45 MB
    before = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    with pytest.raises(checkpoint.CheckpointError, match="MB"):
        checkpoint.restore(trainer, data)
    assert all(torch.equal(v, before[k]) for k, v in trainer.model.state_dict().items())


def test_the_book_reports_its_resnet18_at_its_learning_rate():
    r = book.RESULTS["resnet18"]
    assert (r.accuracy, r.epochs, r.learning_rate) == (0.997056, 1, 0.1)
    assert models.MODELS["resnet18"].book_lr == r.learning_rate
    assert r.label == "the book: 99.71% after 1 epoch at lr 0.1"


def test_importing_lessonlib_and_ui_does_not_import_torchvision():
    """torchvision adds about 170 MB to a process: only building a resnet18 may import it."""
    # __main__ runs the CLI
    lessonlib = [p for p in ROOT.glob("lessonlib/**/*.py") if p.stem != "__main__"]
    modules = sorted({".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                      for p in lessonlib}
                     | {f"ui.{p.stem}" for p in ROOT.glob("ui/*.py") if p.stem != "digit_input"})
    # ui.digit_input registers a drawing component, which loads only inside a running app: the slow
    # test below opens its page
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "assert 'torchvision' not in sys.modules, 'torchvision was imported'\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.slow
def test_opening_every_other_page_does_not_import_torchvision():
    code = ("import sys\nsys.path.insert(0, 'tests')\nimport torch\ntorch.set_num_threads(1)\n"
            "from helpers import open_page\nfrom ui.registry import PAGES\n"
            "for p in PAGES:\n"
            "    if p.key != 'deeper':\n"
            "        at = open_page(p.key)\n"
            "        assert not at.exception, p.key\n"
            "        assert 'torchvision' not in sys.modules, p.key\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def test_batch_statistics_against_torchvisions_training_mode_and_the_averages_share_by_hand():
    from lessonlib import batchnorm

    split = tiny_split(n=40)
    trainer = Trainer(split, split, TrainConfig("resnet18", 0.1, 8, seed=2))
    for _ in range(3):
        trainer.train_batch()
    model = trainer.model
    means = [bn.running_mean.clone() for bn in batchnorm.layers(model)]
    got = batchnorm.batch_statistics_accuracy(model, split, batch_size=16, seed=1)
    reference = copy.deepcopy(model.net).train()  # torchvision's training mode: each batch's own
                                                  # statistics
    order = torch.randperm(40, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        out = torch.empty(40, 1)
        for idx in order.split(16):
            out[idx] = reference(split.x[idx].view(-1, 1, 28, 28))
    assert got == pytest.approx(((out.sigmoid() > 0.5).float() == split.y).float().mean().item())
    assert all(torch.equal(m, bn.running_mean)
               for m, bn in zip(means, batchnorm.layers(model), strict=True))
    assert len(batchnorm.layers(model)) == 20 and batchnorm.layers(model)[0].momentum == 0.1
    assert (batchnorm.starting_share(0.1, 16) == pytest.approx(0.9**16)
            == pytest.approx(0.18530201888))
