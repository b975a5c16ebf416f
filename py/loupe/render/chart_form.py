"""The chart builder as data: for each chart type, one record per spec field the renderer reads (its
kind, label, choices, default, help), from which the page draws its chart form; and the default chart
for a table's columns. Like loupe.verbs.form for steps: the page holds no copy of this knowledge.

    >>> [f["name"] for f in chart_form()["types"][0]["fields"]][:4]
    ['x', 'agg', 'y', 'color']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from loupe.render.grain import GRAIN_TYPES
from loupe.render.spec import AGGS, MAX_HORIZON, TIME_GRAINS, TRENDS
from loupe.table import Column, ColumnType

# What a field holds, which decides the control the page draws for it.
Kind = Literal[
    "column",  # a column of the table (of `types`, if given)
    "choice",  # one of `choices`
    "integer",  # a whole number from `minimum` to `maximum`
    "text",  # free text
    "bool",  # true / false, or unset (the renderer decides)
    "forecast",  # {"horizon": n}: the page edits the horizon, other keys are kept
    "range",  # "from..to" as [from, to] (an empty end is null), or else a filter expression as text
    "number",  # any number
]
# Where the page puts a field: "data" beside the type, the others under "More options".
Group = Literal["data", "shape", "insight", "text"]
GROUPS: dict[str, str] = {
    "data": "Data",
    "shape": "Shape",
    "insight": "Insight",
    "text": "Titles and numbers",
}

CATEGORY: tuple[ColumnType, ...] = ("text", "boolean", "date", "datetime", "integer")
NUMBER: tuple[ColumnType, ...] = ("integer", "float")
DATE: tuple[ColumnType, ...] = ("date", "datetime")


@dataclass(frozen=True)
class ChartField:
    """One field of a chart spec as the form shows it."""

    name: str
    kind: Kind
    label: str
    help: str
    group: Group = "data"
    required: bool = False
    default: object = None  # what the renderer uses when the field is left out (shown as a placeholder)
    choices: tuple[tuple[str, str], ...] = ()  # (value, words)
    types: tuple[ColumnType, ...] = ()  # column kinds: the column types offered (empty: any)
    prefer: tuple[ColumnType, ...] = ()  # column kinds: the types tried first when the form picks one
    fill: bool = False  # column kinds: pick a column when switching to this type and none fits
    unset: str = ""  # the words for leaving the field out ("none", "automatic"); "" when it has a default
    when_x: tuple[ColumnType, ...] = ()  # the field applies only when x is of these types (empty: always)
    start: object = None  # the value the form sets when switching to a type where the field applies
    minimum: int | None = None
    maximum: int | None = None

    def form(self) -> dict[str, Any]:
        """What the page needs to draw this field's control (JSON-able)."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "label": self.label, "help": self.help}
        out["group"] = self.group
        out["required"] = self.required
        if self.default is not None:
            out["default"] = self.default
        if self.choices:
            out["choices"] = [{"value": value, "label": words} for value, words in self.choices]
        if self.unset:
            out["unset"] = self.unset
        if self.start is not None:
            out["start"] = self.start
        for key in ("types", "prefer", "when_x"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.fill:
            out["fill"] = True
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


def _column(name: str, label: str, help: str, types: tuple[ColumnType, ...] = (), **more: Any) -> ChartField:
    return ChartField(name, "column", label, help, types=types, **more)


AGG = ChartField(
    "agg",
    "choice",
    "of",
    "how the rows of a group make one value (default: sum with a value column, else count)",
    choices=tuple((a, a.replace("_", " ")) for a in AGGS),
    unset="automatic",
)
MEASURE = _column(
    "y", "Value", "the quantity to aggregate; none counts rows", NUMBER, fill=True, unset="none"
)
SPLIT = _column(
    "color",
    "Split by",
    "a second category: one bar, line or area per value",
    ("text", "boolean"),
    unset="none",
)
MODE = ChartField(
    "mode",
    "choice",
    "Series",
    "how split series share the axis (bars: side by side, areas: stacked)",
    "shape",
    default="auto",
    choices=(
        ("auto", "automatic"),
        ("grouped", "side by side"),
        ("stacked", "stacked"),
        ("normalized", "100 %"),
    ),
)
SORT = ChartField(
    "sort",
    "choice",
    "Order",
    "the order of the categories (automatic: dates and numbers by x, names largest first)",
    "shape",
    default="auto",
    choices=(
        ("auto", "automatic"),
        ("-value", "largest first"),
        ("value", "smallest first"),
        ("x", "by category, A to Z"),
        ("-x", "by category, Z to A"),
        ("none", "as they come"),
    ),
)
LIMIT = ChartField(
    "limit",
    "integer",
    "Categories",
    "how many categories to show at most",
    "shape",
    default=40,
    minimum=1,
    maximum=1000,
)
GRAIN = ChartField(
    "time_unit",
    "choice",
    "Time grain",
    "bucket dates in x by a calendar unit; auto picks one that gives a readable number of points",
    "shape",
    choices=tuple((unit, unit) for unit in TIME_GRAINS),
    unset="none",
    when_x=DATE,
    start="auto",  # a chart over dates starts with a readable number of points
)
LABELS = ChartField(
    "labels",
    "bool",
    "Value labels",
    "write the values on the bars (default: when there are at most 24)",
    "shape",
    unset="automatic",
)
SCALE = ChartField(
    "scale",
    "choice",
    "Scale",
    "the value axis: linear, or logarithmic for values that span orders of magnitude",
    "shape",
    default="linear",
    choices=(("linear", "linear"), ("log", "logarithmic")),
)
TREND = ChartField(
    "trend",
    "choice",
    "Trend",
    "a trend per colour group over the marks: a straight line with its 95 % band, or a smooth curve",
    "insight",
    choices=tuple(zip(TRENDS, ("straight line", "smooth curve (loess)"), strict=True)),
    unset="none",
)
FORECAST = ChartField(
    "forecast",
    "forecast",
    "Forecast",
    "the next time steps of each series, with 80 % and 95 % intervals (dates in x only)",
    "insight",
    minimum=1,
    maximum=MAX_HORIZON,
    unset="none",
    when_x=DATE,
)
# One alert rule (a list of several is edited as JSON, and kept when the form is touched).
ALERT_FIELDS = (
    ChartField(
        "alert.op",
        "choice",
        "Alert when the value is",
        "mark the bars or points whose value meets the rule, and count them in the description",
        "insight",
        choices=(
            ("<", "below"),
            ("<=", "at most"),
            (">", "above"),
            (">=", "at least"),
            ("==", "equal to"),
            ("!=", "not"),
        ),
        unset="no alert",
    ),
    ChartField(
        "alert.value", "number", "Alert value", "the number the rule compares with", "insight", unset="none"
    ),
)


def _alerts(marks: str) -> tuple[ChartField, ...]:
    """The alert fields, saying what a rule tests on this chart type: "each bin's count"."""
    op = replace(ALERT_FIELDS[0], help=f"mark {marks} meets the rule, and count them in the description")
    return (op, ALERT_FIELDS[1])


TEXT_FIELDS = (
    ChartField(
        "title", "text", "Title", "the chart's title (default: what it shows)", "text", unset="automatic"
    ),
    ChartField("x_title", "text", "X axis title", "the horizontal axis's title", "text", unset="automatic"),
    ChartField("y_title", "text", "Y axis title", "the vertical axis's title", "text", unset="automatic"),
    ChartField(
        "format",
        "choice",
        "Numbers",
        "how values read on axes and labels",
        "text",
        default="decimal",
        choices=(
            ("decimal", "plain"),
            ("percent", "percent"),
            ("currency", "currency"),
            ("si", "compact (1.2k)"),
        ),
    ),
    ChartField("currency", "text", "Currency", "ISO code for the currency format", "text", default="USD"),
)


def _bars() -> tuple[ChartField, ...]:
    x = _column(
        "x", "Category", "one bar per value", CATEGORY, required=True, fill=True, prefer=("text", "boolean")
    )
    return (x, AGG, MEASURE, SPLIT, MODE, SORT, LIMIT, GRAIN, LABELS, *ALERT_FIELDS, *TEXT_FIELDS)


def _series(area: bool) -> tuple[ChartField, ...]:
    along = _column("x", "Along", "the position along the line: dates, numbers or ordered names")
    along = replace(along, required=True, fill=True, prefer=("date", "datetime", "integer", "float"))
    split = replace(SPLIT, label="One area per" if area else "One line per")
    shape = (MODE,) if area else (SCALE, TREND)
    return (along, AGG, MEASURE, split, GRAIN, *shape, FORECAST, *ALERT_FIELDS, *TEXT_FIELDS)


CHART_FIELDS: dict[str, tuple[ChartField, ...]] = {
    "bar": _bars(),
    "column": _bars(),
    "line": _series(area=False),
    "area": _series(area=True),
    "scatter": (
        _column("x", "X", "the horizontal position", NUMBER + DATE, required=True, fill=True, prefer=NUMBER),
        _column("y", "Y", "the vertical position", NUMBER + DATE, required=True, fill=True, prefer=NUMBER),
        _column("color", "Colour by", "a category or a quantity", unset="none"),
        _column("size", "Size", "a quantity shown as the points' area", NUMBER, unset="none"),
        SCALE,
        ChartField(
            "sample",
            "integer",
            "Points",
            "how many rows to draw at most",
            "shape",
            default=20_000,
            minimum=100,
        ),
        TREND,
        *ALERT_FIELDS,
        *TEXT_FIELDS,
    ),
    "histogram": (
        _column("x", "Value", "the measured column", NUMBER, required=True, fill=True),
        ChartField(
            "bins",
            "integer",
            "Bins",
            "about how many bins (widths stay round numbers)",
            "shape",
            default=20,
            minimum=1,
        ),
        *_alerts("the bins whose count of rows"),
        *TEXT_FIELDS,
    ),
    "heatmap": (
        _column("x", "Columns", "the category across", CATEGORY, required=True, fill=True, prefer=("text",)),
        _column("y", "Rows", "the category down", CATEGORY, required=True, fill=True, prefer=("text",)),
        AGG,
        replace(MEASURE, name="value", help="the quantity aggregated per cell; none counts rows"),
        *_alerts("the cells whose value"),
        *TEXT_FIELDS,
    ),
    "box": (
        _column(
            "x",
            "Groups",
            "one box per value; none: one box",
            CATEGORY,
            prefer=("text", "boolean"),
            unset="none",
        ),
        _column("y", "Value", "the measured column", NUMBER, required=True, fill=True),
        SCALE,
        *_alerts("the boxes whose median"),
        *TEXT_FIELDS,
    ),
}
CHART_FIELDS["changes"] = (
    _column(
        "x",
        "Category",
        "one bar per value: how much of the change it makes",
        CATEGORY,
        required=True,
        fill=True,
    ),
    replace(AGG, choices=(("sum", "sum"), ("count", "count"))),  # they add up, so shares of the change do too
    MEASURE,
    replace(LIMIT, label="Largest changes", default=10),
    # A dotted name is a key of an object field: these three make `compare`.
    _column(
        "compare.column",
        "Compare along",
        "the column whose two ranges are the sides; none: each side is a filter expression",
        (*DATE, *NUMBER, "text"),
        prefer=DATE,
        fill=True,
        unset="none",
    ),
    ChartField(
        "compare.before",
        "range",
        "Before",
        "from..to, both ends included, either may be empty (2023-01-01..2023-12-31); "
        "with no column, a filter such as year(date) == 2023",
        required=True,
    ),
    ChartField(
        "compare.after",
        "range",
        "After",
        "from..to, both ends included, either may be empty (2024-01-01..); "
        "with no column, a filter such as year(date) == 2024",
        required=True,
    ),
    *_alerts("the bars whose change"),
    *TEXT_FIELDS,
)  # compare's `labels` is edited as JSON for now (kept when the form is touched)
TYPE_LABELS = {
    "bar": "bar",
    "column": "column",
    "line": "line",
    "area": "area",
    "scatter": "scatter",
    "histogram": "histogram",
    "heatmap": "heatmap",
    "box": "box plot",
    "changes": "what changed",
}
assert all(GRAIN in fields for name, fields in CHART_FIELDS.items() if name in GRAIN_TYPES)


def chart_form() -> dict[str, Any]:
    """Every chart type with its label, description and fields, for the page's chart form."""
    from loupe.render.chart import CHART_TYPES  # late: chart imports the renderers

    assert set(CHART_FIELDS) == set(CHART_TYPES), "every chart type has a form"
    types = [
        {
            "name": name,
            "label": TYPE_LABELS[name],
            "description": CHART_TYPES[name].description,
            "fields": [f.form() for f in CHART_FIELDS[name]],
        }
        for name in CHART_TYPES
    ]
    return {"types": types, "groups": [{"name": k, "label": v} for k, v in GROUPS.items()]}


PREFERRED_MEASURES = ("revenue", "amount", "sales", "total", "value", "price", "cost")


def default_chart(columns: Sequence[Column]) -> dict[str, Any] | None:
    """A first chart worth looking at: a money-like measure summed by the first category; over dates
    when there is no category; a histogram of a number; None when nothing fits.

    >>> default_chart([Column("region", "text"), Column("revenue", "float")])
    {'type': 'bar', 'x': 'region', 'y': 'revenue', 'agg': 'sum'}
    """
    category = next((c for c in columns if c.type in ("text", "boolean")), None)
    dates = next((c for c in columns if c.type in DATE), None)
    numbers = [c for c in columns if c.type in NUMBER]
    words = [next((c for c in numbers if word in c.name.lower()), None) for word in PREFERRED_MEASURES]
    measure = next((c for c in words if c is not None), numbers[0] if numbers else None)
    if category is not None:
        if measure is None:
            return {"type": "bar", "x": category.name, "agg": "count"}
        return {"type": "bar", "x": category.name, "y": measure.name, "agg": "sum"}
    if dates is not None:
        value = {"y": measure.name, "agg": "sum"} if measure else {"agg": "count"}
        return {"type": "line", "x": dates.name, **value, "time_unit": "auto"}
    if measure is not None:
        return {"type": "histogram", "x": measure.name}
    return None
