"""Chart specs: parse a JSON-able dict once into a frozen ChartSpec, checking fields and columns.

`{"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}`. Every error is a SpecError naming
the field and, for columns, the closest existing name. The fields:

- `type`: bar (horizontal), column (vertical), line, area, scatter, histogram, heatmap, box, changes
- `x`: the category or position column (histogram: the measured column)
- `y`: the quantity (heatmap: the second category; box: the measured column)
- `agg`: count count_distinct sum mean median min max; default sum with a `y`, else count
- `color` (or `series`): a second category splitting bars, lines and areas into series; scatter:
  a category or a quantity
- `size`: scatter only, a quantity shown as the points' area
- `value`: heatmap only, the quantity aggregated per cell
- `mode`: auto grouped stacked normalized (bars group by default, areas stack)
- `sort`: auto value -value x -x none (auto: dates and numbers by x, names by value, largest first)
- `limit`: how many categories a bar chart shows (default 40)
- `bins`: about how many histogram bins (default 20; widths stay round numbers)
- `time_unit`: hour day week month quarter year; buckets a date `x` before aggregating; auto picks
  the unit that gives a readable number of points (loupe.render.grain)
- `scale`: linear log (the quantity axis of line, scatter and box)
- `format`: decimal percent currency si (how values read on axes and tooltips)
- `currency`: ISO code for the currency format (default USD)
- `locale`: en-US de-DE fr-FR (separators, month names)
- `sample`: scatter only, how many rows to draw at most (default 20000)
- `labels`: true/false, write values on bars (default: when there are at most 24 bars)
- `title`, `x_title`, `y_title`: override the generated titles
- `trend`: linear loess; line and scatter only, a trend per colour group drawn over the marks
  (linear: least squares with a 95 % band of the mean; loess: a locally weighted curve)
- `forecast`: `{"horizon": 6, "season": null}`; line and area over dates only, per series: the
  next `horizon` time steps with 80 % and 95 % intervals (season: steps per cycle, null to take it
  from the time grain, 1 for none)
- `compare`: changes only, the two sides whose difference the chart splits by `x`: a column and
  two inclusive ranges, `{"column": "date", "before": ["2024-01-01", "2024-06-30"], "after":
  ["2024-07-01", null]}` (null: open; a date end takes its whole day), or two filter expressions,
  `{"before": "year == 2023", "after": "year == 2024"}`; optional `"labels": ["H1", "H2"]`. A row
  may fall on both sides. A changes chart shows the `limit` largest changes (default 10), the rest
  summed as "other"; its `agg` is sum or count, which add up, so shares of the change do too
- `alert`: a rule on the chart's value, `{"op": "<", "value": 1000}` (op < <= > >= == !=;
  optional `label`), or a list of up to 5, on every chart type. It tests the value: a bar's,
  point's or heatmap cell's aggregate, a scatter point's y, a histogram bin's count, a box's
  median, a changes bar's change. The marks that meet a rule are marked, and the description
  counts them ("3 of 24 months below 1,000")
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from loupe.errors import SpecError, did_you_mean
from loupe.render.format import NumberStyle
from loupe.table import Column

AGGS = ("count", "count_distinct", "sum", "mean", "median", "min", "max")
MODES = ("auto", "grouped", "stacked", "normalized")
SORTS = ("auto", "value", "-value", "x", "-x", "none")
SCALES = ("linear", "log")
FORMATS = ("decimal", "percent", "currency", "si")
TIME_UNITS = ("hour", "day", "week", "month", "quarter", "year")
TIME_GRAINS = ("auto", *TIME_UNITS)  # what a spec may say; "auto" is resolved before drawing
TRENDS = ("linear", "loess")
MAX_HORIZON = 1000
ALERT_OPS = ("<", "<=", ">", ">=", "==", "!=")
MAX_ALERTS = 5
CHANGE_AGGS = ("sum", "count")  # the aggregates whose per-category changes add up to the total's
CHANGES_LIMIT = 10
Bound = str | int | float | None
_FIELDS = frozenset(
    [
        "type",
        "x",
        "y",
        "agg",
        "color",
        "series",
        "size",
        "mode",
        "sort",
        "limit",
        "bins",
        "title",
        "x_title",
        "y_title",
        "scale",
        "format",
        "currency",
        "locale",
        "sample",
        "value",
        "time_unit",
        "labels",
        "trend",
        "forecast",
        "compare",
        "alert",
    ]
)


@dataclass(frozen=True)
class Compare:
    """The two sides of a changes chart: ranges of one column, or two filter expressions."""

    before: tuple[Bound, Bound] | str  # (start, end) inclusive, or an expression
    after: tuple[Bound, Bound] | str
    column: str | None = None  # set for ranges
    labels: tuple[str, str] | None = None


@dataclass(frozen=True)
class AlertRule:
    """A condition on the chart's value: `value op limit` marks a bar or point."""

    op: str
    limit: float
    label: str | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A validated chart spec: column fields hold names, every other field its default."""

    type: str
    x: str | None = None
    y: str | None = None
    agg: str = "count"
    color: str | None = None
    size: str | None = None
    mode: str = "auto"  # bars: grouped; areas: stacked
    sort: str = "auto"
    limit: int = 40
    bins: int = 20
    title: str | None = None
    x_title: str | None = None
    y_title: str | None = None
    scale: str = "linear"
    format: NumberStyle = "decimal"
    currency: str = "USD"
    locale: str = "en-US"
    sample: int = 20_000
    value: str | None = None  # heatmap: the measured column (x and y are both categories)
    time_unit: str | None = None  # line/area/column over time: bucket dates by this unit (or "auto")
    labels: bool | None = None  # values written on bars; None: when there are few enough
    trend: str | None = None  # line/scatter: "linear" or "loess", drawn per colour group
    horizon: int | None = None  # line/area: forecast this many time steps ahead
    season: int | None = None  # the forecast's season length; None: from the time grain
    compare: Compare | None = None  # changes: the two sides compared
    alert: tuple[AlertRule, ...] = ()  # rules marking the marks (bars, points, cells, bins, boxes)

    @property
    def measure(self) -> str | None:
        """The column the aggregate reads: `value` for heatmaps, `y` for everything else."""
        return self.value if self.type == "heatmap" else self.y

    @property
    def value_name(self) -> str:
        """The aggregated value's column name in the chart's SQL result ("sum_revenue", "count")."""
        measure = self.measure
        name = "count" if self.agg == "count" or measure is None else f"{self.agg}_{measure}"
        # Never collide with a grouping column: the groupby would produce two columns of that name.
        while name in (self.x, self.color, self.y if self.type == "heatmap" else None):
            name += "_value"
        return name

    @property
    def value_label(self) -> str:
        """Human words for the value: "sum of revenue", "count"."""
        if self.agg == "count" or self.measure is None:
            return "count"
        return f"{self.agg.replace('_', ' ')} of {self.measure}"


def _str_field(raw: Mapping[str, object], name: str, choices: Sequence[str] | None = None) -> object:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise SpecError(f"chart field {name!r} must be a non-empty string", field=name)
    if choices is not None and value not in choices:
        hint = did_you_mean(value, choices) or "use one of " + ", ".join(choices)
        raise SpecError(f"chart field {name!r} has unknown value {value!r}", field=name, hint=hint)
    return value


def _int_field(raw: Mapping[str, object], name: str, low: int, high: int) -> object:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecError(
            f"chart field {name!r} must be a whole number from {low} to {high}, not {value!r}",
            field=name,
        )
    return value


def _forecast_field(raw: Mapping[str, object], chart_type: object) -> tuple[object, object]:
    """The forecast's horizon and season, from `{"horizon": 6, "season": null}`."""
    value = raw.get("forecast")
    if value is None:
        return None, None
    example = 'use {"horizon": 6} or {"horizon": 12, "season": 12}'
    if not isinstance(value, Mapping):
        raise SpecError("chart field 'forecast' must be an object", field="forecast", hint=example)
    if chart_type not in ("line", "area"):
        raise SpecError(
            f"a {chart_type} chart cannot show a forecast", field="forecast", hint="use a line or area chart"
        )
    for key in value:
        if key not in ("horizon", "season"):
            raise SpecError(f"unknown forecast field {key!r}", field="forecast", hint=example)
    horizon = _int_field(value, "horizon", 1, MAX_HORIZON)
    if horizon is None:
        raise SpecError("a forecast needs a 'horizon'", field="forecast", hint=example)
    return horizon, _int_field(value, "season", 1, MAX_HORIZON)


