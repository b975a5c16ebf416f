"""What every chart type shares: access to the aggregated rows, the registry entry, the outer frame.

A chart type is a `ChartType`: the fields it needs, a `steps` function (spec -> pipeline steps that
aggregate in SQL) and a `draw` function (spec + aggregated rows -> marks). `loupe.render.chart`
keeps the registry and wraps the marks in an accessible `svg` with title, description and legend.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from loupe.errors import SpecError
from loupe.render.format import (
    format_date,
    format_number,
    format_si,
    format_time,
    tick_formatter,
    with_currency,
)
from loupe.render.layout import Frame
from loupe.render.spec import ChartSpec
from loupe.render.theme import Theme
from loupe.render.timescale import parse_time, to_datetime
from loupe.render.tree import Node
from loupe.table import Column, Value

Step = dict[str, Any]
_HUGE = 1e300


@dataclass(frozen=True)
class ChartData:
    """The rows the chart's steps produced, looked up by column name."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[Value]]

    def index(self, name: str) -> int:
        for i, column in enumerate(self.columns):
            if column.name == name:
                return i
        raise SpecError(
            f"chart data has no column {name!r}",
            column=name,
            hint="render the rows produced by chart_steps(spec) for this same spec",
        )

    def column(self, name: str) -> Column:
        return self.columns[self.index(name)]

    def values(self, name: str) -> list[Value]:
        i = self.index(name)
        return [row[i] for row in self.rows]


@dataclass(frozen=True)
class Drawing:
    """A chart type's output: marks and axes, a one-sentence summary, notes, legend entries."""

    marks: list[Node]
    summary: str
    notes: list[str] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, colour)
    legend_title: str | None = None  # default: the spec's colour field


@dataclass(frozen=True)
class Canvas:
    """Where and how to draw: the plot frame (margins already leave room for title and legend)."""

    frame: Frame
    theme: Theme
    locale: str
    measure: bool = False  # a layout pass: legend and notes matter, marks may be skipped


@dataclass(frozen=True)
class ChartType:
    """One registered chart type."""

    name: str
    required: tuple[str, ...]
    numeric: tuple[str, ...]
    # (spec, the input's columns by name, stats row or None) -> pipeline steps
    steps: Callable[[ChartSpec, Mapping[str, Column], Mapping[str, object] | None], list[Step]]
    draw: Callable[[ChartSpec, ChartData, Canvas], Drawing]
    description: str = ""
    # Steps for a one-row query whose result `steps` can use as `stats` (e.g. a histogram's range).
    stats: Callable[[ChartSpec], list[Step]] | None = None
    # What the chart shows as a table when that differs from the SQL rows (bins, box numbers).
    table: Callable[[ChartSpec, ChartData], ChartData] | None = None


def agg_step(spec: ChartSpec, by: Sequence[str]) -> Step:
    """The groupby step computing the spec's value per group."""
    agg: dict[str, object] = {"fn": spec.agg, "as": spec.value_name}
    if spec.agg != "count" and spec.measure is not None:
        agg["column"] = spec.measure
    return {"verb": "groupby", "by": list(by), "aggs": [agg]}


def has_verb(name: str) -> bool:
    """Whether the pipeline has a verb (charts use `sample`/`derive` when they exist)."""
    from loupe.verbs import REGISTRY  # late: render stays importable without the engine side

    return name in REGISTRY


def sample_steps(n: int) -> list[Step]:
    """At most `n` rows, deterministically: a seeded sample, else the first n (+1 as a flag)."""
    if has_verb("sample"):
        return [{"verb": "sample", "n": n, "seed": 0}]
    return [{"verb": "limit", "n": n + 1}]


def _bucket_expr(ref: str, unit: str) -> str:
    # Dates are ISO text (YYYY-MM-DD[THH:MM:SS]), so truncating is cutting and padding the text.
    if unit == "year":
        body = f"concat(substr({ref}, 1, 4), '-01-01')"
    elif unit == "quarter":
        m = f"month({ref})"
        q = f"'01' if {m} <= 3 else '04' if {m} <= 6 else '07' if {m} <= 9 else '10'"
        body = f"concat(substr({ref}, 1, 5), {q}, '-01')"
    elif unit == "month":
        body = f"concat(substr({ref}, 1, 7), '-01')"
    elif unit == "week":  # ISO weeks start on Monday; weekday() counts from Sunday = 0
        body = f"add_days(date({ref}), 0 - (weekday({ref}) + 6) % 7)"
    elif unit == "day":
        body = f"substr({ref}, 1, 10)"
    else:  # hour
        body = f"concat(substr({ref}, 1, 13), ':00:00')"
    return f"None if {ref} is None else ({body})"


