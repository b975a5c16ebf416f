"""Scatter plots: one point per row, x and y positions, optional colour (category or quantity)
and size (quantity). Large tables are sampled in SQL to at most `sample` rows (20,000 by default),
deterministically, and the chart says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from loupe.render.axes import value_axis, value_label_extent
from loupe.render.chartkit import (
    Canvas,
    ChartData,
    ChartType,
    Drawing,
    Step,
    label,
    number,
    sample_steps,
)
from loupe.render.highlight import (
    MAX_RINGS,
    alert_legend,
    alert_notes,
    alert_ring,
    alerted,
    flag_cross,
    flag_notes,
    flag_reasons,
    is_flagged,
    meets,
    reason_text,
    rule_text,
)
from loupe.render.insight import Group, Overlay, draw_overlay, plan_overlay, shown_notes, time_px
from loupe.render.layout import FONT_SIZE
from loupe.render.line import x_axis, x_label_plan
from loupe.render.position import Position, make_position, position_kind
from loupe.render.scales import OrdinalColors, color_scale
from loupe.render.select import data_select, equal
from loupe.render.spec import ChartSpec
from loupe.render.theme import categorical
from loupe.render.tree import Node, h
from loupe.table import Column, Value

MAX_COLORS = 8  # categories beyond this share a grey "other"
TITLES_UP_TO = 2000  # points with a tooltip each; beyond that the tree would grow too large
FOCUS_UP_TO = 400  # points reachable by keyboard


def scatter_steps(
    spec: ChartSpec, columns: Mapping[str, Column], stats: Mapping[str, object] | None = None
) -> list[Step]:
    """The plotted columns of rows where x and y are present, sampled down to `spec.sample`."""
    assert spec.x is not None and spec.y is not None
    flags = flag_reasons(columns)  # rows flagged as outliers are marked, with their reasons
    plotted = (spec.x, spec.y, spec.color, spec.size, *flags, *flags.values())
    used = list(dict.fromkeys(c for c in plotted if c is not None))
    steps: list[Step] = [
        # Only the plotted columns: the sample, the transfer and the table view stay narrow.
        {"verb": "select", "columns": used},
        {"verb": "filter", "column": spec.x, "op": "not_null"},
        {"verb": "filter", "column": spec.y, "op": "not_null"},
    ]
    return steps + sample_steps(spec.sample)


def _radius(spec: ChartSpec, data: ChartData) -> tuple[list[float], tuple[float, float] | None]:
    n = len(data.rows)
    # Fewer points can be bigger; thousands need small dots to show density.
    default = 4.0 if n <= 200 else 3.0 if n <= 2000 else 2.0
    if spec.size is None:
        return [default] * n, None
    sizes = [number(v) for v in data.values(spec.size)]
    known = [s for s in sizes if s is not None and s >= 0]
    top = max(known, default=0.0)
    # Area, not radius, is proportional to the value: r = sqrt(v / max) * r_max.
    biggest = 12.0 if n <= 200 else 8.0 if n <= 2000 else 5.0  # crowds need smaller discs
    radii = [
        default if s is None or s < 0 or top == 0 else max(1.0, math.sqrt(s / top) * biggest) for s in sizes
    ]
    return radii, (min(known, default=0.0), top)


def draw_scatter(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    theme, base = canvas.theme, canvas.frame
    xs, ys = data.values(spec.x or ""), data.values(spec.y or "")
    notes: list[str] = []
    if len(data.rows) > spec.sample:
        xs, ys = xs[: spec.sample], ys[: spec.sample]
    if len(data.rows) >= spec.sample:
        notes.append(f"A deterministic sample of {spec.sample:,} rows is shown.")
    colours, legend = _colours(spec, data, len(xs), notes)
    marked = _marked(spec, data, ys, canvas.locale)
    legend += alert_legend(spec, theme.alert, canvas.locale)
    flags = list(flag_reasons(data.columns))
    if flags:
        legend.append(("× rows flagged as outliers", theme.text))
    notes += alert_notes(spec, ys, "points", canvas.locale)
    notes += flag_notes(sum(1 for tag, _ in marked.values() if "flagged" in tag), len(xs), "points", flags)
    if len(xs) > TITLES_UP_TO:
        notes.append("Too many points for a tooltip each; use the table view for values.")
    y_type, x_type = data.column(spec.y or "").type, data.column(spec.x or "").type
    groups, palette = _trend_groups(spec, data, xs, ys, colours, legend, theme.text)
    overlay = plan_overlay(spec, groups, position_kind(x_type, xs)) if groups else Overlay()
    visible, described = shown_notes(overlay)
    notes.extend(visible)
    if canvas.measure:  # the layout pass needs only the legend and the notes
        return Drawing([], "", notes, legend)
    ys_extent: list[Value] = [*ys, *overlay.extra_y] if y_type in ("integer", "float") else list(ys)
    y_probe = make_position(ys_extent, y_type, (1, 0), spec, canvas.locale, log=spec.scale == "log")
    y_title, x_title = spec.y_title or spec.y, spec.x_title or spec.x
    left = base.left + value_label_extent([y_probe.tick_label(t) for t in y_probe.ticks], "left")
    left += FONT_SIZE + 10
    plan = x_label_plan(xs, x_type, base.width - left - base.right, base.height)
    frame = base.with_margins(
        left=left,
        bottom=base.bottom + (plan.extent if plan else FONT_SIZE + 10) + FONT_SIZE + 10,
        right=base.right + 16,
        top=base.top + 6,
    )
    radii, size_range = _radius(spec, data)
    xpos = make_position(xs, x_type, (frame.x0, frame.x1), spec, canvas.locale)
    ypos = make_position(
        ys_extent, y_type, (frame.y1, frame.y0), spec, canvas.locale, log=spec.scale == "log"
    )
    if len(xs) > TITLES_UP_TO:
        marks, drawn = _point_paths(xs, ys, xpos, ypos, radii, colours)
    else:
        marks = _circles(spec, data, xs, ys, xpos, ypos, radii, colours, theme.background, marked)
        drawn = len(marks)
    rings: list[Node | str | None] = []
    for i, (tag, _) in marked.items():
        px, py = xpos.to_px(xs[i]), ypos.to_px(ys[i])
        if px is None or py is None or len(rings) >= MAX_RINGS:
            continue
        if "alert" in tag:
            rings.append(alert_ring(px, py, radii[i], theme.alert))
        if "flagged" in tag:
            rings.append(flag_cross(px, py, radii[i], theme.text))
    axes = [
        value_axis(ypos.tick_px, "left", frame, theme, ypos.tick_label, ypos.ticks, y_title),
        x_axis(xpos, plan, frame, canvas, x_title),
    ]
    if xpos.kind != "point":
        # Scatter plots get vertical gridlines too: both positions are read off the grid.
        axes.insert(
            0,
            h(
                "g",
                {"class": "grid-lines", "stroke": theme.grid},
                *[
                    h("line", {"class": "grid", "x1": xp, "x2": xp, "y1": frame.y0, "y2": frame.y1})
                    for xp in (xpos.tick_px(t) for t in xpos.ticks)
                ],
            ),
        )
    summary = f"{drawn} points, {spec.y} against {spec.x}"
    if spec.color:
        summary += f", coloured by {spec.color}"
    if spec.size and size_range:
        summary += f", sized by {spec.size} ({size_range[0]:g} to {size_range[1]:g})"
    x_px = time_px(xpos.to_px) if xpos.kind == "time" else xpos.to_px
    insight = draw_overlay(overlay, x_px, lambda y: ypos.to_px(y) or 0.0, lambda i: palette[i])
    description = " ".join([summary + ".", *described])
    return Drawing(
        [*axes, h("g", {"class": "marks points"}, *marks, *rings), *([insight] if insight else [])],
        description,
        notes,
        legend,
    )


def _marked(
    spec: ChartSpec, data: ChartData, ys: Sequence[Value], locale: str
) -> dict[int, tuple[str, list[str]]]:
    """Points that meet an alert rule or are rows flagged as outliers: index -> (classes, tooltip lines)."""
    flags = [
        (data.index(f), None if r is None else data.index(r)) for f, r in flag_reasons(data.columns).items()
    ]
    out: dict[int, tuple[str, list[str]]] = {}
    for i, y in enumerate(ys):
        tags, words = [], []
        if spec.alert and alerted(spec, y):
            tags.append("alert")
            words += [f"alert: {rule_text(spec, r, locale)}" for r in spec.alert if meets(r, y)]
        row = data.rows[i]
        reasons = [reason_text(row, r) for f, r in flags if is_flagged(row[f])]
        if reasons:
            tags.append("flagged")
            words += [f"outlier: {reason}" for reason in reasons]
        if tags:
            out[i] = (" ".join(tags), words)
    return out


def _trend_groups(
    spec: ChartSpec,
    data: ChartData,
    xs: Sequence[Value],
    ys: Sequence[Value],
    colours: list[str],
    legend: list[tuple[str, str]],
    plain: str,
) -> tuple[list[Group], list[str]]:
    """The points per colour group for a trend, and each group's colour (one group if colours are a scale)."""
    if spec.trend is None:
        return [], []
    pairs = [(x, number(y)) for x, y in zip(xs, ys, strict=False)]
    if spec.color is None or data.column(spec.color).type in ("integer", "float"):
        return [(None, pairs)], [plain if spec.color else categorical(0)]
    by: dict[str, list[tuple[Value, float | None]]] = {}
    for pair, colour in zip(pairs, colours, strict=False):
        by.setdefault(colour, []).append(pair)
    name_of = {colour: name for name, colour in legend}
    return [(name_of.get(c, "other"), points) for c, points in by.items()], list(by)


