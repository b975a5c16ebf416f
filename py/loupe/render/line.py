"""Line and area charts: a value along x (time, number or ordered category), one path per series.

Areas with several series stack by default (`mode` "grouped" overlaps them, "normalized" stacks to
100%). Gaps (null values) break a line rather than being drawn as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from loupe.render.axes import (
    BandLabels,
    band_axis,
    baseline,
    plan_band_labels,
    value_axis,
    value_label_extent,
)
from loupe.render.chartkit import (
    Canvas,
    ChartData,
    ChartType,
    Drawing,
    Step,
    agg_step,
    axis_format,
    bucket_steps,
    label,
    number,
    value_text,
)
from loupe.render.highlight import (
    MAX_RINGS,
    alert_legend,
    alert_notes,
    alert_ring,
    alerted,
    flag_aggs,
    flag_cross,
    flag_notes,
    meets,
    noun,
    rule_text,
)
from loupe.render.insight import Overlay, draw_overlay, plan_overlay, shown_notes, time_px
from loupe.render.layout import FONT_SIZE, Frame, tick_count
from loupe.render.position import Position, make_position, position_kind
from loupe.render.scales import LinearScale, LogScale
from loupe.render.select import data_select, equal, on_x
from loupe.render.spec import ChartSpec
from loupe.render.theme import categorical
from loupe.render.timescale import parse_time
from loupe.render.tree import Node, h
from loupe.table import Column, ColumnType, Value

MAX_POINTS = 5000  # aggregated points read for a line chart
MAX_SERIES = 10
AUTO_BUCKETS = 1000  # a time series with more distinct moments is bucketed by calendar unit
MARKERS_UP_TO = 400  # beyond this many points, no focusable markers (the table view lists them)


def line_stats_steps(spec: ChartSpec) -> list[Step]:
    """The range and number of distinct x values, to bucket long time series automatically.

    None needed when the spec chose its `time_unit`: that query would scan the table for nothing.
    """
    assert spec.x is not None
    if spec.time_unit is not None:
        return []
    aggs = [
        {"fn": "min", "column": spec.x, "as": "min_x"},
        {"fn": "max", "column": spec.x, "as": "max_x"},
        {"fn": "count_distinct", "column": spec.x, "as": "distinct_x"},
    ]
    return [{"verb": "groupby", "by": [], "aggs": aggs}]


def auto_time_unit(stats: Mapping[str, object] | None) -> str | None:
    """The finest calendar unit that keeps a time series under AUTO_BUCKETS points, if needed."""
    if not stats or not isinstance(stats.get("distinct_x"), int):
        return None
    distinct = stats["distinct_x"]
    lo, hi = parse_time(stats.get("min_x")), parse_time(stats.get("max_x"))
    if lo is None or hi is None or not isinstance(distinct, int) or distinct <= AUTO_BUCKETS:
        return None
    days = (hi - lo) / 86_400
    for unit, length in (("hour", 1 / 24), ("day", 1), ("week", 7), ("month", 30.4), ("quarter", 91.3)):
        if days / length <= AUTO_BUCKETS:
            return unit
    return "year"


def line_steps(
    spec: ChartSpec, columns: Mapping[str, Column], stats: Mapping[str, object] | None = None
) -> list[Step]:
    """groupby x (and series), ordered by x, capped at MAX_POINTS (+1 to detect the cap).

    A long time series (stats show more than AUTO_BUCKETS distinct moments) is bucketed by the
    finest calendar unit that fits, unless the spec chose a `time_unit`.
    """
    x = spec.x
    assert x is not None
    if spec.time_unit is None and (x not in columns or columns[x].type in ("date", "datetime")):
        unit = auto_time_unit(stats)
        if unit is not None:
            spec = replace(spec, time_unit=unit)
    by = [x] if spec.color is None else [x, spec.color]
    order = [{"column": name, "desc": False} for name in by]
    grouped = agg_step(spec, by)
    grouped["aggs"] += flag_aggs(spec, columns)  # rows flagged as outliers, counted per point
    return [
        *bucket_steps(spec),
        grouped,
        {"verb": "sort", "by": order},
        {"verb": "limit", "n": MAX_POINTS + 1},
    ]


@dataclass(frozen=True)
class _Point:
    x: Value
    series: Value
    value: float | None
    low: float  # stacked baseline (0 unless stacked)
    high: float  # top of the stacked value
    flagged: int = 0  # rows flagged as outliers in this point


def flag_counts(spec: ChartSpec, data: ChartData) -> tuple[list[str], list[int]]:
    """The flag columns counted per point (columns besides x, series and value) and each row's total."""
    extra = [c.name for c in data.columns if c.name not in (spec.x, spec.color, spec.value_name)]
    indexes = [data.index(name) for name in extra]
    counts = [sum(int(number(row[i]) or 0) for i in indexes) for row in data.rows]
    return [name.removesuffix("_rows") for name in extra], counts


