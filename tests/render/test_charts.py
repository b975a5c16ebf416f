"""Every chart type drawn from small aggregated data: the marks a reader sees, and a snapshot each."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.errors import SpecError
from loupe.render.chart import (
    CHART_TYPES,
    chart_stats_steps,
    chart_steps,
    chart_table,
    render_chart,
    validate_chart,
)
from loupe.render.tree import Node, find_all, svg_document, text_of
from loupe.table import Column, Value

Snapshot = Callable[[str, str], None]
TEXT, INT, FLOAT, DATE = "text", "integer", "float", "date"


def cols(*pairs: tuple[str, str]) -> list[Column]:
    return [Column(name, kind) for name, kind in pairs]  # type: ignore[arg-type]


def titles(svg: Node, cls: str, tag: str = "rect") -> list[str]:
    return [text_of(find_all(m, "title")[0]) for m in find_all(svg, tag, cls)]


def well_formed(svg: Node) -> str:
    doc = svg_document(svg)
    ET.fromstring(doc.split("\n", 1)[1])
    return doc


# Grouped / stacked / normalised bars ------------------------------------------------------------

SERIES_COLUMNS = cols(("region", TEXT), ("channel", TEXT), ("sum_units", INT))
SERIES_ROWS: list[tuple[Value, ...]] = [
    ("East", "Online", 10),
    ("East", "Store", 30),
    ("West", "Online", 20),
    ("West", "Store", 20),
]
SERIES_SPEC = {"type": "column", "x": "region", "y": "units", "color": "channel"}


def test_series_steps_group_by_both() -> None:
    steps = chart_steps(SERIES_SPEC)
    assert steps[0]["by"] == ["region", "channel"]


def test_grouped_bars_sit_side_by_side() -> None:
    svg = render_chart(SERIES_SPEC, SERIES_COLUMNS, SERIES_ROWS)
    bars = find_all(svg, "rect", "bar")
    assert len(bars) == 4
    east_online, east_store = bars[0][1], bars[1][1]
    assert east_store["x"] == pytest.approx(east_online["x"] + east_online["width"], abs=0.02)
    legend = find_all(svg, "g", "legend")[0]
    assert [text_of(t) for t in find_all(legend, "text")] == ["channel", "Online", "Store"]


def test_stacked_bars_add_up() -> None:
    svg = render_chart({**SERIES_SPEC, "mode": "stacked"}, SERIES_COLUMNS, SERIES_ROWS)
    bars = [b[1] for b in find_all(svg, "rect", "bar")]
    east = [b for b in bars if b["x"] == bars[0]["x"]]
    assert len(east) == 2
    upper, lower = sorted(east, key=lambda b: b["y"])
    assert upper["y"] + upper["height"] == pytest.approx(lower["y"], abs=0.02)  # stacked, no gap
    assert upper["height"] == pytest.approx(3 * lower["height"], abs=0.05)  # Store 30 on Online 10


def test_normalized_bars_fill_the_axis() -> None:
    svg = render_chart({**SERIES_SPEC, "mode": "normalized"}, SERIES_COLUMNS, SERIES_ROWS)
    heights = {}
    for b in find_all(svg, "rect", "bar"):
        heights.setdefault(b[1]["x"], 0.0)
        heights[b[1]["x"]] += b[1]["height"]
    assert len(set(round(h) for h in heights.values())) == 1
    labels = [text_of(t) for t in find_all(find_all(svg, "g", "axis-value")[0], "text")]
    assert "100%" in labels
    assert titles(svg, "bar")[0].endswith("share: 25.0%")


# Line and area --------------------------------------------------------------------------------

LINE_COLUMNS = cols(("date", DATE), ("region", TEXT), ("sum_revenue", FLOAT))
LINE_ROWS: list[tuple[Value, ...]] = [
    ("2024-01-01", "North", 10.0),
    ("2024-01-01", "South", 5.0),
    ("2024-02-01", "North", 12.0),
    ("2024-02-01", "South", None),
    ("2024-03-01", "North", 9.0),
    ("2024-03-01", "South", 7.0),
]
LINE_SPEC = {"type": "line", "x": "date", "y": "revenue", "color": "region"}


def test_line_steps_sort_by_x() -> None:
    steps = chart_steps(LINE_SPEC)
    assert steps[1] == {
        "verb": "sort",
        "by": [{"column": "date", "desc": False}, {"column": "region", "desc": False}],
    }


def test_lines_one_path_per_series_with_gaps_for_nulls() -> None:
    svg = render_chart(LINE_SPEC, LINE_COLUMNS, LINE_ROWS)
    paths = find_all(svg, "path", "line")
    assert len(paths) == 2
    south = paths[1][1]["d"]
    assert south.count("M") == 2 and "L" not in south  # the null month breaks the line
    points = find_all(svg, "circle", "point")
    assert len(points) == 5
    assert "date: Feb 1, 2024" in titles(svg, "point", "circle")[1]
    assert [text_of(t) for t in find_all(find_all(svg, "g", "axis-bottom")[0], "text")][:1] == ["2024"]


def test_stacked_area_tops_equal_totals() -> None:
    rows = [r if r[2] is not None else (r[0], r[1], 0.0) for r in LINE_ROWS]
    svg = render_chart({**LINE_SPEC, "type": "area"}, LINE_COLUMNS, rows)
    assert len(find_all(svg, "path", "area")) == 2
    tops = {}
    for circle in find_all(svg, "circle", "point"):
        cx, cy = circle[1]["cx"], circle[1]["cy"]
        tops[cx] = min(tops.get(cx, 1e9), cy)
    # January total 15 sits higher than March total 16? No: 16 > 15, so March's top is higher.
    jan, _feb, mar = (tops[k] for k in sorted(tops))
    assert mar < jan


def test_line_over_numbers_uses_a_linear_axis() -> None:
    svg = render_chart(
        {"type": "line", "x": "units", "y": "revenue"},
        cols(("units", INT), ("sum_revenue", FLOAT)),
        [(1, 5.0), (2, 7.0), (10, 1.0)],
    )
    xs = [c[1]["cx"] for c in find_all(svg, "circle", "point")]
    assert xs[2] - xs[1] > 5 * (xs[1] - xs[0])  # 2 -> 10 is 8x the gap of 1 -> 2


# Scatter -------------------------------------------------------------------------------------

SCATTER_COLUMNS = cols(("unit_price", FLOAT), ("revenue", FLOAT), ("product", TEXT), ("units", INT))
SCATTER_ROWS: list[tuple[Value, ...]] = [
    (10.0, 100.0, "Kettle", 10),
    (20.0, 400.0, "Grinder", 20),
    (30.0, 300.0, "Kettle", 10),
    (40.0, None, "Scale", 5),
]
SCATTER_SPEC = {
    "type": "scatter",
    "x": "unit_price",
    "y": "revenue",
    "color": "product",
    "size": "units",
}


def test_scatter_steps_drop_nulls_and_sample() -> None:
    steps = chart_steps(SCATTER_SPEC)
    assert steps[0] == {"verb": "select", "columns": ["unit_price", "revenue", "product", "units"]}
    assert steps[1] == {"verb": "filter", "column": "unit_price", "op": "not_null"}
    assert steps[-1]["n"] in (20_000, 20_001)


def test_scatter_points_colour_and_size() -> None:
    svg = render_chart(SCATTER_SPEC, SCATTER_COLUMNS, SCATTER_ROWS)
    points = find_all(svg, "circle", "point")
    assert len(points) == 3  # the row without y has no position
    by_index = {p[1]["data-index"]: p[1] for p in points}
    assert by_index[1]["r"] > by_index[0]["r"]  # 20 units draw bigger than 10
    assert by_index[0]["fill"] == by_index[2]["fill"] != by_index[1]["fill"]
    legend = [text_of(t) for t in find_all(svg, "g", "legend-item")]
    assert legend == ["Kettle", "Grinder", "Scale"]


def test_scatter_says_when_it_is_sampled() -> None:
    rows = [(float(i), float(i), "a", 1) for i in range(101)]
    svg = render_chart({**SCATTER_SPEC, "sample": 100}, SCATTER_COLUMNS, rows)
    assert len(find_all(svg, "circle", "point")) == 100
    assert "sample of 100 rows" in svg[3][2]


def test_big_scatter_draws_a_path_per_colour_with_every_point() -> None:
    rows = [(float(i), float(i % 50), "ab"[i % 2], 1) for i in range(3000)]
    svg = render_chart(SCATTER_SPEC, SCATTER_COLUMNS, rows)
    assert not find_all(svg, "circle", "point")
    paths = find_all(svg, "path", "point-group")
    assert len(paths) == 2 and all("mark" in p[1]["class"].split() for p in paths)
    assert sum(p[1]["d"].count("M") for p in paths) == 3000
    assert len({p[1]["stroke"] for p in paths}) == 2
    assert [text_of(find_all(p, "title")[0]) for p in paths] == ["1,500 points", "1,500 points"]
    assert "3000 points" in svg[3][2] and "use the table view" in svg[3][2]


# Histogram -----------------------------------------------------------------------------------


def test_histogram_bins_distinct_value_counts() -> None:
    spec = {"type": "histogram", "x": "revenue", "bins": 5}
    rows = [(1.0, 3), (2.5, 1), (9.0, 2), (10.0, 4)]
    svg = render_chart(spec, cols(("revenue", FLOAT), ("count", INT)), rows)
    bars = find_all(svg, "rect", "bar")
    counts = [int(t.split("count: ")[1].split(" ")[0]) for t in titles(svg, "bar")]
    assert sum(counts) == 10
    # Bins [0, 2) [2, 4) [4, 6) [6, 8) [8, 10]: the last one is closed and holds the maximum.
    assert counts == [3, 1, 0, 0, 6]
    assert len(bars) == 5


def test_histogram_sql_binning_with_stats() -> None:
    spec = {"type": "histogram", "x": "revenue", "bins": 10}
    stats_steps = chart_stats_steps(spec)
    assert stats_steps and stats_steps[0]["verb"] == "groupby"
    steps = chart_steps(spec, stats={"min": 0.0, "max": 97.0})
    derive = [s for s in steps if s["verb"] == "derive"]
    assert derive and derive[0]["as"] == "bin"
    binned = render_chart(spec, cols(("bin", FLOAT), ("count", INT)), [(0.0, 5), (10.0, 3), (90.0, 1)])
    assert len(find_all(binned, "rect", "bar")) == 10  # empty bins in between are drawn


def test_histogram_of_subnormal_numbers_is_one_bin() -> None:
    # Floats this small have no nice step (it underflows to 0): every value still lands in a bar.
    spec = {"type": "histogram", "x": "revenue"}
    svg = render_chart(spec, cols(("revenue", FLOAT), ("count", INT)), [(0.0, 2), (2.2250738585e-313, 3)])
    counts = [int(t.split("count: ")[1].split(" ")[0]) for t in titles(svg, "bar")]
    assert counts == [5]


# Heatmap ------------------------------------------------------------------------------------

HEAT_SPEC = {"type": "heatmap", "x": "region", "y": "product", "value": "units"}
HEAT_COLUMNS = cols(("region", TEXT), ("product", TEXT), ("sum_units", INT))
HEAT_ROWS: list[tuple[Value, ...]] = [
    ("East", "Kettle", 5),
    ("East", "Scale", 50),
    ("West", "Kettle", 20),
    ("West", "Scale", None),
]


def test_heatmap_one_cell_per_pair() -> None:
    assert chart_steps(HEAT_SPEC)[0]["by"] == ["region", "product"]
    svg = render_chart(HEAT_SPEC, HEAT_COLUMNS, HEAT_ROWS)
    cells = find_all(svg, "rect", "cell")
    assert len(cells) == 4
    fills = [c[1]["fill"] for c in cells]
    assert fills[0] != fills[1]
    assert "null" in cells[3][1]["class"]
    assert "sum of units: 50" in titles(svg, "cell")[1]
    assert [text_of(t) for t in find_all(svg, "text", "cell-label")][:2] == ["5", "50"]


def test_heatmap_needs_value_for_sums() -> None:
    with pytest.raises(SpecError) as info:
        validate_chart({"type": "heatmap", "x": "region", "y": "product", "agg": "sum"}, HEAT_COLUMNS)
    assert info.value.field == "value"


# Box plot -----------------------------------------------------------------------------------


def test_box_plot_quartiles_from_weighted_values() -> None:
    spec = {"type": "box", "x": "product", "y": "price"}
    assert chart_steps(spec)[1]["by"] == ["product", "price"]
    rows = [("a", float(v), 1) for v in range(1, 10)] + [("a", 100.0, 1), ("b", 5.0, 4)]
    svg = render_chart(spec, cols(("product", TEXT), ("price", FLOAT), ("count", INT)), rows)
    boxes = find_all(svg, "g", "box")
    assert len(boxes) == 2
    a = text_of(find_all(boxes[0], "title")[0])
    assert "median: 5.5" in a and "quartiles: 3.25 to 7.75" in a and "outliers: 1" in a
    assert len(find_all(boxes[0], "circle", "outlier")) == 1
    assert "rows: 4" in text_of(find_all(boxes[1], "title")[0])


# Every type ---------------------------------------------------------------------------------

EXAMPLES: dict[str, tuple[dict[str, object], list[Column], list[tuple[Value, ...]]]] = {
    "bar": (
        {"type": "bar", "x": "region", "y": "units"},
        cols(("region", TEXT), ("sum_units", INT)),
        [("East", 5), ("West", 3)],
    ),
    "column": (SERIES_SPEC, SERIES_COLUMNS, SERIES_ROWS),
    "line": (LINE_SPEC, LINE_COLUMNS, LINE_ROWS),
    "area": ({**LINE_SPEC, "type": "area"}, LINE_COLUMNS, LINE_ROWS),
    "scatter": (SCATTER_SPEC, SCATTER_COLUMNS, SCATTER_ROWS),
    "histogram": (
        {"type": "histogram", "x": "revenue", "bins": 5},
        cols(("revenue", FLOAT), ("count", INT)),
        [(1.0, 3), (2.5, 1), (9.0, 2), (10.0, 4)],
    ),
    "heatmap": (HEAT_SPEC, HEAT_COLUMNS, HEAT_ROWS),
    "changes": (
        {
            "type": "changes",
            "x": "region",
            "y": "revenue",
            "compare": {
                "column": "date",
                "before": ["2024-01-01", "2024-06-30"],
                "after": ["2024-07-01", None],
            },
        },
        cols(("region", TEXT), ("sum_revenue_before", FLOAT), ("sum_revenue_after", FLOAT)),
        [("North", 100.0, 130.0), ("South", 80.0, 70.0), ("East", None, 5.0)],
    ),
    "box": (
        {"type": "box", "x": "product", "y": "price"},
        cols(("product", TEXT), ("price", FLOAT), ("count", INT)),
        [("a", 1.0, 2), ("a", 4.0, 1), ("b", 2.0, 3)],
    ),
}


def test_examples_cover_every_registered_type() -> None:
    assert set(EXAMPLES) == set(CHART_TYPES)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_type_is_accessible_and_well_formed(kind: str) -> None:
    spec, columns, rows = EXAMPLES[kind]
    svg = render_chart(spec, columns, rows)
    assert svg[1]["role"] == "img" and svg[1]["aria-label"]
    assert svg[2][0] == "title" and svg[3][0] == "desc" and svg[3][2]
    marks = [
        n
        for n in find_all(svg, "rect") + find_all(svg, "circle") + find_all(svg, "g")
        if "mark" in str(n[1].get("class", "")).split()
    ]
    assert marks and all("data-index" in m[1] for m in marks)
    assert all(find_all(m, "title") for m in marks)
    well_formed(svg)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
@pytest.mark.parametrize("width", [300, 1200])
def test_every_type_fits_small_and_large(kind: str, width: int) -> None:
    spec, columns, rows = EXAMPLES[kind]
    svg = render_chart(spec, columns, rows, width=width, height=300)
    for node in find_all(svg, "rect", "mark") + find_all(svg, "circle", "mark"):
        a = node[1]
        x, y = a.get("x", a.get("cx", 0)), a.get("y", a.get("cy", 0))
        assert -1 <= x <= width + 1 and -1 <= y <= 301


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_type_has_a_table_view(kind: str) -> None:
    spec, columns, rows = EXAMPLES[kind]
    table = chart_table(spec, columns, rows)
    assert find_all(table, "caption")
    body = find_all(table, "tr")[1:]
    if kind == "histogram":  # the drawn bins, not the SQL counts per distinct value
        assert [text_of(th) for th in find_all(table, "th", "col")] == ["fromfloat", "tofloat", "countint"]
        assert len(body) == 5
    elif kind == "box":  # one row of box numbers per group
        assert len(body) == 2
        assert "median" in [t[1]["data-column"] for t in find_all(table, "th", "col")]
    else:
        assert len(body) == len(rows)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_snapshot(kind: str, snapshot: Snapshot) -> None:
    spec, columns, rows = EXAMPLES[kind]
    snapshot(f"chart-{kind}.svg", well_formed(render_chart(spec, columns, rows, width=480, height=300)))


def test_dark_snapshot(snapshot: Snapshot) -> None:
    spec, columns, rows = EXAMPLES["line"]
    snapshot("line-dark.svg", well_formed(render_chart(spec, columns, rows, theme="dark")))


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_type_survives_no_rows(kind: str) -> None:
    spec, columns, _ = EXAMPLES[kind]
    svg = render_chart(spec, columns, [])
    assert svg[0] == "svg" and svg[3][2]  # still a titled, described (empty) chart
    well_formed(svg)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_type_survives_all_nulls(kind: str) -> None:
    spec, columns, rows = EXAMPLES[kind]
    nulls = [tuple(None for _ in row) for row in rows]
    well_formed(render_chart(spec, columns, nulls))


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_type_survives_one_row(kind: str) -> None:
    spec, columns, rows = EXAMPLES[kind]
    well_formed(render_chart(spec, columns, rows[:1]))


CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2024-01-01", "2024-02-30", "1999-12-31T23:59:59", "<b>&"]),
)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(EXAMPLES)), st.lists(st.tuples(CELL, CELL, CELL, CELL), max_size=8))
def test_any_cells_render_to_well_formed_svg(kind: str, raw: list[tuple[Value, ...]]) -> None:
    spec, columns, _ = EXAMPLES[kind]
    rows = [row[: len(columns)] for row in raw]
    well_formed(render_chart(spec, columns, rows, width=320, height=200))


def test_box_plot_samples_when_stats_say_too_many_pairs() -> None:
    spec = {"type": "box", "x": "product", "y": "price"}
    stats_steps = chart_stats_steps(spec)
    assert stats_steps and stats_steps[0]["aggs"][0]["fn"] == "count_distinct"
    exact = chart_steps(spec, stats={"distinct_y": 100, "distinct_x": 3})
    assert all(s["verb"] != "sample" for s in exact)
    sampled = chart_steps(spec, stats={"distinct_y": 90_000, "distinct_x": 3})
    assert {"verb": "sample", "n": 50_000, "seed": 0} in sampled
    assert sampled[0] == {"verb": "select", "columns": ["product", "price"]}
    assert next(s for s in sampled if s["verb"] == "groupby")["aggs"][0]["as"] == "sampled_count"
    columns = cols(("product", TEXT), ("price", FLOAT), ("sampled_count", INT))
    svg = render_chart(spec, columns, [("a", 1.0, 3), ("a", 2.0, 1)])
    assert "estimated from a random sample" in svg[3][2]


@pytest.mark.parametrize(
    ("stats", "unit"),
    [
        (None, None),
        ({"min_x": "2024-01-01", "max_x": "2024-12-31", "distinct_x": 366}, None),
        ({"min_x": "2024-01-01T00:00:00", "max_x": "2024-01-20T00:00:00", "distinct_x": 90_000}, "hour"),
        ({"min_x": "2020-01-01T00:00:00", "max_x": "2022-06-01T00:00:00", "distinct_x": 90_000}, "day"),
        ({"min_x": "2000-01-01", "max_x": "2024-01-01", "distinct_x": 8_000}, "month"),
        ({"min_x": "1800-01-01", "max_x": "2024-01-01", "distinct_x": 80_000}, "quarter"),
    ],
)
def test_long_time_series_are_bucketed(stats: dict[str, object] | None, unit: str | None) -> None:
    columns = [Column("date", "datetime"), Column("revenue", "float")]
    steps = chart_steps({"type": "line", "x": "date", "y": "revenue"}, columns, stats=stats)
    derive = [s for s in steps if s["verb"] == "derive"]
    if unit is None:
        assert derive == []
    else:
        expected = chart_steps({"type": "line", "x": "date", "y": "revenue", "time_unit": unit}, columns)
        assert steps == expected


def test_a_chosen_time_unit_needs_no_stats_query() -> None:
    assert chart_stats_steps({"type": "line", "x": "date", "y": "revenue"})
    assert chart_stats_steps({"type": "line", "x": "date", "y": "revenue", "time_unit": "month"}) is None


def test_a_long_legend_wraps_and_pushes_the_plot_down() -> None:
    many = [("2024-01-01", f"region number {i}", float(i)) for i in range(12)]
    few = [("2024-01-01", "North", 1.0), ("2024-01-01", "South", 2.0)]

    def plot_top(rows: list[tuple[Value, ...]]) -> tuple[float, int]:
        svg = render_chart({**LINE_SPEC, "type": "column"}, LINE_COLUMNS, rows, width=400)
        rows_used = len({item[2][1]["y"] for item in find_all(svg, "g", "legend-item")})
        grid = find_all(find_all(svg, "g", "axis-value")[0], "line", "grid")
        return min(line[1]["y1"] for line in grid), rows_used

    top_few, rows_few = plot_top(few)
    top_many, rows_many = plot_top(many)
    assert rows_few == 1 and rows_many > 1
    assert top_many > top_few


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("auto", ["West", "East"]),
        ("x", ["East", "West"]),
        ("-x", ["West", "East"]),
        ("value", ["East", "West"]),
    ],
)
def test_series_bars_follow_the_sort(sort: str, order: list[str]) -> None:
    svg = render_chart(
        {**SERIES_SPEC, "sort": sort, "labels": False},
        SERIES_COLUMNS,
        [*SERIES_ROWS, ("West", "Wholesale", 5)],
    )
    labels = [text_of(t) for t in find_all(find_all(svg, "g", "axis-band")[0], "text", "tick-label")]
    assert labels == order
