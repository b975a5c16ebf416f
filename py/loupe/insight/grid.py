"""Time series on a regular calendar grid: bucket starts to step numbers and back, season lengths.

A chart aggregated per month gives one row per month that has data; a forecast needs every month,
with the empty ones marked missing. Times are seconds since 1970-01-01 (naive, as the readers store them).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence

from loupe.errors import LoupeError
from loupe.insight.clean import finite

GRAINS = ("hour", "day", "week", "month", "quarter", "year")
SEASONS = {"hour": 24, "day": 7, "week": 52, "month": 12, "quarter": 4, "year": 1}
_EPOCH = dt.datetime(1970, 1, 1)
_STEP_SECONDS = {"hour": 3600.0, "day": 86_400.0, "week": 7 * 86_400.0}
# Moments a calendar can hold, with room for a forecast after the last one (years 1 to 9998).
FIRST_SECOND = (dt.datetime(1, 1, 1) - _EPOCH).total_seconds()
LAST_SECOND = (dt.datetime(9000, 1, 1) - _EPOCH).total_seconds()
MAX_STEPS = 100_000  # a grid longer than this is a wrong grain (seconds bucketed by hour over decades)


def season_for(grain: str) -> int:
    """The usual season length of a time grain: 12 months, 7 days, 4 quarters, 24 hours."""
    return SEASONS[grain]


def _in_calendar(seconds: float) -> None:
    if not FIRST_SECOND <= seconds <= LAST_SECOND:
        raise LoupeError(
            f"a time of {seconds:.0f} seconds from 1970 is outside the years 1 to 9000",
            hint="check the date column: a number read as seconds, or a typing error in a year",
        )


def step_of(seconds: float, grain: str) -> int:
    """The grid step a moment falls in (steps count from 1970)."""
    _in_calendar(seconds)
    if grain in _STEP_SECONDS:
        return math.floor(seconds / _STEP_SECONDS[grain])
    moment = _EPOCH + dt.timedelta(seconds=seconds)
    months = (moment.year - 1970) * 12 + moment.month - 1
    return {"month": months, "quarter": months // 3, "year": months // 12}[grain]


def start_of(step: int, grain: str) -> float:
    """The first second of a grid step, the inverse of step_of."""
    if grain in _STEP_SECONDS:
        return step * _STEP_SECONDS[grain]
    months = step * {"month": 1, "quarter": 3, "year": 12}[grain]
    if not -1969 * 12 <= months <= 8030 * 12:
        raise LoupeError(f"step {step} of a {grain} grid is outside the years 1 to 9999")
    moment = dt.datetime(1970 + months // 12, months % 12 + 1, 1)
    return (moment - _EPOCH).total_seconds()


def guess_grain(times: Sequence[float]) -> str:
    """The grain whose step is closest to the typical gap between moments (the median gap)."""
    ordered = sorted(set(times))
    if len(ordered) < 2:
        return "day"
    gaps = sorted(b - a for a, b in itertools.pairwise(ordered))
    gap = gaps[len(gaps) // 2]
    sizes = {**_STEP_SECONDS, "month": 30.44 * 86_400, "quarter": 91.31 * 86_400, "year": 365.24 * 86_400}
    return min(GRAINS, key=lambda g: abs(math.log(gap / sizes[g])))


def regular(times: Sequence[object], values: Sequence[object], grain: str) -> tuple[int, list[float | None]]:
    """The first step and one value per step from the first to the last moment (None where missing).

    Several values in one step are summed, so rows that were not aggregated still make a series.
    """
    if grain not in GRAINS:
        raise LoupeError(f"unknown time grain {grain!r}", hint="use one of " + ", ".join(GRAINS))
    if len(times) != len(values):
        raise LoupeError(f"a series needs as many times as values ({len(times)} and {len(values)})")
    sums: dict[int, float] = {}
    for t, v in zip(times, values, strict=True):
        ft, fv = finite(t), finite(v)
        if ft is None or fv is None:
            continue
        step = step_of(ft, grain)
        sums[step] = sums.get(step, 0.0) + fv
    if not sums:
        raise LoupeError("a forecast needs dated values, and none of the rows has both", hint="check x and y")
    first, last = min(sums), max(sums)
    if last - first >= MAX_STEPS:
        raise LoupeError(
            f"the series spans {last - first + 1:,} {grain}s, more than {MAX_STEPS:,}",
            hint="choose a coarser time grain",
        )
    return first, [sums.get(step) for step in range(first, last + 1)]
