"""render_table: what a person sees in the grid, and that data never becomes markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.render.table import MAX_TEXT, render_table
from loupe.render.tree import check, find_all, text_of, to_xml
from loupe.table import Column, Value

COLUMNS = [Column("id", "integer"), Column("name", "text"), Column("price", "float")]


def cells(tree: list[object]) -> list[list[str]]:
    return [[text_of(td) for td in find_all(tr, "td")] for tr in find_all(tree, "tr")[1:]]


@pytest.mark.parametrize(
    ("column", "value", "text", "css"),
    [
        (Column("n", "integer"), 1234567, "1,234,567", "num"),
        (Column("n", "integer"), 2**53 + 1, "9,007,199,254,740,993", "num"),
        (Column("n", "integer"), -5, "-5", "num"),
        (Column("x", "float"), 1234.5, "1,234.5", "num"),
        (Column("x", "float"), 0.1 + 0.2, "0.3", "num"),
        (Column("x", "float"), float("nan"), "NaN", "num"),
        (Column("b", "boolean"), True, "true", "bool"),
        (Column("b", "boolean"), False, "false", "bool"),
        (Column("s", "text"), None, "null", "null"),
        (Column("s", "text"), "", "", "text"),
        (Column("d", "date"), "2024-02-29", "2024-02-29", "date"),
    ],
)
def test_cells_are_formatted_by_value(column: Column, value: Value, text: str, css: str) -> None:
    td = find_all(render_table([column], [(value,)]), "td")[0]
    assert text_of(td) == text
    assert td[1]["class"].split()[0] == css


def test_headers_carry_name_type_and_column() -> None:
    th = find_all(render_table(COLUMNS, []), "th", "col")
    assert [t[1]["data-column"] for t in th] == ["id", "name", "price"]
    assert [text_of(find_all(t, "span", "type")[0]) for t in th] == ["int", "text", "float"]
    assert "num" in th[2][1]["class"] and "num" not in th[1][1]["class"]


def test_sort_state_marks_headers() -> None:
    th = find_all(render_table(COLUMNS, [], sort=[("price", True), ("id", False)]), "th", "col")
    by_name = {t[1]["data-column"]: t[1] for t in th}
    assert by_name["price"]["aria-sort"] == "descending"
    assert "aria-sort" not in by_name["id"]  # only the primary key gets aria-sort
    assert by_name["id"]["data-sort"] == "asc" and by_name["id"]["data-sort-rank"] == 2
    assert "data-sort" not in by_name["name"]


def test_rows_carry_absolute_indexes() -> None:
    tree = render_table(COLUMNS, [(1, "a", 1.0), (2, "b", 2.0)], offset=100, total=5000)
    rows = find_all(tree, "tr")[1:]
    assert [r[1]["data-row"] for r in rows] == [100, 101]
    assert [text_of(find_all(r, "th")[0]) for r in rows] == ["101", "102"]
    assert tree[1]["aria-rowcount"] == 5001


def test_long_text_is_truncated_with_full_title() -> None:
    long = "x" * 500
    table = render_table([Column("s", "text")], [(long,)])
    check(table)
    td = find_all(table, "td")[0]
    assert "trunc" in td[1]["class"]
    assert td[1]["tabindex"] == 0  # reachable by keyboard, where the page shows the full title
    assert td[1]["title"] == long
    assert len(text_of(td)) == MAX_TEXT


def test_markup_in_data_stays_text() -> None:
    evil = '<img src=x onerror="alert(1)">'
    tree = render_table([Column(evil, "text")], [(evil,)])
    assert find_all(tree, "td")[0][2] == evil
    xml = to_xml(tree)
    assert "<img" not in xml and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in xml


def test_sketches_draw_a_tiny_svg_per_column() -> None:
    tree = render_table(COLUMNS, [], sketches={"price": [1, 4, 2, 0]})
    svgs = find_all(tree, "svg", "sketch")
    assert len(svgs) == 1
    assert len(find_all(svgs[0], "rect")) == 3  # zero-height bars are skipped
    heights = [r[1]["height"] for r in find_all(svgs[0], "rect")]
    assert max(heights) == 16


def test_locale_changes_separators() -> None:
    tree = render_table([Column("x", "float")], [(1234.5,)], locale="de-DE")
    assert cells(tree) == [["1.234,5"]]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(-(2**80), 2**80)),
            st.one_of(st.none(), st.text()),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
        ),
        max_size=5,
    )
)
def test_any_values_render_to_parseable_xml(rows: list[tuple[Value, ...]]) -> None:
    tree = render_table(COLUMNS, rows)
    check(tree)  # cells are written as literals: they must still be what h() would build
    ET.fromstring(to_xml(tree))
    assert len(find_all(tree, "tr")) == len(rows) + 1


def test_floats_in_a_column_share_their_decimals() -> None:
    tree = render_table([Column("price", "float"), Column("n", "integer")], [(87.8, 1), (19.85, 2), (3.0, 3)])
    assert cells(tree) == [["87.80", "1"], ["19.85", "2"], ["3.00", "3"]]


def test_values_needing_many_decimals_are_not_rounded() -> None:
    tree = render_table([Column("x", "float")], [(0.1234567,), (1.5,)])
    assert cells(tree) == [["0.1234567"], ["1.5"]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=6))
def test_shared_decimals_never_change_a_value(values: list[float]) -> None:
    tree = render_table([Column("x", "float")], [(v,) for v in values])
    for v, [text] in zip(values, cells(tree), strict=True):
        # Never less precise than the cell alone would show (12 significant digits).
        assert abs(float(text.replace(",", "")) - v) <= abs(float(f"{v:.12g}") - v)


@pytest.mark.parametrize(
    ("alerts", "flag", "classes", "labels"),
    [
        (
            [None, "alert: revenue > 5", None],
            False,
            [None, "alert", None],
            [None, "alert: revenue > 5", None],
        ),
        (
            [None, "alert: revenue > 5", None],
            True,
            ["flagged", "flagged alert", None],
            [None, "alert: revenue > 5", None],
        ),
        (None, False, [None, None, None], [None, None, None]),
        ([None], False, [None, None, None], [None, None, None]),  # a shorter list marks no more rows
    ],
)
def test_rows_an_alert_rule_marks_get_a_class_and_a_labelled_marker(
    alerts: list[str | None] | None, flag: bool, classes: list[str | None], labels: list[str | None]
) -> None:
    columns = [Column("revenue", "float")]
    rows: list[tuple[Value, ...]] = [(1.0,), (9.0,), (2.0,)]
    if flag:
        columns += [Column("odd", "boolean", reason="why"), Column("why", "text")]
        rows = [(1.0, True, "far"), (9.0, True, "far"), (2.0, False, None)]
    body = find_all(render_table(columns, rows, alerts=alerts), "tr")[1:]
    assert [tr[1].get("class") for tr in body] == classes
    markers = [find_all(tr, "span", "alert-marker") for tr in body]
    assert [m[0][1]["aria-label"] if m else None for m in markers] == labels
    assert all(m[0][1]["role"] == "img" for m in markers if m)
