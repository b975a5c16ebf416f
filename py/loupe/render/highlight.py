"""Marks that single out bars and points: alert rules they meet, and rows flagged as outliers.

An alert rule (`"alert": {"op": "<", "value": 1000}`) tests the chart's value: the aggregate of a
bar, line point or heatmap cell, a scatter point's y, a histogram bin's count, a box's median, a
changes bar's change. Marks that meet one get the theme's alert colour, a ring (points) or an
outline (bars, cells, boxes; where the fill already means something, a value or a rise, it stays),
a legend entry, and the description counts them: "Alert: 3 of 24 months below 1,000." Flagged
rows are those the flag_outliers verb marked: a boolean column with its reason column
(loupe.render.flags); their points get a cross. `flag_columns`, `flag_reasons`, `reason_text` and
`is_flagged` are re-exported from loupe.render.flags. Classes: `alert` on a marked bar, cell, box
or point, `alert-mark` rings, `flagged` points, `flag-mark` crosses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from loupe.render.chartkit import Step, number, value_text
from loupe.render.flags import flag_columns, flag_reasons, is_flagged, reason_text
from loupe.render.format import format_number
from loupe.render.spec import AlertRule, ChartSpec
from loupe.render.tree import Node, h
from loupe.table import Column, Value

__all__ = [
    "MAX_RINGS",
    "alert_legend",
    "alert_notes",
    "alert_outline",
    "alert_ring",
    "alert_words",
    "alerted",
    "flag_aggs",
    "flag_columns",
    "flag_count_name",
    "flag_cross",
    "flag_notes",
    "flag_reasons",
    "is_flagged",
    "meets",
    "noun",
    "reason_text",
    "result_alerts",
    "row_alerts",
    "rule_text",
    "tested_column",
]
MAX_RINGS = 2000  # rings and crosses drawn at most; the description still counts them all
OPS_IN_WORDS = {
    "<": "below",
    "<=": "at or below",
    ">": "above",
    ">=": "at or above",
    "==": "equal to",
    "!=": "not equal to",
}
_PLURALS = {
    "bar": "bars",
    "column": "columns",
    "heatmap": "cells",
    "histogram": "bins",
    "box": "boxes",
    "changes": "bars",
}
_UNITS = {"hour": "hours", "day": "days", "week": "weeks", "month": "months", "quarter": "quarters"}


def meets(rule: AlertRule, value: Value) -> bool:
    """Whether a value meets the rule (a missing value meets none)."""
    v = number(value)
    if v is None:
        return False
    op, limit = rule.op, rule.limit
    if op == "<":
        return v < limit
    if op == "<=":
        return v <= limit
    if op == ">":
        return v > limit
    if op == ">=":
        return v >= limit
    if op == "==":
        return v == limit
    return v != limit


def alerted(spec: ChartSpec, value: Value) -> bool:
    """Whether a value meets any of the spec's rules."""
    return any(meets(rule, value) for rule in spec.alert)


def _measure(spec: ChartSpec) -> str:
    """What a rule tests, in words: "sum of revenue", "count", "median of price"."""
    if spec.type == "scatter":
        return str(spec.y)
    if spec.type == "histogram":
        return "count"  # a bin's rows
    if spec.type == "box":
        return f"median of {spec.y}"  # the line across the box: the group's typical value
    if spec.type == "changes":
        return f"change in {spec.value_label}"
    return spec.value_label


def _plain(limit: float) -> int | float:
    return int(limit) if limit.is_integer() else limit  # 1000 reads "1,000", not "1,000.0"


def tested_column(spec: ChartSpec) -> str:
    """The column of the chart's table (`chart_table`) holding what the rules test, one row per mark."""
    if spec.type == "scatter":
        return str(spec.y)
    return {"histogram": "count", "box": "median", "changes": "change"}.get(spec.type, spec.value_name)


def limit_text(spec: ChartSpec, limit: float, locale: str) -> str:
    """A rule's limit in the chart's number format, whole amounts without cents: "$80,000"."""
    if spec.type == "histogram":  # a count of rows: the format is x's
        return format_number(_plain(limit), locale=locale)
    if spec.format == "currency" and limit.is_integer():
        return format_number(limit, locale=locale, style="currency", currency=spec.currency, decimals=0)
    return value_text(spec, _plain(limit), locale)


def rule_text(spec: ChartSpec, rule: AlertRule, locale: str) -> str:
    """ "sum of revenue < 1,000", or the rule's own label."""
    return rule.label or f"{_measure(spec)} {rule.op} {limit_text(spec, rule.limit, locale)}"


