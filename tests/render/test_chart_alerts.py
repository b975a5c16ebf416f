"""Alert rules and flagged rows: the bars and points they mark, the legend entry, the count in the words,
and a rule travelling in a document (parsed, saved, and valid against the shipped JSON Schema)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from loupe.document import parse_document
from loupe.engine import Engine, Result
from loupe.errors import SpecError
from loupe.read import read_bytes
from loupe.render.chart import chart_stats_steps, chart_steps, chart_table, render_chart, validate_chart
from loupe.render.chart_form import chart_form
from loupe.render.table import render_table
from loupe.render.theme import get_theme
from loupe.render.tree import Node, find_all, svg_document, text_of
from loupe.sample import sample_csv
from loupe.table import Column, Table, Value

Snapshot = Callable[[str, str], None]
ROOT = Path(__file__).parents[2]
MONTHS = [Column("date", "date"), Column("sum_revenue", "float")]
MONTH_ROWS: list[tuple[Value, ...]] = [
    ("2024-01-01", 800.0),
    ("2024-02-01", 1200.0),
    ("2024-03-01", 999.99),
    ("2024-04-01", 1000.0),
    ("2024-05-01", None),
]
LOW = {"op": "<", "value": 1000}


def notes(svg: Node) -> list[str]:
    return [text_of(n) for n in sorted(find_all(svg, "text", "note"), key=lambda n: float(n[1]["y"]))]


def legend(svg: Node) -> list[str]:
    return [text_of(t) for t in find_all(svg, "g", "legend-item")]


@pytest.mark.parametrize(
    ("rule", "hits", "words"),
    [
        (LOW, [0, 2], "Alert: 2 of 5 months below 1,000."),
        ({"op": "<=", "value": 1000}, [0, 2, 3], "Alert: 3 of 5 months at or below 1,000."),
        ({"op": ">", "value": 999.99}, [1, 3], "Alert: 2 of 5 months above 999.99."),
        ({"op": "==", "value": 1000, "label": "round"}, [3], "Alert: 1 of 5 months equal to 1,000 (round)."),
        ({"op": "!=", "value": 1000}, [0, 1, 2], "Alert: 3 of 5 months not equal to 1,000."),
    ],
)
def test_columns_meeting_a_rule_are_marked_and_counted(
    rule: dict[str, Any], hits: list[int], words: str
) -> None:
    spec = {"type": "column", "x": "date", "y": "revenue", "time_unit": "month", "alert": rule}
    svg = render_chart(spec, MONTHS, MONTH_ROWS)
    columns = find_all(svg, "rect", "bar")
    marked = [i for i, c in enumerate(columns) if "alert" in c[1]["class"].split()]
    assert marked == hits  # a missing value (May) meets no rule
    alert = get_theme("light").alert
    assert all(columns[i][1]["fill"] == alert for i in hits)
    assert all(c[1]["fill"] != alert for i, c in enumerate(columns) if i not in hits)
    assert words in notes(svg) and words in text_of(find_all(svg, "desc")[0])
    assert legend(svg) == [f"alert: {rule.get('label') or rule['op'] + ' ' + format(rule['value'], ',')}"]


def test_with_series_an_alert_keeps_the_series_colour_inside_an_outline() -> None:
    columns = [Column("region", "text"), Column("channel", "text"), Column("sum_units", "integer")]
    rows = [("East", "Online", 10), ("East", "Store", 30), ("West", "Online", 5)]
    svg = render_chart(
        {"type": "bar", "x": "region", "y": "units", "color": "channel", "alert": LOW | {"value": 8}},
        columns,
        rows,
    )
    bars = find_all(svg, "rect", "bar")
    hit = [b for b in bars if "alert" in b[1]["class"]]
    assert len(hit) == 1 and hit[0][1]["stroke"] == get_theme("light").alert
    assert hit[0][1]["fill"] == bars[0][1]["fill"]  # West/Online keeps Online's colour
    assert "Alert: 1 of 3 bars below 8." in notes(svg)
    assert "alert: sum of units < 8" in text_of(find_all(hit[0], "title")[0])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_line_points_get_rings_in_the_theme_alert_colour(theme: str) -> None:
    rules = [LOW, {"op": ">", "value": 1100, "label": "record"}]
    svg = render_chart(
        {"type": "line", "x": "date", "y": "revenue", "alert": rules}, MONTHS, MONTH_ROWS, theme=theme
    )
    rings = find_all(svg, "circle", "alert-mark")
    assert len(rings) == 3 and {r[1]["stroke"] for r in rings} == {get_theme(theme).alert}
    assert notes(svg)[-2:] == [
        "Alert: 2 of 4 points below 1,000.",
        "Alert: 1 of 4 points above 1,100 (record).",
    ]
    assert legend(svg) == ["alert: < 1,000 or record"]


def test_scatter_points_meeting_a_rule_on_y_get_rings() -> None:
    columns = [Column("price", "float"), Column("units", "integer")]
    rows = [(1.0, 5), (2.0, 50), (3.0, 7), (4.0, 80)]
    svg = render_chart(
        {"type": "scatter", "x": "price", "y": "units", "alert": {"op": ">=", "value": 50}}, columns, rows
    )
    marked = [c for c in find_all(svg, "circle", "point") if "alert" in c[1]["class"].split()]
    assert [c[1]["data-index"] for c in marked] == [1, 3]
    assert len(find_all(svg, "circle", "alert-mark")) == 2
    assert "Alert: 2 of 4 points at or above 50." in notes(svg)


@pytest.mark.parametrize(
    ("alert", "chart_type", "message"),
    [
        ({"op": "<>", "value": 1}, "bar", "unknown op"),
        ({"op": "<", "value": "1000"}, "bar", "needs a number 'value'"),
        ({"op": "<", "value": True}, "bar", "needs a number 'value'"),
        ({"op": "<", "value": 1, "colour": "red"}, "bar", "unknown alert field"),
        ([LOW] * 6, "bar", "at most 5 alert rules"),
        ([], "bar", "a rule or a list of rules"),
        ([LOW, 3], "bar", "alert[1] must be an object"),
    ],
)
def test_bad_rules_are_spec_errors(alert: Any, chart_type: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        validate_chart(
            {"type": chart_type, "x": "region", "y": "units", "alert": alert},
            [Column("region", "text"), Column("units", "integer")],
        )
    assert message in info.value.message and str(info.value.field).startswith("alert")


def test_a_rule_travels_in_a_document_and_fits_its_schema() -> None:
    chart = {"type": "column", "x": "date", "y": "revenue", "time_unit": "day", "alert": LOW}
    changes = {
        "type": "changes",
        "x": "region",
        "y": "revenue",
        "compare": {"column": "date", "before": ["2023-01-01", None], "after": "year(date) == 2024"},
    }
    raw = {
        "loupe": "document",
        "version": 1,
        "sources": [{"id": "s", "name": "sales.csv", "kind": "sample", "url": "sales.csv", "table": "sales"}],
        "tables": [{"name": "sales", "source": "s", "steps": []}],
        "charts": [{"table": "sales", "spec": chart}],
    }
    with pytest.raises(SpecError, match="must be a \\[start, end\\] pair"):  # mixed sides are refused
        parse_document({**raw, "charts": [{"table": "sales", "spec": changes}]})
    document = parse_document(raw)
    saved = document.to_json()
    assert saved["charts"][0]["spec"]["alert"] == LOW
    assert parse_document(json.loads(json.dumps(saved))).to_json() == saved
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "py" / "loupe" / "document.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(saved)
    bad = {**saved, "charts": [{"table": "sales", "spec": {**chart, "alert": {"op": "~", "value": 1}}}]}
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)


def test_alert_snapshot(snapshot: Snapshot) -> None:
    spec = {
        "type": "column",
        "x": "date",
        "y": "revenue",
        "time_unit": "month",
        "alert": LOW,
        "format": "currency",
    }
    svg = render_chart(spec, MONTHS, MONTH_ROWS, width=480, height=300, theme="dark")
    doc = svg_document(svg)
    ET.fromstring(doc.split("\n", 1)[1])
    snapshot("alert-dark.svg", doc)


# Rows flagged by flag_outliers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def flagged() -> tuple[Engine, list[dict[str, Any]]]:
    engine = Engine()
    engine.load(read_bytes(sample_csv().encode(), "sales.csv", name="sales"))
    return engine, [{"verb": "flag_outliers", "column": "revenue", "by": ["product"]}]


def test_flagged_rows_are_marked_in_the_table(flagged: tuple[Engine, list[dict[str, Any]]]) -> None:
    engine, steps = flagged
    result = engine.run(steps, "sales")
    rows = result.rows[:200]
    table = render_table(result.columns, rows)
    body = find_all(table, "tr")[1:]
    flag_at = [c.name for c in result.columns].index("revenue_outlier")
    expected = [i for i, row in enumerate(rows) if row[flag_at] is True]
    assert expected, "the sample has outliers in its first rows"
    assert [i for i, tr in enumerate(body) if tr[1].get("class") == "flagged"] == expected
    marker = find_all(body[expected[0]], "span", "flag-marker")[0][1]
    reason = rows[expected[0]][flag_at + 1]
    assert marker["role"] == "img" and marker["aria-label"] == f"outlier: {reason}"
    assert not find_all(body[(expected[0] + 1) % len(body)], "span", "flag-marker") or (
        expected[0] + 1 in expected
    )


def test_flagged_rows_are_crossed_on_line_and_scatter_charts(
    flagged: tuple[Engine, list[dict[str, Any]]],
) -> None:
    engine, steps = flagged
    result = engine.run(steps, "sales")
    by = {c.name: i for i, c in enumerate(result.columns)}
    months = {str(r[by["date"]])[:7] for r in result.rows if r[by["revenue_outlier"]]}
    total = len(result.rows)
    flagged_rows = sum(1 for r in result.rows if r[by["revenue_outlier"]])
    columns = engine.schema("sales")
    line = {"type": "line", "x": "date", "y": "revenue", "time_unit": "month"}
    scatter = {"type": "scatter", "x": "unit_price", "y": "revenue"}
    drawn: dict[str, Node] = {}
    for name, spec in (("line", line), ("scatter", scatter)):
        found = engine.run(steps + chart_steps(spec, result.columns), "sales")
        drawn[name] = render_chart(spec, found.columns, found.rows)
    assert len(find_all(drawn["line"], "path", "flag-mark")) == len(months)
    assert f"Flagged as outliers (revenue_outlier): {len(months)} of 24 months." in notes(drawn["line"])
    assert len(find_all(drawn["scatter"], "path", "flag-mark")) == min(flagged_rows, 2000)
    assert f"Flagged as outliers (revenue_outlier): {flagged_rows:,} of {total:,} points." in notes(
        drawn["scatter"]
    )
    assert "× rows flagged as outliers" in legend(drawn["scatter"])
    # Without a flag step the same charts draw no crosses.
    plain = engine.run(chart_steps(line, columns), "sales")
    assert not find_all(render_chart(line, plain.columns, plain.rows), "path", "flag-mark")


FLAG = {"verb": "flag_outliers", "column": "revenue", "by": ["product"]}


@pytest.mark.parametrize(
    ("steps", "flag", "reason"),
    [
        ([{**FLAG, "as": "odd"}], "odd", "odd_reason"),
        ([{**FLAG, "reason_as": "why"}], "revenue_outlier", "why"),
        ([{**FLAG, "as": "odd", "reason_as": "why"}], "odd", "why"),
        (
            [
                {**FLAG, "reason_as": "why"},
                {"verb": "rename", "columns": {"why": "because", "revenue_outlier": "odd"}},
            ],
            "odd",
            "because",
        ),
        ([{**FLAG, "reason_as": "why"}, {"verb": "drop", "columns": ["why"]}], "revenue_outlier", None),
        (
            [
                {**FLAG, "reason_as": "why"},
                {"verb": "select", "columns": ["date", "revenue", "revenue_outlier", "why"]},
            ],
            "revenue_outlier",
            "why",
        ),
    ],
)
def test_a_flag_is_marked_whatever_its_columns_are_named(
    flagged: tuple[Engine, list[dict[str, Any]]], steps: list[dict[str, Any]], flag: str, reason: str | None
) -> None:
    engine, _ = flagged
    result = engine.run(steps, "sales")
    by = {c.name: i for i, c in enumerate(result.columns)}
    rows = result.rows[:200]
    expected = [i for i, row in enumerate(rows) if row[by[flag]] is True]
    assert expected, "the sample has outliers in its first rows"
    body = find_all(render_table(result.columns, rows), "tr")[1:]
    assert [i for i, tr in enumerate(body) if tr[1].get("class") == "flagged"] == expected
    marker = find_all(body[expected[0]], "span", "flag-marker")[0][1]
    words = rows[expected[0]][by[reason]] if reason else "flagged"
    assert marker["aria-label"] == f"outlier: {words}"
    line = {"type": "line", "x": "date", "y": "revenue", "time_unit": "month"}
    scatter = {"type": "scatter", "x": "date", "y": "revenue"}
    for spec in (line, scatter):
        found = engine.run(steps + chart_steps(spec, result.columns), "sales")
        svg = render_chart(spec, found.columns, found.rows)
        assert find_all(svg, "path", "flag-mark"), spec["type"]
        assert any(n.startswith(f"Flagged as outliers ({flag}):") for n in notes(svg)), spec["type"]


# Alert rules on heatmaps, histograms, box plots and changes charts ----------------------------------

HALVES = Table(
    "halves",
    (Column("region", "text"), Column("product", "text"), Column("revenue", "float"), Column("half", "text")),
    [
        ("N", "a", 100.0, "H1"),
        ("N", "a", 200.0, "H2"),
        ("N", "b", 2000.0, "H1"),
        ("N", "b", 2500.0, "H2"),
        ("S", "a", 500.0, "H1"),
        ("S", "a", 300.0, "H2"),
        ("S", "b", 1500.0, "H1"),
        ("S", "b", 900.0, "H2"),
    ],
)
BY_HALF = {"before": 'half == "H1"', "after": 'half == "H2"'}


def aggregated(spec: dict[str, Any]) -> Result:
    """The rows the page draws the chart from: stats first, then the chart's steps, over HALVES."""
    engine = Engine()
    engine.load(HALVES)
    stats = None
    if first := chart_stats_steps(spec, HALVES.columns):
        found = engine.run(first, "halves")
        stats = dict(zip(found.column_names, found.rows[0], strict=True))
    return engine.run(chart_steps(spec, HALVES.columns, stats=stats), "halves")


