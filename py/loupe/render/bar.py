"""Bar (horizontal) and column (vertical) charts: one value per category, optionally split by a
second category (`color`) into grouped, stacked or 100%-stacked bars. Bars always start at zero.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from loupe.render.axes import band_axis, baseline, plan_band_labels, value_axis, value_label_extent
from loupe.render.chartkit import (
    Canvas,
    ChartData,
    ChartType,
    Drawing,
    Step,
    agg_step,
    axis_format,
    bucket_steps,
    category_label,
    label,
    number,
    short_text,
    sort_key,
    value_text,
)
from loupe.render.highlight import alert_legend, alert_notes, alerted, meets, noun, rule_text
from loupe.render.layout import FONT_SIZE, Frame, text_width, tick_count
from loupe.render.scales import BandScale, LinearScale
from loupe.render.select import data_select, equal, on_x
from loupe.render.spec import ChartSpec
from loupe.render.theme import categorical, ink_for
from loupe.render.tree import Node, h
from loupe.table import Column

MAX_SERIES = 12
MAX_LABELLED = 24  # bars with their value written on them, by default
MAX_ROWS_WITH_SERIES = 5000


def bar_steps(
    spec: ChartSpec, columns: Mapping[str, Column], stats: Mapping[str, object] | None = None
) -> list[Step]:
    """groupby x (and color), then order and cap the categories in SQL."""
    assert spec.x is not None
    if spec.color is None:
        steps = [*bucket_steps(spec), agg_step(spec, [spec.x])]
        key = sort_key(spec, columns)
        if key is not None:
            steps.append({"verb": "sort", "by": [{"column": key[0], "desc": key[1]}]})
        # One extra row tells the renderer there were more categories than it shows.
        steps.append({"verb": "limit", "n": spec.limit + 1})
        return steps
    steps = [*bucket_steps(spec), agg_step(spec, [spec.x, spec.color])]
    by = [{"column": spec.x, "desc": False}, {"column": spec.color, "desc": False}]
    steps.append({"verb": "sort", "by": by})
    steps.append({"verb": "limit", "n": MAX_ROWS_WITH_SERIES})
    return steps


@dataclass(frozen=True)
class _Table:
    """Bar values per (category, series), categories and series in display order."""

    categories: list[Hashable]
    series: list[Hashable]
    values: dict[tuple[Hashable, Hashable], float | None]
    notes: list[str]


def _collect(spec: ChartSpec, data: ChartData) -> _Table:
    xs = data.values(spec.x or "")
    vs = data.values(spec.value_name)
    cs = data.values(spec.color) if spec.color else [None] * len(xs)
    notes: list[str] = []
    values: dict[tuple[Hashable, Hashable], float | None] = {}
    categories: dict[Hashable, float] = {}
    series: dict[Hashable, float] = {}
    for x, c, v in zip(xs, cs, vs, strict=True):
        n = number(v)
        values[(x, c)] = n
        categories[x] = categories.get(x, 0.0) + abs(n or 0.0)
        series[c] = series.get(c, 0.0) + abs(n or 0.0)
    cat_order = list(categories)
    if spec.color and spec.sort in ("auto", "value", "-value"):
        # Rows arrive ordered by x; with series the category order by total is decided here.
        by_value = spec.sort != "auto" or (data.column(spec.x or "").type == "text" and not spec.time_unit)
        if by_value:
            cat_order.sort(key=lambda k: categories[k], reverse=spec.sort != "value")
    if spec.color and spec.sort == "-x":
        cat_order.reverse()
    if len(cat_order) > spec.limit:
        notes.append(f"Showing the first {spec.limit} categories of {spec.x}; more are not shown.")
        cat_order = cat_order[: spec.limit]
    ser_order = list(series)
    if len(ser_order) > MAX_SERIES:
        ser_order.sort(key=lambda k: series[k], reverse=True)
        notes.append(f"Showing the {MAX_SERIES} largest series of {spec.color}.")
        ser_order = ser_order[:MAX_SERIES]
    if spec.color and len(data.rows) >= MAX_ROWS_WITH_SERIES:
        notes.append(f"Only the first {MAX_ROWS_WITH_SERIES} groups were read.")
    return _Table(cat_order, ser_order, values, notes)


@dataclass(frozen=True)
class _Segment:
    category: Hashable
    series: Hashable
    value: float | None
    start: float
    end: float


def _segments(spec: ChartSpec, table: _Table) -> list[_Segment]:
    """Where each bar starts and ends in data units, for the chosen mode."""
    out: list[_Segment] = []
    stacked = spec.color is not None and spec.mode in ("stacked", "normalized")
    for cat in table.categories:
        total = sum(abs(table.values.get((cat, s)) or 0.0) for s in table.series)
        up = down = 0.0
        for ser in table.series:
            if (cat, ser) not in table.values:
                continue
            v = table.values[(cat, ser)]
            size = v or 0.0
            if spec.mode == "normalized" and spec.color is not None:
                size = size / total if total else 0.0
            if not stacked:
                out.append(_Segment(cat, ser, v, min(0.0, size), max(0.0, size)))
            elif size >= 0:
                out.append(_Segment(cat, ser, v, up, up + size))
                up += size
            else:
                out.append(_Segment(cat, ser, v, down + size, down))
                down += size
    return out


def _draw(spec: ChartSpec, data: ChartData, canvas: Canvas, horizontal: bool) -> Drawing:
    table = _collect(spec, data)
    segments = _segments(spec, table)
    theme, base = canvas.theme, canvas.frame
    normalized = spec.mode == "normalized" and spec.color is not None
    fmt_spec = ChartSpec(spec.type, format="percent") if normalized else spec
    extent = [s.start for s in segments] + [s.end for s in segments] + [0.0]
    value_len = base.inner_width if horizontal else base.inner_height
    count = tick_count(value_len, 80 if horizontal else 50)
    domain = LinearScale.fit(extent, (0, 1), zero=True, tick_count=count)
    if normalized:
        domain = LinearScale((0.0, 1.0), (0, 1), count)
    ticks = domain.ticks()
    fmt = axis_format(fmt_spec, ticks, canvas.locale)
    labels = [category_label(spec, c, canvas.locale) for c in table.categories]
    value_title = spec.y_title or ("share of " if normalized else "") + spec.value_label
    cat_title = spec.x_title or spec.x
    if horizontal:
        plan = plan_band_labels(labels, base.inner_height / max(1, len(labels)), "left", base.width * 0.3)
        frame = base.with_margins(
            left=base.left + plan.extent + (FONT_SIZE + 10 if cat_title else 0),
            bottom=base.bottom + FONT_SIZE + 10 + (FONT_SIZE + 10 if value_title else 0),
            # The last tick label is centred on the plot's right edge: leave room for its half.
            right=base.right + max(16.0, text_width(fmt(ticks[-1])) / 2 + 4 if ticks else 16.0),
        )
        band = BandScale(tuple(table.categories), (frame.y0, frame.y1))
        scale = LinearScale(domain.domain, (frame.x0, frame.x1), count)
    else:
        left = value_label_extent([fmt(t) for t in ticks], "left")
        frame = base.with_margins(left=base.left + left + (FONT_SIZE + 10 if value_title else 0))
        step = frame.inner_width / max(1, len(labels))
        plan = plan_band_labels(labels, step, "bottom", base.height * 0.3)
        frame = frame.with_margins(
            bottom=base.bottom + plan.extent + (FONT_SIZE + 10 if cat_title else 0),
            top=base.top + 6,
            right=base.right + 8,
        )
        band = BandScale(tuple(table.categories), (frame.x0, frame.x1))
        scale = LinearScale(domain.domain, (frame.y1, frame.y0), count)

    grouped = spec.color is not None and spec.mode in ("auto", "grouped")
    n_series = max(1, len(table.series))
    sub = band.bandwidth / n_series if grouped else band.bandwidth
    colours = {s: categorical(i) for i, s in enumerate(table.series)}
    marks: list[Node | str | None] = []
    boxes: list[tuple[dict[str, float], str]] = []
    for index, seg in enumerate(segments):
        offset = table.series.index(seg.series) * sub if grouped else 0.0
        a, b = scale(seg.start), scale(seg.end)
        lo, hi = min(a, b), max(a, b)
        if horizontal:
            box = {"x": lo, "y": band(seg.category) + offset, "width": hi - lo, "height": sub}
        else:
            box = {"x": band(seg.category) + offset, "y": lo, "width": sub, "height": hi - lo}
        hit = bool(spec.alert) and alerted(spec, seg.value)
        # An alerted bar takes the alert colour; with series it keeps its colour inside an alert outline.
        fill = theme.alert if hit and spec.color is None else colours[seg.series]
        boxes.append((box, fill))
        words = [f"{spec.x}: {category_label(spec, seg.category, canvas.locale)}"]
        if spec.color is not None:
            words.append(f"{spec.color}: {label(seg.series)}")
        words.append(f"{spec.value_label}: {value_text(spec, seg.value, canvas.locale)}")
        if normalized:
            share = seg.end - seg.start
            words.append("share: " + axis_format(fmt_spec, [0, 0.001], canvas.locale)(share))
        words += [f"alert: {rule_text(spec, r, canvas.locale)}" for r in spec.alert if meets(r, seg.value)]
        outline = spec.color is not None and not grouped
        marks.append(
            h(
                "rect",
                {
                    "class": "bar mark"
                    + ("" if seg.value is not None else " null")
                    + (" alert" if hit else ""),
                    "data-index": index,
                    "data-series": table.series.index(seg.series) if spec.color else None,
                    "data-select": data_select(on_x(spec, seg.category), equal(spec.color, seg.series)),
                    "tabindex": "0",
                    "fill": fill,
                    "stroke": theme.alert if hit else theme.mark_stroke if outline else None,
                    "stroke-width": 2 if hit else 0.5 if outline else None,
                    **box,
                },
                h("title", {}, "\n".join(words)),
            )
        )
    stacked = spec.color is not None and not grouped
    show_values = spec.labels if spec.labels is not None else len(segments) <= MAX_LABELLED
    values = (
        [] if stacked or not show_values else _value_labels(spec, segments, boxes, frame, canvas, horizontal)
    )
    positions = [band.center(c) for c in table.categories]
    if horizontal:
        axes = [
            value_axis(scale, "bottom", frame, theme, fmt, ticks, value_title),
            band_axis(positions, labels, plan, "left", frame, theme, cat_title),
        ]
        zero = baseline("vertical", scale(0.0), frame, theme)
    else:
        axes = [
            value_axis(scale, "left", frame, theme, fmt, ticks, value_title),
            band_axis(positions, labels, plan, "bottom", frame, theme, cat_title),
        ]
        zero = baseline("horizontal", scale(0.0), frame, theme)
    legend = [(label(s), colours[s]) for s in table.series] if spec.color else []
    legend += alert_legend(spec, theme.alert, canvas.locale)
    summary = _summary(spec, table, canvas.locale)
    what = noun(spec, spec.color is not None)
    alerts = alert_notes(spec, [seg.value for seg in segments], what, canvas.locale)
    return Drawing(
        [*axes, h("g", {"class": "marks bars"}, *marks), zero, *values],
        summary,
        [*table.notes, *alerts],
        legend,
    )


def _value_labels(
    spec: ChartSpec,
    segments: list[_Segment],
    boxes: list[tuple[dict[str, float], str]],
    frame: Frame,
    canvas: Canvas,
    horizontal: bool,
) -> list[Node]:
    """Each bar's value written at its end: outside when there is room, else inside in contrast.

    All or nothing: if one label cannot fit, none is drawn, so no bar looks as if it lacked one.
    """
    out: list[Node] = []
    top = max((abs(seg.value) for seg in segments if seg.value is not None), default=0.0)
    for seg, (box, fill) in zip(segments, boxes, strict=True):
        if seg.value is None:
            continue
        text = short_text(spec, seg.value, canvas.locale, top)
        width = text_width(text, FONT_SIZE - 1)
        negative = seg.value < 0
        attrs: dict[str, object] = {"class": "value-label", "font-size": FONT_SIZE - 1}
        if horizontal:
            if box["height"] < FONT_SIZE - 1:
                return []
            end = box["x"] if negative else box["x"] + box["width"]
            room = (end - frame.x0) if negative else (frame.width - 2 - end)
            inside = width + 6 > room
            if inside and width + 8 > box["width"]:
                return []
            step = -4 if negative != inside else 4
            attrs |= {"x": end + step, "y": box["y"] + box["height"] / 2, "dominant-baseline": "middle"}
            attrs["text-anchor"] = "end" if step < 0 else "start"
        else:
            if width + 2 > box["width"]:
                return []
            end = box["y"] + box["height"] if negative else box["y"]
            room = (frame.y1 - end) if negative else (end - frame.y0 + 4)
            inside = room < FONT_SIZE + 4
            if inside and box["height"] < FONT_SIZE + 4:
                return []
            down = negative != inside
            attrs |= {
                "x": box["x"] + box["width"] / 2,
                "y": end + (12 if down else -4),
                "text-anchor": "middle",
            }
        attrs["fill"] = ink_for(fill) if inside else canvas.theme.text
        out.append(h("text", attrs, text))
    return out


def _summary(spec: ChartSpec, table: _Table, locale: str) -> str:
    kind = "bars" if spec.type == "bar" else "columns"
    text = f"{len(table.categories)} {kind}, one per {spec.x}"
    if spec.color is not None:
        text += f", split by {spec.color} into {len(table.series)} series"
        text += f" ({'grouped' if spec.mode == 'auto' else spec.mode})"
    if spec.color is None and table.categories:
        pairs = [(table.values.get((c, None)), c) for c in table.categories]
        known = [(v, c) for v, c in pairs if v is not None]
        if known:
            v, c = max(known, key=lambda p: p[0])
            text += f"; largest: {category_label(spec, c, locale)} with {value_text(spec, v, locale)}"
    return text + "."


def draw_bar(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    return _draw(spec, data, canvas, horizontal=True)


def draw_column(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    return _draw(spec, data, canvas, horizontal=False)


BAR = ChartType("bar", ("x",), ("y",), bar_steps, draw_bar, "horizontal bars per category")
COLUMN = ChartType("column", ("x",), ("y",), bar_steps, draw_column, "vertical bars per category")
