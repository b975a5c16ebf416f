"""The changes chart: which categories moved a measure between two sides, as diverging bars.

SQL keeps the rows of either side (`compare`), sums the measure per category on each side in one
groupby (a row on both sides counts on both), and `loupe.insight.changes` sorts the changes and
folds the tail into "other". Bars start at zero: rises to the right, falls to the left, largest
change on top, each labelled with its change and share ("+12k (40 %)"). An alert rule tests each
bar's change ("other" too, as drawn); a bar meeting it keeps its rise/fall colour inside an outline
in the alert colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from loupe.errors import LoupeError
from loupe.insight.changes import Change, Changes, change_words, contributions, percent, total_words
from loupe.render.axes import band_axis, baseline, plan_band_labels, value_axis
from loupe.render.chartkit import (
    Canvas,
    ChartData,
    ChartType,
    Drawing,
    Step,
    axis_format,
    category_label,
    number,
    short_text,
    value_text,
)
from loupe.render.highlight import alert_legend, alert_notes, alert_outline, alert_words, alerted
from loupe.render.layout import FONT_SIZE, text_width, tick_count
from loupe.render.scales import BandScale, LinearScale
from loupe.render.spec import Bound, ChartSpec, Compare
from loupe.render.theme import DIVERGING
from loupe.render.tree import Node, h
from loupe.table import Column

MAX_GROUPS = 100_000  # categories read; past this the chart says its totals are partial
RISE, FALL, OTHER_FILL = DIVERGING[0], DIVERGING[-1], "#999999"
_BEFORE, _AFTER = "loupe changes before", "loupe changes after"  # dropped by the groupby
WORDS_LISTED = 3  # changes named in the description, largest first


def side_names(spec: ChartSpec) -> tuple[str, str]:
    """The SQL result's columns for the two sides' values: "sum_revenue_before", "..._after"."""
    names = []
    for side in ("before", "after"):
        name = f"{spec.value_name}_{side}"
        while name == spec.x:
            name += "_value"
        names.append(name)
    return names[0], names[1]


def _range_label(bounds: tuple[Bound, Bound]) -> str:
    start, end = bounds
    if start is None:
        return f"until {end}"
    if end is None:
        return f"from {start}"
    return str(start) if start == end else f"{start} to {end}"


def side_labels(compare: Compare) -> tuple[str, str]:
    """What the reader calls each side: the given labels, the range, or the expression."""
    if compare.labels is not None:
        return compare.labels
    out = []
    for side in (compare.before, compare.after):
        out.append(side if isinstance(side, str) else _range_label(side))
    return out[0], out[1]


def _literal(bound: Bound) -> str:
    return repr(bound)  # a Python literal the expression parser reads back exactly


def _condition(side: tuple[Bound, Bound] | str, column: str | None) -> str:
    """An expression true on the rows of one side."""
    if isinstance(side, str):
        return f"({side})"
    ref = f"col({column!r})"
    start, end = side
    parts = []
    if start is not None:
        parts.append(f"{ref} >= {_literal(start)}")
    if end is not None:
        day = _next_day(end)
        # A date end takes its whole day, also for datetimes ("2024-06-30T18:00" is in June).
        parts.append(f"{ref} < {_literal(day)}" if day else f"{ref} <= {_literal(end)}")
    return "(" + " and ".join(parts) + ")"


def _next_day(bound: Bound) -> str | None:
    if not isinstance(bound, str) or len(bound) != 10:
        return None
    try:
        return (dt.date.fromisoformat(bound) + dt.timedelta(days=1)).isoformat()
    except ValueError:
        return None


def changes_steps(
    spec: ChartSpec, columns: Mapping[str, Column], stats: Mapping[str, object] | None = None
) -> list[Step]:
    """Keep rows on either side, then one groupby: the measure per category on each side."""
    assert spec.x is not None and spec.compare is not None
    before = _condition(spec.compare.before, spec.compare.column)
    after = _condition(spec.compare.after, spec.compare.column)
    measure = "1" if spec.agg == "count" or spec.y is None else f"col({spec.y!r})"
    before_name, after_name = side_names(spec)
    return [
        {"verb": "filter", "expr": f"{before} or {after}"},
        {"verb": "derive", "as": _BEFORE, "expr": f"{measure} if {before} else None"},
        {"verb": "derive", "as": _AFTER, "expr": f"{measure} if {after} else None"},
        {
            "verb": "groupby",
            "by": [spec.x],
            "aggs": [
                # count of a column counts its non-null values: the rows on that side.
                {"fn": spec.agg, "column": _BEFORE, "as": before_name},
                {"fn": spec.agg, "column": _AFTER, "as": after_name},
            ],
        },
        {"verb": "limit", "n": MAX_GROUPS + 1},
    ]


def compute(spec: ChartSpec, data: ChartData) -> tuple[Changes, list[str]]:
    """The sorted changes the chart draws, and notes about what was left out."""
    before_name, after_name = side_names(spec)
    # Cells that are not numbers (a renderer takes any cells) count as missing, as in other charts.
    befores = [number(v) for v in data.values(before_name)]
    afters = [number(v) for v in data.values(after_name)]
    rows = list(zip(data.values(spec.x or ""), befores, afters, strict=True))
    notes = []
    if len(rows) > MAX_GROUPS:
        notes.append(f"Only {MAX_GROUPS:,} categories of {spec.x} were read; the totals leave the rest out.")
        rows = rows[:MAX_GROUPS]
    try:
        return contributions(rows, top=spec.limit), notes
    except LoupeError as error:  # values too large to add up: the chart stands, empty, and says why
        return Changes([], 0.0, 0.0, 0.0), [*notes, f"No changes: {error.message}."]


def _name(spec: ChartSpec, change: Change, locale: str) -> str:
    if change.other:
        return f"other ({change.members:,} more)"
    return category_label(spec, change.category, locale)


def draw_changes(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    assert spec.compare is not None
    result, notes = compute(spec, data)
    sides = side_labels(spec.compare)
    theme, base, loc = canvas.theme, canvas.frame, canvas.locale
    top = max((abs(c.delta) for c in result.rows), default=0.0)

    def fmt(value: float) -> str:
        return short_text(spec, value, loc)

    def bar_text(change: Change) -> str:
        sign = "+" if change.delta > 0 else "−" if change.delta < 0 else ""
        text = sign + short_text(spec, abs(change.delta), loc, top)
        return text if change.share is None else f"{text} ({percent(change.share)})"

    names = [_name(spec, c, loc) for c in result.rows]
    texts = [] if spec.labels is False else [bar_text(c) for c in result.rows]
    deltas = [c.delta for c in result.rows]
    count = tick_count(base.inner_width, 80)
    domain = LinearScale.fit([*deltas, 0.0], (0, 1), zero=True, tick_count=count)
    ticks = domain.ticks()
    tick_fmt = axis_format(spec, ticks, loc)
    value_title = spec.y_title or f"change in {spec.value_label}"
    cat_title = spec.x_title or spec.x
    plan = plan_band_labels(names, base.inner_height / max(1, len(names)), "left", base.width * 0.3)
    # Room for the bar labels beyond the longest bar on each side (none without labels), so they fit outside.
    right_room = max(
        (text_width(t, FONT_SIZE - 1) for t, d in zip(texts, deltas, strict=False) if d >= 0), default=0
    )
    left_room = max(
        (text_width(t, FONT_SIZE - 1) for t, d in zip(texts, deltas, strict=False) if d < 0), default=0
    )
    frame = base.with_margins(
        left=base.left + plan.extent + (FONT_SIZE + 10 if cat_title else 0),
        bottom=base.bottom + FONT_SIZE + 10 + (FONT_SIZE + 10 if value_title else 0),
        right=base.right + 16,
    )
    inner = (frame.x0 + (left_room + 8 if left_room else 0), frame.x1 - (right_room + 8 if right_room else 0))
    if inner[1] - inner[0] < 40:  # too narrow for labels outside: draw the bars, skip the labels
        inner, texts = (frame.x0, frame.x1), []
    band = BandScale(tuple(range(len(names))), (frame.y0, frame.y1))
    scale = LinearScale(domain.domain, inner, count)
    marks: list[Node | str | None] = []
    labels: list[Node] = []
    for index, change in enumerate(result.rows):
        a, b = scale(0.0), scale(change.delta)
        kind = "other" if change.other else "rise" if change.delta >= 0 else "fall"
        fill = OTHER_FILL if change.other else RISE if change.delta >= 0 else FALL
        box = {"x": min(a, b), "y": band(index), "width": abs(b - a), "height": band.bandwidth}
        words = [
            f"{spec.x}: {names[index]}",
            f"{sides[0]}: {value_text(spec, change.before, loc)}",
            f"{sides[1]}: {value_text(spec, change.after, loc)}",
            "change: " + change_words(change, result, fmt, names[index]).split(": ", 1)[1],
            *alert_words(spec, change.delta, loc),
        ]
        hit = bool(spec.alert) and alerted(spec, change.delta)
        marks.append(
            h(
                "rect",
                {
                    "class": f"bar mark change {kind}" + (" alert" if hit else ""),
                    "data-index": index,
                    "tabindex": "0",
                    "fill": fill,
                    **alert_outline(hit, theme.alert),
                    **box,
                },
                h("title", {}, "\n".join(words)),
            )
        )
        if texts:
            end = box["x"] if change.delta < 0 else box["x"] + box["width"]
            labels.append(
                h(
                    "text",
                    {
                        "class": "value-label",
                        "font-size": FONT_SIZE - 1,
                        "x": end + (-4 if change.delta < 0 else 4),
                        "y": box["y"] + box["height"] / 2,
                        "dominant-baseline": "middle",
                        "text-anchor": "end" if change.delta < 0 else "start",
                        "fill": theme.text,
                    },
                    texts[index],
                )
            )
    positions = [band.center(i) for i in range(len(names))]
    axes = [
        value_axis(scale, "bottom", frame, theme, tick_fmt, ticks, value_title),
        band_axis(positions, names, plan, "left", frame, theme, cat_title),
    ]
    legend = [("rise", RISE), ("fall", FALL)]
    if any(c.other for c in result.rows):
        legend.append(("other", OTHER_FILL))
    legend += alert_legend(spec, theme.alert, loc)
    listed = "; ".join(
        change_words(c, result, fmt, n) for c, n in list(zip(result.rows, names, strict=True))[:WORDS_LISTED]
    )
    summary = f"{len(names)} bars of the change in {spec.value_label} by {spec.x}, largest first"
    summary += f": {listed}." if listed else "."
    notes.insert(0, total_words(result, fmt, spec.value_label, sides))
    notes += alert_notes(spec, deltas, "bars", loc)
    return Drawing(
        [
            *axes,
            h("g", {"class": "marks bars changes"}, *marks),
            baseline("vertical", scale(0.0), frame, theme),
            *labels,
        ],
        summary,
        notes,
        legend,
        "change",
    )


def changes_table(spec: ChartSpec, data: ChartData) -> ChartData:
    """The chart as a table: one row per bar, with both sides, the change and its share."""
    result, _ = compute(spec, data)
    before_name, after_name = side_names(spec)
    columns = [
        Column(spec.x or "", data.column(spec.x or "").type),
        Column(before_name, "float"),
        Column(after_name, "float"),
        Column("change", "float"),
        Column("share of change", "float"),
    ]
    rows = [
        (f"other ({c.members} more)" if c.other else c.category, c.before, c.after, c.delta, c.share)
        for c in result.rows
    ]
    return ChartData(columns, rows)  # type: ignore[arg-type]


CHANGES = ChartType(
    "changes",
    ("x",),
    ("y",),
    changes_steps,
    draw_changes,
    "what changed between two periods or filters, per category",
    table=changes_table,
)
