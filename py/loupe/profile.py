"""Column profiles: counts, nulls, distinct values, range, mean, quantiles, histogram, top values.

Everything is computed in SQL over the (pipeline) query, a few scans per column, so profiling
stays fast on large tables. Results are JSON-safe dicts.

>>> from loupe.table import Column, Table
>>> e = Engine(); e.load(Table("t", (Column("x", "integer"),), [(1,), (2,), (None,)]))
>>> p = profile_column(e, "t", "x"); (p["count"], p["nulls"], p["min"], p["max"], p["median"])
(3, 1, 1, 2, 1.5)
"""

from __future__ import annotations

import math
from typing import Any

from loupe.engine import Engine
from loupe.errors import SpecError, did_you_mean
from loupe.sql import Query, quote_column
from loupe.table import Column, Value

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BINS = 20
TOP = 10
_NUMERIC = ("integer", "float")


def _query(engine: Engine, source: Query | str) -> Query:
    return engine.query(source) if isinstance(source, str) else source


def _find(query: Query, name: str) -> Column:
    for col in query.columns:
        if col.name == name:
            return col
    hint = did_you_mean(name, query.column_names) or "columns: " + ", ".join(query.column_names)
    raise SpecError(f'unknown column "{name}"', column=name, hint=hint)


def _clean(value: Any, column: Column) -> Value:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if column.type == "boolean" and isinstance(value, int):
        return bool(value)
    return value  # type: ignore[no-any-return]


def profile_column(engine: Engine, source: Query | str, column: str) -> dict[str, Any]:
    """Profile one column of a loaded table (by name) or of a compiled query."""
    query = _query(engine, source)
    col = _find(query, column)
    ref = quote_column(col.name)
    base = f"({query.sql})"
    params = query.params
    numeric = col.type in _NUMERIC or col.type == "boolean"
    extra = f", avg({ref})" if numeric else ""
    if col.type == "text":
        extra = f", min(length({ref})), max(length({ref})), sum({ref} = '')"
    row = engine.lookup(
        f"SELECT count(*), count({ref}), count(DISTINCT {ref}), min({ref}), max({ref}){extra} FROM {base}",
        params,
    )[0]
    total, present, distinct, low, high = row[:5]
    assert isinstance(total, int) and isinstance(present, int)
    out: dict[str, Any] = {
        "name": col.name,
        "type": col.type,
        "count": total,
        "nulls": total - present,
        "distinct": distinct,
        "min": _clean(low, col),
        "max": _clean(high, col),
    }
    if numeric:
        mean = row[5]
        out["mean"] = _clean(mean, Column("", "float"))
        out["std"] = _std(engine, base, params, ref, mean, present)
    if col.type == "text":
        out["min_length"], out["max_length"], out["empty"] = row[5], row[6], row[7] or 0
    if col.type in _NUMERIC:
        quantiles = _quantiles(engine, base, params, ref, present)
        out["quantiles"] = quantiles
        out["median"] = quantiles.get("0.5")
        out["histogram"] = _histogram(engine, base, params, ref, col, low, high)
    elif col.type in ("date", "datetime"):
        out["histogram"] = _date_histogram(engine, base, params, ref, low, high)
    out["top"] = _top(engine, base, params, ref, col)
    return out


def profile_table(engine: Engine, source: Query | str) -> dict[str, Any]:
    """Profile every column: {"rows": n, "columns": [profile_column(...) for each column]}."""
    query = _query(engine, source)
    columns = [profile_column(engine, query, c.name) for c in query.columns]
    rows = columns[0]["count"] if columns else engine.count(query)
    return {"rows": rows, "columns": columns}


def _std(engine: Engine, base: str, params: dict[str, Value], ref: str, mean: Value, n: int) -> float | None:
    """Sample standard deviation in a second pass around the mean (stable, all in C)."""
    if n < 2 or not isinstance(mean, int | float) or not math.isfinite(mean):
        return None
    (total,) = engine.lookup(
        f"SELECT sum(({ref} - :loupe_mean) * ({ref} - :loupe_mean)) FROM {base}",
        {**params, "loupe_mean": float(mean)},
    )[0]
    if not isinstance(total, int | float) or not math.isfinite(total):
        return None
    return math.sqrt(total / (n - 1))


