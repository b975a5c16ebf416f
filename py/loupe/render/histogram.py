"""Histograms: how one numeric column's values spread over nice, equal-width bins.

SQL does the counting: with the pipeline's `derive` verb and the column's range (`stats`), each row
gets its bin in SQL and a groupby counts them; without them, a groupby counts each distinct value
and the bins are summed here (exact, capped at MAX_DISTINCT distinct values). An alert rule tests
each bin's count ("bins with fewer than 5 rows"): those bins take the alert colour.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from loupe.render.axes import baseline, value_axis, value_label_extent
from loupe.render.chartkit import Canvas, ChartData, ChartType, Drawing, Step, has_verb, number
from loupe.render.format import format_number, tick_formatter
from loupe.render.highlight import alert_legend, alert_notes, alert_outline, alert_words, alerted
from loupe.render.layout import FONT_SIZE, tick_count
from loupe.render.scales import LinearScale
from loupe.render.select import between, data_select
from loupe.render.spec import ChartSpec
from loupe.render.theme import categorical
from loupe.render.ticks import nice_domain, tick_step
from loupe.render.tree import Node, h
from loupe.table import Column

MAX_DISTINCT = 5000
BIN = "bin"  # the SQL-binned column: each bin's lower edge


def count_name(spec: ChartSpec) -> str:
    return "count" if spec.x != "count" else "count_rows"


def bin_edges(lo: float, hi: float, bins: int) -> tuple[float, float, float]:
    """(start, stop, width) of about `bins` nice equal bins covering [lo, hi]."""
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    start, stop = nice_domain(lo, hi, bins)
    # The last bin is closed ([8, 10]) so the maximum never sits alone in an extra bin.
    width = tick_step(start, stop, bins)
    if 0 < width < math.inf:
        return start, stop, width
    # No nice step exists (subnormal numbers: the step underflows to 0): one bin from lo to hi. Plotted
    # values stay within ±1e300 (chartkit.number), so hi - lo is finite.
    return lo, hi, hi - lo


def _as_number(value: object) -> float | None:
    return number(value) if isinstance(value, int | float) else None


def histogram_steps(
    spec: ChartSpec, columns: Mapping[str, Column], stats: Mapping[str, object] | None
) -> list[Step]:
    """Bin in SQL when the range is known (stats with "min" and "max"), else count distinct x."""
    assert spec.x is not None
    present = {"verb": "filter", "column": spec.x, "op": "not_null"}
    lo = hi = None
    if stats is not None:
        lo, hi = _as_number(stats.get("min")), _as_number(stats.get("max"))
    if lo is not None and hi is not None and has_verb("derive"):
        start, stop, width = bin_edges(lo, hi, spec.bins)
        last = max(0, round((stop - start) / width) - 1)
        ref = f"col({json.dumps(spec.x)})"
        # floor(v) for v >= 0, in SQLite's own arithmetic: round() is built in, floor() would be a
        # Python callback per row (slow in WebAssembly). round(v - 0.5) is floor(v) except at 0.
        bin_of = f"max(round(({ref} - {start!r}) / {width!r} - 0.5), 0)"
        index = f"({bin_of} if {ref} < {stop!r} else {last})"
        expr = f"{index} * {width!r} + {start!r}"
        return [
            present,
            {"verb": "derive", "as": BIN, "expr": expr},
            {"verb": "groupby", "by": [BIN], "aggs": [{"fn": "count", "as": count_name(spec)}]},
            {"verb": "sort", "by": [{"column": BIN, "desc": False}]},
        ]
    return [
        present,
        {"verb": "groupby", "by": [spec.x], "aggs": [{"fn": "count", "as": count_name(spec)}]},
        {"verb": "sort", "by": [{"column": spec.x, "desc": False}]},
        {"verb": "limit", "n": MAX_DISTINCT + 1},
    ]


def stats_steps(spec: ChartSpec) -> list[Step]:
    """A one-row query of x's range, for `histogram_steps(..., stats=row)`."""
    assert spec.x is not None
    aggs = [{"fn": "min", "column": spec.x, "as": "min"}, {"fn": "max", "column": spec.x, "as": "max"}]
    return [{"verb": "groupby", "by": [], "aggs": aggs}]


@dataclass(frozen=True)
class Bins:
    start: float
    width: float
    counts: list[float]


