"""The changes chart: diverging bars sorted by the size of their change, the words, the spec's checks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from loupe.engine import Engine
from loupe.errors import SpecError
from loupe.read import read_bytes
from loupe.render.chart import chart_steps, chart_table, render_chart, validate_chart
from loupe.render.tree import Node, find_all, svg_document, text_of
from loupe.table import Column

Snapshot = Callable[[str, str], None]
SALES = [
    Column("date", "date"),
    Column("region", "text"),
    Column("units", "integer"),
    Column("revenue", "float"),
]
SPEC: dict[str, Any] = {
    "type": "changes",
    "x": "region",
    "y": "revenue",
    "compare": {
        "column": "date",
        "before": ["2024-01-01", "2024-06-30"],
        "after": ["2024-07-01", "2024-12-31"],
    },
}
COLUMNS = [
    Column("region", "text"),
    Column("sum_revenue_before", "float"),
    Column("sum_revenue_after", "float"),
]
ROWS = [("North", 100_000.0, 112_000.0), ("South", 50_000.0, 68_000.0), ("East", 20_000.0, 19_000.0)]


def well_formed(svg: Node) -> str:
    doc = svg_document(svg)
    ET.fromstring(doc.split("\n", 1)[1])
    return doc


def bars(svg: Node) -> list[dict[str, Any]]:
    return [n[1] for n in find_all(svg, "rect", "bar")]


def test_bars_are_sorted_by_their_change_and_diverge_from_zero() -> None:
    svg = render_chart(SPEC, COLUMNS, ROWS)
    found = bars(svg)
    assert [b["class"].split()[-1] for b in found] == ["rise", "rise", "fall"]
    assert [b["y"] for b in found] == sorted(b["y"] for b in found)  # South (+18k) on top
    zero = find_all(svg, "line", "baseline")[0][1]["x1"]
    assert found[0]["x"] == pytest.approx(zero, abs=0.01) and found[2]["x"] + found[2][
        "width"
    ] == pytest.approx(zero, abs=0.01)
    assert found[0]["width"] == pytest.approx(18 * found[2]["width"], rel=0.01)
    labels = [text_of(t) for t in find_all(svg, "text", "value-label")]
    assert labels == ["+18k (62 %)", "+12k (41 %)", "−1k (−3 %)"]
    assert "North: +12k (41 % of the rise)" in text_of(find_all(svg, "desc")[0])
    assert "East: −1,000 (against the rise)" in text_of(find_all(svg, "desc")[0])
    note = [text_of(n) for n in find_all(svg, "text", "note")]
    sides = "170k (2024-01-01 to 2024-06-30) to 199k (2024-07-01 to 2024-12-31)"
    assert note == [f"Sum of revenue rose from {sides}, +29k (+17.1 %)."]
    assert text_of(find_all(svg, "title")[0]) == "Change in sum of revenue by region"


def test_the_tail_becomes_one_other_bar_and_the_table_lists_it() -> None:
    rows = [(f"r{i}", 10.0 * i, 10.0 * i + i) for i in range(1, 8)]
    spec = {**SPEC, "limit": 3, "compare": {**SPEC["compare"], "labels": ["H1", "H2"]}}
    svg = render_chart(spec, COLUMNS, rows)
    assert len(bars(svg)) == 4 and bars(svg)[-1]["class"].endswith("other")
    names = [text_of(t) for t in find_all(find_all(svg, "g", "axis-left")[0], "text")]
    assert names[:4] == ["r7", "r6", "r5", "other (4 more)"]
    table = chart_table(spec, COLUMNS, rows)
    body = find_all(table, "tr")[1:]
    assert [text_of(r[3]) for r in body] == ["r7", "r6", "r5", "other (4 more)"]
    assert text_of(body[-1][6]) == "10"  # 1 + 2 + 3 + 4


def test_steps_keep_either_side_and_group_once() -> None:
    steps = chart_steps(SPEC, SALES)
    assert [s["verb"] for s in steps] == ["filter", "derive", "derive", "groupby", "limit"]
    assert steps[3]["aggs"][0] == {"fn": "sum", "column": "loupe changes before", "as": "sum_revenue_before"}
    assert "< '2025-01-01'" in steps[2]["expr"]  # a date end takes its whole day


def test_datetimes_on_the_last_day_count(tmp_path: Any) -> None:
    engine = Engine()
    csv = "at,shop,n\n2024-06-30T18:00:00,a,5\n2024-07-01T00:00:00,a,7\n2024-01-01T00:00:00,b,1\n"
    engine.load(read_bytes(csv.encode(), "t.csv", name="t"))
    spec = {
        "type": "changes",
        "x": "shop",
        "y": "n",
        "compare": {"column": "at", "before": ["2024-01-01", "2024-06-30"], "after": ["2024-07-01", None]},
    }
    found = engine.run(chart_steps(spec, engine.schema("t")), "t")
    assert sorted(found.rows) == [("a", 5, 7), ("b", 1, None)]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"compare": None}, "a changes chart needs 'compare'"),
        ({"agg": "mean"}, "adds up contributions"),
        (
            {"compare": {"column": "date", "before": ["2024-01-01"], "after": [None, "2024-02-01"]}},
            "[start, end]",
        ),
        (
            {"compare": {"column": "date", "before": [None, None], "after": ["2024", None]}},
            "a start or an end",
        ),
        (
            {"compare": {"column": "date", "before": ["2024-02-01", "2024-01-01"], "after": ["a", None]}},
            "starts after",
        ),
        ({"compare": {"before": ["2024-01-01", None], "after": "x"}}, "must be a filter expression"),
        ({"compare": {"before": "units >", "after": "units > 1"}}, "not an expression"),
        ({"compare": {"before": "a", "after": "b", "when": 1}}, "unknown compare field"),
        ({"compare": {"before": "a", "after": "b", "labels": ["x"]}}, "two names"),
        ({"compare": {"before": "a", "after": "b"}, "type": "bar"}, "takes no 'compare'"),
    ],
)
def test_spec_errors_name_the_field(patch: dict[str, Any], message: str) -> None:
    raw = {**SPEC, **patch}
    with pytest.raises(SpecError) as info:
        validate_chart({k: v for k, v in raw.items() if v is not None}, SALES)
    assert message in info.value.message
    assert info.value.field is not None and info.value.field.split(".")[0] in ("compare", "agg")


@pytest.mark.parametrize(
    ("compare", "message", "column"),
    [
        (
            {"column": "dat", "before": ["2024-01-01", None], "after": ["2024-07-01", None]},
            "unknown column",
            "dat",
        ),
        ({"column": "units", "before": ["a", None], "after": [3, None]}, "does not fit 'units'", "units"),
        (
            {"column": "date", "before": [2024, None], "after": ["2024-07-01", None]},
            "does not fit 'date'",
            "date",
        ),
        ({"before": "unit > 3", "after": "units > 3"}, "compare.before", "unit"),
        (
            {"column": "date", "before": ["2024/01/01", None], "after": ["2024-07-01", None]},
            "is not a date",
            "date",
        ),
    ],
)
def test_columns_are_checked(compare: dict[str, Any], message: str, column: str) -> None:
    with pytest.raises(SpecError) as info:
        validate_chart({**SPEC, "compare": compare}, SALES)
    assert message in info.value.message and info.value.column == column


def test_no_rows_and_no_change_still_draw() -> None:
    assert "did not change" in " ".join(
        text_of(n) for n in find_all(render_chart(SPEC, COLUMNS, []), "text", "note")
    )
    flat = render_chart(SPEC, COLUMNS, [("a", 1.0, 2.0), ("b", 2.0, 1.0)])
    assert [text_of(t) for t in find_all(flat, "text", "value-label")] == ["+1", "−1"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_snapshot(theme: str, snapshot: Snapshot) -> None:
    spec = {**SPEC, "format": "currency", "compare": {**SPEC["compare"], "labels": ["H1", "H2"]}}
    rows = [*ROWS, ("West", 5_000.0, 4_000.0), ("Central", None, 2_500.0)]
    svg = render_chart(spec, COLUMNS, rows, width=560, height=320, theme=theme)
    snapshot(f"changes-{theme}.svg", well_formed(svg))


def test_markup_in_categories_and_labels_stays_text() -> None:
    """RELIABILITY 7: category names and side labels with markup keep the SVG well-formed, as text."""
    evil = "</text><script>alert(1)</script>&]]>--\x00"
    spec = {**SPEC, "compare": {**SPEC["compare"], "labels": [evil, "after <b>"]}}
    svg = render_chart(spec, COLUMNS, [(evil, 1.0, 3.0), ("ok", 2.0, 1.0)])
    doc = well_formed(svg)
    assert "<script" not in doc and "<b>" not in doc
    assert evil in text_of(find_all(find_all(svg, "g", "axis-left")[0], "text")[0])  # cut, full in a title
    assert evil in text_of(find_all(svg, "rect", "bar")[0])


def test_labels_false_leaves_the_bars_unlabelled() -> None:
    svg = render_chart({**SPEC, "labels": False}, COLUMNS, ROWS)
    assert len(bars(svg)) == 3 and not find_all(svg, "text", "value-label")
