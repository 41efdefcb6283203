"""`python -m lessonlib report`: the book's baseline and SGD accuracy on a data set, from the
shell."""

from __future__ import annotations

import argparse
import json
import math
import sys

from lessonlib.data import DataError, DigitData, load_bundled, load_folder
from lessonlib.models import MODELS
from lessonlib.similarity import evaluate
from lessonlib.training import EpochEvent, TrainConfig, make_trainer


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m lessonlib", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report", help="pixel-similarity accuracy, and SGD accuracy with --epochs")
    r.add_argument("--data", default="bundled", help="'bundled' or a folder in MNIST_SAMPLE layout")
    r.add_argument("--digits", nargs=2, type=int, default=[3, 7], metavar=("A", "B"))
    r.add_argument("--all-digits", action="store_true",
                   help="every digit of the data: one output per digit, softmax and cross-entropy "
                   "(chapter 5)")
    r.add_argument("--model", choices=list(MODELS), default="linear")
    r.add_argument("--epochs", type=int, default=0)
    r.add_argument("--lr", type=float, default=None,
                   help="learning rate (default: the book's for the model)")
    r.add_argument("--batch-size", type=int, default=256)
    r.add_argument("--hidden", type=int, default=30)
    r.add_argument("--seed", type=int, default=42)
    r.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def check(args: argparse.Namespace, data: DigitData) -> None:
    """Refuse settings that cannot train, with a one-line reason."""
    a, b = args.digits
    if a == b and not args.all_digits:
        raise UsageError(f"--digits needs two different digits, got {a} {b}")
    for d in () if args.all_digits else (a, b):
        if d not in data.digits:
            raise UsageError(f"the data has no digit {d}; it has {' '.join(map(str, data.digits))}")
    if args.lr is not None and not (math.isfinite(args.lr) and args.lr > 0):
        raise UsageError(f"--lr must be a positive number, got {args.lr}")
    if args.batch_size < 1 or args.epochs < 0 or args.hidden < 1:
        raise UsageError("--batch-size and --hidden must be at least 1, --epochs at least 0")


def report(args: argparse.Namespace) -> dict:
    """The report as a dict: baseline accuracy per digit and mean, then SGD's if epochs > 0."""
    data = load_bundled() if args.data == "bundled" else load_folder(args.data)
    check(args, data)
    digits = tuple(data.digits) if args.all_digits else tuple(args.digits)
    base = evaluate(data, list(digits))
    out = {"data": data.name, "digits": list(digits),
           "pixel_similarity": {"metric": "L1",
                                "accuracy": {**{str(d): base.per_digit[d] for d in digits},
                                             "mean": base.mean}}}
    if args.epochs > 0:
        lr = args.lr or MODELS[args.model].book_lr
        config = TrainConfig(args.model, lr, args.batch_size, args.hidden, args.seed,
                             all_digits=args.all_digits)
        trainer = make_trainer(data, digits, config)
        last = None
        for event in trainer.fit(args.epochs):
            last = event if isinstance(event, EpochEvent) else last
        acc = last.valid_accuracy if last else float("nan")
        out["sgd"] = {"model": config.model, "learning_rate": config.learning_rate,
                      "batch_size": config.batch_size,
                      "epochs": last.epoch if last else 0, "valid_accuracy": acc,
                      "seconds": trainer.seconds,
                      "diverged": last is None or last.epoch < args.epochs}
    return out


def as_text(r: dict) -> str:
    """The report for a reader."""
    acc = r["pixel_similarity"]["accuracy"]
    lines = [f"data: {r['data']}",
             "pixel similarity (L1 distance to the train means), validation accuracy: "
             + "  ".join(f"{k}: {v:.4f}" for k, v in acc.items())]
    if "sgd" in r:
        s = r["sgd"]
        state = "DIVERGED, " if s["diverged"] else ""
        lines.append(f"sgd {s['model']} lr={s['learning_rate']:g} batch={s['batch_size']} "
                     f"epochs={s['epochs']}: {state}validation accuracy {s['valid_accuracy']:.4f} "
                     f"({s['seconds']:.2f} s training)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        r = report(args)
    except (UsageError, DataError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(r) if args.json else as_text(r))
    return 0
