"""Bar and column charts: steps, marks, accessibility, escaping, validation, snapshots."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from loupe.errors import SpecError
from loupe.render.chart import chart_steps, chart_table, render_chart, validate_chart
from loupe.render.tree import find_all, svg_document, text_of, to_xml
from loupe.table import Column

SALES = [
    Column("date", "date"),
    Column("region", "text"),
    Column("product", "text"),
    Column("units", "integer"),
    Column("revenue", "float"),
]
SPEC = {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}
AGG_COLUMNS = [Column("region", "text"), Column("sum_revenue", "float")]
AGG_ROWS = [("North", 12500.5), ("South", 8300.0), ("East", 4100.25), ("West", 900.0)]


def test_bar_steps_group_sort_and_limit_in_sql() -> None:
    assert chart_steps(SPEC, SALES) == [
        {
            "verb": "groupby",
            "by": ["region"],
            "aggs": [{"fn": "sum", "as": "sum_revenue", "column": "revenue"}],
        },
        {"verb": "sort", "by": [{"column": "sum_revenue", "desc": True}]},
        {"verb": "limit", "n": 41},
    ]


def test_dates_sort_by_x_and_count_needs_no_y() -> None:
    steps = chart_steps({"type": "column", "x": "date"}, SALES)
    assert steps[0]["aggs"] == [{"fn": "count", "as": "count"}]
    assert steps[1] == {"verb": "sort", "by": [{"column": "date", "desc": False}]}


def test_one_focusable_bar_per_category_with_a_tooltip() -> None:
    svg = render_chart(SPEC, AGG_COLUMNS, AGG_ROWS)
    bars = find_all(svg, "rect", "bar")
    assert len(bars) == 4
    assert [b[1]["data-index"] for b in bars] == [0, 1, 2, 3]
    assert all(b[1]["tabindex"] == "0" for b in bars)
    assert text_of(find_all(bars[0], "title")[0]) == "region: North\nsum of revenue: 12,500.5"
    widths = [b[1]["width"] for b in bars]
    assert widths == sorted(widths, reverse=True)  # lengths follow the values


def test_bars_start_at_zero() -> None:
    svg = render_chart(SPEC, AGG_COLUMNS, [("a", 100.0), ("b", 90.0)])
    zero = find_all(svg, "line", "baseline")[0][1]["x1"]
    assert {b[1]["x"] for b in find_all(svg, "rect", "bar")} == {zero}


def test_negative_values_grow_the_other_way() -> None:
    svg = render_chart({**SPEC, "type": "column"}, AGG_COLUMNS, [("a", 50.0), ("b", -20.0)])
    zero = find_all(svg, "line", "baseline")[0][1]["y1"]
    a, b = find_all(svg, "rect", "bar")
    assert a[1]["y"] + a[1]["height"] == pytest.approx(zero, abs=0.02)
    assert b[1]["y"] == pytest.approx(zero, abs=0.02)


def test_chart_is_accessible() -> None:
    svg = render_chart(SPEC, AGG_COLUMNS, AGG_ROWS)
    assert svg[1]["role"] == "img"
    assert svg[1]["aria-label"] == "Sum of revenue by region"
    assert svg[2] == ["title", {}, "Sum of revenue by region"]
    assert svg[3][0] == "desc" and "4 bars" in svg[3][2] and "North" in svg[3][2]


def test_axis_has_nice_ticks_and_titles() -> None:
    svg = render_chart(SPEC, AGG_COLUMNS, AGG_ROWS)
    axis = find_all(svg, "g", "axis-value")[0]
    labels = [text_of(t) for t in find_all(axis, "text", "tick-label")]
    assert labels[0] == "0" and labels[-1] in ("12k", "14k", "15k")
    titles = [text_of(t) for t in find_all(svg, "text", "axis-title")]
    assert titles == ["sum of revenue", "region"]


def test_markup_in_a_category_is_text_in_tree_and_escaped_in_xml() -> None:
    evil = "<script>alert('x')</script>&"
    svg = render_chart(SPEC, AGG_COLUMNS, [(evil, 1.0)])
    labels = find_all(find_all(svg, "g", "axis-band")[0], "text", "tick-label")
    assert text_of(labels[0]).startswith("<script>")  # a plain text child, not a node
    assert all(isinstance(child, str) for child in labels[0][2:])
    xml = svg_document(svg)
    assert "<script" not in xml
    assert "&lt;script&gt;alert('x')&lt;/script&gt;&amp;" in xml
    ET.fromstring(xml.split("\n", 1)[1])  # still well-formed XML


def test_more_categories_than_the_limit_are_noted() -> None:
    rows = [(f"c{i}", float(100 - i)) for i in range(6)]
    svg = render_chart({**SPEC, "limit": 5}, AGG_COLUMNS, rows)
    assert len(find_all(svg, "rect", "bar")) == 5
    assert "first 5 categories" in svg[3][2]
    assert find_all(svg, "text", "note")


def test_null_category_and_value() -> None:
    svg = render_chart(SPEC, AGG_COLUMNS, [(None, 5.0), ("x", None)])
    labels = [text_of(t) for t in find_all(find_all(svg, "g", "axis-band")[0], "text")]
    assert "null" in labels
    assert "null" in find_all(svg, "rect", "bar")[1][1]["class"]


@pytest.mark.parametrize(
    ("spec", "field", "hint"),
    [
        ({"type": "bar", "x": "regoin"}, "x", 'did you mean "region"?'),
        ({"type": "bar", "x": "region", "y": "revenu"}, "y", 'did you mean "revenue"?'),
        ({"type": "bra", "x": "region"}, "type", 'did you mean "bar"?'),
        ({"type": "bar"}, "x", None),
        ({"type": "bar", "x": "region", "y": "product"}, "y", None),
        ({"type": "bar", "x": "region", "agg": "avg", "y": "units"}, "agg", None),
        ({"type": "bar", "x": "region", "agg": "sum"}, "y", None),
        ({"type": "bar", "x": "region", "colour": "product"}, "colour", 'did you mean "color"?'),
        ({"type": "bar", "x": "region", "limit": 0}, "limit", None),
        ({"type": "bar", "x": "region", "color": "region"}, "color", None),
        ({"type": "heatmap", "x": "region", "y": "region"}, "y", None),
        ({"type": "line", "x": "units", "time_unit": "month"}, "time_unit", None),
    ],
)
def test_invalid_specs_name_the_field(spec: dict[str, object], field: str, hint: str | None) -> None:
    with pytest.raises(SpecError) as info:
        validate_chart(spec, SALES)
    assert info.value.field == field
    if hint:
        assert info.value.hint == hint


def test_chart_table_shows_the_aggregated_rows() -> None:
    table = chart_table(SPEC, AGG_COLUMNS, AGG_ROWS)
    assert table[0] == "table"
    assert text_of(find_all(table, "caption")[0]) == "Sum of revenue by region"
    assert [text_of(td) for td in find_all(table, "td")][:2] == ["North", "12,500.50"]


def test_themes_set_colours_as_attributes() -> None:
    light = render_chart(SPEC, AGG_COLUMNS, AGG_ROWS, theme="light")
    dark = render_chart(SPEC, AGG_COLUMNS, AGG_ROWS, theme="dark")
    assert find_all(light, "rect", "background")[0][1]["fill"] == "#FFFFFF"
    assert find_all(dark, "rect", "background")[0][1]["fill"] != "#FFFFFF"
    assert "theme-dark" in dark[1]["class"]


@pytest.mark.parametrize("width", [300, 640, 1400])
def test_sizes_keep_marks_inside(width: int) -> None:
    svg = render_chart({**SPEC, "type": "column"}, AGG_COLUMNS, AGG_ROWS, width=width, height=300)
    for bar in find_all(svg, "rect", "bar"):
        assert bar[1]["x"] >= 0 and bar[1]["x"] + bar[1]["width"] <= width
        assert bar[1]["y"] >= 0 and bar[1]["y"] + bar[1]["height"] <= 300


def test_bar_snapshot(snapshot: Callable[[str, str], None]) -> None:
    snapshot("bar.svg", svg_document(render_chart(SPEC, AGG_COLUMNS, AGG_ROWS)))


def test_column_snapshot(snapshot: Callable[[str, str], None]) -> None:
    spec = {**SPEC, "type": "column"}
    snapshot("column.svg", to_xml(render_chart(spec, AGG_COLUMNS, AGG_ROWS, theme="dark")))


def test_few_bars_carry_their_values() -> None:
    svg = render_chart({**SPEC, "format": "currency"}, AGG_COLUMNS, AGG_ROWS)
    labels = [text_of(t) for t in find_all(svg, "text", "value-label")]
    assert labels == ["$12.5k", "$8.3k", "$4.1k", "$900"]  # one style for the whole chart
    assert (
        find_all(render_chart({**SPEC, "labels": False}, AGG_COLUMNS, AGG_ROWS), "text", "value-label") == []
    )


def test_stacked_bars_and_crowded_columns_have_no_value_labels() -> None:
    series = [Column("region", "text"), Column("channel", "text"), Column("sum_revenue", "float")]
    rows = [("a", "x", 1.0), ("a", "y", 2.0)]
    stacked = render_chart({**SPEC, "type": "column", "color": "channel", "mode": "stacked"}, series, rows)
    assert find_all(stacked, "text", "value-label") == []
    many = [(f"c{i}", 123456.0 + i) for i in range(20)]
    narrow = render_chart({**SPEC, "type": "column"}, AGG_COLUMNS, many, width=300)
    assert find_all(narrow, "text", "value-label") == []  # one would not fit, so none is drawn


def test_labels_must_be_a_boolean() -> None:
    with pytest.raises(SpecError) as info:
        validate_chart({**SPEC, "labels": "yes"}, SALES)
    assert info.value.field == "labels"
