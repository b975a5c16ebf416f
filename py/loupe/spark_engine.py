"""The Spark engine: the same compiled pipeline, translated from SQLite's SQL by sqlglot, on Spark SQL
(CPython only: `pip install "loupe[spark]"`, a Java runtime; never shipped to the page).

Tables keep SQLite's storage types (bigint, double, string; booleans 0/1, dates ISO text), so the
compiled SQL means the same on both. Loupe's SQLite functions (loupe_*) become Spark SQL built from
Spark's own functions that give the same answer; where none does (parsing dates and numbers as people
write them, outlier fences, a column's day order, text that needs Unicode case folding beyond simple
lower case) Spark calls Loupe's own Python function (loupe.spark_udfs: the same answer, slower), and the
few constructs left are refused with NotOnSpark, never answered differently. Spark sorts are not
stable and Spark rows have no order of their own, so ties are broken by the input order
(monotonically_increasing_id) wherever SQLite's stable sort and row order decide the answer.
One local SparkSession (`local[2]`) is shared by every engine; each engine has its own views.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import sqlglot
from sqlglot import exp

from loupe import budget
from loupe.dialect import Dialect
from loupe.engine import Engine, PipelineRunner, Result
from loupe.errors import BudgetError, QueryError
from loupe.sql import SQL_TYPES, Query
from loupe.table import Column, Table, TableInfo, Value
from loupe.verbs.base import SEQ

HINT = "use --engine sqlite or duckdb for this pipeline"
_MARK = "not supported on Spark"


class NotOnSpark(QueryError):
    """A pipeline step whose SQLite meaning has no exact Spark SQL equivalent."""

    def __init__(self, what: str, snippet: str | None = None) -> None:
        super().__init__(f"{_MARK}: {what}", hint=HINT, snippet=snippet)


# -- the session -------------------------------------------------------------------------------

_SESSION: Any = None
MASTER = "local[2]"


def session() -> Any:
    """The one SparkSession of this process (started on first use: a JVM takes seconds)."""
    global _SESSION
    if _SESSION is None:
        from pyspark.sql import SparkSession

        # Python UDFs (loupe.spark_udfs) run in workers of this Python, which import this loupe.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = SparkSession.builder.appName("loupe")
        builder = builder.config("spark.executorEnv.PYTHONPATH", _loupe_path())
        if not os.environ.get("SPARK_MASTER") and "spark.master" not in os.environ.get(
            "PYSPARK_SUBMIT_ARGS", ""
        ):
            builder = builder.master(MASTER)
        for key, value in SPARK_CONF.items():
            builder = builder.config(key, value)
        _SESSION = builder.getOrCreate()
        _SESSION.sparkContext.setLogLevel("OFF")
        from pyspark.logger import PySparkLogger

        # PySpark logs every refused query to stderr as JSON; the error reaches the user as a QueryError.
        for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
            PySparkLogger.getLogger(name).disabled = True
    return _SESSION


def _loupe_path() -> str:
    """The folder this loupe package is imported from, first on a Python worker's path."""
    import loupe

    here = os.path.dirname(os.path.dirname(os.path.abspath(loupe.__file__)))
    return os.pathsep.join([here, *filter(None, [os.environ.get("PYTHONPATH")])])


# What SQLite's meaning needs of Spark: NULL (not an error) for a bad cast or a division by zero,
# timestamps read and written without a time zone shift, and no progress bars or web UI.
SPARK_CONF = {
    "spark.sql.ansi.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "OFF",
}

_STORAGE = {"INTEGER": "bigint", "REAL": "double", "TEXT": "string"}
_INLINE_ROWS = 20_000  # up to this many rows a table travels as one JSON parameter, beyond as a file


