"""SQLite's SQL as DuckDB runs it, with SQLite's meaning: the translation (sqlglot) that the native
DuckDB engine (loupe.duckdb_engine) and the page's large-data engine on DuckDB-WASM (loupe.duckdb_wasm)
share. Loupe's SQLite functions (loupe_*) become DuckDB aggregates where an exact native one exists
(median, stddev_samp, arg_min/arg_max); the others become calls of `name__N` functions that the engine
provides (the native one as Python UDFs; DuckDB-WASM has none, so it refuses them).
"""

from __future__ import annotations

import decimal
import math
import re
import struct
from collections.abc import Callable, Sequence
from typing import Any

import sqlglot
from sqlglot import exp

from loupe.sql import Query, quote_column, quote_ident
from loupe.sqlfuncs import AGGREGATES, SCALARS
from loupe.table import Column, ColumnType, Value
from loupe.verbs.base import SEQ

_STORAGE = {"INTEGER": "BIGINT", "REAL": "DOUBLE", "TEXT": "VARCHAR"}
_INTEGERS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"})
_INTEGERS |= frozenset({"UINTEGER", "UBIGINT", "INTEGER_LITERAL"})
_FLOATS = frozenset({"FLOAT", "DOUBLE", "REAL"})
# Loupe's aggregates with an exact DuckDB equivalent: ignore nulls, median of an even count is the
# mean of the middle two, sample std is NULL below two values, first/last skip nulls.
_AGGREGATES = {
    "loupe_median": "median(CAST({0} AS DOUBLE))",
    "loupe_std": "stddev_samp(CAST({0} AS DOUBLE))",
    "loupe_first": "arg_min({0}, {1}) FILTER (WHERE {0} IS NOT NULL)",
    "loupe_last": "arg_max({0}, {1}) FILTER (WHERE {0} IS NOT NULL)",
}


def _collected_call(name: str, nargs: int) -> str:
    """An aggregate with no native twin (loupe_date_order, loupe_outlier_fences ...) as DuckDB's list()
    of each argument (text and type) handed to the scalar function `name__agg`."""
    return (
        f"{name}__agg("
        + ", ".join(f"list(CAST({{{i}}} AS VARCHAR)), list(typeof({{{i}}}))" for i in range(nargs))
        + ")"
    )


_COLLECTED_NAMES = frozenset(name for name in AGGREGATES if name not in _AGGREGATES)

_PARAM = re.compile(r"\$(\w+)")
CSV_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt")


def _udf_name(name: str, count: int) -> str:
    return f"{name}__{count}"


def to_duckdb(sqlite_sql: str, ordered_tables: frozenset[str] = frozenset()) -> str:
    """Compiled SQLite SQL in DuckDB's dialect, loupe_* functions replaced (see the module doc).
    `ordered_tables` (lower-case names) are tables whose rowid is their row order: a stable sort of
    one of them breaks ties by rowid instead of numbering its rows first."""
    tree = sqlglot.parse_one(sqlite_sql, read="sqlite")
    for node in list(tree.find_all(exp.Cast, exp.Date, exp.Glob, exp.Like, exp.Round, exp.Anonymous)):
        _sqlite_meaning(node)
    # Innermost calls first, so an aggregate's template receives arguments already rewritten.
    for node in reversed(list(tree.find_all(exp.Anonymous))):
        name = node.name.lower()
        args = list(node.expressions)
        if name in _AGGREGATES or name in _COLLECTED_NAMES:
            template = _AGGREGATES.get(name) or _collected_call(name, len(args))
            text = template.format(*(a.sql(dialect="duckdb") for a in args))
            node.replace(sqlglot.parse_one(text, read="duckdb"))
        elif name in _FUNCTIONS:
            wrapped: list[exp.Expression] = []
            for arg in args:
                wrapped.append(exp.cast(arg.copy(), "VARCHAR"))
                wrapped.append(exp.Anonymous(this="typeof", expressions=[arg.copy()]))
            node.replace(exp.Anonymous(this=_udf_name(name, len(args)), expressions=wrapped))
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for select in reversed(list(tree.find_all(exp.Select))):
        _stable_windows(select)
        stable = _stable_sort(select, ordered_tables - ctes)
        if select is tree and stable is not None:
            tree = stable
    translated: str = tree.sql(dialect="duckdb")
    return translated


