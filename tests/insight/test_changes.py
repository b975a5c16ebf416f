"""What changed: per-category contributions, checked against sums computed another way (plain loops
over the CSV rows, and DuckDB's own FILTER aggregates), plus the sorting, the tail and the properties."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.engine import Engine
from loupe.errors import LoupeError
from loupe.insight.changes import OTHER, change_words, contributions, total_words
from loupe.read import read_bytes
from loupe.render.changes import compute
from loupe.render.chart import chart_steps, validate_chart
from loupe.render.chartkit import ChartData
from loupe.sample import sample_csv

Row = dict[str, str]


@pytest.fixture(scope="module")
def engine() -> Engine:
    engine = Engine()
    engine.load(read_bytes(sample_csv().encode(), "sales.csv", name="sales"))
    return engine


@pytest.fixture(scope="module")
def csv_rows() -> list[Row]:
    return list(csv.DictReader(io.StringIO(sample_csv())))


def in_range(value: str, start: str | None, end: str | None) -> bool:
    return (start is None or value >= start) and (end is None or value <= end)


# (chart spec, before predicate, after predicate) over the raw CSV rows: the oracle's own reading.
CASES: list[tuple[dict[str, Any], Callable[[Row], bool], Callable[[Row], bool]]] = [
    (
        {
            "x": "region",
            "y": "revenue",
            "compare": {
                "column": "date",
                "before": ["2023-01-01", "2023-06-30"],
                "after": ["2024-01-01", "2024-06-30"],
            },
        },
        lambda r: in_range(r["date"], "2023-01-01", "2023-06-30"),
        lambda r: in_range(r["date"], "2024-01-01", "2024-06-30"),
    ),
    (  # open ends, and count instead of sum
        {
            "x": "product",
            "agg": "count",
            "compare": {"column": "date", "before": [None, "2023-12-31"], "after": ["2024-01-01", None]},
        },
        lambda r: in_range(r["date"], None, "2023-12-31"),
        lambda r: in_range(r["date"], "2024-01-01", None),
    ),
    (  # a number column, sides overlapping at units == 3: such a row counts on both sides
        {
            "x": "channel",
            "y": "revenue",
            "compare": {"column": "units", "before": [1, 3], "after": [3, 1000]},
        },
        lambda r: 1 <= int(r["units"]) <= 3,
        lambda r: 3 <= int(r["units"]) <= 1000,
    ),
    (  # two filter expressions instead of ranges
        {
            "x": "region",
            "y": "units",
            "compare": {"before": "product == 'Kettle'", "after": "product == 'Grinder'"},
        },
        lambda r: r["product"] == "Kettle",
        lambda r: r["product"] == "Grinder",
    ),
    (  # one day against one day: a date end takes its whole day
        {
            "x": "product",
            "y": "revenue",
            "compare": {
                "column": "date",
                "before": ["2023-03-01", "2023-03-01"],
                "after": ["2024-03-01", "2024-03-01"],
            },
        },
        lambda r: r["date"] == "2023-03-01",
        lambda r: r["date"] == "2024-03-01",
    ),
]


def oracle(
    rows: list[Row], spec: dict[str, Any], before: Callable[[Row], bool], after: Callable[[Row], bool]
) -> dict[str | None, tuple[float, float]]:
    """(before, after) per category with a row on either side, by a loop over the CSV rows."""
    sums: dict[str | None, list[float]] = {}
    for row in rows:
        if not (before(row) or after(row)):
            continue
        value = 1.0 if spec.get("agg") == "count" else float(row[spec["y"]])
        found = sums.setdefault(row[spec["x"]] or None, [0.0, 0.0])  # an empty cell reads as null
        found[0] += value if before(row) else 0.0
        found[1] += value if after(row) else 0.0
    return {k: (b, a) for k, (b, a) in sums.items()}


@pytest.mark.parametrize(("raw", "before", "after"), CASES, ids=range(len(CASES)))
def test_chart_numbers_match_a_loop_over_the_csv(
    engine: Engine,
    csv_rows: list[Row],
    raw: dict[str, Any],
    before: Callable[[Row], bool],
    after: Callable[[Row], bool],
) -> None:
    spec = validate_chart({"type": "changes", "limit": 1000, **raw}, engine.schema("sales"))
    found = engine.run(chart_steps(spec, engine.schema("sales")), "sales")
    result, notes = compute(spec, ChartData(found.columns, found.rows))
    assert not notes
    expected = oracle(csv_rows, raw, before, after)
    assert {c.category: (c.before, c.after) for c in result.rows} == {
        k: (pytest.approx(b, abs=1e-6), pytest.approx(a, abs=1e-6)) for k, (b, a) in expected.items()
    }
    total = sum(a - b for b, a in expected.values())
    assert result.delta == pytest.approx(total, abs=1e-6)
    for change in result.rows:
        b, a = expected[change.category]  # type: ignore[index]
        assert change.share == (pytest.approx((a - b) / total) if total else None)
    deltas = [abs(c.delta) for c in result.rows]
    assert deltas == sorted(deltas, reverse=True)


def test_range_cases_match_duckdb(engine: Engine, tmp_path: Any) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "sales.csv"
    path.write_text(sample_csv(), encoding="utf-8")
    spec = validate_chart(
        {
            "type": "changes",
            "limit": 1000,
            "x": "region",
            "y": "revenue",
            "compare": {
                "column": "date",
                "before": ["2023-02-01", "2023-08-31"],
                "after": ["2024-02-01", None],
            },
        },
        engine.schema("sales"),
    )
    found = engine.run(chart_steps(spec, engine.schema("sales")), "sales")
    result, _ = compute(spec, ChartData(found.columns, found.rows))
    sql = """SELECT region,
        coalesce(sum(revenue) FILTER (WHERE date BETWEEN DATE '2023-02-01' AND DATE '2023-08-31'), 0),
        coalesce(sum(revenue) FILTER (WHERE date >= DATE '2024-02-01'), 0)
        FROM read_csv_auto(?) GROUP BY region"""
    native = {r: (b, a) for r, b, a in duckdb.connect().execute(sql, [str(path)]).fetchall()}
    assert {c.category: (c.before, c.after) for c in result.rows} == {
        k: (pytest.approx(b, abs=1e-6), pytest.approx(a, abs=1e-6)) for k, (b, a) in native.items()
    }


# The pure function, on tables worked out by hand ------------------------------------------------


def table(rows: list[tuple[Any, Any, Any]], top: int = 10) -> list[tuple[Any, float, float, float, Any]]:
    return [(c.category, c.before, c.after, c.delta, c.share) for c in contributions(rows, top=top).rows]


@pytest.mark.parametrize(
    ("rows", "top", "expected"),
    [
        # Sorted by |change|; the tail past top=2 (E +5, W 0) summed as "other"; shares of +25.
        (
            [("N", 100, 130), ("S", 80, 70), ("E", None, 5), ("W", 10, 10)],
            2,
            [("N", 100, 130, 30, 1.2), ("S", 80, 70, -10, -0.4), (OTHER, 10, 15, 5, 0.2)],
        ),
        # A tail of one category keeps its name.
        (
            [("N", 100, 130), ("S", 80, 70), ("E", None, 5)],
            2,
            [("N", 100, 130, 30, 1.2), ("S", 80, 70, -10, -0.4), ("E", 0, 5, 5, 0.2)],
        ),
        # No net change: no shares.
        ([("a", 1, 2), ("b", 2, 1)], 10, [("a", 1, 2, 1, None), ("b", 2, 1, -1, None)]),
        # A repeated category adds up; ties are ordered by name; null is a category.
        (
            [("b", 1, 2), ("a", 0, 1), ("b", 1, 2), (None, 3, 3)],
            10,
            [("b", 2, 4, 2, 2 / 3), ("a", 0, 1, 1, 1 / 3), (None, 3, 3, 0, 0.0)],
        ),
        ([], 5, []),
    ],
)
def test_contributions_by_hand(rows: list[tuple[Any, Any, Any]], top: int, expected: list[Any]) -> None:
    got = table(rows, top)
    assert [g[:4] for g in got] == [e[:4] for e in expected]
    assert [g[4] for g in got] == [None if e[4] is None else pytest.approx(e[4]) for e in expected]


def test_words_say_the_change_and_its_share() -> None:
    result = contributions([("North", 100_000, 112_000), ("South", 50_000, 68_000), ("East", 20_000, 19_000)])

    def fmt(v: float) -> str:
        return f"{v / 1000:g}k"

    north, south, east = result.rows[1], result.rows[0], result.rows[2]
    assert change_words(north, result, fmt, "North") == "North: +12k (41 % of the rise)"
    assert change_words(south, result, fmt, "South") == "South: +18k (62 % of the rise)"
    assert change_words(east, result, fmt, "East") == "East: −1k (against the rise)"
    assert total_words(result, fmt, "sum of revenue", ("H1", "H2")) == (
        "Sum of revenue rose from 170k (H1) to 199k (H2), +29k (+17.1 %)."
    )


@pytest.mark.parametrize(
    ("rows", "top", "message"),
    [
        ([("a", "12", 3)], 10, "is not a number"),
        ([("a", 1)], 10, "(category, before, after)"),
        (["abc"], 10, "(category, before, after)"),
        ([([1], 1, 2)], 10, "a category must be a value"),
        ([("a", 1e200, 1)], 10, "too large"),
        ([("a", 1, 2)], 0, "top must be"),
    ],
)
def test_bad_input_is_a_loupe_error(rows: list[Any], top: int, message: str) -> None:
    with pytest.raises(LoupeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        contributions(rows, top=top)


# Properties ---------------------------------------------------------------------------------------

CATEGORIES = st.one_of(st.none(), st.sampled_from("abcdefghij"), st.integers(-3, 3))
AMOUNTS = st.one_of(st.none(), st.integers(-(10**9), 10**9), st.floats(-1e9, 1e9, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CATEGORIES, AMOUNTS, AMOUNTS), max_size=40), st.integers(1, 12))
def test_contributions_add_up_to_the_total_change(rows: list[tuple[Any, Any, Any]], top: int) -> None:
    result = contributions(rows, top=top)
    befores = math.fsum(0.0 if b is None else b for _, b, _ in rows)
    afters = math.fsum(0.0 if a is None else a for _, _, a in rows)
    scale = max([1.0, *(abs(v) for _, b, a in rows for v in (b, a) if v is not None)])
    assert result.delta == pytest.approx(afters - befores, abs=1e-9 * scale * max(1, len(rows)))
    assert math.fsum(c.delta for c in result.rows) == pytest.approx(result.delta, abs=1e-9 * scale)
    assert len(result.rows) <= top + 1
    named = [c for c in result.rows if not c.other]
    assert [abs(c.delta) for c in named] == sorted((abs(c.delta) for c in named), reverse=True)
    if result.delta and abs(result.delta) > 1e-6 * scale:
        assert math.fsum(c.share or 0.0 for c in result.rows) == pytest.approx(1.0, abs=1e-6)


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.tuples(st.lists(st.integers(), max_size=1)),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.tuples(ANYTHING, ANYTHING, ANYTHING), ANYTHING, st.lists(ANYTHING, max_size=4)),
        max_size=12,
    ),
    st.one_of(st.integers(-2, 30), st.booleans(), st.none(), st.floats()),
)
def test_no_input_raises_anything_but_a_loupe_error(rows: list[Any], top: Any) -> None:
    try:
        result = contributions(rows, top=top)
    except LoupeError:
        return
    for change in result.rows:
        assert math.isfinite(change.delta) and (change.share is None or math.isfinite(change.share))
