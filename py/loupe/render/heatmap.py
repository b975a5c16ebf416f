"""Heatmaps: two categories (x across, y down) and an aggregated value as the colour of each cell.

Colours are sequential (viridis), or diverging around zero when values have both signs; cells big
enough show their value as text, in black or white, whichever contrasts with the fill. A cell
meeting an alert rule keeps its colour (it is the value) inside an outline in the alert colour.
"""

from __future__ import annotations

from collections.abc import Mapping

from loupe.render.axes import band_axis, plan_band_labels
from loupe.render.chartkit import (
    Canvas,
    ChartData,
    ChartType,
    Drawing,
    Step,
    agg_step,
    bucket_steps,
    category_label,
    label,
    number,
    short_text,
    value_text,
)
from loupe.render.format import tick_formatter
from loupe.render.highlight import alert_legend, alert_notes, alert_outline, alert_words, alerted
from loupe.render.layout import FONT_SIZE, text_width
from loupe.render.scales import BandScale, color_scale
from loupe.render.select import data_select, equal, on_x
from loupe.render.spec import ChartSpec
from loupe.render.theme import ink_for
from loupe.render.tree import Node, h
from loupe.table import Column, Value

MAX_CELLS = 10_000
MAX_CATEGORIES = 60


def heatmap_steps(
    spec: ChartSpec, columns: Mapping[str, Column], stats: Mapping[str, object] | None = None
) -> list[Step]:
    """groupby (x, y) with the aggregate, in x then y order, capped at MAX_CELLS."""
    assert spec.x is not None and spec.y is not None
    return [
        *bucket_steps(spec),
        agg_step(spec, [spec.x, spec.y]),
        {
            "verb": "sort",
            "by": [{"column": spec.x, "desc": False}, {"column": spec.y, "desc": False}],
        },
        {"verb": "limit", "n": MAX_CELLS + 1},
    ]


def draw_heatmap(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    theme, base = canvas.theme, canvas.frame
    notes: list[str] = []
    rows = list(data.rows)
    if len(rows) > MAX_CELLS:
        notes.append(f"Showing the first {MAX_CELLS:,} cells.")
        rows = rows[:MAX_CELLS]
    xi, yi, vi = data.index(spec.x or ""), data.index(spec.y or ""), data.index(spec.value_name)
    xs: list[Value] = list(dict.fromkeys(r[xi] for r in rows))
    ys: list[Value] = list(dict.fromkeys(r[yi] for r in rows))
    for name, cats in ((spec.x, xs), (spec.y, ys)):
        if len(cats) > MAX_CATEGORIES:
            notes.append(f"Showing the first {MAX_CATEGORIES} values of {name}.")
            del cats[MAX_CATEGORIES:]
    keep_x, keep_y = set(xs), set(ys)
    cells = {(r[xi], r[yi]): number(r[vi]) for r in rows if r[xi] in keep_x and r[yi] in keep_y}
    values = [v for v in cells.values() if v is not None]
    colours = color_scale(values)
    top_value = max((abs(v) for v in values), default=0.0)
    x_labels = [category_label(spec, x, canvas.locale) for x in xs]
    y_labels = [label(y) for y in ys]
    y_plan = plan_band_labels(y_labels, base.inner_height / max(1, len(ys)), "left", base.width * 0.25)
    left = base.left + y_plan.extent + FONT_SIZE + 10
    x_plan = plan_band_labels(
        x_labels, (base.width - left - base.right) / max(1, len(xs)), "bottom", base.height * 0.25
    )
    frame = base.with_margins(
        left=left, bottom=base.bottom + x_plan.extent + FONT_SIZE + 10, right=base.right + 8
    )
    bx = BandScale(tuple(xs), (frame.x0, frame.x1), padding=0.04, outer=0.0)
    by = BandScale(tuple(ys), (frame.y0, frame.y1), padding=0.04, outer=0.0)
    marks: list[Node | str | None] = []
    texts: list[Node | str | None] = []
    show_text = bx.bandwidth >= 34 and by.bandwidth >= FONT_SIZE + 4
    for index, ((x, y), v) in enumerate([] if canvas.measure else cells.items()):
        fill = theme.grid if v is None else colours(v)
        shown = value_text(spec, v, canvas.locale)
        x_text = category_label(spec, x, canvas.locale)
        words = f"{spec.x}: {x_text}\n{spec.y}: {label(y)}\n{spec.value_label}: {shown}"
        words = "\n".join([words, *alert_words(spec, v, canvas.locale)])
        hit = bool(spec.alert) and alerted(spec, v)
        marks.append(
            h(
                "rect",
                {
                    "class": "cell mark" + (" null" if v is None else "") + (" alert" if hit else ""),
                    "x": bx(x),
                    "y": by(y),
                    "width": bx.bandwidth,
                    "height": by.bandwidth,
                    "fill": fill,
                    "data-index": index,
                    "data-select": data_select(on_x(spec, x), equal(spec.y, y)),
                    "tabindex": "0",
                    **alert_outline(hit, theme.alert),
                },
                h("title", {}, words),
            )
        )
        short = "" if v is None else short_text(spec, v, canvas.locale, top_value)
        if show_text and v is not None and text_width(short) <= bx.bandwidth - 4:
            ink = ink_for(fill)
            texts.append(
                h(
                    "text",
                    {
                        "class": "cell-label",
                        "x": bx.center(x),
                        "y": by.center(y),
                        "text-anchor": "middle",
                        "dominant-baseline": "middle",
                        "fill": ink,
                        "font-size": FONT_SIZE - 1,
                        "pointer-events": "none",
                    },
                    short,
                )
            )
    axes = [
        band_axis([by.center(y) for y in ys], y_labels, y_plan, "left", frame, theme, spec.y_title or spec.y),
        band_axis(
            [bx.center(x) for x in xs],
            x_labels,
            x_plan,
            "bottom",
            frame,
            theme,
            spec.x_title or spec.x,
        ),
    ]
    ticks = colours.ticks(5)
    fmt = tick_formatter(ticks, locale=canvas.locale, style=spec.format, currency=spec.currency)
    legend = [(fmt(t), colours(t)) for t in ticks] + alert_legend(spec, theme.alert, canvas.locale)
    notes += alert_notes(spec, list(cells.values()), "cells", canvas.locale)
    summary = f"Heatmap of {spec.value_label} by {spec.x} ({len(xs)}) and {spec.y} ({len(ys)})"
    if values:
        (hx, hy), top = max(((k, v) for k, v in cells.items() if v is not None), key=lambda kv: kv[1])
        summary += f"; highest: {label(hx)}, {label(hy)} with {value_text(spec, top, canvas.locale)}"
    return Drawing(
        [*axes, h("g", {"class": "marks cells"}, *marks, *texts)],
        summary + ".",
        notes,
        legend,
        spec.value_label,
    )


HEATMAP = ChartType(
    "heatmap",
    ("x", "y"),
    ("value",),
    heatmap_steps,
    draw_heatmap,
    "a value for each pair of two categories",
)
