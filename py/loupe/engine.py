"""The engine: one in-memory SQLite connection holding the loaded tables; the only sqlite3 user.

>>> from loupe.table import Column, Table
>>> e = Engine(); e.load(Table("t", (Column("a", "integer"),), [(1,), (2,)]))
>>> e.execute(e.query("t")).rows
[(1,), (2,)]
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loupe import budget
from loupe.errors import BudgetError, LoupeError, QueryError, SpecError, did_you_mean
from loupe.sql import SQL_TYPES, Query, fold, quote_column, quote_ident, select_all
from loupe.sqlfuncs import AGGREGATES, SCALARS
from loupe.table import Column, Table, Value

if TYPE_CHECKING:
    from loupe.pipeline import Pipeline

# sqlite3 authorizer action codes we refuse: the engine never needs other databases or extensions.
_SQLITE_ATTACH, _SQLITE_DETACH, _SQLITE_FUNCTION = 24, 25, 31
_DENIED_FUNCTIONS = frozenset({"load_extension"})


@dataclass(frozen=True)
class Result:
    """Rows of a query, JSON-safe: booleans are bools again, NaN and infinities are None."""

    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def to_dict(self) -> dict[str, object]:
        return {
            "columns": [{"name": c.name, "type": c.type} for c in self.columns],
            "rows": [list(r) for r in self.rows],
        }


def _clean_number(value: Any) -> Value:
    if value.__class__ is float and not math.isfinite(value):
        return None
    return value  # type: ignore[no-any-return]


def _to_bool(value: Any) -> Value:
    if value is None or value.__class__ is str:
        return value
    if value.__class__ is float and not math.isfinite(value):
        return None
    return bool(value)


def _converter(column: Column) -> Callable[[Any], Value] | None:
    if column.type == "boolean":
        return _to_bool
    if column.type in ("integer", "float"):
        return _clean_number
    return None


def _authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, src: str | None) -> int:
    if action in (_SQLITE_ATTACH, _SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == _SQLITE_FUNCTION and arg2 is not None and arg2.lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def query_error(exc: sqlite3.Error, sql: str = "") -> QueryError:
    """Translate a sqlite3 error into a QueryError with a hint a user can act on."""
    text = str(exc)
    lowered = text.lower()
    if "no such column" in lowered or "no such table" in lowered:
        hint = "check the column and table names in the pipeline"
    elif "interrupt" in lowered:
        hint = "the query was stopped; try fewer rows or a simpler pipeline"
    elif "too many" in lowered or "too big" in lowered:
        hint = "the query is too large; select fewer columns or pivot fewer values"
    elif "integer overflow" in lowered:
        hint = "a total is too large for whole numbers; cast the column to float first"
    elif "not authorized" in lowered:
        hint = "Loupe does not allow this kind of statement"
    else:
        hint = "this looks like a bug in Loupe; please report the pipeline that caused it"
    return QueryError(f"the database refused the query: {text}", hint=hint, snippet=sql[:200] or None)


_BATCH = 10_000  # rows flattened at a time by Engine.load
CACHE_KIB = 16_384  # SQLite's page cache and in-memory sort size per connection (default 2000)
_MAX_VARIABLES = 999  # SQLite's smallest SQLITE_MAX_VARIABLE_NUMBER (3.32+ allow 32766)


def _flatten(batch: Iterable[Sequence[Value]], width: int) -> list[Value]:
    """Rows as one row-major list; a row of another width is refused, never shifted into the next."""
    rows = batch if isinstance(batch, list) else list(batch)
    if set(map(len, rows)) - {width}:
        raise sqlite3.ProgrammingError(f"a row does not have {width} values")
    return list(itertools.chain.from_iterable(rows))


def _interleave(columns: Sequence[Sequence[Value]]) -> list[Value]:
    """Equally long columns as one row-major list (C-level slice assignment, no tuple per row)."""
    width = len(columns)
    count = len(columns[0]) if columns else 0
    if any(len(c) != count for c in columns):
        raise sqlite3.ProgrammingError("columns of different lengths")
    flat: list[Value] = [None] * (count * width)
    for j, column in enumerate(columns):
        flat[j::width] = column
    return flat


class PipelineRunner:
    """The loaded tables' catalogue, and compiling and running a pipeline over them: the same for every
    engine (SQLite here, DuckDB and Spark in their modules), which each bring load, execute and lookup."""

    _schemas: dict[str, tuple[Column, ...]]

    def execute(self, query: Query, *, offset: int = 0, limit: int | None = None) -> Result:
        raise NotImplementedError

    def lookup(self, sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        raise NotImplementedError

    def tables(self) -> list[str]:
        """Names of the loaded tables, in load order."""
        return list(self._schemas)

    def schema(self, name: str) -> tuple[Column, ...]:
        """The declared columns of a loaded table; SpecError (with a suggestion) if unknown."""
        if name in self._schemas:
            return self._schemas[name]
        hint = did_you_mean(name, self._schemas) or (
            "loaded tables: " + ", ".join(f'"{t}"' for t in self._schemas)
            if self._schemas
            else "load a file first"
        )
        raise SpecError(f'unknown table "{name}"', hint=hint)

    def schemas(self) -> dict[str, tuple[Column, ...]]:
        """All loaded tables' schemas, for compile_pipeline."""
        return dict(self._schemas)

    def query(self, name: str) -> Query:
        """A query for a whole loaded table."""
        return select_all(name, self.schema(name))

    def compile(self, pipeline: Pipeline, source: str | None = None) -> Query:
        """Compile a parsed pipeline against the loaded tables (lookups run on this engine)."""
        from loupe.pipeline import compile_pipeline

        return compile_pipeline(pipeline, self._schemas, source, lookup=self.lookup)

    def run(
        self, spec: object, source: str | None = None, *, offset: int = 0, limit: int | None = None
    ) -> Result:
        """Parse, compile and execute a pipeline spec in one call."""
        from loupe.pipeline import parse_pipeline

        return self.execute(self.compile(parse_pipeline(spec), source), offset=offset, limit=limit)


