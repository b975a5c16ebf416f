"""The page's large-data engine: the same compiled pipeline on DuckDB-WASM, which the worker loads only
when a large file is opened (app/duckdb-bridge.js) and Python calls synchronously, in the same thread.

The SQL is the SQLite SQL the compiler writes, translated by loupe.duckdb_sql as for the native DuckDB
engine, so answers agree with SQLite's. A CSV or TSV is registered with DuckDB-WASM as the user's File
and scanned by DuckDB's read_csv into a DuckDB table: its bytes never pass through Python. DuckDB-WASM
has no Python UDFs, so a step that needs one of Loupe's Python functions is refused before it runs,
naming the step, never answered differently.

The connection is anything with `query(sql, params_json) -> reply_json` (DuckDBWasm below describes
it): in the page the bridge's JS object, in tests a native DuckDB connection behind the same protocol.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from loupe.duckdb_sql import (
    _PARAM,
    CSV_EXTENSIONS,
    _integral,
    _loupe_type,
    _storage,
    to_duckdb,
    windowed,
)
from loupe.engine import Engine, Result
from loupe.errors import QueryError, ReadError
from loupe.pipeline import Pipeline
from loupe.read.names import table_name
from loupe.sql import Query, quote_ident
from loupe.table import Column, Table, TableInfo, Value

# A call the translation leaves to a function DuckDB-WASM does not have (loupe_text__1, loupe_x__agg).
_PYTHON_FUNCTION = re.compile(r"\b(loupe_[a-z_]+?)__(?:\d|agg)\b", re.IGNORECASE)
_READABLE = {
    "loupe_text": "writing a decimal number as text",
    "loupe_round": "round()",
    "loupe_date_order": "detecting the date order",
    "loupe_outlier_fences": "outlier fences",
    "loupe_outlier_reason": "outlier reasons",
}
# Arrow's type names (the bridge) and DuckDB's (the native test bridge) of integer and float columns:
# JSON writes 2.0 as 2, so a float column's whole numbers are made floats again.
_INTEGER_TYPES = ("Int", "Uint", "BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "TINYINT", "UBIGINT")
_FLOAT_TYPES = ("Float", "Decimal", "DOUBLE", "FLOAT", "REAL", "DECIMAL")
USE_SQLITE = "use the SQLite engine (Reading options → Engine)"
_INNER = '"loupe__inner__"'  # where a wrapped query goes back into its translated wrapper
_LOOKUPS = 64  # helper queries remembered at most


class Connection(Protocol):
    """What the engine needs of DuckDB-WASM: run one statement with positional parameters ($1, $2 ...)
    and answer JSON text: {"names": [...], "types": [...], "columns": [[...], ...]} or {"error": "..."}.
    Integers too large for a double arrive as decimal text; the types say which columns are integers."""

    def query(self, sql: str, params_json: str) -> str: ...


class DuckDBWasmEngine(Engine):
    """Engine's interface (pages, counts, stored windows) over DuckDB-WASM. It never opens SQLite:
    every query goes through `_fetch`, so a method this class does not override still runs here."""

    dialect = "duckdb"

    def __init__(self, connection: Connection) -> None:  # no super().__init__: no SQLite database
        self._connection = connection
        self._schemas: dict[str, tuple[Column, ...]] = {}
        self._counts: dict[tuple[str, str], int] = {}
        self._lookups: dict[tuple[str, str], list[tuple[Value, ...]]] = {}
        self._ordered: frozenset[str] = frozenset()  # tables whose rowid is their row order
        self.time_limit: float | None = None

    # -- tables ---------------------------------------------------------------------------------

    def load_csv(self, file: str, filename: str, name: str | None = None) -> TableInfo:
        """A CSV or TSV the bridge registered as `file` (the user's File) read by DuckDB's read_csv into
        a table with SQLite's storage types (booleans 0/1, dates ISO text), in the file's row order."""
        if not filename.lower().endswith(CSV_EXTENSIONS):
            raise ReadError(
                f"the large-data engine reads CSV and TSV files, not {filename!r}",
                hint=f"{USE_SQLITE} for this file",
            )
        table = name or table_name(filename)
        relation = quote_ident(table)
        # One statement reads the file (DuckDB sniffs its dialect and types once, then scans it); the
        # table's own schema says what it sniffed, and only a column SQLite stores otherwise (a date as
        # ISO text, a boolean as 0/1) is rewritten in place. `file` is the bridge's own name for the
        # upload (never the user's), so it can be a literal.
        read = f"CREATE OR REPLACE TABLE {relation} AS SELECT * FROM read_csv('{file}')"
        created = self._run(read, [], "reading")["columns"]  # DuckDB answers how many rows it stored
        described = self._run(f"DESCRIBE {relation}", [], "reading")
        pairs = list(zip(described["columns"][0], described["columns"][1], strict=True))
        columns = tuple(Column(str(n), _loupe_type(str(t))) for n, t in pairs)
        for column, (_, duck) in zip(columns, pairs, strict=True):
            storage = _storage(column, str(duck))
            if storage is not None:
                kind, expression = storage
                name_ = quote_ident(column.name)
                alter = f"ALTER TABLE {relation} ALTER {name_} TYPE {kind} USING {expression}"
                self._run(alter, [], "reading")
        self._tables_changed(table, columns)
        if len(created) == 1 and len(created[0]) == 1:
            (count,) = created[0]
        else:
            (count,) = self._fetch(f"SELECT count(*) FROM {relation}", {})[0]
        return TableInfo(table, columns, int(count or 0), [], {"engine": "duckdb-wasm", "file": filename})

    def load(self, table: Table) -> None:
        raise ReadError(
            f'the large-data engine reads CSV and TSV files; "{table.name}" came from another format',
            hint=f"{USE_SQLITE} for this file",
        )

    def load_rows(self, table: str, columns: Sequence[Column], batches: Any) -> None:
        self.load(Table(table, tuple(columns), []))

    def load_columns(self, table: str, columns: Sequence[Column], batches: Any) -> None:
        self.load(Table(table, tuple(columns), []))

    def drop(self, name: str) -> None:
        self.schema(name)
        self._fetch(f"DROP TABLE {quote_ident(name)}", {})
        self._tables_changed(name, None)

    # -- queries --------------------------------------------------------------------------------

    def compile(self, pipeline: Pipeline, source: str | None = None) -> Query:
        """Compile as every engine does, then refuse a pipeline that needs a Python function, naming
        the first step that needs it (found by compiling the steps before it)."""
        query = super().compile(pipeline, source)
        needed = _needs_python(query.sql, self._ordered)
        if needed is None:
            return query
        step = len(pipeline.steps)
        for count in range(1, len(pipeline.steps)):
            prefix = super().compile(dataclasses.replace(pipeline, steps=pipeline.steps[:count]), source)
            if _needs_python(prefix.sql, self._ordered):
                step = count
                break
        name = needed.group(1).lower()
        what = _READABLE.get(name, name.removeprefix("loupe_").replace("_", " "))
        raise QueryError(
            f"step {step} needs Loupe's Python function for {what}, which the large-data engine "
            "(DuckDB-WASM) does not have",
            step=step,
            verb=getattr(pipeline.steps[step - 1], "verb", None),
            hint=USE_SQLITE,
        )

    def execute(self, query: Query, *, offset: int = 0, limit: int | None = None) -> Result:
        raw = self._fetch(*windowed(query, offset, limit), inner=query.sql)
        return Result(query.columns, _integral(query.columns, Engine._convert(query.columns, raw)))

    def count(self, query: Query) -> int:
        """As Engine.count, the query translated once for its page and its count."""
        key = self._count_key(query)
        if key not in self._counts:
            inner = query.count_sql or query.sql
            (count,) = self._fetch(f"SELECT count(*) FROM ({inner})", query.params, inner=inner)[0]
            self._counts[key] = int(count or 0)
        return self._counts[key]

    def lookup(self, sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        """A helper query's rows (a pivot's distinct values), remembered until the tables change:
        compiling a pipeline for its page and again for its SQL asks the same question."""
        key = (sql, repr(sorted(params.items())))
        if key not in self._lookups:
            if len(self._lookups) >= _LOOKUPS:
                self._lookups.clear()
            self._lookups[key] = self._fetch(sql, params)
        return self._lookups[key]

    def materialize(self, query: Query, name: str) -> Query:
        relation = quote_ident(name)
        self.forget(name)
        sql = f"CREATE TEMP TABLE {relation} AS SELECT * FROM ({query.sql})"
        self._fetch(sql, query.params, inner=query.sql)
        return Query(f"SELECT * FROM {relation}", {}, query.columns)

    def forget(self, name: str) -> None:
        self._fetch(f"DROP TABLE IF EXISTS {quote_ident(name)}", {})
        self._lookups.clear()

    def window(self, relation: str, columns: Sequence[Column], *, offset: int, limit: int) -> Result:
        """Rows offset+1 .. offset+limit of a stored table, by its rowid (DuckDB counts from 0)."""
        relation = relation.removeprefix("temp.")  # Engine's name for a stored result; DuckDB's temp too
        sql = f"SELECT * FROM {relation} WHERE rowid >= :loupe_offset ORDER BY rowid LIMIT :loupe_limit"
        raw = self._fetch(sql, {"loupe_offset": max(0, int(offset)), "loupe_limit": max(0, int(limit))})
        return Result(tuple(columns), _integral(columns, self._convert(columns, raw)))

    def interrupt(self) -> None:
        """DuckDB-WASM runs in this thread: a query cannot be stopped from outside (Cancel restarts)."""

    def close(self) -> None:
        for name in list(self._schemas):
            self.drop(name)

    # -- internals ------------------------------------------------------------------------------

    def _tables_changed(self, name: str, columns: tuple[Column, ...] | None) -> None:
        """A table loaded (its columns) or dropped (None): what was known of the old tables goes."""
        if columns is None:
            self._schemas.pop(name, None)
        else:
            self._schemas[name] = columns
        self._counts.clear()
        self._lookups.clear()
        # A column named rowid would hide DuckDB's, which numbers a loaded table's rows in file order.
        self._ordered = frozenset(
            table.lower()
            for table, cols in self._schemas.items()
            if all(c.name.lower() != "rowid" for c in cols)
        )

    def _fetch(
        self, sql: str, params: Mapping[str, Value], *, inner: str | None = None
    ) -> list[tuple[Value, ...]]:
        """SQLite SQL translated and run; named parameters become DuckDB's positional $1, $2 ...
        `inner`: a query the SQL wraps in parentheses (a page, a count), translated once for both."""
        wrapped = f"({inner})" if inner is not None else ""
        if inner is not None and wrapped in sql:
            outer = _translated(sql.replace(wrapped, _INNER, 1), self._ordered)
            translated = outer.replace(_INNER, f"({_translated(inner, self._ordered)})", 1)
        else:
            translated = _translated(sql, self._ordered)
        order: list[str] = []

        def number(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in order:
                order.append(name)
            return f"${order.index(name) + 1}"

        positional = _PARAM.sub(number, translated)
        values = [_param(params[name]) for name in order]
        reply = self._run(positional, values, None)
        columns = reply["columns"]
        return list(zip(*columns, strict=True)) if columns else []

    def _run(self, sql: str, values: list[Value], reading: str | None) -> dict[str, Any]:
        reply = json.loads(self._connection.query(sql, json.dumps(values)))
        if "error" in reply:
            error = ReadError if reading else QueryError
            raise error(
                f"DuckDB-WASM refused the query: {reply['error']}",
                hint="check the file, or use the SQLite engine"
                if reading
                else "this looks like a bug in Loupe's DuckDB translation; please report the pipeline",
                snippet=sql[:200],
            )
        for i, kind in enumerate(map(str, reply["types"])):
            if kind.startswith(_INTEGER_TYPES):
                reply["columns"][i] = [int(v) if isinstance(v, str) else v for v in reply["columns"][i]]
            elif kind.startswith(_FLOAT_TYPES):
                reply["columns"][i] = [float(v) if isinstance(v, int) else v for v in reply["columns"][i]]
        return dict(reply)


# What may become a Python function once translated: Loupe's functions, round() and a cast to text.
_MAYBE_PYTHON = re.compile(r"loupe_|\bround\s*\(|\bAS\s+TEXT\b", re.IGNORECASE)


def _needs_python(sqlite_sql: str, ordered: frozenset[str]) -> re.Match[str] | None:
    """The first call of a Python function in the query as DuckDB would run it (most queries have
    none of the constructs that could translate to one, and skip the translation)."""
    if _MAYBE_PYTHON.search(sqlite_sql) is None:
        return None
    return _PYTHON_FUNCTION.search(_translated(sqlite_sql, ordered))


@functools.lru_cache(maxsize=256)
def _translated(sqlite_sql: str, ordered: frozenset[str]) -> str:
    """to_duckdb, remembered: a view asks for the same query's page, count and windows."""
    return to_duckdb(sqlite_sql, ordered)


def _param(value: Value) -> Value:
    return int(value) if isinstance(value, bool) else value


def warm_up() -> None:
    """Load what the first translation would (sqlglot's SQLite and DuckDB dialects, ~10^5 lines of
    Python), as part of loading the engine rather than of the first view."""
    to_duckdb("SELECT * FROM t WHERE x = :p ORDER BY x", frozenset({"t"}))


def open_large(session: Any, file: str, filename: str) -> TableInfo:
    """Read a CSV the worker registered with DuckDB-WASM as `file` into the session, whose engine
    becomes this one (its SQLite tables are left behind: one session, one database)."""
    if not isinstance(session.engine, DuckDBWasmEngine):
        import loupe_duckdb_wasm_bridge  # type: ignore[import-not-found]  # registered by the worker

        session.engine = DuckDBWasmEngine(loupe_duckdb_wasm_bridge)
    table: TableInfo = session.engine.load_csv(file, filename)
    return table
