"""A small sales table loaded in an engine, and `run(steps)` returning (column names, rows).

Every verb test that takes `engine` (or `run`, `rows`) runs on each engine: SQLite always, DuckDB where
the duckdb and sqlglot packages are installed (loupe[duckdb]); the same expected answers on both.
"""

from __future__ import annotations

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


ENGINES = ["sqlite", pytest.param("duckdb", marks=pytest.mark.duckdb)]


@pytest.fixture(params=ENGINES)
def make_engine(request: pytest.FixtureRequest) -> Callable[[], Any]:
    """A function returning a new empty engine of this test's kind."""
    if request.param == "sqlite":
        return Engine
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