def drawn(spec: dict[str, Any], theme: str = "light") -> Node:
    found = aggregated(spec)
    return render_chart(spec, found.columns, found.rows, theme=theme)


@pytest.mark.parametrize(
    ("spec", "mark", "hits", "words", "tooltip"),
    [
        # Cells: sums N·a 300, N·b 4,500, S·a 800, S·b 2,400.
        (
            {
                "type": "heatmap",
                "x": "region",
                "y": "product",
                "value": "revenue",
                "agg": "sum",
                "alert": LOW,
            },
            ("rect", "cell"),
            ["N a", "S a"],
            "Alert: 2 of 4 cells below 1,000.",
            "alert: sum of revenue < 1,000",
        ),
        # Bins of 500: 3, 2, 0, 1 and 2 rows; the rule counts rows, whatever x's format.
        (
            {
                "type": "histogram",
                "x": "revenue",
                "bins": 5,
                "format": "currency",
                "alert": {"op": ">=", "value": 2},
            },
            ("rect", "bar"),
            [0, 1, 4],
            "Alert: 3 of 5 bins at or above 2.",
            "alert: count >= 2",
        ),
        # Medians: N 1,100, S 700.
        (
            {
                "type": "box",
                "x": "region",
                "y": "revenue",
                "alert": {"op": ">", "value": 1000, "label": "high"},
            },
            ("g", "box"),
            ["N"],
            "Alert: 1 of 2 boxes above 1,000 (high).",
            "alert: high",
        ),
        # Changes: N +600, S −800.
        (
            {
                "type": "changes",
                "x": "region",
                "y": "revenue",
                "compare": BY_HALF,
                "alert": {"op": "<", "value": 0},
            },
            ("rect", "change"),
            ["S"],
            "Alert: 1 of 2 bars below 0.",
            "alert: change in sum of revenue < 0",
        ),
    ],
)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_more_chart_types_mark_and_count_what_meets_a_rule(
    spec: dict[str, Any], mark: tuple[str, str], hits: list[Any], words: str, tooltip: str, theme: str
) -> None:
    svg = drawn(spec, theme)
    marks = find_all(svg, *mark)
    assert marks
    alert = get_theme(theme).alert
    marked = [m for m in marks if "alert" in m[1]["class"].split()]

    def name(m: Node) -> Any:  # a mark's category, read from its tooltip, or its index
        first = text_of(find_all(m, "title")[0]).split("\n")
        if spec["type"] == "heatmap":
            return " ".join(line.split(": ", 1)[1] for line in first[:2])
        return first[0].split(": ", 1)[1] if spec["type"] in ("box", "changes") else m[1]["data-index"]

    assert [name(m) for m in marked] == hits
    for m in marked:
        outlined = m if m[0] == "rect" else find_all(m, "rect", "box-body")[0]
        assert outlined[1]["stroke"] == alert and outlined[1]["stroke-width"] == 2
        assert tooltip in text_of(find_all(m, "title")[0])
    for m in marks:
        if m not in marked:
            assert "alert:" not in text_of(find_all(m, "title")[0])
    assert words in notes(svg)
    assert words in text_of(find_all(svg, "desc")[0])  # the description a screen reader reads
    assert any(entry.startswith("alert: ") for entry in legend(svg))
    # The chart's table (its accessible alternative) marks the same marks' rows, labelled with the rule.
    found = aggregated(spec)
    body = find_all(chart_table(spec, found.columns, found.rows), "tr")[1:]
    rows = [tr for tr in body if "alert" in str(tr[1].get("class", "")).split()]
    assert len(rows) == len(hits)
    assert all(tooltip in find_all(tr, "span", "alert-marker")[0][1]["aria-label"] for tr in rows)


@pytest.mark.parametrize("chart_type", ["heatmap", "histogram", "box", "changes"])
def test_the_form_offers_alert_rules_on_the_newly_supported_types(chart_type: str) -> None:
    fields = {f["name"]: f for t in chart_form()["types"] if t["name"] == chart_type for f in t["fields"]}
    assert fields["alert.op"]["group"] == "insight" and "alert.value" in fields
