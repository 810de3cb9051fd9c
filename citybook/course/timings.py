"""Seconds a grading process spends per phase of one submission, for the grading record and `make bench`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

# Filled by the grading process for its current submission; emptied by take_timings().
TIMINGS: dict[str, float] = {}


@contextmanager
def timed(phase: str) -> Iterator[None]:
    """Add the wall-clock seconds of the `with` block to `phase`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        add_time(phase, time.perf_counter() - started)


def add_time(phase: str, seconds: float) -> None:
    """Add seconds to a phase."""
    TIMINGS[phase] = TIMINGS.get(phase, 0.0) + seconds


def take_timings() -> dict[str, float]:
    """Return and clear the phases timed since the last call, rounded to milliseconds."""
    taken = {phase: round(seconds, 3) for phase, seconds in TIMINGS.items()}
    TIMINGS.clear()
    return taken
