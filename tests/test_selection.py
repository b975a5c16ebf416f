"""A chart selection becomes one filter expression: the text a "Keep as a filter step" shows, and the
rows it keeps when run (nulls, numbers, dates and time buckets, quotes in text, several marks)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.engine import Engine
from loupe.errors import SpecError
from loupe.sample import sample_csv
from loupe.selection import describe_selection, parse_selection, selection_expr, selection_step
from loupe.table import Column, Table

COLUMNS = (
    Column("id", "integer"),
    Column("region", "text"),
    Column("amount", "integer"),
    Column("price", "float"),
    Column("day", "date"),
    Column("at", "datetime"),
    Column("paid", "boolean"),
    Column("unit price", "float"),
)
ROWS = [
    (1, "North", 10, 1.5, "2024-01-31", "2024-01-31T23:30:00", True, 2.0),
    (2, 'O\'Brien "Jr"', -7, None, "2024-02-01", "2024-02-01T00:00:00", False, None),
    (3, None, 10, 2.25, None, None, None, 2.0),
    (4, "North", 20, 0.1, "2024-03-31", "2024-03-31T10:15:00", True, 3.5),
    (5, "Zürich", 0, -1e-3, "2024-12-30", "2024-12-31T10:59:59", False, 2.0),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    e = Engine()
    e.load(Table("t", COLUMNS, ROWS))
    return e


def kept(engine: Engine, marks: list[list[dict[str, Any]]]) -> list[int]:
    result = engine.run([selection_step(marks, COLUMNS), {"verb": "sort", "by": [{"column": "id"}]}], "t")
    return [row[0] for row in result.rows]


CASES = [
    # (marks, expression, ids kept)
    ([[{"column": "region", "value": "North"}]], 'col("region") == "North"', [1, 4]),
    ([[{"column": "region", "value": None}]], 'col("region") is None', [3]),
    ([[{"column": "region", "value": 'O\'Brien "Jr"'}]], 'col("region") == "O\'Brien \\"Jr\\""', [2]),
    ([[{"column": "region", "value": "Zürich"}]], 'col("region") == "Zürich"', [5]),
    ([[{"column": "amount", "value": 10}]], 'col("amount") == 10', [1, 3]),
    ([[{"column": "amount", "value": -7}]], 'col("amount") == -7', [2]),
    ([[{"column": "price", "value": 0.1}]], 'col("price") == 0.1', [4]),
    ([[{"column": "price", "value": -0.001}]], 'col("price") == -0.001', [5]),
    ([[{"column": "paid", "value": True}]], 'col("paid") == True', [1, 4]),
    ([[{"column": "paid", "value": None}]], 'col("paid") is None', [3]),
    ([[{"column": "day", "value": "2024-02-01"}]], 'col("day") == "2024-02-01"', [2]),
    ([[{"column": "unit price", "value": 2.0}]], 'col("unit price") == 2.0', [1, 3, 5]),
    # Time buckets select their range: the start, up to the next bucket's start.
    (
        [[{"column": "day", "value": "2024-01-01", "unit": "month"}]],
        'col("day") >= "2024-01-01" and col("day") < "2024-02-01"',
        [1],
    ),
    (
        [[{"column": "day", "value": "2024-01-01", "unit": "quarter"}]],
        'col("day") >= "2024-01-01" and col("day") < "2024-04-01"',
        [1, 2, 4],
    ),
    (
        [[{"column": "day", "value": "2024-01-01", "unit": "year"}]],
        'col("day") >= "2024-01-01" and col("day") < "2025-01-01"',
        [1, 2, 4, 5],
    ),
    (
        [[{"column": "day", "value": "2024-01-29", "unit": "week"}]],
        'col("day") >= "2024-01-29" and col("day") < "2024-02-05"',
        [1, 2],
    ),
    (
        [[{"column": "at", "value": "2024-01-31", "unit": "day"}]],
        'col("at") >= "2024-01-31" and col("at") < "2024-02-01"',
        [1],
    ),
    (
        [[{"column": "at", "value": "2024-12-31T10:00:00", "unit": "hour"}]],
        'col("at") >= "2024-12-31T10:00:00" and col("at") < "2024-12-31T11:00:00"',
        [5],
    ),
    # A histogram bin: from <= x < to, the last bin closed.
    ([[{"column": "amount", "from": 0, "to": 10}]], 'col("amount") >= 0 and col("amount") < 10', [5]),
    (
        [[{"column": "amount", "from": 10, "to": 20, "last": True}]],
        'col("amount") >= 10 and col("amount") <= 20',
        [1, 3, 4],
    ),
    # A bar of a series (x and colour), and several marks (shift-click): all terms, any mark.
    (
        [[{"column": "region", "value": "North"}, {"column": "amount", "value": 20}]],
        'col("region") == "North" and col("amount") == 20',
        [4],
    ),
    (
        [[{"column": "region", "value": "Zürich"}], [{"column": "region", "value": None}]],
        '(col("region") == "Zürich") or (col("region") is None)',
        [3, 5],
    ),
]


@pytest.mark.parametrize(("marks", "expr", "ids"), CASES)
def test_selection_filters_the_rows_behind_the_marks(
    engine: Engine, marks: list[list[dict[str, Any]]], expr: str, ids: list[int]
) -> None:
    assert selection_expr(parse_selection(marks), COLUMNS) == expr
    assert kept(engine, marks) == ids


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (None, "list of 1 to"),
        ([], "list of 1 to"),
        ([{"column": "x"}], "list of terms"),
        ([[{"value": 1}]], "needs a column"),
        ([[{"column": "x"}]], "needs a value"),
        ([[{"column": "x", "value": [1]}]], "one value"),
        ([[{"column": "x", "value": "2024-01-01", "unit": "fortnight"}]], "unknown time unit"),
        ([[{"column": "x", "value": 1}]] * 201, "list of 1 to"),
    ],
)
def test_a_malformed_selection_is_refused_naming_the_field(raw: object, words: str) -> None:
    with pytest.raises(SpecError, match=words) as caught:
        parse_selection(raw)
    assert caught.value.field == "selection"


def test_a_selection_on_a_column_no_longer_in_the_result_says_so() -> None:
    with pytest.raises(SpecError, match="unknown column 'regoin'") as caught:
        selection_expr([[{"column": "regoin", "value": "North"}]], COLUMNS)
    assert caught.value.hint and "region" in caught.value.hint


def test_a_time_bucket_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(SpecError, match="not a date"):
        selection_expr([[{"column": "day", "value": "soon", "unit": "month"}]])


def test_the_selection_reads_as_a_sentence() -> None:
    marks = [[{"column": "region", "value": "North"}, {"column": "paid", "value": None}]]
    assert describe_selection(marks) == "region: North, paid: empty"
    bucket = [[{"column": "day", "value": "2024-01-01", "unit": "month"}]]
    assert describe_selection(bucket) == "day: 2024-01-01 (month)"


# -- through the service: a mark's data-select, sent back, filters the table and the other charts --

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))


def call(method: str, **params: Any) -> dict[str, Any]:
    reply = api.handle(method, params)
    assert reply["ok"], reply.get("error")
    result: dict[str, Any] = reply["result"]
    return result


def marks_of(node: Any) -> list[dict[str, Any]]:
    """Each mark's attributes, in drawing order."""
    if isinstance(node, str):
        return []
    found = [node[1]] if "mark" in str(node[1].get("class", "")).split() else []
    for child in node[2:]:
        found.extend(marks_of(child))
    return found