def _bound(value: object, field: str) -> Bound:
    if value is None or (isinstance(value, str) and value):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e300:
        return value
    raise SpecError(
        f"a compare bound must be a date, text or number, or null for open; not {value!r}",
        field=field,
        hint='e.g. ["2024-01-01", "2024-06-30"]',
    )


def _side(value: object, field: str, ranged: bool) -> tuple[Bound, Bound] | str:
    """One side of a compare: an inclusive [start, end] range, or a filter expression."""
    if ranged:
        if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
            raise SpecError(
                f"{field} must be a [start, end] pair", field=field, hint='e.g. ["2024-01-01", "2024-06-30"]'
            )
        start, end = _bound(value[0], field), _bound(value[1], field)
        if start is None and end is None:
            raise SpecError(f"{field} needs a start or an end", field=field, hint="null leaves one end open")
        same_kind = isinstance(start, str) == isinstance(end, str)
        if start is not None and end is not None and same_kind and start > end:  # type: ignore[operator]
            raise SpecError(f"{field} starts after it ends: {start!r} > {end!r}", field=field)
        return start, end
    if not isinstance(value, str) or not value.strip():
        raise SpecError(
            f"{field} must be a filter expression", field=field, hint='e.g. "year == 2024", or add a column'
        )
    try:  # a side parses alone, so wrapping it in brackets cannot change what it means
        ast.parse(value.strip(), mode="eval")
    except SyntaxError:
        raise SpecError(
            f"{field} is not an expression: {value!r}", field=field, hint="e.g. \"region == 'North'\""
        ) from None
    return value.strip()


