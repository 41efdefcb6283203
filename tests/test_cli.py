"""`python -m lessonlib report` against a hand computation of the book's baseline."""

import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import random_sample
from PIL import Image

from lessonlib.cli import main


def hand_baseline(stacks, a, b):
    """The book's method in plain numpy: L1 distance to each train mean, nearest wins."""
    mean = {d: (stacks[("train", d)] / 255).mean(0) for d in (a, b)}
    acc = {}
    for d, other in ((a, b), (b, a)):
        x = stacks[("valid", d)] / 255
        own = np.abs(x - mean[d]).mean((1, 2))
        far = np.abs(x - mean[other]).mean((1, 2))
        acc[d] = float((own < far).mean()) if d == a else float((own <= far).mean())
    return acc


def test_report_matches_hand_computation_on_a_folder(tmp_path, capsys):
    stacks = random_sample(tmp_path, n_train=8, n_valid=10, seed=3)
    # make two validation 3s look like 7s so accuracy is not trivially 1
    stacks[("valid", 3)][:2] = stacks[("train", 7)][:2]


    for i in range(2):
        Image.fromarray(stacks[("valid", 3)][i],
                        mode="L").save(tmp_path / "valid" / "3" / f"{i}.png")
    assert main(["report", "--data", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = hand_baseline(stacks, 3, 7)
    acc = out["pixel_similarity"]["accuracy"]
    assert abs(acc["3"] - expected[3]) < 1e-6 and abs(acc["3"] - 0.8) < 1e-6
    assert abs(acc["7"] - expected[7]) < 1e-6
    assert abs(acc["mean"] - (expected[3] + expected[7]) / 2) < 1e-6
    assert "sgd" not in out


def test_report_trains_and_times_sgd(capsys):
    assert main(["report", "--json", "--epochs", "3", "--model", "linear1", "--seed", "1"]) == 0
    sgd = json.loads(capsys.readouterr().out)["sgd"]
    assert sgd["epochs"] == 3 and 0.5 < sgd["valid_accuracy"] <= 1 and sgd["seconds"] > 0
    assert sgd["model"] == "linear1" and sgd["learning_rate"] == 1.0


@pytest.mark.slow
def test_bad_input_is_one_line_and_nonzero(tmp_path):
    cases = [["--data", str(tmp_path / "missing")], ["--data", str(tmp_path)],
             ["--digits", "3", "3"],
             ["--digits", "3", "12"], ["--lr", "nan", "--epochs", "1"], ["--lr", "abc"],
             ["--batch-size", "0"]]
    for extra in cases:
        r = subprocess.run([sys.executable, "-m", "lessonlib", "report", *extra],
                           capture_output=True, text=True)
        assert r.returncode == 2, extra
        assert (r.stdout == "" and r.stderr.startswith("error: ")
                and r.stderr.count("\n") == 1), (extra, r.stderr)
        assert "Traceback" not in r.stderr


def test_no_lessonlib_module_imports_streamlit():
    code = ("import pkgutil, importlib, sys, lessonlib, lessonlib.plots\n"
            "names = [m.name for m in pkgutil.walk_packages(lessonlib.__path__, 'lessonlib.')\n"
            "         if m.name != 'lessonlib.__main__']\n"
            "[importlib.import_module(n) for n in names]\n"
            "print(len(names), 'streamlit' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, imported = r.stdout.split()
    assert int(count) >= 10 and imported == "False"


def test_all_digits_report_matches_the_library(bundled, capsys):
    from lessonlib.similarity import evaluate
    from lessonlib.training import EpochEvent, TrainConfig, make_trainer

    assert main(["report", "--json", "--all-digits", "--epochs", "2", "--seed", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["digits"] == list(range(10))
    assert abs(out["pixel_similarity"]["accuracy"]["mean"] - evaluate(bundled,
                                                                      list(range(10))).mean) < 1e-9
    trainer = make_trainer(bundled, (3, 7),
                           TrainConfig("linear", 1.0, 256, seed=3, all_digits=True))
    last = [e for e in trainer.fit(2) if isinstance(e, EpochEvent)][-1]  # the same loop, run here
    assert out["sgd"]["valid_accuracy"] == last.valid_accuracy and out["sgd"]["epochs"] == 2
