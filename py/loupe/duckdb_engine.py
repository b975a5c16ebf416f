"""The DuckDB engine: the same compiled pipeline, translated from SQLite's SQL by sqlglot, on DuckDB
(CPython only: `pip install "loupe[duckdb]"`; never shipped to the page).

Tables keep SQLite's storage types (integers, doubles, text; booleans 0/1, dates ISO text), so the
compiled SQL means the same on both. Loupe's SQLite functions (loupe_*) become DuckDB aggregates where
an exact native one exists (median, stddev_samp, arg_min/arg_max) and otherwise the same Python
functions as DuckDB UDFs, each argument passed as text plus its DuckDB type and rebuilt in Python (DuckDB
UDFs are typed; Loupe's take any value, as SQLite's do). A CSV or TSV is scanned from disk by DuckDB's
read_csv behind a view, never loaded through Python.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Callable, Mapping
from typing import Any

import duckdb

from loupe import budget
from loupe.dialect import Dialect, translate
from loupe.duckdb_sql import (
    _AGGREGATES,
    _FLOATS,
    _FUNCTIONS,
    _INTEGERS,
    _PARAM,
    _STORAGE,
    CSV_EXTENSIONS,
    _integral,
    _loupe_type,
    _stored,
    _udf_name,
    sqlite_round,
    sqlite_text,
    to_duckdb,
    windowed,
)
from loupe.engine import Engine, PipelineRunner, Result
from loupe.errors import BudgetError, QueryError
from loupe.sql import SQL_TYPES, Query, quote_column, quote_ident
from loupe.sqlfuncs import AGGREGATES
from loupe.table import Column, Table, TableInfo, Value

Texts = list[str | None]  # a column's values as DuckDB's list() of text hands them to a UDF


def _collected(name: str, cls: type, nargs: int) -> tuple[str, Callable[..., Any]]:
    """An aggregate with no native twin (loupe_date_order, loupe_outlier_fences ...) as DuckDB's
    list() of each argument (text and type) handed to a scalar UDF that runs Loupe's own class."""
    lists = ", ".join(f"list(CAST({{{i}}} AS VARCHAR)), list(typeof({{{i}}}))" for i in range(nargs))

    def run(columns: tuple[list[str | None], ...]) -> Any:
        state = cls()
        pairs = list(zip(columns[0::2], columns[1::2], strict=True))
        for row in range(len(pairs[0][0]) if pairs else 0):
            state.step(*(_decode(texts[row], kinds[row]) for texts, kinds in pairs))
        out = state.finalize()
        return None if out is None else str(out)

    # DuckDB reads a UDF's arity from its signature: one function per argument count.

    def one(a: Texts, ta: Texts) -> Any:
        return run((a, ta))

    def two(a: Texts, ta: Texts, b: Texts, tb: Texts) -> Any:
        return run((a, ta, b, tb))

    def three(a: Texts, ta: Texts, b: Texts, tb: Texts, c: Texts, tc: Texts) -> Any:
        return run((a, ta, b, tb, c, tc))

    udfs: dict[int, Callable[..., Any]] = {1: one, 2: two, 3: three}
    return f"{name}__agg({lists})", udfs[nargs]


def _decode(text: str | None, kind: str | None) -> Value:
    """A UDF argument back as the value SQLite would have passed (sent as text and its type)."""
    if text is None or kind is None:
        return None
    base = kind.split("(")[0]
    if base in _INTEGERS:
        return int(text)
    if base in _FLOATS or base.startswith("DECIMAL"):
        return float(text)
    if base == "BOOLEAN":
        return 1 if text == "true" else 0
    return text


def _udf(name: str, fn: Callable[..., Any], count: int) -> Callable[..., Any]:
    """A DuckDB UDF of `count` (text, type) argument pairs calling Loupe's Python function (DuckDB
    reads the arity from the signature, so each count has its own)."""
    text_result = _return_type(fn) == "VARCHAR"

    def done(out: Any) -> Any:
        return str(out) if text_result and out is not None and not isinstance(out, str) else out

    def one(a: str | None, ta: str | None) -> Any:
        return done(fn(_decode(a, ta)))

    def two(a: str | None, ta: str | None, b: str | None, tb: str | None) -> Any:
        return done(fn(_decode(a, ta), _decode(b, tb)))

    def three(
        a: str | None, ta: str | None, b: str | None, tb: str | None, c: str | None, tc: str | None
    ) -> Any:
        return done(fn(_decode(a, ta), _decode(b, tb), _decode(c, tc)))

    udfs: dict[int, Callable[..., Any]] = {1: one, 2: two, 3: three}
    return udfs[count]


def _return_type(fn: Callable[..., Any]) -> str:
    """The DuckDB type of what a Loupe function returns, from its annotation: text, whole numbers,
    numbers (int | float: a double), anything else text."""
    hint = typing.get_type_hints(fn).get("return", object)
    kinds = set(typing.get_args(hint) or (hint,)) - {type(None)}
    if kinds == {int}:
        return "BIGINT"
    if kinds and kinds <= {int, float}:
        return "DOUBLE"
    return "VARCHAR"