def _compare_field(raw: Mapping[str, object], chart_type: object) -> Compare | None:
    """The changes chart's sides: `{"column", "before", "after", "labels"}`."""
    value = raw.get("compare")
    example = 'use {"column": "date", "before": ["2024-01-01", "2024-06-30"], "after": ["2024-07-01", null]}'
    if value is None:
        if chart_type == "changes":
            raise SpecError("a changes chart needs 'compare'", field="compare", hint=example)
        return None
    if chart_type != "changes":
        raise SpecError(
            f"a {chart_type} chart takes no 'compare'", field="compare", hint='use "type": "changes"'
        )
    if not isinstance(value, Mapping):
        raise SpecError("chart field 'compare' must be an object", field="compare", hint=example)
    for key in value:
        if key not in ("column", "before", "after", "labels"):
            raise SpecError(f"unknown compare field {key!r}", field="compare", hint=example)
    column = _str_field(value, "column")
    for side in ("before", "after"):
        if value.get(side) is None:
            raise SpecError(f"compare needs '{side}'", field=f"compare.{side}", hint=example)
    before = _side(value["before"], "compare.before", column is not None)
    after = _side(value["after"], "compare.after", column is not None)
    labels = value.get("labels")
    if labels is not None and (
        isinstance(labels, str)
        or not isinstance(labels, Sequence)
        or len(labels) != 2
        or not all(isinstance(t, str) and t for t in labels)
    ):
        raise SpecError(
            "compare labels must be two names", field="compare.labels", hint='e.g. ["2023", "2024"]'
        )
    names = None if labels is None else (str(labels[0]), str(labels[1]))
    return Compare(before, after, column if isinstance(column, str) else None, names)


def _alert_field(raw: Mapping[str, object]) -> tuple[AlertRule, ...]:
    """Alert rules from `{"op": "<", "value": 1000}` or a list of such objects."""
    value = raw.get("alert")
    if value is None:
        return ()
    example = 'use {"op": "<", "value": 1000}'
    items = [value] if isinstance(value, Mapping) else value
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise SpecError("chart field 'alert' must be a rule or a list of rules", field="alert", hint=example)
    if len(items) > MAX_ALERTS:
        raise SpecError(f"at most {MAX_ALERTS} alert rules, not {len(items)}", field="alert")
    rules: list[AlertRule] = []
    for i, item in enumerate(items):
        where = "alert" if isinstance(value, Mapping) else f"alert[{i}]"
        if not isinstance(item, Mapping):
            raise SpecError(f"{where} must be an object", field=where, hint=example)
        for key in item:
            if key not in ("op", "value", "label"):
                raise SpecError(f"unknown alert field {key!r}", field=where, hint=example)
        op = item.get("op")
        if op not in ALERT_OPS:
            raise SpecError(
                f"{where} has unknown op {op!r}", field=where, hint="use one of " + " ".join(ALERT_OPS)
            )
        limit = item.get("value")
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not abs(limit) < 1e300:
            raise SpecError(f"{where} needs a number 'value', not {limit!r}", field=where, hint=example)
        label = _str_field(item, "label")
        rules.append(AlertRule(str(op), float(limit), label if isinstance(label, str) else None))
    return tuple(rules)