@pytest.fixture
def sales(tmp_path: Path) -> Iterator[str]:
    path = tmp_path / "sales.csv"
    path.write_text(sample_csv(), encoding="utf-8")
    session = f"sel-{tmp_path.name}"
    call("open", session=session, path=str(path), filename="sales.csv")
    yield session
    api.handle("close", {"session": session})


SELECTABLE = [
    # (chart, the rows of the sample behind its first mark)
    ({"type": "bar", "x": "region"}, lambda r, m: r["region"] == m[0]["value"]),
    (
        {"type": "column", "x": "region", "color": "channel"},
        lambda r, m: (r["region"], r["channel"]) == (m[0]["value"], m[1]["value"]),
    ),
    (
        {"type": "column", "x": "date", "time_unit": "month"},
        lambda r, m: r["date"][:7] == m[0]["value"][:7],
    ),
    ({"type": "box", "x": "product", "y": "revenue"}, lambda r, m: r["product"] == m[0]["value"]),
    (
        {"type": "heatmap", "x": "region", "y": "product"},
        lambda r, m: (r["region"], r["product"]) == (m[0]["value"], m[1]["value"]),
    ),
    (
        {"type": "histogram", "x": "units"},
        lambda r, m: m[0]["from"] <= float(r["units"]) < m[0]["to"],
    ),
]


@pytest.mark.parametrize(("chart", "behind"), SELECTABLE)
def test_a_marks_selection_keeps_exactly_its_rows(sales: str, chart: dict[str, Any], behind: Any) -> None:
    drawn = call("view", session=sales, chart=chart)
    mark = json.loads(marks_of(drawn["chart"])[0]["data-select"])
    result = call("view", session=sales, selection=[mark], limit=1)
    assert result["row_count"] == sum(1 for r in SAMPLE if behind(r, mark)) > 0
    kept = call("view", session=sales, pipeline=[result["selection"]["step"]], limit=1)
    assert kept["row_count"] == result["row_count"]  # "Keep as a filter step" keeps the same rows


def test_the_chart_a_selection_came_from_stays_whole_and_others_filter(sales: str) -> None:
    bars = {"type": "bar", "x": "region"}
    north = [[{"column": "region", "value": "North"}]]
    whole = call("view", session=sales, chart=bars, selection=north, selection_from_chart=True)
    assert len(marks_of(whole["chart"])) == len({r["region"] for r in SAMPLE})
    assert whole["row_count"] == sum(r["region"] == "North" for r in SAMPLE)
    assert whole["selection"]["text"] == "region: North"
    other = call("chart", session=sales, chart=bars, selection=north)
    assert len(marks_of(other["chart"])) == 1
    # Scrolling the selected rows pages through the filtered result.
    window = call("rows", session=sales, selection=north, offset=30, limit=5)
    assert window["row_count"] == whole["row_count"]


def test_a_selection_keeps_the_header_sketches_of_the_whole_result(sales: str) -> None:
    """Profiling every selection would hold the worker for a second per click on a big table."""
    whole = call("rows", session=sales, sketches=True)
    assert whole["sketched"]
    north = [[{"column": "region", "value": "North"}]]
    selected = call("view", session=sales, selection=north)
    assert selected["sketched"]  # so the page does not ask for the selection's own

    def sketches(table: Any) -> list[Any]:
        return find_class(table, "sketch")

    assert sketches(selected["table"]) == sketches(whole["table"]) != []


def find_class(node: Any, name: str) -> list[Any]:
    if isinstance(node, str):
        return []
    found = [node] if name in str(node[1].get("class", "")).split() else []
    for child in node[2:]:
        found.extend(find_class(child, name))
    return found
