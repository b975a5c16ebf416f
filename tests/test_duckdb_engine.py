"""The DuckDB engine gives SQLite's answers: the explorer's step examples and the sample document on the
sample, the benchmark's workload, and random pipelines, each run on both engines from the same tables.
(Every verb's own table of cases runs on both engines in tests/verbs.) Skipped without loupe[duckdb]."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loupe.engine import Engine
from loupe.errors import LoupeError
from loupe.read import read_file
from loupe.table import Table
from loupe.verbs import REGISTRY

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

from loupe.duckdb_engine import DuckDBEngine, sqlite_text, to_duckdb

from tests.agreement import (
    EXAMPLES,
    MANY,
    WORKLOAD,
    assert_same_result,
    assert_stops_at_the_budget,
    sample_tables,
)
from tests.test_pipeline import steps
from tests.verbs.conftest import REGIONS, SALES


def agree(tables: list[Table], pipeline: Any, source: str) -> None:
    """Run `pipeline` on both engines over the same tables; the columns and every row agree."""
    lite, duck = Engine(), DuckDBEngine()
    for table in tables:
        lite.load(table)
        duck.load(table)
    try:
        want = lite.run(pipeline, source)
    except LoupeError as exc:  # refused on SQLite (a column the table lacks): refused on DuckDB too
        with pytest.raises(type(exc)):
            duck.run(pipeline, source)
        return
    got = duck.run(pipeline, source)
    assert_same_result(got, want, "duckdb")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> list[Table]:
    return sample_tables(tmp_path_factory.mktemp("sample"))


@pytest.mark.parametrize("verb", sorted(EXAMPLES))
def test_step_examples_agree_on_the_sample(sample: list[Table], verb: str) -> None:
    agree(sample, [EXAMPLES[verb]], "sales")


@pytest.mark.parametrize("verb", sorted(REGISTRY))
def test_each_verbs_own_example_agrees(verb: str) -> None:
    agree([SALES, REGIONS], [dict(REGISTRY[verb].example)], "sales")


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Table:
    from bench import make_data

    path = tmp_path_factory.mktemp("orders") / "orders.csv"
    make_data.write(3000, path)
    return read_file(str(path), name="t")


@pytest.mark.parametrize("query", WORKLOAD, ids=[q["name"] for q in WORKLOAD])
def test_benchmark_workload_agrees(orders: Table, query: dict[str, Any]) -> None:
    agree([orders], query["loupe"], "t")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps(), min_size=1, max_size=3))
def test_random_pipelines_agree_or_fail_alike(spec: list[dict[str, Any]]) -> None:
    agree([SALES, Table("other", REGIONS.columns, REGIONS.rows)], spec, "sales")


def test_a_runaway_query_stops_at_the_budget() -> None:
    # connection.interrupt() from the budget's thread; the same message as SQLite's progress handler.
    engine = DuckDBEngine()
    engine.load(MANY)
    assert_stops_at_the_budget(engine, 0.2, within=5.0)


def test_sqlite_functions_become_native_or_udfs() -> None:
    sql = to_duckdb(
        'SELECT loupe_median("a"), loupe_first("b", "__loupe_seq__"), loupe_int("c"), '
        'CAST("d" AS TEXT), "e" GLOB :p0, "e" LIKE :p1 FROM "t"'
    )
    assert "MEDIAN(CAST(" in sql and "ARG_MIN(" in sql
    assert 'LOUPE_INT__1(CAST("c" AS TEXT), TYPEOF("c"))' in sql
    assert 'LOUPE_TEXT__1(CAST("d" AS TEXT), TYPEOF("d"))' in sql
    assert "REPLACE($p0, '[^', '[!')" in sql and "ILIKE $p1" in sql


@pytest.mark.parametrize(
    ("value", "text"), [(1.0, "1.0"), (2.9, "2.9"), (1e30, "1.0e+30"), (0.1 + 0.2, "0.3"), (-0.0, "0.0")]
)
def test_reals_as_text_read_as_sqlite_writes_them(value: float, text: str) -> None:
    assert sqlite_text(value) == text
    assert Engine().lookup("SELECT CAST(:v AS TEXT)", {"v": value}) == [(text,)]