def bucket_steps(spec: ChartSpec) -> list[Step]:
    """Replace x by the start of its calendar bucket (month, week ...) when the spec asks for one."""
    if spec.time_unit is None or spec.x is None or not has_verb("derive"):
        return []
    ref = f"col({json.dumps(spec.x)})"
    return [{"verb": "derive", "as": spec.x, "expr": _bucket_expr(ref, spec.time_unit)}]


def sort_key(spec: ChartSpec, columns: Mapping[str, Column]) -> tuple[str, bool] | None:
    """(column, descending) to order categories: by value for names, by x for dates and numbers."""
    order = spec.sort
    if order == "auto":
        x = columns.get(spec.x or "")
        ordered = x is not None and x.type in ("date", "datetime", "integer", "float")
        order = "x" if ordered else "-value"
    if order == "none":
        return None
    column = spec.x if order.lstrip("-") == "x" else spec.value_name
    assert column is not None
    return column, order.startswith("-")


def number(value: object) -> float | None:
    """A cell as a float for plotting; None for null, booleans, text and non-finite values."""
    kind = type(value)  # exact types first: this runs for every plotted value
    if kind is float or kind is int:
        v = float(value)  # type: ignore[arg-type]
        # Beyond ±1e300 a scale's arithmetic overflows: such a value has no drawable position.
        return v if -_HUGE < v < _HUGE else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return number(float(value))


def label(value: object) -> str:
    """A category as text on an axis or in a legend."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def category_label(spec: ChartSpec, value: object, locale: str) -> str:
    """A category as text, dates shown at the spec's time unit: "Q2 2024", "Apr 2024", "2024"."""
    seconds = parse_time(value) if isinstance(value, str) and spec.time_unit else None
    if seconds is None:
        return label(value)
    moment = to_datetime(seconds)
    unit = spec.time_unit
    if unit == "year":
        return str(moment.year)
    if unit == "quarter":
        return f"Q{(moment.month - 1) // 3 + 1} {moment.year}"
    if unit == "month":
        return f"{format_time(moment, 'month', locale=locale)} {moment.year}"
    return format_date(moment, locale=locale, time=unit == "hour")


def value_text(spec: ChartSpec, value: Value, locale: str) -> str:
    """A value for a tooltip, in the spec's number format (4 decimals at most for fractions)."""
    v = number(value)
    if v is None:
        return label(value)
    if spec.format in ("percent", "currency"):
        return format_number(round(v, 6), locale=locale, style=spec.format, currency=spec.currency)
    if isinstance(value, int):
        return format_number(value, locale=locale)
    return format_number(round(v, 4), locale=locale)


def short_text(spec: ChartSpec, value: float, locale: str, top: float | None = None) -> str:
    """A compact value for labels on marks: "231k", "12.5%", "$3.14".

    `top`, the largest magnitude among the labels shown together, makes them share one style:
    all with SI prefixes once it reaches 10,000 ("$12.5k", "$900"), else all written out.
    """
    if spec.format == "percent":
        return format_number(value, locale=locale, style="percent", decimals=1)
    if abs(value if top is None else top) >= 10_000:
        text = format_si(abs(value), locale=locale)
        if spec.format == "currency":
            return with_currency(text, value, spec.currency, locale)
        return ("-" if value < 0 else "") + text
    if spec.format == "currency":
        return format_number(value, locale=locale, style="currency", currency=spec.currency)
    return format_number(round(value, 2), locale=locale)


def axis_format(spec: ChartSpec, ticks: Sequence[float], locale: str) -> Callable[[float], str]:
    """One formatter for an axis's tick labels in the spec's number format."""
    return tick_formatter(ticks, locale=locale, style=spec.format, currency=spec.currency)
