"""How often a playing training page redraws, and how much it trains between redraws, when several
visitors on one server play at once: each gets a fair share, so one crowd of players cannot starve
everyone else's pages."""

from __future__ import annotations

from dataclasses import dataclass

FRAME_SECONDS = 0.2  # alone, a playing page asks for a redraw this often: 5 frames a second
WORK_SECONDS = 0.18  # alone, at most this much training (CPU time) per frame at full speed, leaving
                     # time to draw
SERVER_FRAMES_PER_SECOND = 20  # all players together: a redraw costs the server about 20–30 ms of
                               # Python
TRAINING_CORES = 1.0  # all players together train at most about this many cores' worth at full
                      # speed


@dataclass(frozen=True)
class Pace:
    interval: float  # seconds between redraw requests
    work_seconds: float  # CPU seconds of training per frame, at most


def pace(players: int) -> Pace:
    """The pace of each of `players` sessions playing at once on this server: up to 4 players redraw
    5 times a second; more share SERVER_FRAMES_PER_SECOND, and their training shares
    TRAINING_CORES."""
    players = max(1, players)
    interval = max(FRAME_SECONDS, players / SERVER_FRAMES_PER_SECOND)
    return Pace(interval, min(WORK_SECONDS, TRAINING_CORES * interval / players))


ALONE = pace(1)


def needs_new_timer(timer_interval: float, now: Pace) -> bool:
    """Whether a page's redraw timer, set at its last full run, is so far from the pace now
    (players came or went) that it should be set again: more than half as long again, or less than
    two thirds."""
    return not 2 / 3 < now.interval / timer_interval < 3 / 2