def _quantiles(
    engine: Engine, base: str, params: dict[str, Value], ref: str, n: int
) -> dict[str, float | None]:
    """Quantiles with linear interpolation between ranks (like numpy's default), one sort."""
    if n == 0:
        return {str(q): None for q in QUANTILES}
    ranks = sorted({r for q in QUANTILES for r in (math.floor(q * (n - 1)), math.ceil(q * (n - 1)))})
    wanted = ", ".join(str(r + 1) for r in ranks)
    rows = engine.lookup(
        f"SELECT rn, v FROM (SELECT {ref} AS v, row_number() OVER (ORDER BY {ref}) AS rn "
        f"FROM {base} WHERE {ref} IS NOT NULL) WHERE rn IN ({wanted})",
        params,
    )
    at = {int(rn) - 1: float(v) for rn, v in rows if isinstance(rn, int) and isinstance(v, int | float)}
    out: dict[str, float | None] = {}
    for q in QUANTILES:
        pos = q * (n - 1)
        lo, hi = math.floor(pos), math.ceil(pos)
        if lo not in at or hi not in at:
            out[str(q)] = None
            continue
        value = at[lo] + (at[hi] - at[lo]) * (pos - lo) if at[hi] != at[lo] else at[lo]
        out[str(q)] = value if math.isfinite(value) else None
    return out


def _bins(low: float, high: float, integer: bool) -> tuple[float, float, int]:
    """(start, width, count): equal-width bins; whole-number widths for integer columns."""
    span = high - low
    if span <= 0:
        return low, 1.0, 1
    if integer and span < BINS:
        return low, 1.0, int(span) + 1
    width = span / BINS
    if integer:
        width = float(math.ceil(width))
    return low, width, min(BINS, math.floor(span / width) + 1)


def _histogram(
    engine: Engine,
    base: str,
    params: dict[str, Value],
    ref: str,
    col: Column,
    low: Value,
    high: Value,
) -> list[dict[str, float | int]]:
    if not isinstance(low, int | float) or not isinstance(high, int | float):
        return []
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    start, width, count = _bins(float(low), float(high), col.type == "integer")
    rows = engine.lookup(
        f"SELECT min(CAST(({ref} - :loupe_start) / :loupe_width AS INTEGER), :loupe_last) "
        f"AS __loupe_bin__, count(*) FROM {base} WHERE {ref} IS NOT NULL GROUP BY __loupe_bin__",
        {**params, "loupe_start": start, "loupe_width": width, "loupe_last": count - 1},
    )
    counts = {int(b): int(n) for b, n in rows if isinstance(b, int) and isinstance(n, int)}
    return [
        {"start": start + i * width, "end": start + (i + 1) * width, "count": counts.get(i, 0)}
        for i in range(count)
    ]


def _date_histogram(
    engine: Engine, base: str, params: dict[str, Value], ref: str, low: Value, high: Value
) -> list[dict[str, Any]]:
    """Counts per year, month or day, whichever gives at most a few dozen bars."""
    if not isinstance(low, str) or not isinstance(high, str):
        return []
    years = int(high[:4]) - int(low[:4]) if high[:4].isdigit() and low[:4].isdigit() else 0
    fmt = "%Y" if years > 3 else "%Y-%m" if years > 0 or low[:7] != high[:7] else "%Y-%m-%d"
    rows = engine.lookup(
        f"SELECT strftime('{fmt}', {ref}) AS __loupe_key__, count(*) FROM {base} "
        f"WHERE {ref} IS NOT NULL GROUP BY __loupe_key__ ORDER BY __loupe_key__",
        params,
    )
    return [{"key": k, "count": n} for k, n in rows if k is not None]


def _top(engine: Engine, base: str, params: dict[str, Value], ref: str, col: Column) -> list[dict[str, Any]]:
    rows = engine.lookup(
        f"SELECT {ref}, count(*) AS n FROM {base} GROUP BY {ref} ORDER BY n DESC, {ref} LIMIT {TOP}",
        params,
    )
    return [{"value": _clean(v, col), "count": n} for v, n in rows]
