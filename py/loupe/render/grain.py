"""Time grain "auto": the calendar unit that gives a chart over dates a readable number of points.

Two years of daily rows make 731 points, too many to read as bars or a line; `time_unit: "auto"` picks
the finest unit that gives at most a readable count (weeks for a line, months for bars), and never a
unit finer than the data's own spacing (monthly rows stay months).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from loupe.render.spec import TIME_UNITS, ChartSpec
from loupe.render.timescale import parse_time
from loupe.table import Value

GRAIN_TYPES = ("bar", "column", "line", "area")  # the chart types whose steps bucket x by time_unit
READABLE_POINTS = 120  # a line or area: about one point per 5 px of a 640 px chart
# Approximate lengths in days, to count the buckets a span would make.
UNIT_DAYS: dict[str, float] = {
    "hour": 1 / 24,
    "day": 1,
    "week": 7,
    "month": 30.44,
    "quarter": 91.31,
    "year": 365.24,
}
assert tuple(UNIT_DAYS) == TIME_UNITS


def readable_unit(first: float, last: float, distinct: int, most: int) -> str | None:
    """The finest unit that cuts `first`..`last` (seconds) into at most `most` buckets and is not finer
    than the data's average spacing; None when the dates already are few enough to draw one by one.

    >>> readable_unit(0, 730 * 86_400, 731, 120), readable_unit(0, 730 * 86_400, 731, 40)
    ('week', 'month')
    """
    if distinct <= 1 or last <= first:
        return None
    days = (last - first) / 86_400
    spacing = days / (distinct - 1)
    if distinct <= most and spacing < UNIT_DAYS["hour"]:
        return None  # a few moments seconds apart: a calendar unit would merge them all
    for unit, length in UNIT_DAYS.items():
        # 0.9: months and years are not all the same length, so monthly data spaces a little unevenly.
        if length >= 0.9 * spacing and days / length + 1 <= most:
            return unit
    return "year"


def most_points(spec: ChartSpec) -> int:
    """How many points a chart of this type reads well: its category limit for bars, else a line's."""
    return spec.limit if spec.type in ("bar", "column") else READABLE_POINTS


def grain_stats_steps(spec: ChartSpec) -> list[dict[str, object]]:
    """One row with the range and number of distinct dates of x, to pick the grain from."""
    aggs = [
        {"fn": "min", "column": spec.x, "as": "min_x"},
        {"fn": "max", "column": spec.x, "as": "max_x"},
        {"fn": "count_distinct", "column": spec.x, "as": "distinct_x"},
    ]
    return [{"verb": "groupby", "by": [], "aggs": aggs}]


def resolve_grain(spec: ChartSpec, stats: Mapping[str, object] | None) -> ChartSpec:
    """The spec with `time_unit` "auto" replaced by a unit picked from `stats` (or by none: dates that
    are not dates, or no stats), so the steps and the drawing agree on one unit."""
    if spec.time_unit != "auto":
        return spec
    first, last = parse_time((stats or {}).get("min_x")), parse_time((stats or {}).get("max_x"))
    distinct = (stats or {}).get("distinct_x")
    unit = None
    if first is not None and last is not None and isinstance(distinct, int):
        unit = readable_unit(first, last, distinct, most_points(spec))
    return replace(spec, time_unit=unit)


def grain_from_values(spec: ChartSpec, xs: Sequence[Value]) -> ChartSpec:
    """Resolve "auto" from the x values of rows already aggregated by the chart's steps: their
    spacing is the unit the steps picked, so the drawing names the same unit."""
    if spec.time_unit != "auto":
        return spec
    times = sorted({t for t in (parse_time(x) for x in xs) if t is not None})
    unit = readable_unit(times[0], times[-1], len(times), most_points(spec)) if times else None
    return replace(spec, time_unit=unit)
