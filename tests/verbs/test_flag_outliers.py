"""flag_outliers: a true/false column and a reason, per group, the same as loupe.insight.flag."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from loupe.engine import Engine
from loupe.errors import SpecError
from loupe.insight import flag
from loupe.table import Column, Table

READINGS = Table(
    "readings",
    (Column("site", "text"), Column("value", "float"), Column("count", "integer")),
    [
        ("a", 10.0, 1),
        ("a", 11.0, 2),
        ("a", 12.0, 3),
        ("a", 11.0, 4),
        ("a", 10.0, 5),
        ("a", 50.0, 6),
        ("b", 100.0, 7),
        ("b", 101.0, 8),
        ("b", 12.0, 9),
        ("b", 99.0, 10),
        ("b", None, 11),
        (None, 5.0, 12),
        (None, 6.0, 13),
    ],
)


def run(steps: list[dict[str, Any]], table: Table = READINGS) -> tuple[list[str], list[tuple[Any, ...]]]:
    engine = Engine()
    engine.load(table)
    result = engine.run(steps, table.name)
    return result.column_names, result.rows


def test_adds_a_flag_and_a_reason_per_group_keeping_row_order() -> None:
    names, rows = run([{"verb": "flag_outliers", "column": "value", "by": ["site"]}])
    assert names == ["site", "value", "count", "value_outlier", "value_outlier_reason"]
    assert [r[2] for r in rows] == list(range(1, 14))
    flagged = [(r[0], r[1]) for r in rows if r[3]]
    assert flagged == [("a", 50.0), ("b", 12.0)]  # 12 is ordinary among the a's, odd among the b's
    assert rows[5][4] == "robust z +26.3 beyond ±3.5 (median 11, MAD 1)"
    assert rows[10][3] == 0 and rows[10][4] is None  # a missing value is never an outlier


def test_without_groups_the_whole_column_is_one_group() -> None:
    _, rows = run([{"verb": "flag_outliers", "column": "value"}])
    expected = flag([r[1] for r in READINGS.rows])
    assert [bool(r[3]) for r in rows] == [f.outlier for f in expected]
    assert [r[4] for r in rows] == [f.reason for f in expected]


def test_iqr_names_and_threshold() -> None:
    step = {"verb": "flag_outliers", "column": "count", "method": "iqr", "threshold": 0.2, "as": "odd"}
    names, rows = run([step])
    assert names[-2:] == ["odd", "odd_reason"]
    expected = flag([r[2] for r in READINGS.rows], method="iqr", threshold=0.2)
    assert [r[-1] for r in rows] == [f.reason for f in expected]
    assert any(r[-2] for r in rows)


def test_the_flag_is_a_boolean_column_that_filters() -> None:
    engine = Engine()
    engine.load(READINGS)
    result = engine.run(
        [
            {"verb": "flag_outliers", "column": "value", "by": ["site"]},
            {"verb": "filter", "column": "value_outlier", "op": "==", "value": True},
        ],
        "readings",
    )
    assert [c.type for c in result.columns][-2:] == ["boolean", "text"]
    assert [r[1] for r in result.rows] == [50.0, 12.0]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"column": "site"}, "outliers need numbers"),
        ({"column": "valu"}, 'unknown column "valu"'),
        ({"column": "value", "by": ["sight"]}, 'unknown column "sight"'),
        ({"column": "value", "method": "zscore"}, "unknown method"),
        ({"column": "value", "threshold": 0}, "positive number"),
        ({"column": "value", "threshold": "3"}, "must be a number"),
        ({"column": "value", "as": "count"}, 'column "count" already exists'),
        ({"column": "value", "as": "x", "reason_as": "x"}, "listed twice"),
    ],
)
def test_refusals_name_the_field(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        run([{"verb": "flag_outliers", **fields}])
    assert caught.value.hint


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.sampled_from(["x", "y", None]),
            st.one_of(st.none(), st.floats(-1e9, 1e9), st.integers(-1000, 1000).map(float)),
        ),
        max_size=30,
    ),
    method=st.sampled_from(["mad", "iqr"]),
    threshold=st.floats(0.1, 10),
)
# Found in CI: the median of 0.0, 1.0, -0.0 is -0.0 natively but 0 after SQLite, and the reasons differed.
@example(data=[("x", 0.0), ("x", 1.0), ("x", -0.0)], method="mad", threshold=1.0)
def test_sql_agrees_with_the_pure_function(
    data: list[tuple[str | None, float | None]], method: str, threshold: float
) -> None:
    table = Table("t", (Column("g", "text"), Column("v", "float")), data)
    step = {"verb": "flag_outliers", "column": "v", "by": ["g"], "method": method, "threshold": threshold}
    _, rows = run([step], table)
    expected = flag([v for _, v in data], [g for g, _ in data], method=method, threshold=threshold)
    assert [(bool(r[2]), r[3]) for r in rows] == [(f.outlier, f.reason) for f in expected]


@pytest.mark.parametrize(
    ("later", "flag", "reason"),
    [
        ([], "odd", "why"),
        ([{"verb": "rename", "columns": {"why": "because"}}], "odd", "because"),
        ([{"verb": "rename", "columns": {"odd": "strange"}}], "strange", "why"),
        ([{"verb": "select", "columns": ["value", "odd", "why"]}], "odd", "why"),
        ([{"verb": "cast", "columns": {"count": "float"}}], "odd", "why"),
        # The record stays when the reason goes: the table still marks the rows, as "flagged".
        ([{"verb": "drop", "columns": ["why"]}], "odd", "why"),
        ([{"verb": "groupby", "by": ["odd"], "aggs": [{"fn": "count", "as": "n"}]}], "odd", "why"),
        ([{"verb": "derive", "as": "odd2", "expr": "col('odd')"}], "odd", "why"),
    ],
)
def test_the_flag_column_records_its_reason_column_through_later_steps(
    later: list[dict[str, Any]], flag: str, reason: str | None
) -> None:
    engine = Engine()
    engine.load(READINGS)
    step = {"verb": "flag_outliers", "column": "value", "as": "odd", "reason_as": "why"}
    columns = {c.name: c for c in engine.run([step, *later], "readings").columns}
    assert columns[flag].reason == reason
    assert all(c.reason is None for c in columns.values() if c.name != flag)  # a derived copy is no flag
