"""What the engine-agreement tests (tests/test_duckdb_engine.py, tests/test_spark_engine.py) share: the
inputs they run on every engine, and what "the same answer" means for two engines' rows."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

import pytest
from loupe.budget import time_budget
from loupe.engine import Result
from loupe.errors import BudgetError
from loupe.read import read_file
from loupe.sample import sample_csv
from loupe.table import Column, Table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES: dict[str, dict[str, Any]] = json.loads((ROOT / "public" / "step-examples.json").read_text())
WORKLOAD = json.loads((ROOT / "bench" / "pages" / "workload.json").read_text())["queries"]


def same(a: Any, b: Any) -> bool:
    """Equal values; floats to 9 significant digits (a parallel engine sums in another order)."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or isinstance(a, str) or isinstance(b, str):
            return False
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b) and type(a) is type(b)


def assert_same_result(got: Result, want: Result, engine: str) -> None:
    """`got` (from `engine`) has SQLite's columns and, row by row, its values."""
    assert got.columns == want.columns
    assert len(got.rows) == len(want.rows)
    for i, (g, w) in enumerate(zip(got.rows, want.rows, strict=True)):
        assert all(same(x, y) for x, y in zip(g, w, strict=True)), f"row {i}: {engine} {g} != sqlite {w}"


def sample_tables(folder: Path) -> list[Table]:
    """The sample and a small second table for joins, read from files as a user's would be."""
    (folder / "sales.csv").write_text(sample_csv(), encoding="utf-8")
    (folder / "targets.csv").write_text("region,target\nNorth,1000\nSouth,900\n", encoding="utf-8")
    return [read_file(str(folder / "sales.csv")), read_file(str(folder / "targets.csv"))]


# A runaway query for the time budget: a cross join of 27 billion rows, stopped long before its end.
MANY = Table("many", (Column("x", "integer"),), [(i,) for i in range(3000)])
RUNAWAY = (
    'SELECT count(*) FROM "many" AS a, "many" AS b, "many" AS c '
    'WHERE (a."x" * 7 + b."x" * 13 + c."x") % 1000003 = 17'
)


def assert_stops_at_the_budget(engine: Any, seconds: float, within: float) -> float:
    """The runaway query on `engine` (MANY loaded) stops with the budget's message, under the engine's
    own limit and then under a request's budget, each within `within` seconds; the engine still works
    afterwards. Returns the slower of the two times to stop."""
    slowest = 0.0
    for how in ("limit", "request"):
        engine.time_limit = seconds if how == "limit" else None
        start = time.monotonic()
        with time_budget(seconds if how == "request" else None), pytest.raises(BudgetError) as info:
            engine.lookup(RUNAWAY, {})
        took = time.monotonic() - start
        assert str(info.value).startswith(f"this step took longer than {seconds:g} s; it was stopped"), how
        assert info.value.code == "budget" and info.value.seconds == seconds
        assert seconds <= took < within, (how, took)
        slowest = max(slowest, took)
    engine.time_limit = None
    assert engine.lookup('SELECT count(*) FROM "many" WHERE "x" < 10', {}) == [(10,)]
    return slowest
