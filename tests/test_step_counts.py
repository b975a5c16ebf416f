"""The row count after each step (api "step_counts"), shown beside every step, and one cell's stored
value (api "cell"), which the table's "Filter to this value" matches."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.engine import Engine
from loupe.pipeline import compile_step_counts, parse_pipeline
from loupe.sample import sample_csv
from loupe.service.session import SESSIONS
from loupe.table import Column, Table

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))
STEPS: list[dict[str, Any]] = [
    {"verb": "filter", "column": "region", "op": "==", "value": "North"},
    {"verb": "sort", "by": [{"column": "units", "desc": True}]},
    {"verb": "filter", "column": "units", "op": ">", "value": 5, "disabled": True},
    {"verb": "groupby", "by": ["product"], "aggs": [{"fn": "sum", "column": "revenue"}]},
    {"verb": "limit", "n": 2},
]


@pytest.fixture
def sales(tmp_path: Path) -> Any:
    path = tmp_path / "sales.csv"
    path.write_text(sample_csv(), encoding="utf-8")
    session = f"counts-{tmp_path.name}"
    assert api.handle("open", {"session": session, "path": str(path), "filename": "sales.csv"})["ok"]
    yield session
    api.handle("close", {"session": session})


def counts(session: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    reply = api.handle("step_counts", {"session": session, "table": "sales", "pipeline": steps})
    assert reply["ok"], reply
    result: dict[str, Any] = reply["result"]
    return result


def test_each_step_has_the_count_of_rows_after_it(sales: str) -> None:
    north = [r for r in SAMPLE if r["region"] == "North"]
    products = {r["product"] for r in north}
    assert counts(sales, STEPS) == {
        "rows": len(SAMPLE),
        "counts": [len(north), len(north), len(north), len(products), min(2, len(products))],
    }


def test_counts_already_known_run_no_query_and_new_ones_are_remembered(sales: str) -> None:
    engine = SESSIONS[sales].engine
    first = counts(sales, STEPS)
    ran: list[str] = []
    engine._conn.set_trace_callback(ran.append)
    assert counts(sales, STEPS[:3]) == {"rows": first["rows"], "counts": first["counts"][:3]}
    view = api.handle("view", {"session": sales, "table": "sales", "pipeline": STEPS[:4], "limit": 1})
    assert view["result"]["row_count"] == first["counts"][3]
    engine._conn.set_trace_callback(None)
    assert not [sql for sql in ran if "count(*)" in sql]  # the view did not count again either


def test_a_step_that_fails_is_named_and_the_steps_before_it_are_counted(sales: str) -> None:
    bad = [STEPS[0], {"verb": "filter", "column": "unitz", "op": ">", "value": 1}, STEPS[4]]
    result = counts(sales, bad)
    assert result["counts"][0] == sum(1 for r in SAMPLE if r["region"] == "North")
    assert result["counts"][1:] == [None, None]
    assert result["error"]["step"] == 2 and result["error"]["field"] == "column"
    assert "units" in result["error"]["text"]  # did you mean


def test_one_statement_counts_every_step_and_skips_idle_sorts() -> None:
    engine = Engine()
    engine.load(Table("t", (Column("a", "integer"),), [(i,) for i in range(10)]))
    steps = [
        {"verb": "sort", "by": [{"column": "a"}]},
        {"verb": "filter", "column": "a", "op": "<", "value": 4},
    ]
    query = compile_step_counts(parse_pipeline(steps), engine.schemas(), "t")
    assert "ORDER BY" not in query.sql
    assert engine.execute(query).rows == [(10, 10, 4)]


def test_a_cell_gives_its_stored_value_for_an_exact_filter(sales: str) -> None:
    """The table shows numbers formatted (1,234.5); "Filter to this value" needs the value itself."""
    steps = [{"verb": "sort", "by": [{"column": "revenue", "desc": True}]}]
    top = max(SAMPLE, key=lambda r: float(r["revenue"]))
    params = {"session": sales, "table": "sales", "pipeline": steps, "column": "revenue"}
    reply = api.handle("cell", {**params, "offset": 0})
    assert reply["result"] == {"column": "revenue", "type": "float", "value": float(top["revenue"])}
    far = api.handle("cell", {**params, "offset": len(SAMPLE) - 1})["result"]["value"]
    assert far == min(float(r["revenue"]) for r in SAMPLE)
    past = api.handle("cell", {**params, "offset": len(SAMPLE)})
    assert not past["ok"] and str(len(SAMPLE)) in past["error"]["text"]
    wrong = api.handle("cell", {**params, "offset": 0, "column": "revenu"})
    assert not wrong["ok"] and "revenue" in wrong["error"]["text"]
