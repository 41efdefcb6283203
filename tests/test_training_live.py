"""Training in chunks for the page: budgets, playing towards a goal, bounded history."""

import pytest
import torch
from helpers import tiny_split

from lessonlib.training import BatchEvent, EpochEvent, TrainConfig, Trainer
from ui import live, pace
from ui.history import History, Series


def trainer(batch_size=8) -> Trainer:
    split = tiny_split(40)
    return Trainer(split, split, TrainConfig("linear", 1.0, batch_size))


def test_budget_of_batches_and_epoch_end():
    t = trainer()
    assert ([type(e) for e in live.advance(t, live.Budget(batches=2, wall_seconds=60))]
            == [BatchEvent, BatchEvent])
    events = live.advance(t, live.Budget(seconds=60, wall_seconds=60, until_epoch_end=True))
    assert [type(e) for e in events] == [BatchEvent] * 3 + [EpochEvent] and t.progress == 1.0


def test_budget_goal_stops_at_the_epoch_boundary():
    t = trainer()
    events = live.advance(t, live.Budget(seconds=60, wall_seconds=60, goal=2))
    assert t.progress == 2.0 and sum(isinstance(e, EpochEvent) for e in events) == 2
    assert live.advance(t, live.Budget(seconds=60, wall_seconds=60, goal=2)) == []


def test_chunks_give_the_same_run_as_fit():
    a, b = trainer(), trainer()
    whole = [e.loss for e in a.fit(3) if isinstance(e, BatchEvent)]
    chunked = []
    while b.progress < 3:
        chunked += [e.loss for e in live.advance(b, live.Budget(batches=2, goal=3))
                    if isinstance(e, BatchEvent)]
    assert chunked == whole


def test_play_runs_to_the_goal_then_pauses():
    run = live.LiveRun(trainer())
    run.trainer.train_batch()  # 0.2 epochs done
    run.play(2)
    assert run.playing and run.goal == 2 and run.fraction_done == 0.0
    while run.playing:
        run.step(live.frame_budget(run.trainer, "1 batch a frame"))
    assert run.trainer.progress == 2.0 and run.fraction_done == 1.0
    assert run.history.valid_accuracy.x == [1, 2]
    assert len(run.history.batch_loss) == 9  # the first batch ran before the run


def test_frame_budget_speeds():
    t = trainer(batch_size=4)  # 10 batches an epoch
    assert live.frame_budget(t, "1 batch a frame").batches == 1
    # 4 epochs/s × 0.25 s × 10 batches
    assert live.frame_budget(t, "4 epochs a second", elapsed=0.25).batches == 10
    # a late frame catches up …
    assert live.frame_budget(t, "1 epoch a second", elapsed=0.3).batches == 3
    late = live.frame_budget(t, "1 epoch a second", elapsed=9.0)
    assert late.batches == round(2 * live.FRAME_SECONDS * 10)  # … by two frames at most
    full = live.frame_budget(t, "full speed", goal=7)
    assert full.batches is None and full.seconds == live.WORK_SECONDS and full.goal == 7


def test_playing_stops_when_the_loss_diverges():
    t = trainer()
    t.set_learning_rate(1e37)
    t.set_mistakes(frozenset({"no_sigmoid"}))
    run = live.LiveRun(t)
    run.play(50)
    for _ in range(100):
        if not run.playing:
            break
        run.step(live.Budget(batches=1))
    assert not run.playing and run.trainer.diverged
    steps = run.trainer.steps
    assert live.advance(run.trainer, live.Budget(batches=5)) == [] and run.trainer.steps == steps


def test_speed_is_measured_over_recent_frames():
    run = live.LiveRun(trainer())
    assert run.speed() == (0.0, 0.0)
    for _ in range(3):
        run.step(live.Budget(batches=1))
    steps, examples = run.speed()
    assert steps > 0 and examples == pytest.approx(8 * steps)


