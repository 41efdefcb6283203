"""How much the training page's live path costs on top of the bare training loop.

(a) bare:  Trainer.fit(epochs), as the CLI runs it.
(b) live:  the page's path while playing at full speed: LiveRun.step(frame_budget(...)) chunk after
chunk, and after
           every chunk plots.training.live_figures(...) plus the JSON that st.plotly_chart sends
           (plotly.io.to_json).
Both train the same epochs from the same seed on the bundled digits (3 vs 7). Times are CPU seconds
of this process (time.process_time, with torch on one thread as in the app), so other programs on
the machine barely move them; wall seconds are printed too. Last line: `overhead_ratio=X.XX`, the
median over the repeats of (b) / (a) in CPU time, summed over the recipes.

    python bench/training_overhead.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import plotly.io as pio
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessonlib.data import load_bundled  # noqa: E402
from lessonlib.plots import training as plots  # noqa: E402
from lessonlib.training import TrainConfig, make_trainer  # noqa: E402
from ui import live  # noqa: E402

RECIPES = [  # (config, epochs): the book's two recipes, with more epochs so each run spans many
             # frames
    (TrainConfig("linear", 1.0, 256), 2000),
    (TrainConfig("simple_net", 0.1, 64), 200),
]
DIGITS = (3, 7)
BASELINE = 0.95


def bare(data, config: TrainConfig, epochs: int) -> tuple[float, float, float]:
    """CPU and wall seconds for fit(epochs), and the final validation accuracy."""
    trainer = make_trainer(data, DIGITS, config)
    c0, w0 = time.process_time(), time.perf_counter()
    events = list(trainer.fit(epochs))
    return time.process_time() - c0, time.perf_counter() - w0, events[-1].valid_accuracy


def live_path(data, config: TrainConfig, epochs: int) -> tuple[float, float, float, int, float]:
    """CPU and wall seconds for the page's chunk-and-draw loop over the same epochs, the accuracy,
    the frames, and the CPU seconds of those spent drawing."""
    run = live.LiveRun(make_trainer(data, DIGITS, config))
    run.play(epochs)
    frames, drawing = 0, 0.0
    c0, w0 = time.process_time(), time.perf_counter()
    while run.playing:
        run.step(live.frame_budget(run.trainer, "full speed"))
        d0 = time.process_time()
        for fig in plots.live_figures(run, BASELINE).values():
            pio.to_json(fig, validate=False)  # what st.plotly_chart serialises
        drawing += time.process_time() - d0
        frames += 1
    return (time.process_time() - c0, time.perf_counter() - w0, run.history.last_accuracy, frames,
            drawing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as the app
    data = load_bundled()
    for config, _ in RECIPES:  # warm up: first calls pay for lazy imports and allocations
        bare(data, config, 2), live_path(data, config, 2)
    ratios = []
    for r in range(args.repeats):
        total_a = total_b = 0.0
        for config, epochs in RECIPES:
            if r % 2:  # alternate which goes first, so warm caches favour neither
                b, wb, acc_b, frames, drawing = live_path(data, config, epochs)
                a, wa, acc_a = bare(data, config, epochs)
            else:
                a, wa, acc_a = bare(data, config, epochs)
                b, wb, acc_b, frames, drawing = live_path(data, config, epochs)
            total_a, total_b = total_a + a, total_b + b
            print(f"run {r + 1}: {config.model:<10} {epochs:>3} epochs  CPU bare {a:6.3f} s  live "
                  f"{b:6.3f} s  ratio {b / a:.3f}  ({frames:>2} frames, drawing "
                  f"{1000 * drawing / frames:4.1f} ms each = {drawing / b:.1%} of live)  | wall "
                  f"{wa:6.3f} / {wb:6.3f} s  | accuracy {acc_a:.4f} / {acc_b:.4f}")
        ratios.append(total_b / total_a)
    print(f"ratios: {', '.join(f'{x:.3f}' for x in ratios)}")
    print(f"overhead_ratio={statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
