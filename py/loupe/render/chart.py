"""Charts: a registry of chart types, the SQL steps that aggregate for them, and the accessible SVG.

Use in four moves: `validate_chart(spec, columns)` once (SpecError names the bad field and the
closest column); if `chart_stats_steps(spec, columns)` gives steps, run them after the user's
pipeline for one row of stats (a histogram's range, how long a time series is); run
`chart_steps(spec, columns, stats=row)` after the pipeline; `render_chart(spec, result_columns,
result_rows)` draws what SQL returned. `chart_table` shows the same data as an HTML table.

Class names the page's CSS can restyle (colours are also set as attributes for standalone files):
`loupe-chart chart-<type> theme-<light|dark>` on the root; `background`, `chart-title`, `legend`,
`legend-item`, `swatch`, `note`; axes `axis axis-left|axis-bottom axis-value|axis-band`,
`grid-lines`, `grid`, `tick-label`, `axis-title`, `baseline`; focusable marks carry `mark` plus
`bar`, `point`, `cell` or `box` (inside: `box-body`, `median`, `whisker`, `whisker-cap`,
`outlier`); a big scatter plot draws `point-group mark` paths (one per colour and size) instead of
`point` circles; series paths are `line` and `area`; `cell-label` is text on heatmap cells; `null`
flags a mark whose value is null. Changes charts' bars add `change` and `rise`, `fall` or `other`;
marks meeting an alert rule add `alert` (points get an `alert-mark` ring), and points holding rows
flagged as outliers add `flagged` (with a `flag-mark` cross), see loupe.render.highlight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from loupe.render import bar, boxplot, changes, heatmap, histogram, line, scatter
from loupe.render.chartkit import Canvas, ChartData, ChartType, Drawing, Step
from loupe.render.grain import GRAIN_TYPES, grain_from_values, grain_stats_steps, resolve_grain
from loupe.render.highlight import row_alerts, tested_column
from loupe.render.layout import FONT_SIZE, TITLE_SIZE, Frame, fit_text
from loupe.render.legend import LEGEND_ROW, legend
from loupe.render.spec import ChartSpec, check_columns, parse_chart
from loupe.render.table import render_table
from loupe.render.theme import get_theme
from loupe.render.tree import Node, h
from loupe.table import Column, Value

CHART_TYPES: dict[str, ChartType] = {
    t.name: t
    for t in (
        bar.BAR,
        bar.COLUMN,
        line.LINE,
        line.AREA,
        scatter.SCATTER,
        histogram.HISTOGRAM,
        heatmap.HEATMAP,
        boxplot.BOX,
        changes.CHANGES,
    )
}
_PAD = 10


def parse(spec: Mapping[str, object] | ChartSpec) -> tuple[ChartSpec, ChartType]:
    """The validated spec and its chart type (structure only, columns unchecked)."""
    parsed = spec if isinstance(spec, ChartSpec) else parse_chart(spec, sorted(CHART_TYPES))
    return parsed, CHART_TYPES[parsed.type]


def chart_types() -> list[dict[str, object]]:
    """The registered chart types for a chart picker: name, description, required and numeric fields.

    >>> [t["name"] for t in chart_types()][:2]
    ['bar', 'column']
    """
    return [
        {
            "name": t.name,
            "description": t.description,
            "required": list(t.required),
            "numeric": list(t.numeric),
        }
        for t in CHART_TYPES.values()
    ]


def validate_chart(spec: Mapping[str, object] | ChartSpec, columns: Sequence[Column]) -> ChartSpec:
    """Check a chart spec against the columns it will read; SpecError otherwise.

    >>> validate_chart({"type": "bar", "x": "region"}, [Column("region", "text")]).agg
    'count'
    """
    parsed, kind = parse(spec)
    check_columns(parsed, columns, kind.required, kind.numeric)
    return parsed


def chart_stats_steps(
    spec: Mapping[str, object] | ChartSpec, columns: Sequence[Column] | None = None
) -> list[Step] | None:
    """Steps for an optional first, one-row query (e.g. a histogram's min and max), or None.

    Run them after the user's pipeline and pass the row as a dict to `chart_steps(stats=...)`;
    charts also work without it, a little less efficiently for huge tables.
    """
    parsed, kind = parse(spec)
    if columns is not None:
        check_columns(parsed, columns, kind.required, kind.numeric)
    if parsed.time_unit == "auto" and parsed.type in GRAIN_TYPES:
        return grain_stats_steps(parsed)  # the dates' range picks the grain (loupe.render.grain)
    steps = kind.stats(parsed) if kind.stats else None
    return steps or None  # no steps: nothing to ask first


def chart_steps(
    spec: Mapping[str, object] | ChartSpec,
    columns: Sequence[Column] | None = None,
    *,
    stats: Mapping[str, object] | None = None,
) -> list[Step]:
    """Pipeline steps (groupby/sort/limit...) that reduce the data to what the chart draws.

    Given `columns`, the spec is validated against them and column types pick defaults (dates
    sort by x, names by value). `stats` is the row `chart_stats_steps` produced, if run.

    >>> chart_steps({"type": "bar", "x": "region"})[0]
    {'verb': 'groupby', 'by': ['region'], 'aggs': [{'fn': 'count', 'as': 'count'}]}
    """
    parsed, kind = parse(spec)
    by_name: dict[str, Column] = {}
    if columns is not None:
        check_columns(parsed, columns, kind.required, kind.numeric)
        by_name = {c.name: c for c in columns}
    return kind.steps(resolve_grain(parsed, stats), by_name, stats)


def drawn_spec(
    spec: Mapping[str, object] | ChartSpec, columns: Sequence[Column], rows: Sequence[Sequence[Value]]
) -> ChartSpec:
    """The spec as drawn from the rows `chart_steps` produced: a time grain "auto" becomes the unit
    those rows were bucketed by (read from their spacing), so titles and labels name it."""
    parsed, _ = parse(spec)
    if parsed.time_unit != "auto":
        return parsed
    names = [c.name for c in columns]
    xs = [row[names.index(parsed.x)] for row in rows] if parsed.x in names else []
    return grain_from_values(parsed, xs)


def default_title(spec: ChartSpec) -> str:
    """ "Sum of revenue by region" and the like, when the spec has no title."""
    if spec.title:
        return spec.title
    what = spec.value_label
    if spec.type in ("scatter",):
        what = f"{spec.y} vs {spec.x}"
    elif spec.type == "histogram":
        what = f"distribution of {spec.x}"
    elif spec.type == "box":
        what = f"distribution of {spec.y}"
    elif spec.type == "changes":
        what = f"change in {spec.value_label}"
    parts = [what[:1].upper() + what[1:]]
    x = spec.time_unit if spec.time_unit else spec.x
    by = [c for c in (x if spec.type not in ("scatter", "histogram") else None, spec.color) if c]
    if by:
        parts.append("by " + " and ".join(by))
    return " ".join(parts)


def render_chart(
    spec: Mapping[str, object] | ChartSpec,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    *,
    width: int = 640,
    height: int = 360,
    theme: str = "light",
    locale: str | None = None,
) -> Node:
    """An accessible `svg` tree of the chart, drawn from the rows `chart_steps(spec)` produced.

    Colours for `theme` are set as attributes (so an exported file stands alone) and every part
    has a class the page's CSS can restyle.
    """
    parsed, kind = parse(drawn_spec(spec, columns, rows))
    width, height = max(200, min(int(width), 4000)), max(150, min(int(height), 4000))
    colours = get_theme(theme)
    title = default_title(parsed)
    data = ChartData(columns, rows)
    loc = locale or parsed.locale
    title_h = TITLE_SIZE + 14
    legend_title = parsed.color

    def frame_for(drawing: Drawing | None) -> Frame:
        legend_rows = note_rows = 0
        if drawing is not None:
            title = drawing.legend_title or legend_title
            legend_rows = legend(drawing.legend, title, width, title_h, colours)[1]
            note_rows = len(drawing.notes)
        top = title_h + legend_rows * LEGEND_ROW + (4 if legend_rows else 0)
        return Frame(width, height, _PAD, top, _PAD, _PAD + note_rows * (FONT_SIZE + 6))

    # Two passes: a cheap one (no marks) learns the legend and notes, which decide the margins.
    probe = kind.draw(parsed, data, Canvas(frame_for(None), colours, loc, measure=True))
    drawing = kind.draw(parsed, data, Canvas(frame_for(probe), colours, loc))
    legend_node, _ = legend(drawing.legend, drawing.legend_title or legend_title, width, title_h, colours)
    heading, cut = fit_text(title, width - 2 * _PAD, TITLE_SIZE, bold=True)
    notes: list[Node | str | None] = []
    for i, note in enumerate(reversed(drawing.notes)):
        text, cut = fit_text(note, width - 2 * _PAD, FONT_SIZE - 1)
        attrs = {"class": "note", "x": _PAD, "y": height - 6 - i * (FONT_SIZE + 6)}
        notes.append(
            h(
                "text",
                {**attrs, "fill": colours.muted, "font-size": FONT_SIZE - 1},
                h("title", {}, note) if cut else None,
                text,
            )
        )
    description = " ".join([drawing.summary, *drawing.notes])
    return h(
        "svg",
        {
            "class": f"loupe-chart chart-{parsed.type} theme-{colours.name}",
            "viewBox": f"0 0 {width} {height}",
            "width": width,
            "height": height,
            "role": "img",
            "aria-label": title,
            "data-chart-type": parsed.type,
        },
        h("title", {}, title),
        h("desc", {}, description),
        h(
            "rect",
            {"class": "background", "width": width, "height": height, "fill": colours.background},
        ),
        h(
            "text",
            {
                "class": "chart-title",
                "x": _PAD,
                "y": _PAD + TITLE_SIZE - 2,
                "font-size": TITLE_SIZE,
                "font-weight": "600",
                "fill": colours.text,
            },
            h("title", {}, title) if cut else None,
            heading,
        ),
        legend_node,
        *drawing.marks,
        *notes,
    )


def chart_table(
    spec: Mapping[str, object] | ChartSpec,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    *,
    locale: str | None = None,
    max_rows: int = 1000,
) -> Node:
    """The chart's data as an HTML table, captioned with the chart title: the "view as table".

    Aggregated charts have few rows; a sampled scatter plot shows its first `max_rows` and says so.
    Rows whose mark meets an alert rule are marked as the marks are.
    """
    parsed, kind = parse(drawn_spec(spec, columns, rows))
    if kind.table is not None:
        drawn = kind.table(parsed, ChartData(columns, rows))
        columns, rows = drawn.columns, drawn.rows
    shown = rows[:max_rows]
    loc = locale or parsed.locale
    alerts = row_alerts(parsed, columns, shown, tested_column(parsed), loc)  # the rows of the marked marks
    table = render_table(columns, shown, total=len(shown), locale=loc, alerts=alerts)
    table[1]["class"] = "loupe-table chart-data"
    caption = default_title(parsed)
    if len(rows) > max_rows:
        caption += f" (first {max_rows:,} of {len(rows):,} rows)"
    table.insert(2, h("caption", {}, caption))
    return table