def _bins(spec: ChartSpec, data: ChartData) -> tuple[Bins, list[str]]:
    counts = [number(v) or 0.0 for v in data.values(count_name(spec))]
    notes: list[str] = []
    if any(c.name == BIN for c in data.columns):
        edges = [number(v) for v in data.values(BIN)]
        known = sorted({e for e in edges if e is not None})
        # Edges are nice multiples of the width, so the smallest gap between them is the width.
        gaps = [round(b - a, 10) for a, b in itertools.pairwise(known)]
        width = min(gaps, default=1.0) or 1.0
        start = known[0] if known else 0.0
        n = round((known[-1] - start) / width) + 1 if known else 0
        out = [0.0] * n
        for e, c in zip(edges, counts, strict=True):
            if e is not None:
                out[min(n - 1, max(0, round((e - start) / width)))] += c
        return Bins(start, width, out), notes
    values = [number(v) for v in data.values(spec.x or "")]
    if len(values) > MAX_DISTINCT:
        notes.append(f"Binned from the {MAX_DISTINCT:,} smallest distinct values of {spec.x}.")
        values, counts = values[:MAX_DISTINCT], counts[:MAX_DISTINCT]
    known = [v for v in values if v is not None]
    if not known:
        return Bins(0.0, 1.0, []), notes
    start, stop, width = bin_edges(min(known), max(known), spec.bins)
    integers = all(v == int(v) for v in known)
    if integers and width < 1:  # whole numbers: never bins narrower than 1
        start, width = math.floor(start), 1.0
        stop = max(known) + 1
    n = max(1, round((stop - start) / width))
    out = [0.0] * n
    for v, c in zip(values, counts, strict=True):
        if v is not None:
            out[min(n - 1, int((v - start) // width))] += c
    # Trailing empty bins past the data add nothing.
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return Bins(start, width, out), notes


def draw_histogram(spec: ChartSpec, data: ChartData, canvas: Canvas) -> Drawing:
    theme, base = canvas.theme, canvas.frame
    bins, notes = _bins(spec, data)
    stop = bins.start + bins.width * len(bins.counts)
    y_count = tick_count(base.inner_height, 50)
    y_domain = LinearScale.fit([*bins.counts, 0.0], (0, 1), zero=True, tick_count=y_count)
    y_ticks = y_domain.ticks()
    y_fmt = tick_formatter(y_ticks, locale=canvas.locale)
    frame = base.with_margins(
        left=base.left + value_label_extent([y_fmt(t) for t in y_ticks], "left") + FONT_SIZE + 10,
        bottom=base.bottom + 2 * (FONT_SIZE + 10),
        right=base.right + 16,
        top=base.top + 6,
    )
    x = LinearScale((bins.start, stop), (frame.x0, frame.x1), tick_count(frame.inner_width, 70))
    y = LinearScale(y_domain.domain, (frame.y1, frame.y0), y_count)
    x_ticks = [t for t in x.ticks() if bins.start <= t <= stop]
    style = spec.format if spec.format in ("percent", "currency") else "decimal"
    x_fmt = tick_formatter(x_ticks, locale=canvas.locale, style=style, currency=spec.currency)
    marks: list[Node | str | None] = []
    total = sum(bins.counts) or 1.0
    for i, count in enumerate(bins.counts):
        lo = bins.start + i * bins.width
        hi = lo + bins.width
        left, right = x(lo), x(hi)
        top = y(count)
        words = f"{spec.x}: {x_fmt(lo)} to {x_fmt(hi)}\ncount: {format_number(count, locale=canvas.locale)}"
        words += f" ({format_number(count / total, style='percent', decimals=1, locale=canvas.locale)})"
        words = "\n".join([words, *alert_words(spec, count, canvas.locale)])
        hit = bool(spec.alert) and alerted(spec, count)
        marks.append(
            h(
                "rect",
                {
                    "class": "bar mark" + (" alert" if hit else ""),
                    "x": left + 0.5,
                    "y": top,
                    "width": max(0.5, right - left - 1),
                    "height": y(0) - top,
                    "fill": theme.alert if hit else categorical(0),
                    "data-index": i,
                    "data-select": data_select(between(spec.x, lo, hi, last=i == len(bins.counts) - 1)),
                    "tabindex": "0",
                    **alert_outline(hit, theme.alert),
                },
                h("title", {}, words),
            )
        )
    axes = [
        value_axis(y, "left", frame, theme, y_fmt, y_ticks, spec.y_title or "count"),
        value_axis(x, "bottom", frame, theme, x_fmt, x_ticks, spec.x_title or spec.x, grid=False),
    ]
    peak = max(range(len(bins.counts)), key=lambda i: bins.counts[i], default=None)
    summary = f"Histogram of {spec.x}: {len(bins.counts)} bins of width {bins.width:g}"
    if peak is not None:
        lo = bins.start + peak * bins.width
        summary += f"; most values fall between {x_fmt(lo)} and {x_fmt(lo + bins.width)}"
    notes += alert_notes(spec, list(bins.counts), "bins", canvas.locale)
    return Drawing(
        [*axes, h("g", {"class": "marks bars"}, *marks), baseline("horizontal", y(0), frame, theme)],
        summary + ".",
        notes,
        alert_legend(spec, theme.alert, canvas.locale),
    )


def bins_from_values(values: Sequence[float], bins: int = 20) -> Bins:
    """Bins for plain values (tests, header sketches): the same edges the chart would use."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    if not known:
        return Bins(0.0, 1.0, [])
    start, stop, width = bin_edges(min(known), max(known), bins)
    n = max(1, round((stop - start) / width))
    out = [0.0] * n
    for v in known:
        out[min(n - 1, int((v - start) // width))] += 1
    return Bins(start, width, out)


def histogram_table(spec: ChartSpec, data: ChartData) -> ChartData:
    """The drawn bins as rows: from, to, count."""
    bins, _ = _bins(spec, data)
    rows = [
        (bins.start + i * bins.width, bins.start + (i + 1) * bins.width, int(count))
        for i, count in enumerate(bins.counts)
    ]
    columns = [Column("from", "float"), Column("to", "float"), Column("count", "integer")]
    return ChartData(columns, [(round(a, 10), round(b, 10), c) for a, b, c in rows])


HISTOGRAM = ChartType(
    "histogram",
    ("x",),
    ("x",),
    histogram_steps,
    draw_histogram,
    "counts of x in equal bins",
    stats_steps,
    histogram_table,
)
