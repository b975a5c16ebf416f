"""The large-data engine's Python half (loupe.duckdb_wasm) on native DuckDB behind the same JSON
protocol as the page's DuckDB-WASM bridge (app/duckdb-bridge.js): the same answers as SQLite for the
standard verbs, and a clear refusal, naming the step, for what needs a Python function."""

from __future__ import annotations

import decimal
import json
from pathlib import Path
from typing import Any

import pytest
from loupe.engine import Engine
from loupe.errors import QueryError, ReadError
from loupe.read import load_file

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

from loupe.duckdb_wasm import DuckDBWasmEngine  # noqa: E402

CSV = (
    "id,region,category,value,quantity,day,ok\n"
    "1,North,a,10.5,3,2024-01-02,true\n"
    "2,South,b,7.25,1,2024-02-03,false\n"
    "3,North,b,,4,2024-01-15,true\n"
    "4,East,a,3.0,2,2023-12-31,false\n"
    "5,North,a,10.5,5,2024-03-01,true\n"
    "6,South,c,99.9,,2024-01-02,true\n"
)


class NativeBridge:
    """app/duckdb-bridge.js's protocol on native DuckDB: positional parameters in, columns as JSON out,
    values as JavaScript writes them (_as_js); files registered by name."""

    def __init__(self) -> None:
        self.conn = duckdb.connect(":memory:")
        self.files: dict[str, str] = {}
        self.statements: list[str] = []

    def register(self, name: str, path: Path) -> None:
        self.files[name] = str(path)

    def query(self, sql: str, params_json: str) -> str:
        self.statements.append(sql)
        for name, path in self.files.items():
            sql = sql.replace(f"'{name}'", f"'{path}'")
        try:
            cursor = self.conn.execute(sql, json.loads(params_json))
            rows = cursor.fetchall() if cursor.description else []
        except duckdb.Error as error:
            return json.dumps({"error": str(error)})
        names = [d[0] for d in cursor.description or []]
        types = [str(d[1]) for d in cursor.description or []]
        columns: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in names]
        plain = [[_as_js(v) for v in c] for c in columns]
        return json.dumps({"names": names, "types": types, "columns": plain}, default=str)


def _as_js(value: Any) -> Any:
    """A value as the bridge's JSON.stringify writes it: decimals as doubles, whole doubles without
    ".0", integers past 2**53 as text."""
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


@pytest.fixture
def engines(tmp_path: Path) -> tuple[Engine, DuckDBWasmEngine, NativeBridge]:
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    sqlite = Engine()
    load_file(sqlite, str(path))
    bridge = NativeBridge()
    bridge.register("loupe_upload_1.csv", path)
    wasm = DuckDBWasmEngine(bridge)
    info = wasm.load_csv("loupe_upload_1.csv", "orders.csv")
    assert (info.name, info.row_count) == ("orders", 6)
    return sqlite, wasm, bridge


PIPELINES = [
    [],
    [{"verb": "filter", "column": "region", "op": "==", "value": "North"}],
    [
        {"verb": "filter", "column": "value", "op": ">", "value": 5},
        {"verb": "sort", "by": [{"column": "id"}]},
    ],
    [
        {"verb": "derive", "as": "revenue", "expr": "value * quantity"},
        {"verb": "sort", "by": [{"column": "id"}]},
    ],
    [
        {"verb": "filter", "column": "quantity", "op": "not_null"},
        {"verb": "derive", "as": "revenue", "expr": "value * quantity"},
        {
            "verb": "groupby",
            "by": ["region"],
            "aggs": [
                {"fn": "count", "as": "n"},
                {"fn": "sum", "column": "revenue", "as": "revenue"},
                {"fn": "mean", "column": "value", "as": "mean"},
                {"fn": "median", "column": "quantity", "as": "median"},
                {"fn": "min", "column": "day", "as": "first_day"},
            ],
        },
        {"verb": "sort", "by": [{"column": "revenue", "desc": True}]},
    ],
    [
        {"verb": "sort", "by": [{"column": "value", "desc": True}, {"column": "id"}]},
        {"verb": "limit", "n": 3},
    ],
    [{"verb": "pivot", "rows": ["category"], "columns": "region", "values": "quantity", "fn": "sum"}],
]


@pytest.mark.parametrize("steps", PIPELINES, ids=range(len(PIPELINES)))
def test_the_large_data_engine_answers_as_sqlite(engines: Any, steps: list[Any]) -> None:
    sqlite, wasm, _ = engines
    spec = {"version": 1, "steps": steps}
    expected = sqlite.run(spec, "orders")
    got = wasm.run(spec, "orders")
    assert got.columns == expected.columns
    assert got.rows == expected.rows
    query = wasm.compile(__import__("loupe.pipeline").pipeline.parse_pipeline(spec), "orders")
    assert wasm.count(query) == len(expected.rows)


def test_types_and_storage_follow_sqlite(engines: Any) -> None:
    _, wasm, _ = engines
    assert [(c.name, c.type) for c in wasm.schema("orders")] == [
        ("id", "integer"), ("region", "text"), ("category", "text"), ("value", "float"),
        ("quantity", "integer"), ("day", "date"), ("ok", "boolean"),
    ]  # fmt: skip
    row = wasm.run({"version": 1, "steps": [{"verb": "limit", "n": 1}]}, "orders").rows[0]
    assert row == (1, "North", "a", 10.5, 3, "2024-01-02", True)