class DuckDBEngine(PipelineRunner):
    """One in-memory DuckDB database with the interface of loupe.engine.Engine that the command
    line and the tests use: load, schemas, compile, execute, count, lookup, run."""

    dialect: Dialect = "duckdb"

    def __init__(self) -> None:
        self._conn = duckdb.connect(":memory:")
        self._schemas: dict[str, tuple[Column, ...]] = {}
        self._keep: list[Any] = []  # relations behind views must outlive them
        self.time_limit: float | None = None  # seconds a query may run; None: the request's budget
        varchar = duckdb.sqltype("VARCHAR")
        create: Any = self._conn.create_function  # its stubs want an enum where a name works
        for name, (nargs, fn) in _FUNCTIONS.items():
            for count in (1, 2, 3) if nargs == -1 else (nargs,):
                create(
                    _udf_name(name, count),
                    _udf(name, fn, count),
                    [varchar] * (2 * count),
                    duckdb.sqltype(_return_type(fn)),
                    null_handling="special",
                )
        texts = duckdb.list_type(varchar)
        for name, (nargs, _cls) in AGGREGATES.items():
            if name not in _AGGREGATES:
                create(
                    f"{name}__agg",
                    _COLLECTED[name][1],
                    [texts] * (2 * nargs),
                    varchar,
                    null_handling="special",
                )

    # -- tables ---------------------------------------------------------------------------------

    def load(self, table: Table) -> None:
        """Create (or replace) a table with SQLite's storage types and insert all rows."""
        name = quote_ident(table.name)
        defs = ", ".join(f"{quote_column(c.name)} {_STORAGE[SQL_TYPES[c.type]]}" for c in table.columns)
        self._conn.execute(f"CREATE OR REPLACE TABLE {name} ({defs})")
        if table.rows:
            # Column by column as lists, unnested side by side: one statement, no Python loop per row.
            kinds = [_STORAGE[SQL_TYPES[c.type]] for c in table.columns]
            values = {
                f"c{i}": [int(v) if isinstance(v, bool) else v for v in column]
                for i, column in enumerate(zip(*table.rows, strict=True))
            }
            items = ", ".join(f"unnest(CAST($c{i} AS {kind}[]))" for i, kind in enumerate(kinds))
            self._conn.execute(f"INSERT INTO {name} SELECT {items}", values)
        self._schemas[table.name] = tuple(table.columns)

    def load_path(self, path: str, name: str | None = None) -> TableInfo:
        """A data file as a table: CSV/TSV scanned by DuckDB from disk, other formats read by Loupe."""
        table = name or os.path.splitext(os.path.basename(path))[0]
        if not path.lower().endswith(CSV_EXTENSIONS):
            from loupe.read import read_file

            read = read_file(path, name=table)
            self.load(read)
            return read.info()
        try:
            raw = self._conn.read_csv(path)
        except duckdb.Error as exc:
            raise QueryError(f"DuckDB could not read {path!r}: {exc}", hint="check the file") from None
        columns = tuple(Column(n, _loupe_type(str(t))) for n, t in zip(raw.columns, raw.types, strict=True))
        raw_name = f"loupe_raw_{len(self._keep)}"
        raw.create_view(raw_name)
        self._keep.append(raw)
        select = ", ".join(_stored(c, str(t)) for c, t in zip(columns, raw.types, strict=True))
        self._conn.execute(f"CREATE OR REPLACE VIEW {quote_ident(table)} AS SELECT {select} FROM {raw_name}")
        self._schemas[table] = columns
        (count,) = self._fetch(f"SELECT count(*) FROM {quote_ident(table)}", {})[0]
        return TableInfo(table, columns, int(count or 0), [], {"engine": "duckdb", "path": path})

    # -- queries --------------------------------------------------------------------------------

    def execute(self, query: Query, *, offset: int = 0, limit: int | None = None) -> Result:
        raw = self._fetch(*windowed(query, offset, limit))
        return Result(query.columns, _integral(query.columns, Engine._convert(query.columns, raw)))

    def count(self, query: Query) -> int:
        (count,) = self._fetch(f"SELECT count(*) FROM ({query.count_sql or query.sql})", query.params)[0]
        return int(count or 0)

    def lookup(self, sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        return self._fetch(sql, params)

    def sql(self, sqlite_sql: str) -> str:
        """SQLite SQL as this engine runs it."""
        return to_duckdb(sqlite_sql)

    def close(self) -> None:
        self._conn.close()

    def _fetch(self, sqlite_sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        sql = to_duckdb(sqlite_sql)
        used = set(_PARAM.findall(sql))
        bound = {k: int(v) if isinstance(v, bool) else v for k, v in params.items() if k in used}
        # The engine's own limit (the command line's --budget, tests) or the running request's budget.
        seconds = self.time_limit if self.time_limit is not None else budget.current()
        try:
            with budget.stopping(seconds, self._conn.interrupt) as watch:
                rows: list[tuple[Value, ...]] = self._conn.execute(sql, bound).fetchall()
            return rows
        except duckdb.InterruptException:
            if watch.fired and watch.seconds is not None:
                raise BudgetError(watch.seconds) from None
            raise QueryError("DuckDB stopped the query", hint="run it again") from None
        except duckdb.Error as exc:
            raise QueryError(
                f"DuckDB refused the query: {exc}",
                hint="this looks like a bug in Loupe's DuckDB translation; please report the pipeline",
                snippet=sql[:200],
            ) from None


_COLLECTED = {
    name: _collected(name, cls, n) for name, (n, cls) in AGGREGATES.items() if name not in _AGGREGATES
}

__all__ = ["CSV_EXTENSIONS", "DuckDBEngine", "sqlite_round", "sqlite_text", "to_duckdb", "translate"]
