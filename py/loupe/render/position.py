"""A positional scale picked from a column's type: time for dates, linear or log for numbers,
evenly spaced points for anything else. Lines, areas and scatter plots share it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from loupe.render.chartkit import number as numeric
from loupe.render.format import format_date, format_value, tick_formatter
from loupe.render.layout import tick_count
from loupe.render.scales import BandScale, LinearScale, LogScale
from loupe.render.spec import ChartSpec
from loupe.render.timescale import TimeScale, parse_time, to_datetime
from loupe.table import ColumnType, Value

Kind = str  # "time" | "linear" | "log" | "point"


@dataclass(frozen=True)
class Position:
    """Data value -> px along one axis, its ticks and how to label them and to show a value."""

    kind: Kind
    to_px: Callable[[Value], float | None]
    ticks: list[float]
    tick_px: Callable[[float], float]
    tick_label: Callable[[float], str]
    value_label: Callable[[Value], str]
    categories: tuple[Value, ...] = ()


def position_kind(column_type: ColumnType, values: Sequence[Value]) -> Kind:
    """time / linear / point for a column (text that parses as dates counts as time)."""
    if column_type in ("date", "datetime"):
        return "time"
    if column_type in ("integer", "float"):
        return "linear"
    sample = [v for v in values[:50] if v is not None]
    if sample and all(parse_time(v) is not None for v in sample):
        return "time"
    return "point"


def make_position(
    values: Sequence[Value],
    column_type: ColumnType,
    range_: tuple[float, float],
    spec: ChartSpec,
    locale: str,
    *,
    zero: bool = False,
    log: bool = False,
    pad: bool = False,
) -> Position:
    """A Position for `values` over `range_` px; `zero` forces 0 into a numeric domain."""
    length = abs(range_[1] - range_[0])
    kind = position_kind(column_type, values)
    if kind == "time":
        seconds = [s for s in (parse_time(v) for v in values) if s is not None]
        # Ticks and tooltips show the clock only when the data has one.
        with_time = column_type == "datetime" or any(isinstance(v, str) and len(v) > 10 for v in values[:20])
        ts = TimeScale.fit(seconds, range_, tick_count=tick_count(length, 90), whole_days=not with_time)

        def time_px(v: Value) -> float | None:
            s = parse_time(v)
            return None if s is None else ts(s)

        def time_text(v: Value) -> str:
            s = parse_time(v)
            if s is None:
                return "null" if v is None else str(v)
            return format_date(to_datetime(s), locale=locale, time=with_time)

        return Position("time", time_px, ts.ticks(), ts, ts.formatter(locale), time_text)
    if kind == "linear":
        nums = [n for n in (numeric(v) for v in values) if n is not None]
        count = tick_count(length, 70)
        scale: LinearScale | LogScale
        if log and any(n > 0 for n in nums):
            scale = LogScale.fit(nums, range_, tick_count=count)
        else:
            scale = LinearScale.fit(nums, range_, zero=zero, nice=True, tick_count=count)
        ticks = scale.ticks()
        style = spec.format if spec.format in ("percent", "currency") else "decimal"
        fmt = tick_formatter(ticks, locale=locale, style=style, currency=spec.currency)

        def linear_px(v: Value) -> float | None:
            n = numeric(v)
            if n is None or (isinstance(scale, LogScale) and n <= 0):
                return None
            return scale(n)

        return Position(
            "log" if isinstance(scale, LogScale) else "linear",
            linear_px,
            ticks,
            scale,
            fmt,
            lambda v: format_value(v, locale=locale),
        )
    categories = tuple(dict.fromkeys(v for v in values))
    band = BandScale(categories, range_, padding=1.0 if not pad else 0.2, outer=0.5)

    def point_px(v: Value) -> float | None:
        try:
            return band.center(v)
        except KeyError:
            return None

    return Position(
        "point",
        point_px,
        [],
        lambda t: t,
        str,
        lambda v: "null" if v is None else str(v),
        categories,
    )