def _sqlite_meaning(node: Any) -> None:
    """Where a construct reads the same in both dialects but means something else, SQLite's meaning:
    CAST(real AS TEXT) writes 15 significant digits and a ".0" (loupe_text, a UDF); date(x) is ISO
    text, not a DATE; LIKE ignores case (SQLite: ASCII only; Loupe's filter checks the rest with
    casefold); GLOB negates a bracket class with ^, DuckDB's with !."""
    if isinstance(node, exp.Cast) and node.to.this in (exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR):
        node.replace(exp.Anonymous(this="loupe_text", expressions=[node.this.copy()]))
    elif isinstance(node, exp.Date) and node.this is not None:
        day: exp.Expression = exp.cast(exp.cast(node.this.copy(), "TIMESTAMP"), "DATE")
        modifiers = node.expressions
        if modifiers:  # add_days: date(x, printf('%+d days', n)); %d truncates n
            (shift,) = modifiers
            days = shift.expressions[1] if isinstance(shift, exp.Anonymous) else shift.args["expressions"][0]
            day = exp.Add(this=day, expression=exp.cast(exp.func("trunc", days.copy()), "BIGINT"))
        node.replace(exp.Anonymous(this="strftime", expressions=[day, exp.Literal.string("%Y-%m-%d")]))
    elif isinstance(node, exp.Round):
        digits = node.args.get("decimals") or exp.Literal.number(0)
        node.replace(exp.Anonymous(this="loupe_round", expressions=[node.this.copy(), digits.copy()]))
    elif isinstance(node, exp.Anonymous) and node.name.lower() == "julianday":
        seconds = exp.func("epoch", exp.cast(node.expressions[0].copy(), "TIMESTAMP"))
        node.replace(exp.paren(exp.Div(this=seconds, expression=exp.Literal.number(86400.0)) + 2440587.5))
    elif isinstance(node, exp.Like):
        node.replace(exp.ILike(this=node.this.copy(), expression=node.expression.copy()))
    elif isinstance(node, exp.Glob):
        pattern = node.expression.copy()
        bang = exp.Anonymous(
            this="replace", expressions=[pattern, exp.Literal.string("[^"), exp.Literal.string("[!")]
        )
        node.set("expression", bang)


_ROUNDERS = (5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05, 5.0e-06, 5.0e-07, 5.0e-08, 5.0e-09, 5.0e-10)