def parse_chart(raw: Mapping[str, object], types: Sequence[str]) -> ChartSpec:
    """Check the spec's shape (not its columns) and fill in defaults."""
    if not isinstance(raw, Mapping):
        raise SpecError("a chart spec must be an object like {'type': 'bar', 'x': 'region'}")
    for key in raw:
        if key not in _FIELDS:
            hint = did_you_mean(str(key), sorted(_FIELDS)) or "remove it"
            raise SpecError(f"unknown chart field {key!r}", field=str(key), hint=hint)
    chart_type = _str_field(raw, "type", types)
    if chart_type is None:
        raise SpecError("a chart spec needs a 'type'", field="type", hint="use " + ", ".join(types))
    values: dict[str, object] = {"type": chart_type}
    for name in ("x", "y", "size", "value", "title", "x_title", "y_title", "currency", "locale"):
        values[name] = _str_field(raw, name)
    # "series" is accepted as a synonym of "color": it is the word people use for line charts.
    values["color"] = _str_field(raw, "color") or _str_field(raw, "series")
    values["agg"] = _str_field(raw, "agg", AGGS)
    values["mode"] = _str_field(raw, "mode", MODES)
    values["sort"] = _str_field(raw, "sort", SORTS)
    values["scale"] = _str_field(raw, "scale", SCALES)
    values["format"] = _str_field(raw, "format", FORMATS)
    values["limit"] = _int_field(raw, "limit", 1, 1000)
    if values["limit"] is None and chart_type == "changes":
        values["limit"] = CHANGES_LIMIT  # a few named contributors, then "other"
    values["bins"] = _int_field(raw, "bins", 1, 500)
    values["sample"] = _int_field(raw, "sample", 100, 100_000)
    values["time_unit"] = _str_field(raw, "time_unit", TIME_GRAINS)
    values["trend"] = _str_field(raw, "trend", TRENDS)
    if values["trend"] is not None and chart_type not in ("line", "scatter"):
        raise SpecError(
            f"a {chart_type} chart cannot show a trend", field="trend", hint="use a line or scatter chart"
        )
    values["horizon"], values["season"] = _forecast_field(raw, chart_type)
    values["compare"] = _compare_field(raw, chart_type)
    values["alert"] = _alert_field(raw) or None
    values["labels"] = raw.get("labels")
    if values["labels"] is not None and not isinstance(values["labels"], bool):
        raise SpecError("chart field 'labels' must be true or false", field="labels")
    measure_field = "value" if chart_type == "heatmap" else "y"
    if values["value"] is not None and chart_type != "heatmap":
        raise SpecError("only heatmaps take a 'value' column", field="value", hint="use 'y' for the quantity")
    if values["agg"] is None:
        values["agg"] = "sum" if values[measure_field] is not None else "count"
    needs_agg = chart_type not in ("scatter", "histogram", "box")
    if needs_agg and values["agg"] != "count" and values[measure_field] is None:
        raise SpecError(
            f"aggregate {values['agg']!r} needs a {measure_field!r} column",
            field=measure_field,
            hint=f'add "{measure_field}": "<column>" or use agg "count"',
        )
    if chart_type == "changes" and values["agg"] not in CHANGE_AGGS:
        raise SpecError(
            f"a changes chart adds up contributions, which {values['agg']!r} does not",
            field="agg",
            hint="use sum or count",
        )
    return ChartSpec(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]