class SparkEngine(PipelineRunner):
    """Tables as views in a Spark session of their own, with the interface of loupe.engine.Engine that
    the command line and the tests use: load, schemas, compile, execute, count, lookup, run."""

    dialect: Dialect = "spark"

    def __init__(self, spark: Any = None) -> None:
        from loupe.spark_udfs import register

        self._spark = (spark or session()).newSession()
        register(self._spark)
        self._schemas: dict[str, tuple[Column, ...]] = {}
        self.time_limit: float | None = None  # seconds a query may run; None: the request's budget
        self._group = f"loupe-{id(self):x}"  # the Spark job group its queries run in, to cancel them

    # -- tables ---------------------------------------------------------------------------------

    def load(self, table: Table) -> None:
        """A table as a view over rows in SQLite's storage types (booleans 0/1, dates ISO text),
        handed to Spark as JSON (read in the JVM: no Python worker per query, as a Python RDD needs)."""
        kinds = [_STORAGE[SQL_TYPES[c.type]] for c in table.columns]
        store: list[Callable[[Any], Any]] = [_STORE[k] for k in kinds]
        names = [f"c{i}" for i in range(len(kinds))]
        lines = [
            json.dumps(dict(zip(names, (f(v) for f, v in zip(store, row, strict=True)), strict=True)))
            for row in table.rows
        ]
        schema = ", ".join(f"{n}: {k}" for n, k in zip(names, kinds, strict=True))
        if len(lines) <= _INLINE_ROWS:
            frame = self._spark.sql(
                f"SELECT inline(from_json(:rows, 'array<struct<{schema}>>'))",
                args={"rows": "[" + ",".join(lines) + "]"},
            )
        else:  # a file Spark reads in parallel; kept until the process ends
            folder = tempfile.mkdtemp(prefix="loupe-spark-")
            with open(os.path.join(folder, "rows.json"), "w", encoding="utf-8") as handle:
                handle.writelines(line + "\n" for line in lines)
            frame = self._spark.read.schema(schema.replace(":", "")).json(folder)
        self.load_frame(table.name, frame.toDF(*(c.name for c in table.columns)), table.columns)

    def load_frame(self, name: str, frame: Any, columns: Sequence[Column]) -> None:
        """A Spark DataFrame (already in storage types) as the table `name`."""
        frame.createOrReplaceTempView(_backquote(name))
        for existing in [n for n in self._schemas if n.lower() == name.lower()]:
            del self._schemas[existing]
        self._schemas[name] = tuple(columns)

    def load_path(self, path: str, name: str | None = None) -> TableInfo:
        """A data file read by Loupe's readers (types as Loupe infers them), then handed to Spark."""
        from loupe.read import read_file

        table = read_file(path, name=name or os.path.splitext(os.path.basename(path))[0])
        self.load(table)
        return table.info()

    # -- queries --------------------------------------------------------------------------------

    def execute(self, query: Query, *, offset: int = 0, limit: int | None = None) -> Result:
        sql = query.sql
        if limit is not None or offset:
            sql = f"SELECT * FROM ({sql})"
            if limit is not None:
                sql += f" LIMIT {max(0, int(limit))}"
            if offset:
                sql += f" OFFSET {max(0, int(offset))}"
        raw = self._fetch(sql, query.params)
        return Result(query.columns, Engine._convert(query.columns, _typed(query.columns, raw)))

    def count(self, query: Query) -> int:
        (count,) = self._fetch(f"SELECT count(*) FROM ({query.count_sql or query.sql})", query.params)[0]
        return int(count or 0)

    def lookup(self, sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        return self._fetch(sql, params)

    def sql(self, sqlite_sql: str, params: Mapping[str, Value] | None = None) -> str:
        """SQLite SQL as this engine runs it."""
        return to_spark(sqlite_sql, params or {})[0]

    def close(self) -> None:
        self._schemas.clear()

    def _fetch(self, sqlite_sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        sql, bound = to_spark(sqlite_sql, params)
        # The engine's own limit (the command line's --budget, tests) or the running request's budget:
        # its jobs run in a job group of their own that a thread cancels past the deadline.
        seconds = self.time_limit if self.time_limit is not None else budget.current()
        context = self._spark.sparkContext
        if seconds is not None:
            context.setJobGroup(self._group, "a Loupe query", interruptOnCancel=True)
        try:
            with budget.stopping(seconds, lambda: context.cancelJobGroup(self._group)) as watch:
                rows = self._spark.sql(sql, args=bound or None).collect()
        except Exception as exc:  # pyspark's errors share no base class with a useful name
            text = str(exc)
            if watch.fired and watch.seconds is not None and "cancel" in text.lower():
                raise BudgetError(watch.seconds) from None
            if _MARK in text:
                what = text[text.index(_MARK) + len(_MARK) + 2 :].split(" — ")[0].splitlines()[0]
                raise NotOnSpark(what, snippet=sql[:200]) from None
            raise QueryError(
                f"Spark refused the query: {text.splitlines()[0][:500]}",
                hint="this looks like a bug in Loupe's Spark translation; please report the pipeline",
                snippet=sql[:200],
            ) from None
        finally:
            if seconds is not None:  # later queries of this thread run in no group (a null clears it)
                for key in ("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel"):
                    context.setLocalProperty(key, None)
        return [tuple(_plain(v) for v in row) for row in rows]


def _backquote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _as_int(v: Any) -> Any:
    return int(v) if isinstance(v, bool | int) else v


def _as_float(v: Any) -> Any:
    return float(v) if isinstance(v, bool | int) else v


_STORE: dict[str, Callable[[Any], Any]] = {"bigint": _as_int, "double": _as_float, "string": lambda v: v}


def _plain(value: Any) -> Value:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return int(value)
    return value  # type: ignore[no-any-return]


def _typed(columns: Sequence[Column], rows: list[tuple[Value, ...]]) -> list[tuple[Value, ...]]:
    """Values in their column's storage type: Spark's round of a bigint is a bigint, SQLite's a real;
    a whole double in an integer column an int."""
    if not rows or len(rows[0]) != len(columns):
        return rows
    fix = [SQL_TYPES[c.type] for c in columns]
    out = []
    for row in rows:
        values = list(row)
        for i, kind in enumerate(fix):
            v = values[i]
            if kind == "REAL" and isinstance(v, int):
                values[i] = float(v)
            elif kind == "INTEGER" and isinstance(v, float) and v.is_integer():
                values[i] = int(v)
        out.append(tuple(values))
    return out


# -- the translation ---------------------------------------------------------------------------


def to_spark(sqlite_sql: str, params: Mapping[str, Value]) -> tuple[str, dict[str, Any]]:
    """Compiled SQLite SQL and its parameters as Spark SQL and Spark's parameters (loupe_* functions
    replaced, see the module doc); NotOnSpark where no exact equivalent exists."""
    bound: dict[str, Any] = {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    tree: Any = sqlglot.parse_one(sqlite_sql, read="sqlite")
    _expand_json_lists(tree, bound)
    # Innermost first, so a template receives arguments already rewritten.
    for node in reversed(list(tree.find_all(exp.Func, exp.Cast, exp.Glob, exp.Like, exp.Literal))):
        _rewrite(node, bound)
    for node in list(tree.find_all(exp.Placeholder)):
        _typed_placeholder(node, bound)
    _booleans(tree)
    for window in list(tree.find_all(exp.Window)):
        _ordered_window(window)
    for select in list(tree.find_all(exp.Select)):
        _stable_sort(select)
    used = {p.name for p in tree.find_all(exp.Placeholder)}
    return tree.sql(dialect="spark"), {k: v for k, v in bound.items() if k in used}


def _spark(text: str) -> Any:
    return sqlglot.parse_one(text, read="spark")


def _s(node: exp.Expression) -> str:
    return node.sql(dialect="spark")


def _lit(text: str) -> str:
    return exp.Literal.string(text).sql(dialect="spark")


def _refuse(what: str) -> str:
    """A Spark expression that stops the query with NotOnSpark's text (for a value it cannot handle)."""
    return f"raise_error({_lit(f'{_MARK}: {what} — use sqlite or duckdb')})"


def _expand_json_lists(tree: exp.Expression, bound: dict[str, Any]) -> None:
    """`x IN (SELECT value FROM json_each(:p))` (a long `in` list) as `x IN (:p_0, :p_1, ...)`."""
    for node in list(tree.find_all(exp.In)):
        query = node.args.get("query")
        if query is None:
            continue
        inner = query.this if isinstance(query, exp.Subquery) else query
        calls = [f for f in inner.find_all(exp.Func) if f.sql_name().lower() in ("json_each", "jsoneach")]
        calls += [f for f in inner.find_all(exp.Anonymous) if f.name.lower() == "json_each"]
        if len(calls) != 1:
            continue
        holders = list(calls[0].find_all(exp.Placeholder))
        texts = list(calls[0].find_all(exp.Literal))
        if holders:
            name = holders[0].name
            items: list[exp.Expression] = []
            for i, value in enumerate(json.loads(str(bound[name]))):
                bound[f"{name}_{i}"] = int(value) if isinstance(value, bool) else value
                items.append(exp.Placeholder(this=f"{name}_{i}"))
        elif texts and texts[0].is_string:  # parameters written in (loupe sql)
            items = [_json_literal(v) for v in json.loads(texts[0].name)]
        else:
            continue
        node.replace(exp.In(this=node.this.copy(), expressions=items))


def _json_literal(value: Any) -> exp.Expression:
    if isinstance(value, str):
        return exp.Literal.string(value)
    if value is None:
        return exp.Null()
    return exp.Literal.number(int(value) if isinstance(value, bool) else value)


def _typed_placeholder(node: exp.Placeholder, bound: Mapping[str, Any]) -> None:
    """Whole numbers as bigint (pyspark binds a small int as a 32-bit int), reals as double."""
    value = bound.get(node.name)
    kind = "BIGINT" if isinstance(value, int) else "DOUBLE" if isinstance(value, float) else None
    if kind is not None and not isinstance(node.parent, exp.Cast):
        node.replace(exp.cast(node.copy(), kind))


# What is true or false in Spark; SQLite has no booleans, only the integers 0 and 1.
_PREDICATES = (
    exp.Predicate,
    exp.And,
    exp.Or,
    exp.Not,
    exp.Boolean,
    exp.Null,
    exp.Xor,
    exp.IsNan,
    exp.RegexpLike,
    exp.Escape,
)


def _condition_slot(node: Any) -> bool:
    """Whether `node` (its parentheses looked through) stands where Spark wants a boolean."""
    while isinstance(node.parent, exp.Paren):
        node = node.parent
    parent, key = node.parent, node.arg_key
    if isinstance(parent, exp.Where | exp.Having | exp.Qualify | exp.Not | exp.And | exp.Or | exp.Xor):
        return True
    if isinstance(parent, exp.Join) and key == "on":
        return True
    if isinstance(parent, exp.If) and key == "this":
        case = parent.parent
        return not (isinstance(case, exp.Case) and case.args.get("this") is not None)
    return False


def _booleans(tree: Any) -> None:
    """SQLite's truth values in Spark: a number where a condition stands is `x <> 0`, a condition
    where a value stands (a boolean column, coalesce(a > 1, 0)) is its 0/1 as a bigint."""
    for node in reversed(list(tree.walk())):  # innermost first
        if isinstance(node, exp.Paren) or node.parent is None:
            continue
        condition = _condition_slot(node)
        if condition and not isinstance(node, _PREDICATES) and _is_value(node):
            node.replace(exp.NEQ(this=exp.paren(node.copy()), expression=exp.Literal.number(0)))
        elif (
            not condition
            and isinstance(node, _PREDICATES)
            and not isinstance(node, exp.Null)
            and _is_value(node)
        ):
            node.replace(exp.cast(exp.paren(node.copy()), "BIGINT"))


def _is_value(node: Any) -> bool:
    """A scalar expression in a select's items or conditions (not a clause, a table or a name)."""
    up = node
    while isinstance(up.parent, exp.Paren):
        up = up.parent
    parent = up.parent
    if parent is None or isinstance(node, exp.Subquery | exp.Select | exp.Table | exp.Identifier | exp.Star):
        return False
    if isinstance(parent, exp.Escape):  # x LIKE p ESCAPE e: the LIKE is the Escape's, not a value
        return False
    if isinstance(parent, exp.Select) and up.arg_key != "expressions":
        return False
    if isinstance(
        parent, exp.Order | exp.Group | exp.Limit | exp.Offset | exp.From | exp.Window | exp.Ordered
    ):
        return isinstance(parent, exp.Ordered | exp.Window) and up.arg_key in ("this", "partition_by")
    if isinstance(parent, exp.Alias | exp.Where | exp.Having | exp.Join | exp.Filter | exp.Qualify):
        return up.arg_key in ("this", "on", "expression") and not isinstance(node, exp.Alias)
    return isinstance(node, exp.Condition) and not isinstance(node, exp.Alias)


_RANKS = ("rank", "dense_rank", "percent_rank", "cume_dist")
_ORDERED = ("row_number", "lag", "lead", "ntile", *_RANKS, "first_value", "last_value", "nth_value")
_MONO = "monotonically_increasing_id()"


def _function_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    name = node.sql_name().lower() if isinstance(node, exp.Func) else ""
    return {"first": "first_value", "last": "last_value"}.get(name, name)


def _ordered_window(window: exp.Window) -> None:
    """Spark wants an order for row_number and lag, and its window sort is not stable: the input's
    order (SQLite's) decides where the window's own order does not (ranks keep their ties)."""
    name = _function_name(window.this)
    order = window.args.get("order")
    if order is None:
        if name in _ORDERED and name not in _RANKS:
            window.set("order", exp.Order(expressions=[exp.Ordered(this=_spark(_MONO))]))
        return
    if name in _RANKS:
        return
    keys = [o.this for o in order.expressions]
    if any(isinstance(k, exp.Column) and k.name == SEQ for k in keys):
        return
    tie = exp.column(SEQ, quoted=True) if _numbered(window) else _spark(_MONO)
    order.append("expressions", exp.Ordered(this=tie))


def _numbered(window: exp.Window) -> bool:
    """Whether the window's rows come numbered in their input order (the window verb's source)."""
    select = window.parent_select
    source = select.args.get("from_") or select.args.get("from") if select is not None else None
    inner = source.this if source is not None else None
    if not isinstance(inner, exp.Subquery) or not isinstance(inner.this, exp.Select):
        return False
    return SEQ in {e.alias for e in inner.this.expressions}


def _stable_sort(select: exp.Select) -> None:
    """ORDER BY made stable, as SQLite's sort is: ties keep their input order."""
    order = select.args.get("order")
    if order is None or select.args.get("group") or select.args.get("distinct") or _aggregates(select):
        return
    keys = [o.this for o in order.expressions]
    if any(isinstance(k, exp.Column) and k.name == SEQ for k in keys):
        return
    order.append("expressions", exp.Ordered(this=_spark(_MONO)))


def _aggregates(select: exp.Select) -> bool:
    """Whether the select's own items aggregate (an aggregate outside a window and a subquery)."""
    for item in select.expressions:
        for agg in item.find_all(exp.AggFunc):
            if agg.find_ancestor(exp.Window, exp.Select) is select:
                return True
    return False


# Java's regular expressions: Python's str.strip() whitespace, numbers as float() and int() read them.
_WS = r"[\s\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_FLOAT = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_INT = r"[+-]?[0-9]+"
_OTHER_DIGIT = r"[\p{Nd}&&[^0-9]]"
_MAX = "1.7976931348623157E308D"


def _finite(v: str) -> str:
    return f"(CASE WHEN abs({v}) <= {_MAX} THEN {v} END)"


def _text_float(x: str) -> str:
    core = f"regexp_extract({x}, {_lit(f'^{_WS}*({_FLOAT}){_WS}*$')}, 1)"
    return _finite(f"CAST({core} AS DOUBLE)")


def _digits_guard(x: str, then: str, kind: str) -> str:
    """Text with digits other than 0-9 (Python's int and float read ٣ as 3) by Loupe's own function."""
    return f"(CASE WHEN {x} RLIKE {_lit(_OTHER_DIGIT)} THEN loupe_py_{kind}({x}) ELSE {then} END)"


def _loupe_float(x: str) -> str:
    return (
        f"(CASE WHEN typeof({x}) = 'string' THEN {_digits_guard(x, _text_float(x), 'float')} "
        f"ELSE {_finite(f'CAST({x} AS DOUBLE)')} END)"
    )


def _float_to_int(v: str) -> str:
    return f"(CASE WHEN abs({v}) < 9.223372036854775808E18D THEN CAST({v} AS BIGINT) END)"


def _loupe_int(x: str) -> str:
    whole = f"^{_WS}*({_INT}){_WS}*$"
    text = (
        f"(CASE WHEN {x} RLIKE {_lit(whole)} THEN CAST(regexp_extract({x}, {_lit(whole)}, 1) AS BIGINT) "
        f"ELSE {_float_to_int(_text_float(x))} END)"
    )
    return (
        f"(CASE WHEN typeof({x}) = 'string' THEN {_digits_guard(x, text, 'int')} "
        f"WHEN typeof({x}) IN ('bigint', 'int', 'smallint', 'tinyint') THEN CAST({x} AS BIGINT) "
        f"ELSE {_float_to_int(_finite(f'CAST({x} AS DOUBLE)'))} END)"
    )


def _loupe_bool(x: str) -> str:
    word = f"lower(regexp_replace({x}, {_lit(f'^{_WS}+|{_WS}+$')}, ''))"
    return (
        f"(CASE WHEN typeof({x}) = 'string' THEN (CASE WHEN {word} IN ('true', 't', 'yes', 'y', '1') THEN 1 "
        f"WHEN {word} IN ('false', 'f', 'no', 'n', '0') THEN 0 END) "
        f"WHEN CAST({x} AS DOUBLE) = 1 THEN 1 WHEN CAST({x} AS DOUBLE) = 0 THEN 0 END)"
    )


def _loupe_mod(a: str, b: str) -> str:
    # Python's modulo: the sign follows the divisor (Spark's % follows the dividend, pmod is neither).
    r = f"({a} % {b})"
    return (
        f"(CASE WHEN NOT (abs({a}) <= {_MAX} AND abs({b}) <= {_MAX}) OR {b} = 0 THEN NULL "
        f"WHEN {r} <> 0 AND ({r} < 0) <> ({b} < 0) THEN {r} + {b} ELSE {r} END)"
    )


def _unit_hash(seed: str, n: str) -> str:
    """splitmix64 of (seed, n) in 64-bit wrapping arithmetic, as loupe.sqlfuncs.unit_hash."""

    def signed(c: int) -> str:
        return str(c - (1 << 64) if c >= 1 << 63 else c) + "L"

    def whole(v: str) -> str:
        return f"(CASE WHEN typeof({v}) IN ('bigint', 'int') THEN CAST({v} AS BIGINT) ELSE 0L END)"

    x = f"({whole(seed)} * {signed(0x9E3779B97F4A7C15)} + {whole(n)})"
    x = f"(({x} ^ shiftrightunsigned({x}, 30)) * {signed(0xBF58476D1CE4E5B9)})"
    x = f"(({x} ^ shiftrightunsigned({x}, 27)) * {signed(0x94D049BB133111EB)})"
    return f"(CAST(shiftrightunsigned({x} ^ shiftrightunsigned({x}, 31), 11) AS DOUBLE) / {float(1 << 53)}D)"


_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_CLOCK = r"[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"


def _loupe_iso(x: str) -> str:
    """ISO text as Python's fromisoformat reads it in the forms SQLite's date functions read; other
    ISO forms (time zones, week dates) refused rather than read differently."""
    plain = f"^{_DATE}(?:{_CLOCK})?$"
    other = r"^[0-9]{4}(?:-W|[0-9]{4}T|-[0-9]{2}-[0-9]{2}[T ][0-9]{2}.*[Z+-])"
    valid = f"(CASE WHEN CAST({x} AS TIMESTAMP) IS NOT NULL THEN {x} END)"
    return (
        f"(CASE WHEN {x} RLIKE {_lit(plain)} THEN {valid} "
        f"WHEN {x} RLIKE {_lit(other)} THEN {_refuse('ISO dates with a time zone or week number')} END)"
    )


def _casefold_maps() -> tuple[str, str, str]:
    """Python's casefold as Spark's lower plus a translate of single characters; characters whose
    folding is longer than one character, as a regex class to refuse."""
    src, dst, long = [], [], []
    for code in range(0x80, 0x110000):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cn", "Cs"):
            continue
        low, fold = ch.lower(), ch.casefold()
        if low == fold:
            continue
        if len(low) == 1 and len(fold) == 1:
            if low not in src:
                src.append(low)
                dst.append(fold)
        else:
            long.append(f"\\x{{{code:x}}}")
    return "".join(src), "".join(dst), "[" + "".join(long) + "]"


_FOLD: tuple[str, str, str] | None = None


def _casefold(x: str) -> str:
    global _FOLD
    if _FOLD is None:
        _FOLD = _casefold_maps()
    src, dst, long = _FOLD
    return (
        f"(CASE WHEN {x} RLIKE {_lit(long)} THEN loupe_py_casefold({x}) "
        f"ELSE translate(lower({x}), {_lit(src)}, {_lit(dst)}) END)"
    )


_ZEROS, _BARE_POINT, _POINT = r"(\.[0-9]*?)0+(e|$)", r"\.(e|$)", r"\."
_NOT_ASCII = r"[^\x{01}-\x{7f}]"


def _sqlite_text(x: str) -> str:
    """CAST(x AS TEXT) as SQLite writes it: reals to 15 significant digits with a '.0'; refused for
    the rare real whose 16th digit is a tie (Java's %g rounds it up, SQLite by the exact value)."""
    g = f"format_string('%.15g', {x} + 0.0D)"
    g = f"regexp_replace({g}, {_lit(_ZEROS)}, '$1$2')"
    g = f"regexp_replace({g}, {_lit(_BARE_POINT)}, '.0$1')"
    digits = (
        f"regexp_replace(regexp_replace(regexp_extract(CAST({x} AS STRING), '^-?([0-9.]+)', 1), "
        f"{_lit(_POINT)}, ''), '^0+|0+$', '')"
    )
    return (
        f"(CASE WHEN {x} IS NULL THEN NULL WHEN typeof({x}) <> 'double' THEN CAST({x} AS STRING) "
        f"WHEN isnan({x}) THEN NULL "
        f"WHEN {x} > {_MAX} THEN 'Inf' WHEN {x} < -{_MAX} THEN '-Inf' "
        f"WHEN length({digits}) = 16 AND {digits} LIKE '%5' "
        f"THEN {_refuse('this real number as text (SQLite rounds its 16th digit differently)')} "
        f"ELSE {g} END)"
    )


def _timestamp(x: str) -> str:
    return f"CAST({x} AS TIMESTAMP)"


_FORMATS = {
    "%Y-%m-%dT%H:%M:%S": "date_format({0}, \"yyyy-MM-dd'T'HH:mm:ss\")",
    "%Y": "date_format({0}, 'yyyy')",
    "%m": "date_format({0}, 'MM')",
    "%d": "date_format({0}, 'dd')",
    "%H": "date_format({0}, 'HH')",
    "%M": "date_format({0}, 'mm')",
    "%S": "date_format({0}, 'ss')",
    "%w": "CAST(dayofweek({0}) - 1 AS STRING)",
}

# Loupe's scalar functions: name -> Spark SQL template over the arguments' Spark SQL.
_SCALARS: dict[str, Callable[..., str]] = {
    "loupe_lower": lambda a: f"lower({a})",
    "loupe_upper": lambda a: f"upper({a})",
    "loupe_casefold": _casefold,
    "loupe_int": _loupe_int,
    "loupe_float": _loupe_float,
    "loupe_bool": _loupe_bool,
    "loupe_mod": _loupe_mod,
    "loupe_iso": _loupe_iso,
    "loupe_unit_hash": _unit_hash,
    "loupe_sqrt": lambda a: f"(CASE WHEN {a} >= 0 AND {a} <= {_MAX} THEN sqrt({a}) END)",
    "loupe_exp": lambda a: _finite(f"(CASE WHEN abs({a}) <= {_MAX} THEN exp({a}) END)"),
    "loupe_floor": lambda a: f"(CASE WHEN abs({a}) <= {_MAX} THEN CAST(floor({a}) AS BIGINT) END)",
    "loupe_ceil": lambda a: f"(CASE WHEN abs({a}) <= {_MAX} THEN CAST(ceil({a}) AS BIGINT) END)",
    "loupe_pow": lambda b, e: _finite(
        f"(CASE WHEN abs({b}) <= {_MAX} AND abs({e}) <= {_MAX} THEN pow({b}, {e}) END)"
    ),
    "loupe_log": lambda x, b=None: (
        f"(CASE WHEN {x} > 0 AND {x} <= {_MAX} THEN ln({x}) END)"
        if b is None
        else f"(CASE WHEN {x} > 0 AND {x} <= {_MAX} AND {b} > 0 AND {b} <= {_MAX} AND {b} <> 1 "
        f"THEN ln({x}) / ln({b}) END)"
    ),
    "loupe_text": _sqlite_text,
    "loupe_median": lambda a: f"median(CAST({a} AS DOUBLE))",
    "loupe_std": lambda a: f"stddev_samp(CAST({a} AS DOUBLE))",
    "loupe_first": lambda a, s: f"min_by({a}, {s}) FILTER (WHERE {a} IS NOT NULL)",
    "loupe_last": lambda a, s: f"max_by({a}, {s}) FILTER (WHERE {a} IS NOT NULL)",
    # Loupe's own Python functions (loupe.spark_udfs); an aggregate over the group's collected values.
    "loupe_parse_date": lambda *a: f"loupe_py_parse_date({', '.join(a)})",
    "loupe_parse_datetime": lambda *a: f"loupe_py_parse_datetime({', '.join(a)})",
    "loupe_parse_number": lambda *a: f"loupe_py_parse_number({', '.join(a)})",
    "loupe_outlier_reason": lambda x, limits: f"loupe_py_outlier_reason({x}, {limits})",
    "loupe_date_order": lambda x: f"loupe_py_date_order(collect_list({x}))",
    "loupe_outlier_fences": lambda x, m, t: f"loupe_py_outlier_fences(collect_list({x}), {m}, {t})",
}

_NON_ASCII_GLOB = "*[^\x01-\x7f]*"


def _rewrite(node: exp.Expression, bound: Mapping[str, Any]) -> None:
    """One SQLite construct as Spark SQL with SQLite's meaning (see the module doc)."""
    if node.parent is None and not isinstance(node, exp.Select):
        return
    if isinstance(node, exp.Literal):
        # A literal 1.5 is a DECIMAL in Spark; SQLite's is a real.
        if not node.is_string and re.search(r"[.eE]", node.this) and not isinstance(node.parent, exp.Cast):
            node.replace(exp.cast(node.copy(), "DOUBLE"))
        return
    if isinstance(node, exp.Cast):
        kind = node.to.this
        if kind in (exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR):
            node.replace(_spark(_sqlite_text(_s(node.this))))
        elif kind == exp.DataType.Type.INT:
            node.set("to", exp.DataType.build("BIGINT"))
        return
    if isinstance(node, exp.Like):
        # SQLite's LIKE ignores case (ASCII letters); Loupe's filter checks the rest with casefold.
        node.replace(exp.ILike(this=node.this.copy(), expression=node.expression.copy()))
        return
    if isinstance(node, exp.Escape) or not isinstance(node, exp.Func | exp.Glob):
        return
    if isinstance(node, exp.Glob):
        pattern = node.expression
        value = bound.get(pattern.name) if isinstance(pattern, exp.Placeholder) else None
        if isinstance(pattern, exp.Literal) and pattern.is_string:
            value = pattern.name  # parameters written in (loupe sql)
        text = _s(pattern)
        ascii_range = re.search(r"CHA?R\(1\).*CHA?R\(127\)", text.upper())
        if value == _NON_ASCII_GLOB or ascii_range:
            node.replace(_spark(f"({_s(node.this)} RLIKE {_lit(_NOT_ASCII)})"))
            return
        raise NotOnSpark("GLOB patterns", snippet=_s(node))
    name = _function_name(node)
    args = [_s(a) for a in _arguments(node)]
    if name in _SCALARS:
        node.replace(_spark(_SCALARS[name](*args)))
    elif isinstance(node, exp.Round):
        node.replace(_spark(_round(node, args, bound)))
    elif isinstance(node, exp.Least | exp.Greatest):
        # SQLite's min(a, b) / max(a, b) are NULL when an argument is; Spark's least skips it.
        nulls = " OR ".join(f"{a} IS NULL" for a in args)
        fn = "least" if isinstance(node, exp.Least) else "greatest"
        node.replace(_spark(f"(CASE WHEN {nulls} THEN NULL ELSE {fn}({', '.join(args)}) END)"))
    elif isinstance(node, exp.Date) or name == "date":
        node.replace(_spark(_date(args)))
    elif name in ("strftime", "timetostr") or isinstance(node, exp.TimeToStr):
        node.replace(_spark(_strftime(node, args)))
    elif name == "julianday":
        ms = f"unix_millis({_timestamp(args[0])})"
        node.replace(_spark(f"(({ms} + 210866760000000L) / 86400000.0D)"))
    elif isinstance(node, exp.Substring) and len(args) >= 2:
        node.replace(_spark(_substr(args)))
    elif name.startswith("loupe_"):
        raise NotOnSpark(name.removeprefix("loupe_"), snippet=_s(node)[:200])


def _arguments(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.Anonymous):
        return list(node.expressions)
    out = [node.this] if isinstance(node.this, exp.Expression) else []
    for key in ("expression", "decimals", "start", "length", "expressions", "format"):
        value = node.args.get(key)
        if isinstance(value, list):
            out += value
        elif isinstance(value, exp.Expression):
            out.append(value)
    return out


def _round(node: exp.Expression, args: Sequence[str], bound: Mapping[str, Any]) -> str:
    """SQLite's round(x, n): Spark rounds the shortest decimal of x half up, SQLite x itself plus a
    small nudge (loupe.duckdb_engine.sqlite_round); they agree except within a few units in the last
    place of a tie, where the query is refused unless x is a decimal tie that both round up."""
    digits = node.args.get("decimals")
    value = bound.get(digits.name) if isinstance(digits, exp.Placeholder) else None
    if digits is None:
        n = 0
    elif isinstance(digits, exp.Literal) and not digits.is_string:
        n = min(30, max(0, int(float(digits.this))))
    elif isinstance(value, int | float) and math.isfinite(value):
        n = min(30, max(0, int(value)))  # Spark's round takes a constant: the parameter written in
    else:
        raise NotOnSpark("round to a number of digits that is not a constant", snippet=_s(node)[:200])
    x = f"CAST({args[0]} AS DOUBLE)"
    t = f"(abs({x}) * 1.0E{n}D)"
    near = f"abs({t} - floor({t}) - 0.5D) < greatest(1.0E-6D, {t} * 1.0E-14D)"
    tie = f"CAST(CAST({x} AS DECIMAL(38, 18)) AS STRING) RLIKE {_lit(f'^-?[0-9]*[.][0-9]{{{n}}}50*$')}"
    nudged = "TRUE" if n == 0 else f"({n} + CAST(floor(log2(abs({x}))) / 3 AS INT)) < 15"
    return (
        f"(CASE WHEN isnan({x}) OR abs({x}) > 4503599627370496.0D THEN {x} "
        f"WHEN {near} AND NOT ({tie} AND {nudged}) "
        f"THEN {_refuse('round of a value this close to a tie (SQLite rounds it by its binary value)')} "
        f"ELSE round({x}, {n}) END)"
    )


def _date(args: Sequence[str]) -> str:
    """date(x) and date(x, printf('%+d days', n)) as ISO text (SQLite's %d makes a NULL n 0)."""
    day = f"CAST({_timestamp(args[0])} AS DATE)"
    if len(args) > 1:
        shift = re.search(r"'%\+d days',\s*(.*)\)\s*$", args[1], re.S)
        if shift is None:
            raise NotOnSpark("date modifiers", snippet=args[1][:200])
        day = f"date_add({day}, coalesce(CAST({shift.group(1)} AS INT), 0))"
    return f"CAST({day} AS STRING)"


def _strftime(node: exp.Expression, args: Sequence[str]) -> str:
    fmt_node = node.args.get("format")
    if isinstance(node, exp.Anonymous):
        fmt_node, value = node.expressions[0], _s(node.expressions[1])
    else:
        value = args[0]
    fmt = fmt_node.name if isinstance(fmt_node, exp.Literal) else None
    if fmt not in _FORMATS:
        raise NotOnSpark(f"strftime format {fmt!r}", snippet=_s(node)[:200])
    return _FORMATS[fmt].format(_timestamp(value))


def _substr(args: Sequence[str]) -> str:
    """SQLite's substr for starts below 1 and negative lengths, which Spark reads otherwise."""
    x, start = args[0], args[1]
    if len(args) == 2:
        return f"(CASE WHEN {start} = 0 THEN {x} ELSE substring({x}, {start}) END)"
    n = args[2]
    return (
        f"(CASE WHEN {n} < 0 THEN {_refuse('substr with a negative length')} "
        f"WHEN {start} = 0 THEN substring({x}, 1, greatest({n} - 1, 0)) "
        f"ELSE substring({x}, {start}, {n}) END)"
    )


_JSON_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def spark_job(query: Query, tables: Mapping[str, tuple[str, Sequence[Column]]]) -> str:
    """A standalone PySpark script (for spark-submit) that reads each table's CSV or JSON, runs the
    pipeline's Spark SQL and writes CSV (booleans as true/false): tables maps a view name to (path,
    columns)."""
    spark_sql, bound = to_spark(query.sql, query.params)
    loads = []
    for name, (path, columns) in tables.items():
        casts = [(c.name, _STORAGE[SQL_TYPES[c.type]], c.type) for c in columns]
        fmt = _JSON_FORMATS.get(os.path.splitext(path)[1].lower(), "csv")
        if fmt != "csv":
            _check_flat_json(path, fmt, columns)
        loads.append((name, path, fmt, _separator(path) if fmt == "csv" else "", casts))
    return _JOB.format(
        conf=json.dumps(SPARK_CONF, indent=4),
        loads=json.dumps(loads, indent=4, ensure_ascii=False),
        sql=json.dumps(spark_sql),
        params=json.dumps(bound, indent=4, ensure_ascii=False),
        booleans=json.dumps([c.name for c in query.columns if c.type == "boolean"], ensure_ascii=False),
        python=json.dumps(sorted({f.lower() for f in re.findall(r"(?i)\bloupe_py_\w+", spark_sql)})),
    )


def _check_flat_json(path: str, fmt: str, columns: Sequence[Column]) -> None:
    """A JSON (an array) or JSON Lines file that Spark reads as Loupe did: UTF-8 records at the top,
    whose keys in order of appearance are the columns, no nested objects or lists (Loupe flattens and
    writes those its own way), and in a text column only text (Loupe writes 1e3 as 1000.0, Spark as it
    stands). Anything else: a QueryError that says to write a CSV first."""
    hint = "write the table as CSV first (python -m loupe run DATA '[]' -o data.csv) and give the job that"
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if text.startswith("\ufeff"):
            raise ValueError("a byte order mark")
        records: Any = (
            [json.loads(line) for line in text.splitlines() if line.strip()]
            if fmt == "jsonl"
            else json.loads(text)
        )
    except (OSError, ValueError) as exc:
        raise QueryError(
            f"{path}: the Spark job cannot read this JSON as Loupe does ({exc})", hint=hint
        ) from None
    problem = None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problem = "its records are not objects at the top level"
    elif list(dict.fromkeys(k for r in records for k in r)) != [c.name for c in columns]:
        problem = "Loupe renamed or flattened its keys"
    else:
        texts = {c.name for c in columns if c.type == "text"}
        for record in records:
            for key, value in record.items():
                if isinstance(value, dict | list) or (key in texts and not isinstance(value, str | None)):
                    problem = f"{key!r} holds {type(value).__name__} values"
                    break
            if problem:
                break
    if problem:
        raise QueryError(f"{path}: the Spark job reads JSON of flat records only; {problem}", hint=hint)


def _separator(path: str) -> str:
    """The field separator of a CSV/TSV file, as its header line shows it."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    return max(",;\t|", key=header.count)


_JOB = '''"""A Loupe pipeline as a Spark job, written by `python -m loupe spark-job`.

    spark-submit --master local[2] job.py OUTPUT_DIR [DATA ...]

Reads each table's CSV or JSON (paths as given when the job was written, or DATA in the same order),
stores columns as Loupe does (booleans 0/1, dates ISO text), runs the pipeline's Spark SQL and
writes the result as CSV files in OUTPUT_DIR (one part per task; coalesced to one). Needs only
pyspark, unless the SQL calls Loupe's own functions (PYTHON below): then Loupe too.
"""

import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

CONF = {conf}
TABLES = {loads}
SQL = {sql}
PARAMS = {params}
BOOLEANS = {booleans}  # result columns stored 0/1, written true/false as Loupe writes them
PYTHON = {python}  # Loupe's own Python functions the SQL calls (loupe.spark_udfs)


def read(spark, path, fmt, sep, columns):
    """The table's columns as text: a CSV by its header, JSON records (flat, as checked when the job
    was written) each value as its JSON text by key."""
    if fmt == "csv":
        raw = spark.read.csv(path, header=True, sep=sep, inferSchema=False)
        if len(raw.columns) != len(columns):
            sys.exit(f"{{path}}: {{len(raw.columns)}} columns, the pipeline was written for {{len(columns)}}")
        return raw.toDF(*(c[0] for c in columns))
    lines = spark.read.text(path, wholetext=fmt == "json")
    if fmt == "json":
        records = lines.select(F.explode(F.from_json("value", "array<map<string,string>>")).alias("r"))
    else:
        lines = lines.where(F.trim("value") != "")
        records = lines.select(F.from_json("value", "map<string,string>").alias("r"))
    return records.select([F.col("r").getItem(c[0]).alias(c[0]) for c in columns])


def stored(name, storage, kind):
    col = F.col(quoted(name))
    if kind == "boolean":
        text = F.lower(F.trim(col.cast("string")))
        return F.when(text.isin("true", "t", "yes", "y", "1"), 1).when(
            text.isin("false", "f", "no", "n", "0"), 0
        ).cast("bigint").alias(name)
    if kind == "date":
        return F.date_format(col.cast("timestamp"), "yyyy-MM-dd").alias(name)
    if kind == "datetime":
        return F.date_format(col.cast("timestamp"), "yyyy-MM-dd'T'HH:mm:ss").alias(name)
    return col.cast(storage).alias(name)


def main(argv):
    out, paths = argv[0], argv[1:]
    builder = SparkSession.builder.appName("loupe-job")
    for key, value in CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if PYTHON:
        try:
            from loupe.spark_udfs import register
        except ImportError:
            sys.exit("this pipeline calls Loupe's own functions (" + ", ".join(PYTHON) + "): "
                     "install Loupe where the job runs (pip install loupe)")
        register(spark)
    for i, (name, path, fmt, sep, columns) in enumerate(TABLES):
        raw = read(spark, paths[i] if i < len(paths) else path, fmt, sep, columns)
        frame = raw.select([stored(*c) for c in columns])
        # A value Loupe's reader would have read (a date as 10/13/98, a number as 1,200) must not turn
        # into a silent null here: count what did not convert and stop.
        lost = raw.select(
            [
                F.sum(F.when(F.trim(F.col(quoted(c[0]))) != "", 1).otherwise(0)).alias(str(k))
                for k, c in enumerate(columns)
            ]
        ).first()
        counts = [F.count(F.col(quoted(c[0]))).alias(str(k)) for k, c in enumerate(columns)]
        kept = frame.select(counts).first()
        for k, c in enumerate(columns):
            if (lost[k] or 0) != (kept[k] or 0):
                sys.exit(f"{{path}}: column {{c[0]!r}} has values that are not {{c[2]}} as Spark reads them; "
                         "write them in ISO form (dates) or plain digits (numbers), or run with Loupe")
        frame.createOrReplaceTempView(quoted(name))
    result = spark.sql(SQL, args=PARAMS or None)
    for name in BOOLEANS:
        col = F.col(quoted(name))
        result = result.withColumn(name, F.when(col == 1, "true").when(col == 0, "false"))
    result.coalesce(1).write.mode("overwrite").option("header", True).csv(out)
    spark.stop()


def quoted(name):
    return "`" + name.replace("`", "``") + "`"


if __name__ == "__main__":
    main(sys.argv[1:])
'''

__all__ = ["NotOnSpark", "SparkEngine", "session", "spark_job", "to_spark"]