def sqlite_round(value: Value, digits: Value = 0) -> float | None:
    """SQLite's round(x, n), which rounds what its printf("%.nf") writes: the binary value plus half a
    unit in the last place kept plus a 3e-16 relative nudge, then truncated (so round(32.775, 2) is
    32.78 where DuckDB, exact in binary, says 32.77). Checked against SQLite on 300,000 values."""
    if value is None or digits is None or isinstance(value, str):
        return None
    x = float(value)
    n = min(30, max(0, int(digits)))
    if not math.isfinite(x) or abs(x) > 4503599627370496.0:
        return x
    if n == 0:
        return float(int(x + 0.5)) if x >= 0 else -float(int(-x + 0.5))
    size = abs(x)
    rounder = _ROUNDERS[n % 10] * 1.0e-10 ** (n // 10)
    exponent = -1023 + ((struct.unpack("<Q", struct.pack("<d", size))[0] >> 52) & 0x7FF)
    exact = decimal.Decimal(size) + decimal.Decimal(rounder)
    if n + int(exponent / 3) < 15:
        exact += decimal.Decimal(size) * decimal.Decimal.from_float(3e-16)
    kept = float(exact.quantize(decimal.Decimal(1).scaleb(-n), rounding=decimal.ROUND_DOWN))
    return -kept if x < 0 else kept


def sqlite_text(value: Value) -> str | None:
    """A value as SQLite's CAST(x AS TEXT) writes it: reals with 15 significant digits and always a
    decimal point or exponent with one ("1.0", "2.9", "1.0e+30")."""
    if value is None:
        return None
    if not isinstance(value, float):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return None if value != value else ("Inf" if value > 0 else "-Inf")
    text = f"{value + 0.0:.15g}"  # + 0.0: SQLite writes -0.0 as 0.0
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + (e + exponent if e else "")


_ORDER = "__loupe_order__"
_RANKS = (exp.Rank, exp.DenseRank) if hasattr(exp, "DenseRank") else (exp.Rank,)


def _stable_windows(select: exp.Select) -> None:
    """Windows over rows numbered in their input order (the window verb's source) break ties in the
    window's ORDER BY by that number, as SQLite's stable sort does; ranks keep their ties."""
    source = select.args.get("from_") or select.args.get("from")
    inner = source.this if source is not None else None
    if not isinstance(inner, exp.Subquery) or not isinstance(inner.this, exp.Select):
        return
    if SEQ not in {e.alias for e in inner.this.expressions}:
        return
    for window in select.find_all(exp.Window):
        order = window.args.get("order")
        function = window.this
        ranks = isinstance(function, _RANKS) or function.name.lower() in ("rank", "dense_rank")
        if order is None or ranks or window.parent_select is not select:
            continue
        keys = [o.this for o in order.expressions]
        if not any(isinstance(k, exp.Column) and k.name == SEQ for k in keys):
            order.append("expressions", exp.Ordered(this=exp.column(SEQ, quoted=True)))


def _stable_sort(select: exp.Select, ordered_tables: frozenset[str]) -> exp.Expr | None:
    """`SELECT * FROM x ORDER BY keys` (the sort verb) made stable: SQLite keeps ties in their input
    order, DuckDB's parallel sort does not, so ties are broken by the input's row number (a table in
    `ordered_tables` has it as its rowid, so no window numbers the rows first). The new SELECT."""
    order = select.args.get("order")
    source = select.args.get("from_") or select.args.get("from")
    star = len(select.expressions) == 1 and isinstance(select.expressions[0], exp.Star)
    plain = not any(select.args.get(k) for k in ("where", "group", "having", "joins", "distinct", "qualify"))
    if order is None or source is None or not star or not plain:
        return None
    keys = ", ".join(o.sql(dialect="duckdb") for o in order.expressions)
    tail = "".join(select.args[k].sql(dialect="duckdb") for k in ("limit", "offset") if select.args.get(k))
    tail = " " + tail if tail else ""
    table = source.this
    if isinstance(table, exp.Table) and not table.db and table.name.lower() in ordered_tables:
        text = f"SELECT * FROM {table.sql(dialect='duckdb')} ORDER BY {keys}, rowid{tail}"
    else:
        text = (
            f"SELECT * EXCLUDE ({_ORDER}) FROM (SELECT *, row_number() OVER () AS {_ORDER} "
            f"FROM {table.sql(dialect='duckdb')}) ORDER BY {keys}, {_ORDER}{tail}"
        )
    stable = sqlglot.parse_one(text, read="duckdb")
    select.replace(stable)
    return stable


def _loupe_type(duck: str) -> ColumnType:
    base = duck.split("(")[0]
    if base in _INTEGERS:
        return "integer"
    if base in _FLOATS or base.startswith("DECIMAL"):
        return "float"
    if base == "BOOLEAN":
        return "boolean"
    if base == "DATE":
        return "date"
    if base.startswith("TIMESTAMP"):
        return "datetime"
    return "text"


def _storage(column: Column, duck: str) -> tuple[str, str] | None:
    """The DuckDB type and expression that store a scanned CSV column as SQLite's storage type for its
    Loupe type (booleans 0/1, dates and datetimes ISO text), or None when it is stored as scanned."""
    source = quote_ident(column.name)
    if column.type == "boolean":
        return "BIGINT", f"CAST({source} AS BIGINT)"
    if column.type == "date":
        return "VARCHAR", f"strftime({source}, '%Y-%m-%d')"
    if column.type == "datetime":
        return "VARCHAR", f"strftime({source}, '%Y-%m-%dT%H:%M:%S')"
    kind = {"integer": "BIGINT", "float": "DOUBLE"}.get(column.type, "VARCHAR")
    return None if duck == kind else (kind, f"CAST({source} AS {kind})")


def _stored(column: Column, duck: str) -> str:
    """The SELECT item that stores a scanned CSV column as SQLite's storage type for its Loupe type."""
    storage = _storage(column, duck)
    return f"{storage[1] if storage else quote_ident(column.name)} AS {quote_column(column.name)}"


def _integral(columns: Sequence[Column], rows: list[tuple[Value, ...]]) -> list[tuple[Value, ...]]:
    """Whole floats in integer columns as ints (DuckDB's mod and UDFs return doubles)."""
    spots = [i for i, c in enumerate(columns) if c.type == "integer"]
    if not spots or not rows or len(rows[0]) != len(columns):
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i in spots:
            v = values[i]
            if isinstance(v, float) and v.is_integer():
                values[i] = int(v)
        out.append(tuple(values))
    return out


# Loupe's SQLite functions plus SQLite's own CAST to text, each a DuckDB UDF (name -> arity, function).
_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    **SCALARS,
    "loupe_text": (1, sqlite_text),
    "loupe_round": (2, sqlite_round),
}


def windowed(query: Query, offset: int, limit: int | None) -> tuple[str, dict[str, Any]]:
    """The query cut to a window of rows, with its parameters (DuckDB has no LIMIT -1)."""
    params = dict(query.params)
    window = ""
    if limit is not None:
        params["loupe_limit"] = max(0, int(limit))
        window = " LIMIT :loupe_limit"
    if offset:
        params["loupe_offset"] = max(0, int(offset))
        window += " OFFSET :loupe_offset"
    return (f"SELECT * FROM ({query.sql}){window}" if window else query.sql), params