def _circles(
    spec: ChartSpec,
    data: ChartData,
    xs: Sequence[Value],
    ys: Sequence[Value],
    xpos: Position,
    ypos: Position,
    radii: Sequence[float],
    colours: Sequence[str],
    outline: str,
    marked: Mapping[int, tuple[str, list[str]]],
) -> list[Node | str | None]:
    """One focusable circle with a tooltip per point: small charts, where each point matters."""
    focusable = len(xs) <= FOCUS_UP_TO
    extras = [(name, data.index(name)) for name in (spec.color, spec.size) if name is not None]
    marks: list[Node | str | None] = []
    # Big points first so small ones stay visible on top.
    order = sorted(range(len(xs)), key=lambda i: -radii[i]) if spec.size else range(len(xs))
    for i in order:
        px, py = xpos.to_px(xs[i]), ypos.to_px(ys[i])
        if px is None or py is None:
            continue
        words = [f"{spec.x}: {xpos.value_label(xs[i])}", f"{spec.y}: {ypos.value_label(ys[i])}"]
        words += [f"{name}: {label(data.rows[i][index])}" for name, index in extras]
        tag, more = marked.get(i, ("", []))
        marks.append(
            h(
                "circle",
                {
                    "class": f"point mark {tag}".strip(),
                    "cx": px,
                    "cy": py,
                    "r": radii[i],
                    "fill": colours[i],
                    "fill-opacity": 0.7,
                    "stroke": outline,
                    "stroke-width": 0.5,
                    "data-index": i,
                    "data-select": data_select(equal(spec.x, xs[i]), equal(spec.y, ys[i])),
                    "tabindex": "0" if focusable else None,
                },
                h("title", {}, "\n".join([*words, *more])),
            )
        )
    return marks


