"""Box plots: the spread of a numeric `y`, overall or per category `x`: quartile box, median line,
whiskers to the furthest values within 1.5 IQR, and the points beyond them as outliers.

SQL counts each distinct (x, y) pair, so quartiles are exact however many rows repeat a value;
past MAX_PAIRS distinct pairs the chart says it read only part of the data. An alert rule tests
each box's median, the group's typical value (single rows far out are what flag_outliers and the
outlier circles are for): a box meeting it takes the alert colour.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from loupe.render.axes import band_axis, plan_band_labels, value_axis, value_label_extent
from loupe.render.chartkit import (
    Canvas,
    ChartData,
    ChartType,
    Drawing,
    Step,
    has_verb,
    label,
    number,
)
from loupe.render.format import format_number, tick_formatter
from loupe.render.highlight import alert_legend, alert_notes, alert_outline, alert_words, alerted
from loupe.render.layout import FONT_SIZE, tick_count
from loupe.render.scales import BandScale, LinearScale, LogScale
from loupe.render.select import data_select, equal
from loupe.render.spec import ChartSpec
from loupe.render.theme import categorical
from loupe.render.tree import Node, h
from loupe.table import Column, Value

MAX_PAIRS = 50_000
MAX_OUTLIERS = 60  # per box; the most extreme are kept
MAX_BOXES = 40


def weight_name(spec: ChartSpec, sampled: bool = False) -> str:
    """The count column; its name also tells the renderer whether the rows were sampled."""
    name = "sampled_count" if sampled else "count"
    while name in (spec.x, spec.y):
        name += "_rows"
    return name


def box_stats_steps(spec: ChartSpec) -> list[Step]:
    """How many distinct values there are, to choose exact counting or a sample."""
    assert spec.y is not None
    aggs = [{"fn": "count_distinct", "column": spec.y, "as": "distinct_y"}]
    if spec.x is not None:
        aggs.append({"fn": "count_distinct", "column": spec.x, "as": "distinct_x"})
    return [{"verb": "groupby", "by": [], "aggs": aggs}]


def _too_many_pairs(stats: Mapping[str, object] | None) -> bool:
    if not stats:
        return False
    ys, xs = stats.get("distinct_y"), stats.get("distinct_x", 1)
    return isinstance(ys, int) and isinstance(xs, int) and ys * max(1, xs) > MAX_PAIRS


def box_steps(
    spec: ChartSpec, columns: Mapping[str, Column], stats: Mapping[str, object] | None = None
) -> list[Step]:
    """Count each distinct (x, y) pair; the quartiles are then weighted quantiles of y.

    When `stats` says there could be more than MAX_PAIRS pairs, a seeded sample of MAX_PAIRS
    rows is counted instead and the chart says its quartiles are estimates.
    """
    assert spec.y is not None
    by = [spec.y] if spec.x is None else [spec.x, spec.y]
    sampled = _too_many_pairs(stats) and has_verb("sample")
    steps: list[Step] = [{"verb": "filter", "column": spec.y, "op": "not_null"}]
    if sampled:
        # Sampling numbers every row: carry only the two columns through it.
        steps.insert(0, {"verb": "select", "columns": by})
        steps.append({"verb": "sample", "n": MAX_PAIRS, "seed": 0})
    steps.append({"verb": "groupby", "by": by, "aggs": [{"fn": "count", "as": weight_name(spec, sampled)}]})
    if stats is None:
        # Unknown size: keep the smallest MAX_PAIRS + 1 (the extra one flags the cut). With stats
        # the pairs are known to fit, and _groups sorts each box's values itself.
        steps.append({"verb": "sort", "by": [{"column": name, "desc": False} for name in by]})
    return [*steps, {"verb": "limit", "n": MAX_PAIRS + 1}]


@dataclass(frozen=True)
class Summary:
    """Five numbers and the outliers of one group."""

    count: float
    low: float  # lower whisker end
    q1: float
    median: float
    q3: float
    high: float  # upper whisker end
    outliers: tuple[float, ...]


def weighted_quantile(values: Sequence[float], cumulative: Sequence[float], p: float) -> float:
    """The p-quantile of sorted `values` with cumulative weights (linear interpolation, type 7)."""
    total = cumulative[-1]
    position = p * (total - 1)  # 0-based rank, as numpy's default
    lower = int(position)
    frac = position - lower

    def at(rank: int) -> float:
        return values[min(len(values) - 1, bisect.bisect_right(cumulative, rank))]

    return at(lower) + (at(lower + 1) - at(lower)) * frac if frac else at(lower)


def summarise(pairs: Sequence[tuple[float, float]]) -> Summary:
    """Box numbers for (value, weight) pairs sorted by value."""
    values = [v for v, _ in pairs]
    cumulative = list(itertools.accumulate(w for _, w in pairs))
    q1, med, q3 = (weighted_quantile(values, cumulative, p) for p in (0.25, 0.5, 0.75))
    fence_lo, fence_hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    inside = [v for v in values if fence_lo <= v <= fence_hi] or [med]
    outside = [v for v in values if v < fence_lo or v > fence_hi]
    outside.sort(key=lambda v: -max(fence_lo - v, v - fence_hi))
    return Summary(cumulative[-1], min(inside), q1, med, q3, max(inside), tuple(outside[:MAX_OUTLIERS]))


# The layout pass, the drawing pass and the table view all summarise the same rows: once is enough.
_last: list[tuple[ChartSpec, ChartData, tuple[dict[Value, Summary], list[str]]]] = []


def _groups(spec: ChartSpec, data: ChartData) -> tuple[dict[Value, Summary], list[str]]:
    for seen_spec, seen_data, found in _last:
        if seen_spec == spec and seen_data.rows is data.rows and seen_data.columns is data.columns:
            return found[0], list(found[1])
    found = _summarise_groups(spec, data)
    _last[:] = [(spec, data, found)]
    return found[0], list(found[1])


def _summarise_groups(spec: ChartSpec, data: ChartData) -> tuple[dict[Value, Summary], list[str]]:
    notes: list[str] = []
    rows = list(data.rows)
    if len(rows) > MAX_PAIRS:
        notes.append(f"Computed from the first {MAX_PAIRS:,} distinct values only.")
        rows = rows[:MAX_PAIRS]
    sampled = any(c.name == weight_name(spec, sampled=True) for c in data.columns)
    if sampled:
        notes.append(f"Quartiles estimated from a random sample of {MAX_PAIRS:,} rows.")
    yi, wi = data.index(spec.y or ""), data.index(weight_name(spec, sampled))
    xi = data.index(spec.x) if spec.x else None
    grouped: dict[Value, list[tuple[float, float]]] = {}
    for row in rows:
        y, w = row[yi], row[wi]
        # Plain finite floats (nearly every row) skip the general conversion.
        if type(y) is not float or not -1e300 < y < 1e300:
            y = number(y)
        if type(w) is not int:
            w = number(w)
        if y is None or not w:
            continue
        key = row[xi] if xi is not None else spec.y
        found = grouped.get(key)
        if found is None:
            grouped[key] = found = []
        found.append((y, w))
    if len(grouped) > MAX_BOXES:
        notes.append(f"Showing the first {MAX_BOXES} values of {spec.x}.")
    return {k: summarise(sorted(v)) for k, v in itertools.islice(grouped.items(), MAX_BOXES)}, notes


def draw_box(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    theme, base = canvas.theme, canvas.frame
    groups, notes = _groups(spec, data)
    extent = [v for s in groups.values() for v in (s.low, s.high, *s.outliers)]
    count = tick_count(base.inner_height, 50)
    y_scale: LinearScale | LogScale = (
        LogScale.fit(extent, (0, 1), tick_count=count)
        if spec.scale == "log"
        else LinearScale.fit(extent, (0, 1), tick_count=count)
    )
    ticks = y_scale.ticks()
    style = spec.format if spec.format in ("percent", "currency") else "decimal"
    fmt = tick_formatter(ticks, locale=canvas.locale, style=style, currency=spec.currency)
    labels = [label(k) for k in groups]
    left = base.left + value_label_extent([fmt(t) for t in ticks], "left") + FONT_SIZE + 10
    plan = plan_band_labels(
        labels, (base.width - left - base.right) / max(1, len(labels)), "bottom", base.height * 0.3
    )
    frame = base.with_margins(
        left=left,
        bottom=base.bottom + plan.extent + (FONT_SIZE + 10 if spec.x else 0),
        right=base.right + 8,
        top=base.top + 6,
    )
    scale = (
        LogScale(y_scale.domain, (frame.y1, frame.y0), count)
        if isinstance(y_scale, LogScale)
        else LinearScale(y_scale.domain, (frame.y1, frame.y0), count)
    )
    band = BandScale(tuple(groups), (frame.x0, frame.x1), padding=0.4)
    marks: list[Node | str | None] = []
    fill = categorical(0)
    for index, (key, s) in enumerate(groups.items()):
        cx, half = band.center(key), min(band.bandwidth, 80) / 2

        def n(v: float) -> str:
            return format_number(round(v, 4), locale=canvas.locale)

        words = [f"{spec.x}: {label(key)}"] if spec.x else []
        words += [
            f"rows: {n(s.count)}",
            f"median: {n(s.median)}",
            f"quartiles: {n(s.q1)} to {n(s.q3)}",
            f"whiskers: {n(s.low)} to {n(s.high)}",
            f"outliers: {len(s.outliers)}",
            *alert_words(spec, s.median, canvas.locale),
        ]
        hit = bool(spec.alert) and alerted(spec, s.median)
        colour = theme.alert if hit else fill
        top, bottom = scale(s.q3), scale(s.q1)
        marks.append(
            h(
                "g",
                {
                    "class": "box mark" + (" alert" if hit else ""),
                    "data-index": index,
                    "data-select": data_select(equal(spec.x, key)) if spec.x else None,
                    "tabindex": "0",
                },
                h("title", {}, "\n".join(words)),
                h(
                    "line",
                    {
                        "class": "whisker",
                        "x1": cx,
                        "x2": cx,
                        "y1": scale(s.high),
                        "y2": scale(s.low),
                        "stroke": theme.text,
                    },
                ),
                h(
                    "rect",
                    {
                        "class": "box-body",
                        "x": cx - half,
                        "y": top,
                        "width": 2 * half,
                        "height": max(1.0, bottom - top),
                        "fill": colour,
                        "fill-opacity": 0.35,
                        "stroke": colour,
                        **alert_outline(hit, theme.alert),
                    },
                ),
                h(
                    "line",
                    {
                        "class": "median",
                        "x1": cx - half,
                        "x2": cx + half,
                        "y1": scale(s.median),
                        "y2": scale(s.median),
                        "stroke": theme.text,
                        "stroke-width": 2,
                    },
                ),
                *[
                    h(
                        "line",
                        {
                            "class": "whisker-cap",
                            "x1": cx - half / 2,
                            "x2": cx + half / 2,
                            "y1": scale(v),
                            "y2": scale(v),
                            "stroke": theme.text,
                        },
                    )
                    for v in (s.low, s.high)
                ],
                *[
                    h(
                        "circle",
                        {
                            "class": "outlier",
                            "cx": cx,
                            "cy": scale(v),
                            "r": 2.5,
                            "fill": "none",
                            "stroke": fill,
                        },
                    )
                    for v in s.outliers
                ],
            )
        )
    y_title = spec.y_title or spec.y
    axes = [value_axis(scale, "left", frame, theme, fmt, ticks, y_title)]
    if spec.x:
        positions = [band.center(k) for k in groups]
        axes.append(band_axis(positions, labels, plan, "bottom", frame, theme, spec.x_title or spec.x))
    summary = f"Box plot of {spec.y}" + (f" for each {spec.x} ({len(groups)} boxes)" if spec.x else "")
    if groups and not spec.x:
        only = next(iter(groups.values()))
        summary += f"; median {format_number(round(only.median, 4), locale=canvas.locale)}"
    notes += alert_notes(spec, [s.median for s in groups.values()], "boxes", canvas.locale)
    legend = alert_legend(spec, theme.alert, canvas.locale)
    return Drawing([*axes, h("g", {"class": "marks boxes"}, *marks)], summary + ".", notes, legend)


def box_table(spec: ChartSpec, data: ChartData) -> ChartData:
    """One row of box numbers per group."""
    groups, _ = _groups(spec, data)
    names = ["rows", "low whisker", "q1", "median", "q3", "high whisker", "outliers"]
    columns = [data.column(spec.x) if spec.x else Column("column", "text")]
    columns += [Column(n, "integer" if n in ("rows", "outliers") else "float") for n in names]
    rows: list[tuple[Value, ...]] = [
        (key, int(s.count), s.low, s.q1, s.median, s.q3, s.high, len(s.outliers)) for key, s in groups.items()
    ]
    return ChartData(columns, rows)


BOX = ChartType(
    "box",
    ("y",),
    ("y",),
    box_steps,
    draw_box,
    "quartiles and outliers of y",
    stats=box_stats_steps,
    table=box_table,
)