def _points(
    spec: ChartSpec, data: ChartData, stacked: bool, normalized: bool
) -> tuple[list[Value], list[Value], list[_Point], list[str]]:
    xs = data.values(spec.x or "")
    vs = [number(v) for v in data.values(spec.value_name)]
    cs = data.values(spec.color) if spec.color else [None] * len(xs)
    fs = flag_counts(spec, data)[1]
    notes: list[str] = []
    if len(xs) > MAX_POINTS:
        notes.append(f"Showing the first {MAX_POINTS:,} points in order of {spec.x}.")
        xs, vs, cs = xs[:MAX_POINTS], vs[:MAX_POINTS], cs[:MAX_POINTS]
    totals: dict[Value, float] = {}
    for c, v in zip(cs, vs, strict=True):
        totals[c] = totals.get(c, 0.0) + abs(v or 0.0)
    series = sorted(totals, key=lambda k: -totals[k])
    if len(series) > MAX_SERIES:
        notes.append(f"Showing the {MAX_SERIES} largest series of {spec.color}.")
        series = series[:MAX_SERIES]
    keep = set(series)
    x_order = list(dict.fromkeys(x for x, c in zip(xs, cs, strict=True) if c in keep))
    cell = {(x, c): v for x, c, v in zip(xs, cs, vs, strict=True) if c in keep}
    flagged = {(x, c): f for x, c, f in zip(xs, cs, fs, strict=False) if f}
    points: list[_Point] = []
    for x in x_order:
        column_total = sum(abs(cell.get((x, s)) or 0.0) for s in series)
        low = 0.0
        for s in series:
            if (x, s) not in cell and not stacked:
                continue
            v = cell.get((x, s))
            size = v or 0.0
            if normalized:
                size = size / column_total if column_total else 0.0
            if stacked:
                points.append(_Point(x, s, v, low, low + size, flagged.get((x, s), 0)))
                low += size
            else:
                points.append(_Point(x, s, v, 0.0, size, flagged.get((x, s), 0)))
    return series, x_order, points, notes


def _path(coords: list[tuple[float, float] | None]) -> str:
    """An SVG path through the points, broken wherever a point is None."""
    parts: list[str] = []
    pen_down = False
    for xy in coords:
        if xy is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{xy[0]:.2f},{xy[1]:.2f}")
        pen_down = True
    return "".join(parts)


