from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from loupe.budget import time_budget
from loupe.engine import Engine
from loupe.errors import BudgetError, LoupeError, QueryError, SpecError
from loupe.sql import Query
from loupe.table import Column, Table

T = Table(
    "t",
    (
        Column("i", "integer"),
        Column("f", "float"),
        Column("b", "boolean"),
        Column("d", "date"),
        Column("s", "text"),
    ),
    [
        (1, 1.5, True, "2024-01-02", "x"),
        (2, None, False, None, "y"),
        (None, 2.0, None, "2023-05-06", None),
    ],
)


@pytest.fixture
def engine() -> Engine:
    e = Engine()
    e.load(T)
    return e


def test_load_and_read_back_types(engine: Engine) -> None:
    result = engine.execute(engine.query("t"))
    assert result.rows == T.rows
    assert isinstance(result.rows[0][2], bool)
    assert engine.schema("t") == T.columns
    assert engine.tables() == ["t"]


def test_offset_limit_and_count(engine: Engine) -> None:
    q = engine.query("t")
    assert engine.execute(q, offset=1, limit=1).rows == [T.rows[1]]
    assert engine.execute(q, offset=5).rows == []
    assert engine.count(q) == 3


def test_load_replaces_same_name_case_insensitively(engine: Engine) -> None:
    engine.load(Table("T", (Column("z", "text"),), [("a",)]))
    assert engine.tables() == ["T"]
    assert engine.execute(engine.query("T")).rows == [("a",)]


def test_unknown_table_suggests(engine: Engine) -> None:
    with pytest.raises(SpecError, match='did you mean "t"'):
        engine.schema("tt")


def test_columns_differing_only_in_case_are_refused() -> None:
    with pytest.raises(SpecError, match="differ only in case"):
        Engine().load(Table("x", (Column("a", "integer"), Column("A", "integer")), []))


def test_any_unicode_names(engine: Engine) -> None:
    odd = Table('we"ird ta;ble', (Column('co"l -- 1', "integer"), Column("ü€ 😀", "text")), [(1, "a")])
    engine.load(odd)
    assert engine.execute(engine.query(odd.name)).rows == [(1, "a")]


def test_results_are_json_safe(engine: Engine) -> None:
    q = Query("SELECT 1e308 * 10 AS x, -1e308 * 10 AS y", {}, (Column("x", "float"), Column("y", "float")))
    assert engine.execute(q).rows == [(None, None)]


def test_sqlite_errors_become_query_errors(engine: Engine) -> None:
    q = Query('SELECT nope FROM "missing"', {}, (Column("nope", "integer"),))
    with pytest.raises(QueryError) as info:
        engine.execute(q)
    assert info.value.hint


@pytest.mark.parametrize("sql", ["ATTACH DATABASE ':memory:' AS other", "SELECT load_extension('x')"])
def test_dangerous_statements_are_refused(engine: Engine, sql: str) -> None:
    with pytest.raises(QueryError):
        engine.lookup(sql, {})


def test_huge_integers_are_reported(engine: Engine) -> None:
    with pytest.raises(LoupeError):
        engine.load(Table("big", (Column("n", "integer"),), [(2**70,)]))


def test_registered_functions(engine: Engine) -> None:
    rows = engine.lookup(
        "SELECT loupe_sqrt(16), loupe_sqrt(-1), loupe_log(0), loupe_floor(-1.5), loupe_ceil(1.2), "
        "loupe_pow(2, 10), loupe_log(8, 2)",
        {},
    )
    assert rows == [(4.0, None, None, -2, 2, 1024.0, pytest.approx(3.0))]
    assert not math.isnan(rows[0][0])


def test_count_of_a_sorted_pipeline(engine: Engine) -> None:
    spec = [{"verb": "sort", "by": ["i"]}, {"verb": "filter", "column": "i", "op": ">", "value": 1}]
    from loupe.pipeline import parse_pipeline

    query = engine.compile(parse_pipeline(spec), "t")
    assert engine.count(query) == 1 == len(engine.execute(query).rows)


def test_page_counts_only_when_needed(engine: Engine) -> None:
    q = engine.query("t")
    result, total = engine.page(q, offset=1, limit=10)
    assert (len(result.rows), total) == (2, 3)
    result, total = engine.page(q, offset=0, limit=2)
    assert (len(result.rows), total) == (2, 3)
    assert engine.page(q, offset=7, limit=2)[1] == 3


def _statements(engine: Engine, run: Callable[[], object]) -> list[str]:
    """The SQL statements `run` makes the engine execute."""
    ran: list[str] = []
    engine._conn.set_trace_callback(ran.append)
    try:
        run()
    finally:
        engine._conn.set_trace_callback(None)
    return ran


@pytest.mark.parametrize(
    ("limit", "rows", "statements"),
    [(3, 3, 1), (4, 3, 1), (2, 2, 2)],  # a window the result's size ends it: no count query
)
def test_page_runs_the_query_once_when_the_window_holds_the_result(
    engine: Engine, limit: int, rows: int, statements: int
) -> None:
    q = engine.query("t")
    ran = _statements(engine, lambda: engine.page(q, limit=limit))
    result, total = engine.page(q, limit=limit)
    assert (len(result.rows), total, len(ran)) == (rows, 3, statements)