class Engine(PipelineRunner):
    """One in-memory SQLite database: load tables, describe them, run compiled queries."""

    dialect = "sqlite"  # the SQL the pipeline compiler writes (loupe.dialect has the others)

    def __init__(self) -> None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if hasattr(conn, "enable_load_extension"):
            conn.enable_load_extension(False)
        conn.execute("PRAGMA trusted_schema = OFF")
        # No temp_store = MEMORY: measured 2-3x slower GROUP BY sorts than the default. A sort keeps
        # up to cache_size in memory before it spills to temp files: 16 MiB (not 2) holds a group by
        # of 100k rows whole, ~10% faster in Pyodide; the sort is stable either way (same sums).
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        for name, (nargs, fn) in SCALARS.items():
            conn.create_function(name, nargs, fn, deterministic=True)
        for name, (nargs, cls) in AGGREGATES.items():
            conn.create_aggregate(name, nargs, cls)
        conn.set_authorizer(_authorize)
        self._conn = conn
        self._schemas: dict[str, tuple[Column, ...]] = {}
        # Row counts by (sql, params): a table view asks again for every page it shows.
        self._counts: dict[tuple[str, str], int] = {}
        self.time_limit: float | None = None  # seconds a query may run; None: no limit

    # -- tables ---------------------------------------------------------------------------------

    def load(self, table: Table) -> None:
        """Create (or replace) a table with the declared column types and insert all rows."""
        rows = table.rows
        self.load_rows(table.name, table.columns, (rows[i : i + _BATCH] for i in range(0, len(rows), _BATCH)))

    def load_rows(
        self, table: str, columns: Sequence[Column], batches: Iterable[Iterable[Sequence[Value]]]
    ) -> None:
        """Create (or replace) a table and insert batches of rows in one transaction, so a reader can
        stream rows without holding them all. Any error (also one raised by `batches`) rolls back
        and leaves an earlier table of that name as it was."""
        width = len(columns)
        self._load_flat(table, columns, (_flatten(batch, width) for batch in batches))

    def load_columns(
        self, table: str, columns: Sequence[Column], batches: Iterable[Sequence[Sequence[Value]]]
    ) -> None:
        """`load_rows` for batches given column by column (one equally long sequence per column)."""
        self._load_flat(table, columns, map(_interleave, batches))

    def _load_flat(self, table: str, columns: Sequence[Column], flats: Iterable[list[Value]]) -> None:
        """Insert row-major value lists, many rows per INSERT statement: half the time of one row
        per statement, and no tuple per row."""
        seen: dict[str, str] = {}
        for col in columns:
            key = fold(col.name)
            if key in seen:
                raise SpecError(
                    f'columns "{seen[key]}" and "{col.name}" differ only in case',
                    column=col.name,
                    hint="SQLite treats them as the same name; rename one of them",
                )
            seen[key] = col.name
        if not columns:
            raise SpecError(f'table "{table}" has no columns', hint="check the file")
        name = quote_ident(table)
        defs = ", ".join(f"{quote_column(c.name)} {SQL_TYPES[c.type]}" for c in columns)
        width = len(columns)
        row = "(" + ", ".join("?" * width) + ")"
        per = max(1, _MAX_VARIABLES // width)  # rows per statement
        step = per * width
        many = f"INSERT INTO {name} VALUES " + ", ".join([row] * per)
        one = f"INSERT INTO {name} VALUES {row}"
        try:
            self._conn.execute("BEGIN")
            self._conn.execute(f"DROP TABLE IF EXISTS {name}")
            self._conn.execute(f"CREATE TABLE {name} ({defs})")
            for flat in flats:
                full = len(flat) - len(flat) % step
                self._conn.executemany(many, (flat[i : i + step] for i in range(0, full, step)))
                self._conn.executemany(one, (flat[i : i + width] for i in range(full, len(flat), width)))
            self._conn.execute("COMMIT")
        except (sqlite3.Error, ValueError, OverflowError) as exc:
            self._rollback()
            if isinstance(exc, sqlite3.Error):
                raise query_error(exc) from exc
            raise LoupeError(
                f'could not load table "{table}": {exc}',
                hint="a value does not fit SQLite (integers must fit in 64 bits)",
            ) from exc
        except BaseException:  # the reader gave up (to read the file another way), was stopped, or
            self._rollback()  # ran out of memory (MemoryError)
            raise
        self._counts.clear()
        for existing in [n for n in self._schemas if fold(n) == fold(table)]:
            del self._schemas[existing]
        self._schemas[table] = tuple(columns)

    def _rollback(self) -> None:
        # SQLite rolls a transaction back by itself on some errors (out of memory: SQLITE_NOMEM);
        # a second ROLLBACK would fail and hide the first error.
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def drop(self, name: str) -> None:
        """Forget a loaded table."""
        self.schema(name)
        self._conn.execute(f"DROP TABLE {quote_column(name)}")
        del self._schemas[name]
        self._counts.clear()  # as load does: no count outlives the table it counted

    # -- queries --------------------------------------------------------------------------------

    def execute(self, query: Query, *, offset: int = 0, limit: int | None = None) -> Result:
        """Run a query and return a window of its rows (offset/limit applied by SQLite)."""
        params = dict(query.params)
        params["loupe_limit"] = -1 if limit is None else max(0, int(limit))
        params["loupe_offset"] = max(0, int(offset))
        sql = f"SELECT * FROM ({query.sql}) LIMIT :loupe_limit OFFSET :loupe_offset"
        raw = self._fetch(sql, params)
        return Result(query.columns, self._convert(query.columns, raw))

    @staticmethod
    def _count_key(query: Query) -> tuple[str, str]:
        return (query.sql, repr(sorted(query.params.items())))

    def count(self, query: Query) -> int:
        """How many rows a query returns (remembered until the loaded tables change)."""
        key = self._count_key(query)
        if key in self._counts:
            return self._counts[key]
        # count_sql, when present, is the same query without sorts that cannot change the count.
        rows = self._fetch(f"SELECT count(*) FROM ({query.count_sql or query.sql})", query.params)
        (count,) = rows[0]
        assert isinstance(count, int)
        self._counts[key] = count
        return count

    def known_count(self, query: Query) -> int | None:
        """The row count already found for a query (by `count` or `page`), without running anything."""
        return self._counts.get(self._count_key(query))

    def remember_count(self, query: Query, count: int) -> None:
        """Keep a row count found another way (e.g. all of a pipeline's step counts in one query)."""
        self._counts[self._count_key(query)] = count

    def page(self, query: Query, *, offset: int = 0, limit: int = 100) -> tuple[Result, int]:
        """A window of rows plus the total row count. One row more than the window is asked for: when
        it does not come, the window ends the result and its end is the count (remembered like a
        counted one), so a result of at most `limit` rows (a top 100, a group by) runs only once."""
        result = self.execute(query, offset=offset, limit=limit + 1)
        rows = result.rows
        if len(rows) <= limit and (rows or offset == 0):
            total = max(0, offset) + len(rows)
            self._counts[self._count_key(query)] = total
            return result, total
        return Result(result.columns, rows[:limit]), self.count(query)

    def lookup(self, sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        """Run a helper query (e.g. pivot's distinct values) and return its raw rows."""
        return self._fetch(sql, params)

    # -- windows over large results ---------------------------------------------------------------

    def materialize(self, query: Query, name: str) -> Query:
        """Store a query's rows, in its order, in a temporary table whose rowids number them 1..n.

        Scrolling then reads any window with an index range (see `window`) instead of an OFFSET scan
        that re-runs the pipeline (and its sort) up to the offset every time.
        """
        relation = f"temp.{quote_ident(name)}"
        # Through _fetch, so the time limit and error translation apply as to any query.
        self._fetch(f"DROP TABLE IF EXISTS {relation}", {})
        self._fetch(f"CREATE TABLE {relation} AS SELECT * FROM ({query.sql})", query.params)
        return Query(f"SELECT * FROM {relation}", {}, query.columns)

    def forget(self, name: str) -> None:
        """Drop a temporary table made by `materialize`."""
        self._conn.execute(f"DROP TABLE IF EXISTS temp.{quote_ident(name)}")

    def window(self, relation: str, columns: Sequence[Column], *, offset: int, limit: int) -> Result:
        """Rows offset+1 .. offset+limit of a table whose rowids number its rows in order (a loaded table
        or a materialized result): a rowid range, so the cost does not grow with the offset."""
        sql = f"SELECT * FROM {relation} WHERE rowid > :loupe_offset ORDER BY rowid LIMIT :loupe_limit"
        raw = self._fetch(sql, {"loupe_offset": max(0, int(offset)), "loupe_limit": max(0, int(limit))})
        return Result(tuple(columns), self._convert(columns, raw))

    def interrupt(self) -> None:
        """Stop the running query (it raises QueryError)."""
        self._conn.interrupt()

    def close(self) -> None:
        self._conn.close()

    # -- internals ------------------------------------------------------------------------------

    def _fetch(self, sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        # The engine's own limit (the CLI, tests) or the running request's budget (the worker).
        seconds = self.time_limit if self.time_limit is not None else budget.current()
        with budget.watched(self._conn, seconds) as watch:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if watch.fired and watch.seconds is not None:
                    raise BudgetError(watch.seconds) from exc
                raise query_error(exc, sql) from exc
            except sqlite3.Error as exc:
                raise query_error(exc, sql) from exc
            except OverflowError as exc:
                raise QueryError(
                    f"a value is too large for the database: {exc}",
                    hint="integers must fit in 64 bits; compare as text instead",
                ) from exc

    @staticmethod
    def _convert(columns: Sequence[Column], rows: list[tuple[Value, ...]]) -> list[tuple[Value, ...]]:
        convs = [_converter(c) for c in columns]
        if not any(convs) or not rows:
            return rows
        if len(rows[0]) != len(convs):
            return rows  # a query whose declared schema does not match; leave values untouched
        pairs = list(enumerate(convs))
        out: list[tuple[Value, ...]] = []
        for row in rows:
            out.append(tuple(row[i] if conv is None else conv(row[i]) for i, conv in pairs))
        return out
