"""resnet18 (torchvision, not pretrained) trained by the project's loop on the bundled data: seconds
per epoch and validation accuracy over several seeds, with the book's number beside them.

    python bench/resnet18.py --epochs 3 --seeds 0 1 2 [--all-digits] [--lr 0.1] [--batch-size 64]

Each epoch is timed three ways: the trainer's own training seconds (its batches, on the clock), the
validation pass on the clock, and the CPU time of both (this thread's, as the app's pace counts it).
One thread, as the app. The last line is key=value pairs for scripts.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessonlib import book  # noqa: E402
from lessonlib.data import load_bundled  # noqa: E402
from lessonlib.training import BatchEvent, TrainConfig, make_trainer  # noqa: E402


def run(data, digits: tuple[int, int], config: TrainConfig, epochs: int) -> list[dict]:
    """One seed: a row per epoch with its times and validation result."""
    trainer = make_trainer(data, digits, config)
    rows, trained = [], 0.0
    cpu = time.thread_time()
    while True:
        event: BatchEvent = trainer.train_batch()
        if event.diverged:
            break
        if event.epoch_done:
            wall = time.perf_counter()
            end = trainer.end_epoch()
            valid_wall = time.perf_counter() - wall
            rows.append({"epoch": end.epoch, "train_s": end.seconds - trained,
                         "valid_s": valid_wall,
                         "cpu_s": time.thread_time() - cpu, "accuracy": end.valid_accuracy,
                         "loss": end.valid_loss, "steps": trainer.steps})
            trained, cpu = end.seconds, time.thread_time()
            if end.epoch >= epochs:
                break
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--all-digits", action="store_true",
                   help="all ten digits, ten outputs and cross-entropy")
    p.add_argument("--lr", type=float, default=book.RESULTS["resnet18"].learning_rate)
    p.add_argument("--batch-size", type=int, default=book.RESNET18_BATCH)
    p.add_argument("--momentum", type=float, default=0.0)
    args = p.parse_args()
    torch.set_num_threads(1)
    data = load_bundled()
    digits = (3, 7)
    task = "all ten digits" if args.all_digits else "3 vs 7"
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {platform.machine()}  torch "
          f"{torch.__version__}  one thread; bundled data, {task}; lr {args.lr:g}, batch "
          f"{args.batch_size}, momentum {args.momentum:g}")
    table = []
    for seed in args.seeds:
        config = TrainConfig("resnet18", args.lr, args.batch_size, seed=seed,
                             momentum=args.momentum, all_digits=args.all_digits)
        for row in run(data, digits, config, args.epochs):
            table.append({"seed": seed, **row})
            print(f"seed {seed:>3}  epoch {row['epoch']:>2}  steps {row['steps']:>5}  train "
                  f"{row['train_s']:6.2f} s  validate {row['valid_s']:6.2f} s  cpu "
                  f"{row['cpu_s']:6.2f} s  accuracy {row['accuracy']:.4f}  loss {row['loss']:.4f}",
                  flush=True)
    print("\nepoch  accuracy mean (min–max)      train s (median)  validate s (median)  CPU s "
          "(median)")
    for epoch in range(1, args.epochs + 1):
        rows = [r for r in table if r["epoch"] == epoch]
        if not rows:
            continue
        acc = [r["accuracy"] for r in rows]
        print(f"{epoch:>5}  {statistics.mean(acc):.4f} ({min(acc):.4f}–{max(acc):.4f})    "
              f"{statistics.median(r['train_s'] for r in rows):6.2f}            "
              f"{statistics.median(r['valid_s'] for r in rows):6.2f}              "
              f"{statistics.median(r['cpu_s'] for r in rows):6.2f}")
    ours = book.RESULTS["resnet18"]
    print(f"the book: {ours.accuracy} after {ours.epochs} epoch of fit_one_cycle(1, "
          f"{ours.learning_rate:g}) on MNIST_SAMPLE (12,396 training images), {book.RESNET18_TIME} "
          f"on its machine")
    last = [r for r in table if r["epoch"] == args.epochs]
    print(f"task={'ten' if args.all_digits else 'pair'} epochs={args.epochs} "
          f"seeds={len(args.seeds)} "
          f"train_s_per_epoch={statistics.median(r['train_s'] for r in table):.2f} "
          f"validate_s={statistics.median(r['valid_s'] for r in table):.2f} "
          f"cpu_s_per_epoch={statistics.median(r['cpu_s'] for r in table):.2f} "
          "accuracy_last_mean="
          f"{statistics.mean(r['accuracy'] for r in last) if last else float('nan'):.4f} "
          f"book={ours.accuracy}")


if __name__ == "__main__":
    main()