def _point_paths(
    xs: Sequence[Value],
    ys: Sequence[Value],
    xpos: Position,
    ypos: Position,
    radii: Sequence[float],
    colours: Sequence[str],
) -> tuple[list[Node | str | None], int]:
    """Many points as one path per (radius, colour): a round-capped zero-length segment per point.

    Thousands of circles cost a tree node each here and a DOM node each in the page; a path per
    group draws the same dots. Radii are rounded to half pixels so sized charts group too.
    """
    groups: dict[tuple[float, str], list[str]] = {}
    to_x, to_y = xpos.to_px, ypos.to_px
    for i in range(len(xs)):
        px, py = to_x(xs[i]), to_y(ys[i])
        if px is None or py is None:
            continue
        key = (round(radii[i] * 2) / 2, colours[i])
        found = groups.get(key)
        if found is None:
            groups[key] = found = []
        found.append(f"M{px:.1f} {py:.1f}h0")
    # Big dots first, then the most crowded colour, so smaller groups stay visible on top.
    order = sorted(groups, key=lambda k: (-k[0], -len(groups[k])))
    marks: list[Node | str | None] = []
    for index, (radius, colour) in enumerate(order):
        segments = groups[(radius, colour)]
        marks.append(
            h(
                "path",
                {
                    "class": "point-group mark",
                    "d": "".join(segments),
                    "fill": "none",
                    "stroke": colour,
                    "stroke-opacity": 0.7,
                    "stroke-width": 2 * radius,
                    "stroke-linecap": "round",
                    "data-index": index,
                },
                h("title", {}, f"{len(segments):,} points"),
            )
        )
    return marks, sum(len(v) for v in groups.values())


def _colours(
    spec: ChartSpec, data: ChartData, n: int, notes: list[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    if spec.color is None:
        return [categorical(0)] * n, []
    values = data.values(spec.color)[:n]
    if data.column(spec.color).type in ("integer", "float"):
        nums = [number(v) for v in values]
        scale = color_scale([v for v in nums if v is not None])
        legend = [(f"{t:g}", scale(t)) for t in scale.ticks(5)]
        return ["#999999" if v is None else scale(v) for v in nums], legend
    counts: dict[Value, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    top = sorted(counts, key=lambda k: -counts[k])[:MAX_COLORS]
    if len(counts) > MAX_COLORS:
        notes.append(f"The {MAX_COLORS} most frequent values of {spec.color} have colours.")
    ordinal = OrdinalColors(tuple(top))
    legend = [(label(k), ordinal(k)) for k in top]
    if len(counts) > MAX_COLORS:
        legend.append(("other", "#999999"))
    colour_of = {k: ordinal(k) for k in counts}  # one lookup per point, not a scale call
    return [colour_of[v] for v in values], legend


SCATTER = ChartType("scatter", ("x", "y"), ("size",), scatter_steps, draw_scatter, "one point per row")