def alert_legend(spec: ChartSpec, colour: str, locale: str) -> list[tuple[str, str]]:
    """One legend entry for the rules (they share the alert colour)."""
    if not spec.alert:
        return []
    # Short: the legend cuts long labels, and the value axis already names the measure.
    texts = [r.label or f"{r.op} {limit_text(spec, r.limit, locale)}" for r in spec.alert]
    return [("alert: " + " or ".join(texts), colour)]


def noun(spec: ChartSpec, several_series: bool = False) -> str:
    """What the chart's marks are, in the plural: "months", "bars", "points"."""
    over_time = spec.type in ("line", "area", "column", "bar") and not several_series
    if over_time and spec.time_unit in _UNITS:
        return _UNITS[spec.time_unit]
    if over_time and spec.time_unit == "year":
        return "years"
    return _PLURALS.get(spec.type, "points")


def alert_notes(spec: ChartSpec, values: Sequence[Value], what: str, locale: str) -> list[str]:
    """One sentence per rule: "Alert: 3 of 24 months below 1,000 (low days)."."""
    out = []
    for rule in spec.alert:
        count = sum(1 for v in values if meets(rule, v))
        text = f"Alert: {count:,} of {len(values):,} {what} {OPS_IN_WORDS[rule.op]} "
        text += limit_text(spec, rule.limit, locale)
        out.append(text + (f" ({rule.label})." if rule.label else "."))
    return out


def alert_words(spec: ChartSpec, value: Value, locale: str) -> list[str]:
    """Tooltip lines for the rules a mark's value meets: "alert: sum of revenue < 1,000"."""
    return [f"alert: {rule_text(spec, r, locale)}" for r in spec.alert if meets(r, value)]


def alert_outline(hit: bool, colour: str) -> dict[str, object]:
    """The stroke a bar, cell or box meeting a rule gets (none otherwise)."""
    return {"stroke": colour, "stroke-width": 2} if hit else {}


def row_alerts(
    spec: ChartSpec, columns: Sequence[Column], rows: Sequence[Sequence[Value]], column: str, locale: str
) -> list[str | None]:
    """Per row, the words of the rules its `column` meets ("alert: count < 5"), or None: the table's
    `alerts`. No rules, or no such column: no row is marked."""
    names = [c.name for c in columns]
    if not spec.alert or column not in names:
        return [None] * len(rows)
    at = names.index(column)
    return ["; ".join(alert_words(spec, row[at], locale)) or None for row in rows]


def result_alerts(
    spec: ChartSpec, columns: Sequence[Column], rows: Sequence[Sequence[Value]], locale: str
) -> list[str | None] | None:
    """The rows of the pipeline's result a chart's rules mark, or None when its marks are not rows.

    Only a scatter plot draws each row as itself, so only its rule (on y) can name rows; a bar or
    line's rule tests an aggregate ("sum per month < 1,000") that no single row has.
    """
    if spec.type != "scatter" or not spec.alert or spec.y is None:
        return None
    return row_alerts(spec, columns, rows, spec.y, locale)


def alert_ring(cx: float, cy: float, r: float, colour: str) -> Node:
    """A ring around a point that meets an alert rule."""
    attrs = {"class": "alert-mark", "cx": cx, "cy": cy, "r": r + 3, "fill": "none"}
    return h("circle", {**attrs, "stroke": colour, "stroke-width": 2, "aria-hidden": "true"})


def flag_cross(cx: float, cy: float, r: float, colour: str) -> Node:
    """An × over a point holding rows flagged as outliers."""
    s = r + 2
    a, b, c, e = cx - s, cx + s, cy - s, cy + s
    d = f"M{a:.2f},{c:.2f}L{b:.2f},{e:.2f}M{a:.2f},{e:.2f}L{b:.2f},{c:.2f}"
    return h(
        "path", {"class": "flag-mark", "d": d, "stroke": colour, "stroke-width": 1.5, "aria-hidden": "true"}
    )


def flag_count_name(flag: str) -> str:
    """The aggregated chart column counting a point's flagged rows."""
    return f"{flag}_rows"


def flag_aggs(spec: ChartSpec, columns: Mapping[str, Column]) -> list[Step]:
    """Aggregates counting each point's flagged rows (line and area charts), one per flag column."""
    used = (spec.x, spec.color)
    return [
        {"fn": "sum", "column": flag, "as": flag_count_name(flag)}
        for flag in flag_columns(columns)
        if flag not in used and flag_count_name(flag) not in used
    ]


def flag_notes(count: int, total: int, what: str, flags: Sequence[str]) -> list[str]:
    """ "Flagged as outliers (revenue_outlier): 2 of 24 months." """
    if not flags:
        return []
    return [f"Flagged as outliers ({', '.join(flags)}): {count:,} of {total:,} {what}."]