def test_pages_and_stored_windows(engines: Any) -> None:
    _, wasm, _ = engines
    query = wasm.query("orders")
    result, total = wasm.page(query, limit=4)
    assert (len(result.rows), total) == (4, 6)
    stored = wasm.materialize(
        wasm.compile(_parse([{"verb": "sort", "by": [{"column": "id", "desc": True}]}]), "orders"),
        "loupe_window",
    )
    assert [r[0] for r in wasm.window('temp."loupe_window"', stored.columns, offset=2, limit=2).rows] == [
        4,
        3,
    ]
    assert [r[0] for r in wasm.window('"orders"', query.columns, offset=4, limit=10).rows] == [5, 6]
    wasm.forget("loupe_window")


def _parse(steps: list[Any]) -> Any:
    from loupe.pipeline import parse_pipeline

    return parse_pipeline({"version": 1, "steps": steps})


def test_a_step_that_needs_a_python_function_is_refused_naming_it(engines: Any) -> None:
    _, wasm, bridge = engines
    steps = [
        {"verb": "filter", "column": "region", "op": "==", "value": "North"},
        {"verb": "derive", "as": "root", "expr": "sqrt(value)"},
        {"verb": "sort", "by": [{"column": "id"}]},
    ]
    ran = len(bridge.statements)
    with pytest.raises(QueryError) as caught:
        wasm.compile(_parse(steps), "orders")
    assert caught.value.step == 2
    assert "step 2 needs Loupe's Python function" in caught.value.message
    assert "sqrt" in caught.value.message and "SQLite engine" in (caught.value.hint or "")
    assert len(bridge.statements) == ran  # refused before anything ran


def test_only_csv_and_tsv_are_read(engines: Any) -> None:
    _, wasm, _ = engines
    with pytest.raises(ReadError, match="CSV and TSV"):
        wasm.load_csv("x", "book.xlsx")


def test_large_integers_survive_the_bridge(engines: Any) -> None:
    _, wasm, _ = engines
    big = 2**62 + 1
    rows = wasm.lookup("SELECT :n + 0 AS n", {"n": big})
    assert rows == [(big,)]


def test_whole_floats_stay_floats_across_json(engines: Any) -> None:
    _, wasm, _ = engines
    assert wasm.lookup("SELECT 2.0 * 3 AS x, 7 AS n", {}) == [(6.0, 7)]
    assert isinstance(wasm.lookup("SELECT CAST(2 AS REAL) AS x", {})[0][0], float)


def _tied(tmp_path: Path, header: str) -> tuple[Engine, DuckDBWasmEngine, NativeBridge]:
    """Both engines on 3,000 rows whose sort key has three values: ties everywhere, so an unstable
    sort (DuckDB's parallel one) would show in the order of the ids."""
    path = tmp_path / "tied.csv"
    path.write_text(header + "\n" + "".join(f"{(i * 7919) % 3000},{i % 3},{i}\n" for i in range(3000)))
    sqlite = Engine()
    load_file(sqlite, str(path))
    bridge = NativeBridge()
    bridge.conn.execute("SET threads = 4")
    bridge.register("loupe_upload_1.csv", path)
    wasm = DuckDBWasmEngine(bridge)
    wasm.load_csv("loupe_upload_1.csv", "tied.csv")
    return sqlite, wasm, bridge


@pytest.mark.parametrize(
    ("header", "by_rowid"),
    [("id,key,n", True), ("rowid,key,n", False)],  # a column named rowid hides DuckDB's
)
def test_a_sort_keeps_ties_in_file_order(tmp_path: Path, header: str, by_rowid: bool) -> None:
    sqlite, wasm, bridge = _tied(tmp_path, header)
    spec = {"version": 1, "steps": [{"verb": "sort", "by": [{"column": "key", "desc": True}]}]}
    assert wasm.run(spec, "tied").rows == sqlite.run(spec, "tied").rows
    numbered = any("__loupe_order__" in sql for sql in bridge.statements)  # rows numbered to sort
    assert numbered != by_rowid


def test_a_page_that_holds_the_whole_result_runs_no_count(engines: Any) -> None:
    _, wasm, bridge = engines
    steps = [{"verb": "sort", "by": [{"column": "id"}]}, {"verb": "limit", "n": 4}]
    query = wasm.compile(_parse(steps), "orders")
    ran = len(bridge.statements)
    result, total = wasm.page(query, limit=4)
    assert (len(result.rows), total) == (4, 4)
    assert len(bridge.statements) == ran + 1  # the page alone
    result, total = wasm.page(wasm.query("orders"), limit=4)
    assert (len(result.rows), total) == (4, 6)  # a longer result is counted


def test_a_pivot_asks_for_its_columns_once(engines: Any) -> None:
    _, wasm, bridge = engines
    pivot = {"verb": "pivot", "rows": ["category"], "columns": "region", "values": "quantity", "fn": "sum"}
    spec = _parse([pivot])
    wasm.compile(spec, "orders")
    wasm.compile(spec, "orders")
    assert sum("DISTINCT" in sql for sql in bridge.statements) == 1