def test_series_stays_bounded_and_keeps_the_mean():
    s = Series(limit=100)
    for i in range(1000):
        s.add(float(i), float(i % 7))
    assert len(s) <= 100
    assert s.x[-1] == 999.0 and s.x == sorted(s.x)  # recent points intact, order kept
    assert sum(s.y) / len(s.y) == pytest.approx(sum(i % 7 for i in range(1000)) / 1000, abs=0.3)


def test_history_records_events():
    h = History(limit=50)
    h.record([BatchEvent(1, 1, 0.4, 8, False, 0.5), BatchEvent(2, 1, 0.3, 8, True, 1.0),
              EpochEvent(1, 0.2, 0.9, 0.1)])
    assert h.batch_loss.x == [0.5, 1.0] and h.batch_loss.y == [0.4, 0.3]
    assert h.valid_accuracy.y == [0.9] and h.last_accuracy == 0.9 and h.steps == 2


def test_live_settings_do_not_reset_the_model():
    run = live.LiveRun(trainer())
    run.step(live.Budget(batches=3, wall_seconds=60))
    w = run.trainer.model.weight.detach().clone()
    run.trainer.set_learning_rate(0.01)
    run.trainer.set_batch_size(2)
    run.step(live.Budget(batches=1))
    assert run.trainer.steps == 4 and not torch.equal(run.trainer.model.weight, w)
    # a small step from where it was, not a fresh model
    assert (run.trainer.model.weight - w).abs().max() < 0.01


def test_budget_counts_training_cpu_time_and_caps_the_clock():
    t = trainer()
    t.set_batch_size(1)  # 40 batches an epoch
    # always at least one batch
    assert len(live.advance(t, live.Budget(seconds=0.0, wall_seconds=60))) == 1
    assert len(live.advance(t, live.Budget(seconds=60, wall_seconds=0.0))) == 1
    events = live.advance(t, live.Budget(seconds=60, wall_seconds=60, goal=3))
    assert t.progress == 3.0 and sum(isinstance(e, BatchEvent) for e in events) == 3 * 40 - 2


def test_progress_bar_keeps_its_place_when_paused():
    run = live.LiveRun(trainer())
    assert run.fraction_done == 1.0
    run.play(2)
    run.step(live.Budget(batches=5, wall_seconds=60))  # one epoch of two
    run.pause()
    assert not run.playing and run.fraction_done == pytest.approx(0.5)


def test_pace_shares_the_server_among_players():
    alone = pace.pace(1)
    assert (alone.interval, alone.work_seconds) == (pace.FRAME_SECONDS, pace.WORK_SECONDS)
    # up to 4 players: 5 frames a second
    assert pace.pace(0) == alone and pace.pace(4).interval == pace.FRAME_SECONDS
    for players in range(1, 41):
        p = pace.pace(players)
        assert (players / p.interval <= max(pace.SERVER_FRAMES_PER_SECOND, 1 / pace.FRAME_SECONDS)
                + 1e-9)
        # all of them: one core at most
        assert players * p.work_seconds / p.interval <= pace.TRAINING_CORES + 1e-9
        assert p.work_seconds <= pace.WORK_SECONDS
    assert pace.pace(10).interval == 0.5 and pace.pace(10).work_seconds == pytest.approx(0.05)


def test_a_crowded_frame_trains_the_same_epochs_per_second_within_its_budget():
    t = trainer(batch_size=4)  # 10 batches an epoch
    crowded = pace.pace(10)
    b = live.frame_budget(t, "4 epochs a second", elapsed=0.5, pace=crowded)
    assert b.batches == 20 and b.seconds == crowded.work_seconds  # 4 epochs/s × 0.5 s × 10 batches
    assert live.frame_budget(t, "full speed", pace=crowded).seconds == crowded.work_seconds


def test_the_timer_is_set_again_only_when_the_pace_moved_far():
    assert (not pace.needs_new_timer(0.2, pace.pace(4))
            and not pace.needs_new_timer(0.5, pace.pace(9)))
    assert pace.needs_new_timer(0.2, pace.pace(10)) and pace.needs_new_timer(0.5, pace.pace(1))
