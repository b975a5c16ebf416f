"""A small sales table loaded in an engine, and `run(steps)` returning (column names, rows).

Every verb test that takes `engine` (or `run`, `rows`) runs on each engine: SQLite always, DuckDB where
the duckdb and sqlglot packages are installed (loupe[duckdb]), Spark where pyspark and a Java runtime are
(loupe[spark], marker `spark`); the same expected answers on all three. A case Spark refuses with
NotOnSpark (no exact Spark equivalent) is reported as skipped, with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest
from loupe.engine import Engine
from loupe.table import Column, Table

SALES = Table(
    "sales",
    (
        Column("region", "text"),
        Column("product", "text"),
        Column("amount", "integer"),
        Column("price", "float"),
        Column("day", "date"),
        Column("paid", "boolean"),
    ),
    [
        ("North", "apple", 10, 1.5, "2024-01-03", True),
        ("South", "pear", 5, 2.25, "2024-01-01", False),
        ("North", "pear", 7, None, "2024-02-10", True),
        (None, "apple", 3, 0.5, None, None),
        ("East", "Apple pie", 12, 4.0, "2023-12-31", False),
    ],
)

REGIONS = Table(
    "regions",
    (Column("region", "text"), Column("manager", "text"), Column("amount", "integer")),
    [("North", "Ann", 1), ("West", "Bob", 2), ("North", "Cid", 3), (None, "Nul", 4)],
)

Run = Callable[..., tuple[list[str], list[tuple[Any, ...]]]]


ENGINES = [
    "sqlite",
    pytest.param("duckdb", marks=pytest.mark.duckdb),
    pytest.param("spark", marks=pytest.mark.spark),
]


def spark_engine() -> Callable[[], Any]:
    """SparkEngine, or a skip when pyspark, sqlglot or Java is missing (the session starts once)."""
    pytest.importorskip("pyspark")
    pytest.importorskip("sqlglot")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("the Spark engine needs a Java runtime")
    from loupe.spark_engine import SparkEngine

    return SparkEngine


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A Spark case refused with NotOnSpark is a skip (counted apart from agreements), not a failure."""
    outcome = yield
    report = outcome.get_result()
    error = call.excinfo
    if report.when == "call" and error is not None and error.typename == "NotOnSpark":
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {error.value}")


@pytest.fixture(params=ENGINES)
def make_engine(request: pytest.FixtureRequest) -> Callable[[], Any]:
    """A function returning a new empty engine of this test's kind."""
    if request.param == "sqlite":
        return Engine
    if request.param == "spark":
        return spark_engine()
    pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    from loupe.duckdb_engine import DuckDBEngine

    return DuckDBEngine


@pytest.fixture
def engine(make_engine: Callable[[], Any]) -> Any:
    e = make_engine()
    e.load(SALES)
    e.load(REGIONS)
    return e


@pytest.fixture
def run(engine: Engine) -> Run:
    def go(*steps: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        result = engine.run(list(steps), "sales")
        return result.column_names, result.rows

    return go


@pytest.fixture
def rows(run: Run) -> Callable[..., list[tuple[Any, ...]]]:
    return lambda *steps: run(*steps)[1]
