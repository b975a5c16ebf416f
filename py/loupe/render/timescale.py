"""Time axes: ISO dates to seconds, calendar-aware ticks (hours, days, weeks, months, years).

Times are naive (no zone), as the readers store them: "2024-03-01" or "2024-03-01T14:30:00". They
map to seconds since 1970-01-01 so a TimeScale is a linear scale; ticks fall on calendar boundaries
(month starts, Mondays, midnights) rather than on round numbers of seconds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from loupe.render.format import format_time

Unit = Literal["second", "minute", "hour", "day", "week", "month", "year"]
_EPOCH = dt.datetime(1970, 1, 1)
_DAY = 86_400.0

# (unit, step, approximate seconds): candidate tick intervals from finest to coarsest.
INTERVALS: tuple[tuple[Unit, int, float], ...] = (
    ("second", 1, 1),
    ("second", 5, 5),
    ("second", 15, 15),
    ("second", 30, 30),
    ("minute", 1, 60),
    ("minute", 5, 300),
    ("minute", 15, 900),
    ("minute", 30, 1800),
    ("hour", 1, 3600),
    ("hour", 3, 3 * 3600),
    ("hour", 6, 6 * 3600),
    ("hour", 12, 12 * 3600),
    ("day", 1, _DAY),
    ("day", 2, 2 * _DAY),
    ("week", 1, 7 * _DAY),
    ("month", 1, 30 * _DAY),
    ("month", 3, 91 * _DAY),
    ("month", 6, 182 * _DAY),
    ("year", 1, 365 * _DAY),
)


def parse_time(value: object) -> float | None:
    """Seconds since 1970 for an ISO date/datetime string (or date/datetime); None if not a time.

    >>> parse_time("1970-01-02"), parse_time("1970-01-01T00:01:00"), parse_time("soon")
    (86400.0, 60.0, None)
    """
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and 4 <= len(value) <= 32:
        text = value.strip().replace(" ", "T", 1)
        if text.endswith("Z"):
            text = text[:-1]
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        moment = moment.replace(tzinfo=None)
    else:
        return None
    return (moment - _EPOCH).total_seconds()


def to_datetime(seconds: float) -> dt.datetime:
    """The naive datetime for seconds since 1970."""
    return _EPOCH + dt.timedelta(seconds=seconds)


def _floor(moment: dt.datetime, unit: Unit, step: int) -> dt.datetime:
    """The calendar boundary at or before `moment` for (unit, step)."""
    if unit == "year":
        return dt.datetime(moment.year - moment.year % step, 1, 1)
    if unit == "month":
        return dt.datetime(moment.year, moment.month - (moment.month - 1) % step, 1)
    day = dt.datetime(moment.year, moment.month, moment.day)
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())  # weeks start on Monday (ISO 8601)
    if unit == "day":
        # Multi-day steps count from the 1st of the month so ticks land on readable dates.
        return day - dt.timedelta(days=(day.day - 1) % step)
    seconds = {"hour": 3600, "minute": 60, "second": 1}[unit] * step
    since = (moment - day).total_seconds()
    return day + dt.timedelta(seconds=since - since % seconds)


def _next(moment: dt.datetime, unit: Unit, step: int) -> dt.datetime:
    if unit == "year":
        return moment.replace(year=moment.year + step)
    if unit == "month":
        index = moment.month - 1 + step
        return moment.replace(year=moment.year + index // 12, month=index % 12 + 1)
    if unit == "week":
        return moment + dt.timedelta(weeks=step)
    if unit == "day":
        following = moment + dt.timedelta(days=step)
        # Multi-day steps restart on the 1st of each month: ..., 29, 31, 1, 3, ...
        if step > 1 and following.month != moment.month:
            return dt.datetime(following.year, following.month, 1)
        return following
    seconds = {"hour": 3600, "minute": 60, "second": 1}[unit] * step
    return moment + dt.timedelta(seconds=seconds)


def choose_interval(start: float, stop: float, count: int, whole_days: bool = False) -> tuple[Unit, int]:
    """The calendar interval giving about `count` ticks over [start, stop] seconds.

    `whole_days` (data that are dates without a time) rules out ticks finer than a day.
    """
    span = abs(stop - start)
    target = span / max(1, count)
    if target > 365 * _DAY:
        # Beyond one year per tick: steps of 1, 2, 5, 10, 20, 50 ... years.
        years = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        step = min(years, key=lambda y: abs(math.log(y * 365 * _DAY / target)))
        return "year", step
    # The interval nearest the target on a log scale, as d3's time ticks choose.
    candidates = [i for i in INTERVALS if i[2] >= _DAY] if whole_days else list(INTERVALS)
    unit, step, _ = min(candidates, key=lambda i: abs(math.log(i[2] / max(target, 1e-9))))
    return unit, step


def time_ticks(
    start: float, stop: float, count: int = 6, whole_days: bool = False
) -> tuple[list[float], Unit]:
    """Tick positions (seconds) on calendar boundaries inside [start, stop], and their unit."""
    lo, hi = min(start, stop), max(start, stop)
    if lo == hi:
        return [lo], "day"
    unit, step = choose_interval(lo, hi, count, whole_days)
    moment = _floor(to_datetime(lo), unit, step)
    ticks: list[float] = []
    while len(ticks) < 1000:
        seconds = (moment - _EPOCH).total_seconds()
        if seconds > hi + 1e-6:
            break
        if seconds >= lo - 1e-6:
            ticks.append(seconds)
        moment = _next(moment, unit, step)
    return ticks, unit


@dataclass(frozen=True)
class TimeScale:
    """Seconds since 1970 -> px, linearly, with calendar ticks and matching labels."""

    domain: tuple[float, float]
    range: tuple[float, float]
    tick_count: int = 6
    whole_days: bool = False  # dates without a time: no hour or minute ticks

    def __call__(self, value: float) -> float:
        d0, d1 = self.domain
        r0, r1 = self.range
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (value - d0) / (d1 - d0) * (r1 - r0)

    def ticks(self, count: int | None = None) -> list[float]:
        return time_ticks(*self.domain, count or self.tick_count, self.whole_days)[0]

    def unit(self, count: int | None = None) -> Unit:
        return time_ticks(*self.domain, count or self.tick_count, self.whole_days)[1]

    def formatter(self, locale: str = "en-US", count: int | None = None) -> _TickFormat:
        return _TickFormat(self.unit(count), locale)

    @classmethod
    def fit(
        cls,
        values: Iterable[float],
        range_: tuple[float, float],
        *,
        tick_count: int = 6,
        whole_days: bool = False,
    ) -> TimeScale:
        """A scale over the values' extent (a day, or a week of dates, around a single moment)."""
        seconds = [v for v in values if v is not None]
        lo, hi = (min(seconds), max(seconds)) if seconds else (0.0, _DAY)
        if lo == hi:
            pad = 3 * _DAY if whole_days else _DAY / 2
            lo, hi = lo - pad, hi + pad
        return cls((lo, hi), range_, tick_count, whole_days)


@dataclass(frozen=True)
class _TickFormat:
    """Labels each tick at the coarsest calendar unit it starts: a year, a month, a day, a time."""

    unit: Unit
    locale: str

    def __call__(self, seconds: float) -> str:
        moment = to_datetime(seconds)
        at_midnight = moment.hour == moment.minute == moment.second == 0
        if moment.month == 1 and moment.day == 1 and at_midnight:
            label: Unit = "year"
        elif moment.day == 1 and at_midnight and self.unit in ("month", "week", "day"):
            label = "month"
        elif at_midnight:
            label = "day"
        elif self.unit == "second" or moment.second:
            label = "second"
        else:
            label = "minute"
        if self.unit == "year":
            label = "year"
        return format_time(moment, label, locale=self.locale)