def _draw(spec: ChartSpec, data: ChartData, canvas: Canvas, area: bool) -> Drawing:
    several = spec.color is not None
    stacked = area and several and spec.mode in ("auto", "stacked", "normalized")
    normalized = stacked and spec.mode == "normalized"
    series, x_order, points, notes = _points(spec, data, stacked, normalized)
    x_type = data.column(spec.x or "").type
    overlay = _overlay(spec, series, x_order, points, x_type, stacked)
    visible, described = shown_notes(overlay)
    notes.extend(visible)
    theme, base = canvas.theme, canvas.frame
    fmt_spec = ChartSpec(spec.type, format="percent") if normalized else spec
    highs = [p.high for p in points if p.value is not None or stacked] + overlay.extra_y
    count = tick_count(base.inner_height, 50)
    y_scale: LinearScale | LogScale
    if spec.scale == "log" and not area:
        y_scale = LogScale.fit(highs, (0, 1), tick_count=count)
    else:
        y_scale = LinearScale.fit(highs + ([0.0] if area else []), (0, 1), tick_count=count)
    if normalized:
        y_scale = LinearScale((0.0, 1.0), (0, 1), count)
    y_ticks = y_scale.ticks()
    y_fmt = axis_format(fmt_spec, y_ticks, canvas.locale)
    y_title = spec.y_title or ("share of " if normalized else "") + spec.value_label
    x_title = spec.x_title or spec.x
    left = base.left + value_label_extent([y_fmt(t) for t in y_ticks], "left") + FONT_SIZE + 10
    plan = x_label_plan(x_order, x_type, base.width - left - base.right, base.height)
    x_extent = plan.extent if plan else FONT_SIZE + 10
    frame = base.with_margins(
        left=left,
        bottom=base.bottom + x_extent + (FONT_SIZE + 10 if x_title else 0),
        right=base.right + 16,
        top=base.top + 6,
    )
    xpos = make_position(x_order + overlay.extra_x, x_type, (frame.x0, frame.x1), spec, canvas.locale)
    if isinstance(y_scale, LogScale):
        y_scale = LogScale(y_scale.domain, (frame.y1, frame.y0), count)
    else:
        y_scale = LinearScale(y_scale.domain, (frame.y1, frame.y0), count)
    colours = {s: categorical(i) for i, s in enumerate(series)}
    layers: list[Node | str | None] = []
    markers: list[Node | str | None] = []
    rings: list[Node | str | None] = []  # alert rings and outlier crosses, over the markers
    show_markers = len(points) <= MARKERS_UP_TO
    for si, s in enumerate(series):
        mine = [p for p in points if p.series == s]
        mine.sort(key=lambda p: xpos.to_px(p.x) or 0.0)
        top: list[tuple[float, float] | None] = []
        bottom: list[tuple[float, float]] = []
        for p in mine:
            px = xpos.to_px(p.x)
            if px is None or (p.value is None and not stacked):
                top.append(None)
                continue
            top.append((px, y_scale(p.high)))
            bottom.append((px, y_scale(p.low)))
        colour = colours[s]
        if area:
            outline = [xy for xy in top if xy is not None]
            if outline:
                ring = outline + list(reversed(bottom))
                d = _path(list(ring)) + "Z"
                layers.append(
                    h(
                        "path",
                        {
                            "class": "area",
                            "d": d,
                            "fill": colour,
                            "fill-opacity": 0.85 if stacked else 0.25,
                            "data-series": si,
                        },
                    )
                )
        layers.append(
            h(
                "path",
                {
                    "class": "line",
                    "d": _path(top),
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": 1 if area else 2,
                    "stroke-linejoin": "round",
                    "stroke-linecap": "round",
                    "data-series": si,
                },
            )
        )
        for p in mine:
            px = xpos.to_px(p.x)
            if px is None or p.value is None or len(rings) >= MAX_RINGS:
                continue
            if spec.alert and alerted(spec, p.value):
                rings.append(alert_ring(px, y_scale(p.high), 3, theme.alert))
            if p.flagged:
                rings.append(flag_cross(px, y_scale(p.high), 3, theme.text))
        if show_markers:
            for p in mine:
                px = xpos.to_px(p.x)
                if px is None or p.value is None:
                    continue
                words = [f"{spec.x}: {xpos.value_label(p.x)}"]
                if several:
                    words.append(f"{spec.color}: {label(s)}")
                words.append(f"{spec.value_label}: {value_text(spec, p.value, canvas.locale)}")
                words += [
                    f"alert: {rule_text(spec, r, canvas.locale)}" for r in spec.alert if meets(r, p.value)
                ]
                if p.flagged:
                    words.append(f"rows flagged as outliers: {p.flagged:,}")
                hit = bool(spec.alert) and alerted(spec, p.value)
                markers.append(
                    h(
                        "circle",
                        {
                            "class": "point mark"
                            + (" alert" if hit else "")
                            + (" flagged" if p.flagged else ""),
                            "cx": px,
                            "cy": y_scale(p.high),
                            "r": 3,
                            "fill": theme.alert if hit and not several else colour,
                            "stroke": theme.background,
                            "stroke-width": 1,
                            "tabindex": "0",
                            "data-index": len(markers),
                            "data-series": si if several else None,
                            "data-select": data_select(
                                on_x(spec, p.x), equal(spec.color, s) if several else None
                            ),
                        },
                        h("title", {}, "\n".join(words)),
                    )
                )
    axes: list[Node] = [value_axis(y_scale, "left", frame, theme, y_fmt, y_ticks, y_title)]
    axes.append(x_axis(xpos, plan, frame, canvas, x_title))
    x_px = time_px(xpos.to_px) if xpos.kind == "time" else xpos.to_px
    insight = draw_overlay(overlay, x_px, y_scale, lambda i: colours[series[i]])
    marks: list[Node] = [*axes, h("g", {"class": "marks lines"}, *layers, insight, *markers, *rings)]
    if area or (isinstance(y_scale, LinearScale) and y_scale.domain[0] <= 0 <= y_scale.domain[1]):
        marks.append(baseline("horizontal", y_scale(0.0), frame, theme))
    legend = [(label(s), colours[s]) for s in series] if several else []
    legend += alert_legend(spec, theme.alert, canvas.locale)
    flags = flag_counts(spec, data)[0]
    if flags:
        legend.append(("× rows flagged as outliers", theme.text))
    what = noun(spec, several)
    notes += alert_notes(spec, [p.value for p in points if p.value is not None], what, canvas.locale)
    notes += flag_notes(sum(1 for p in points if p.flagged), len(points), what, flags)
    kind = "areas" if area else "lines"
    summary = f"{len(series)} {kind if several else kind[:-1]} of {spec.value_label} over {spec.x}"
    summary += f", {len(x_order)} points along x"
    if several:
        summary += f", one per {spec.color}"
    if not show_markers:
        notes.append("Too many points to mark individually; use the table view for values.")
    return Drawing(marks, " ".join([summary + ".", *described]), notes, legend)