def check_columns(
    spec: ChartSpec, columns: Sequence[Column], required: Sequence[str], numeric: Sequence[str]
) -> None:
    """Every required field is set, every column field names a column, numeric ones hold numbers."""
    by_name = {c.name: c for c in columns}
    for name in required:
        if getattr(spec, name) is None:
            raise SpecError(
                f"a {spec.type} chart needs {name!r}", field=name, hint=f'add "{name}": "<column>"'
            )
    groups = [("x", spec.x), ("y", spec.y if spec.type == "heatmap" else None), ("color", spec.color)]
    named = [(field, name) for field, name in groups if name is not None]
    for i, (field, name) in enumerate(named):
        if any(name == other for _, other in named[:i]):
            raise SpecError(
                f"{field!r} repeats column {name!r}",
                field=field,
                column=name,
                hint="split by a different column, or leave it out",
            )
    x_column = by_name.get(spec.x or "")
    if spec.time_unit and x_column is not None and x_column.type not in ("date", "datetime", "text"):
        raise SpecError(
            f"time_unit needs dates in x, but {x_column.name!r} is {x_column.type}",
            field="time_unit",
            column=x_column.name,
            hint="pick a date column for x or remove time_unit",
        )
    if (
        spec.horizon is not None
        and x_column is not None
        and x_column.type not in ("date", "datetime", "text")
    ):
        raise SpecError(
            f"a forecast needs dates in x, but {x_column.name!r} is {x_column.type}",
            field="forecast",
            column=x_column.name,
            hint="pick a date column for x",
        )
    if spec.compare is not None:
        _check_compare(spec.compare, columns)
    for name in ("x", "y", "color", "size", "value"):
        column = getattr(spec, name)
        if column is None:
            continue
        if column not in by_name:
            raise SpecError(
                f"unknown column {column!r}",
                field=name,
                column=column,
                hint=did_you_mean(column, by_name) or "columns are " + ", ".join(by_name),
            )
        counted = name == ("value" if spec.type == "heatmap" else "y") and spec.agg in (
            "count",
            "count_distinct",
        )
        needs_number = name in numeric and not counted
        if needs_number and by_name[column].type not in ("integer", "float"):
            raise SpecError(
                f"column {column!r} is {by_name[column].type}, but {name!r} needs numbers",
                field=name,
                column=column,
                hint="pick a numeric column or use agg 'count'",
            )


def _check_compare(compare: Compare, columns: Sequence[Column]) -> None:
    """The compare column exists and its bounds are of its kind; expressions compile on the columns."""
    by_name = {c.name: c for c in columns}
    if compare.column is None:
        from loupe.errors import LoupeError
        from loupe.expr import compile_expr  # late: parsing a spec needs no expression compiler
        from loupe.sql import Params

        for side, text in (("before", compare.before), ("after", compare.after)):
            assert isinstance(text, str)
            try:
                compile_expr(text, columns, Params())
            except LoupeError as error:
                raise SpecError(
                    f"compare.{side}: {error.message}",
                    field=f"compare.{side}",
                    column=error.column,
                    hint=error.hint,
                ) from None
        return
    column = by_name.get(compare.column)
    if column is None:
        raise SpecError(
            f"unknown column {compare.column!r}",
            field="compare.column",
            column=compare.column,
            hint=did_you_mean(compare.column, by_name) or "columns are " + ", ".join(by_name),
        )
    from loupe.render.timescale import parse_time

    numeric = column.type in ("integer", "float")
    dated = column.type in ("date", "datetime")
    for side, bounds in (("before", compare.before), ("after", compare.after)):
        for bound in bounds:
            if bound is None:
                continue
            if dated and isinstance(bound, str) and parse_time(bound) is None:
                raise SpecError(
                    f"compare.{side} bound {bound!r} is not a date",
                    field=f"compare.{side}",
                    column=column.name,
                    hint="write dates as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS)",
                )
            if column.type == "boolean" or numeric != (not isinstance(bound, str)):
                kind = "numbers" if numeric else "dates" if column.type in ("date", "datetime") else "text"
                raise SpecError(
                    f"compare.{side} bound {bound!r} does not fit {column.name!r}, which is {column.type}",
                    field=f"compare.{side}",
                    column=column.name,
                    hint=f"give {kind} as bounds"
                    if column.type != "boolean"
                    else "use two filter expressions",
                )
