"""Timing assertions relative to a baseline measured in the same test.

A loaded machine (CI, or eight jobs on two cores) slows the baseline and the measured operation alike,
so "at most FACTOR times a trivial operation" holds where "under 2 seconds" flakes. The floor keeps
timer noise and a very fast baseline from making the bound absurdly tight: on a quiet machine the bound
is ``FACTOR * FLOOR`` (2 s), the absolute limit these tests had before.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

FACTOR = 20
FLOOR = 0.1  # seconds


def seconds(operation: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    started = time.monotonic()
    operation()
    return time.monotonic() - started


def baseline(operation: Callable[[], object], repeat: int = 3) -> float:
    """Median seconds of ``repeat`` calls of a cheap operation, measured now (the machine as it is)."""
    return statistics.median(seconds(operation) for _ in range(repeat))


def bound(base: float, factor: float = FACTOR, floor: float = FLOOR) -> float:
    """The most an operation may take: ``factor`` times the baseline, or times the floor if that is more."""
    return factor * max(base, floor)