def test_a_pivot_looks_its_columns_up_once(engine: Engine) -> None:
    from loupe.pipeline import parse_pipeline

    # The sort is compiled away in the count query: both compilations need the pivot's values.
    spec = [{"verb": "pivot", "rows": ["i"], "columns": "s", "values": "f"}, {"verb": "sort", "by": ["i"]}]
    ran = _statements(engine, lambda: engine.compile(parse_pipeline(spec), "t"))
    query = engine.compile(parse_pipeline(spec), "t")
    assert [c.name for c in query.columns] == ["i", "x", "y", "null"]
    assert query.count_sql is not None and len(ran) == 1


def test_counts_are_forgotten_when_tables_change(engine: Engine) -> None:
    q = engine.query("t")
    assert engine.count(q) == 3
    engine.load(Table("t", T.columns, T.rows[:1]))
    assert engine.count(q) == 1


def test_time_limit_stops_a_runaway_query(engine: Engine) -> None:
    engine.time_limit = 0.05
    runaway = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(QueryError, match=r"this step took longer than 0\.05 s; it was stopped"):
        engine.lookup(runaway, {})
    assert engine.execute(engine.query("t")).rows == T.rows  # the engine still works


RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_the_request_budget_stops_a_runaway_query(engine: Engine) -> None:
    # RELIABILITY 36: the worker's request budget (no engine limit set) stops the query by itself.
    with time_budget(0.05), pytest.raises(BudgetError) as info:
        engine.lookup(RUNAWAY, {})
    assert info.value.code == "budget" and info.value.seconds == 0.05
    assert "took longer than 0.05 s; it was stopped" in str(info.value)
    assert engine.execute(engine.query("t")).rows == T.rows
    with time_budget(None):  # outside a budget, a bounded recursion runs to its end
        assert engine.lookup(RUNAWAY.replace("FROM n)", "FROM n WHERE i < 50000)"), {}) == [(50000,)]


def test_integer_overflow_gets_a_useful_hint(engine: Engine) -> None:
    engine.load(Table("big", (Column("n", "integer"),), [(2**62,), (2**62,)]))
    with pytest.raises(QueryError) as info:
        engine.run([{"verb": "groupby", "aggs": [{"fn": "sum", "column": "n"}]}], "big")
    assert info.value.hint is not None and "cast the column to float" in info.value.hint


def test_materialized_windows_match_offset_windows(engine: Engine) -> None:
    from loupe.pipeline import parse_pipeline
    from loupe.sql import quote_ident

    engine.load(Table("n", (Column("i", "integer"),), [((i * 37) % 101,) for i in range(101)]))
    query = engine.compile(parse_pipeline([{"verb": "sort", "by": [{"column": "i", "desc": True}]}]), "n")
    stored = engine.materialize(query, "w")
    for offset in (0, 1, 50, 99, 101):
        expected = engine.execute(query, offset=offset, limit=3).rows
        assert (
            engine.window("temp." + quote_ident("w"), query.columns, offset=offset, limit=3).rows == expected
        )
        assert engine.window(quote_ident("n"), query.columns, offset=offset, limit=3).rows == (
            engine.execute(engine.query("n"), offset=offset, limit=3).rows
        )
    assert engine.count(stored) == 101
    engine.forget("w")
    with pytest.raises(QueryError):
        engine.execute(stored)


def test_load_rows_inserts_batches_from_an_iterator() -> None:
    engine = Engine()
    batches = (((i, f"r{i}") for i in range(start, start + 3)) for start in (0, 3, 6))
    engine.load_rows("t", (Column("n", "integer"), Column("s", "text")), batches)
    assert engine.count(engine.query("t")) == 9
    assert engine.execute(engine.query("t"), offset=7).rows == [(7, "r7"), (8, "r8")]


def test_load_rows_rolls_back_when_the_batches_fail() -> None:
    engine = Engine()
    engine.load(Table("t", (Column("a", "integer"),), [(1,)]))

    def batches() -> object:
        yield [(2, "x"), (3, "y")]
        raise KeyboardInterrupt  # the reader stopped: nothing half-loaded may stay

    with pytest.raises(KeyboardInterrupt):
        engine.load_rows("t", (Column("a", "integer"), Column("b", "text")), batches())  # type: ignore[arg-type]
    assert engine.execute(engine.query("t")).rows == [(1,)]
    assert [c.name for c in engine.schema("t")] == ["a"]


def test_a_row_of_another_width_is_refused_not_shifted() -> None:
    engine = Engine()
    columns = (Column("a", "integer"), Column("b", "integer"))
    with pytest.raises(QueryError):
        engine.load_rows("t", columns, [[(1, 2), (3,), (4, 5, 6)]])
    assert engine.tables() == []


@pytest.mark.parametrize("count", [0, 1, 499, 500, 501, 1234])  # around the rows-per-statement batch
def test_load_columns_keeps_every_row_in_order(count: int) -> None:
    engine = Engine()
    columns = (Column("n", "integer"), Column("s", "text"))
    values = [list(range(count)), [f"r{i}" for i in range(count)]]
    engine.load_columns("t", columns, [values, [[-1], ["last"]]])
    assert engine.execute(engine.query("t")).rows == [*zip(*values, strict=True), (-1, "last")]