def _overlay(
    spec: ChartSpec,
    series: list[Value],
    x_order: list[Value],
    points: list[_Point],
    x_type: ColumnType,
    stacked: bool,
) -> Overlay:
    """The trend or forecast per series (none on stacked areas: a band per layer would mislead)."""
    if spec.trend is None and spec.horizon is None:
        return Overlay()
    if stacked:
        return Overlay(notes=["No forecast on stacked areas; set mode to grouped to see one per series."])
    groups = [(s, [(p.x, p.value) for p in points if p.series == s]) for s in series]
    return plan_overlay(spec, groups, position_kind(x_type, x_order))


def x_axis(xpos: Position, plan: BandLabels | None, frame: Frame, canvas: Canvas, title: str | None) -> Node:
    """The x axis for a Position: category labels for points, ticks otherwise."""
    if xpos.kind == "point":
        assert plan is not None
        labels = [label(c) for c in xpos.categories]
        positions = [xpos.to_px(c) or 0.0 for c in xpos.categories]
        return band_axis(positions, labels, plan, "bottom", frame, canvas.theme, title)
    return value_axis(
        xpos.tick_px, "bottom", frame, canvas.theme, xpos.tick_label, xpos.ticks, title, grid=False
    )


def x_label_plan(
    values: list[Value], column_type: ColumnType, width: float, height: float
) -> BandLabels | None:
    """For category x values, how their labels will fit (None for time and number axes)."""
    if position_kind(column_type, values) != "point":
        return None
    labels = [label(v) for v in dict.fromkeys(values)]
    return plan_band_labels(labels, width / max(1, len(labels)), "bottom", height * 0.3)


def draw_line(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    return _draw(spec, data, canvas, area=False)


def draw_area(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    return _draw(spec, data, canvas, area=True)


LINE = ChartType("line", ("x",), ("y",), line_steps, draw_line, "a line per series along x", line_stats_steps)
AREA = ChartType("area", ("x",), ("y",), line_steps, draw_area, "stacked areas along x", line_stats_steps)
