"""SQL dialects and the engine interface: the pipeline compiler writes SQLite SQL, and an engine for
another database runs it translated by sqlglot (sqlite -> duckdb, sqlite -> spark). Native CPython only:
neither sqlglot nor any engine but SQLite is shipped to the page (build.py leaves this module out of the
wheel).

>>> print(translate('SELECT instr("a", :p0) > 0 FROM "t"', "duckdb"))
SELECT STRPOS("a", $p0) > 0 FROM "t"
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from loupe.errors import LoupeError
from loupe.sql import Query
from loupe.table import Column, Table, TableInfo, Value

if TYPE_CHECKING:
    from loupe.engine import Result
    from loupe.pipeline import Pipeline

Dialect = Literal["sqlite", "duckdb", "spark"]
DIALECTS: tuple[Dialect, ...] = ("sqlite", "duckdb", "spark")
ENGINES: tuple[Dialect, ...] = DIALECTS


class QueryEngine(Protocol):
    """What the command line and the tests need of an engine: load tables, compile, run."""

    dialect: Dialect

    def load(self, table: Table) -> None: ...

    def schemas(self) -> dict[str, tuple[Column, ...]]: ...

    def compile(self, pipeline: Pipeline, source: str | None = None) -> Query: ...

    def execute(self, query: Query, *, offset: int = 0, limit: int | None = None) -> Result: ...

    def lookup(self, sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]: ...

    def close(self) -> None: ...


def open_engine(name: str) -> QueryEngine:
    """A new engine by name: "sqlite" (the default everywhere), "duckdb" (needs loupe[duckdb]) or
    "spark" (needs loupe[spark] and a Java runtime)."""
    if name == "sqlite":
        from loupe.engine import Engine

        return Engine()  # type: ignore[return-value]
    if name == "duckdb":
        try:
            from loupe.duckdb_engine import DuckDBEngine
        except ImportError as exc:
            raise LoupeError(
                f"the DuckDB engine needs the duckdb and sqlglot packages ({exc.name} is missing)",
                hint='pip install "loupe[duckdb]"',
            ) from None
        return DuckDBEngine()
    if name == "spark":
        return _spark_engine()
    raise LoupeError(f"unknown engine {name!r}", hint="engines: " + ", ".join(ENGINES))


def _spark_engine() -> QueryEngine:
    import shutil

    try:
        from loupe.spark_engine import SparkEngine
    except ImportError as exc:
        raise LoupeError(
            f"the Spark engine needs the pyspark and sqlglot packages ({exc.name} is missing)",
            hint='pip install "loupe[spark]"',
        ) from None
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise LoupeError("the Spark engine needs a Java runtime", hint="install Java 17 or later")
    return SparkEngine()


def _sqlglot() -> Any:
    try:
        import sqlglot
    except ImportError:
        raise LoupeError(
            "another SQL dialect needs the sqlglot package", hint='pip install "loupe[duckdb]"'
        ) from None
    return sqlglot


def translate(sql: str, dialect: Dialect) -> str:
    """SQLite SQL (as the compiler writes it, `:name` parameters included) in another dialect."""
    if dialect == "sqlite":
        return sql
    sqlglot = _sqlglot()
    try:
        (out,) = sqlglot.transpile(sql, read="sqlite", write=dialect)
    except sqlglot.errors.SqlglotError as exc:
        raise LoupeError(
            f"the query could not be written in {dialect}'s SQL: {exc}",
            hint="this looks like a bug in Loupe; please report the pipeline that caused it",
            snippet=sql[:200],
        ) from None
    return str(out)


def in_dialect(query: Query, dialect: Dialect) -> Query:
    """The same query (parameters, columns) with its SQL in `dialect`."""
    if dialect == "sqlite":
        return query
    count = translate(query.count_sql, dialect) if query.count_sql else None
    return Query(translate(query.sql, dialect), query.params, query.columns, count, query.step_columns)


def load_path(engine: QueryEngine, path: str, name: str | None = None) -> TableInfo:
    """Load a data file into an engine: DuckDB scans a CSV/TSV itself (from disk, never through
    Python); everything else, and every file for SQLite and Spark, goes through Loupe's readers."""
    if engine.dialect in ("duckdb", "spark"):
        info: TableInfo = engine.load_path(path, name)  # type: ignore[attr-defined]
        return info
    from loupe.read import load_file

    return load_file(engine, path, name=name)  # type: ignore[arg-type]


def compile_on(engine: QueryEngine, spec: object, data: str, extra: Sequence[str]) -> Query:
    """Load DATA (and --with files) and compile a bare pipeline, or a document's active table, on
    `engine` (the command line's run and sql with --engine/--dialect other than SQLite)."""
    from loupe.document import is_document, parse_document
    from loupe.pipeline import parse_pipeline

    if not is_document(spec):
        pipeline = parse_pipeline(spec)
        table = load_path(engine, data)
        for path in extra:
            load_path(engine, path)
        return engine.compile(pipeline, pipeline.source or table.name)
    doc = parse_document(spec)
    active = doc.active
    if active is None:
        raise LoupeError("the document has no tables to run", hint="open a file in Loupe and save again")
    first = doc.source_of(active)
    sources = [first, *(s for s in doc.sources if s is not first)]
    for path, source in zip([data, *extra], sources, strict=False):
        if source.options or source.part:
            raise LoupeError(
                f"source {source.id} ({source.name!r}) has reading options, which only Loupe's readers apply",
                hint="run this document with --engine sqlite",
            )
        load_path(engine, path, source.table)
    return engine.compile(active.pipeline, active.pipeline.source)


def sql_text(query: Query, dialect: Dialect) -> str:
    """The compiled query as one readable statement in `dialect`, parameters written in."""
    from loupe.export import pipeline_sql

    text = pipeline_sql(query)
    if dialect == "sqlite":
        return text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    if dialect == "spark":
        from loupe.spark_engine import to_spark

        spark_sql, _ = to_spark(body.rstrip().rstrip(";"), {})
        return (
            "-- Loupe pipeline as Spark SQL (translated from SQLite's by sqlglot; Loupe's SQLite\n"
            "-- functions written with Spark's own, see loupe.spark_engine).\n" + spark_sql + ";\n"
        )
    from loupe.duckdb_engine import to_duckdb

    body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    return (
        "-- Loupe pipeline as DuckDB SQL (translated from SQLite's by sqlglot). Functions named\n"
        "-- loupe_*__N are Loupe's Python UDFs, registered by loupe.duckdb_engine.DuckDBEngine.\n"
        + to_duckdb(body.rstrip().rstrip(";"))
        + ";\n"
    )
