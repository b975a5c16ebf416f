"""Column profiles: counts, nulls, distinct values, range, mean, std, quantiles, histogram, top values.

All in SQL over the (pipeline) query: one scan for the simple statistics of every column, then
one statement per column (distinct values with counts, quantiles, histogram). Results are
JSON-safe dicts.

>>> from loupe.table import Column, Table
>>> e = Engine(); e.load(Table("t", (Column("x", "integer"),), [(1,), (2,), (None,)]))
>>> p = profile_column(e, "t", "x"); (p["count"], p["nulls"], p["min"], p["max"], p["median"])
(3, 1, 1, 2, 1.5)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from loupe.engine import Engine
from loupe.errors import SpecError, did_you_mean
from loupe.sql import Query, quote_column
from loupe.table import Column, Value

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BINS = 20
TOP = 10
_NUMBERS = ("integer", "float")


def profile_column(engine: Engine, source: Query | str, column: str) -> dict[str, Any]:
    """Profile one column of a loaded table (by name) or of a compiled query."""
    query = _query(engine, source)
    col = _find(query, column)
    return _profiles(engine, query, [col])[0]


def profile_table(engine: Engine, source: Query | str) -> dict[str, Any]:
    """Profile every column: {"rows": n, "columns": [profile of each column]}."""
    query = _query(engine, source)
    columns = _profiles(engine, query, list(query.columns)) if query.columns else []
    rows = columns[0]["count"] if columns else engine.count(query)
    return {"rows": rows, "columns": columns}


def _query(engine: Engine, source: Query | str) -> Query:
    return engine.query(source) if isinstance(source, str) else source


def _find(query: Query, name: str) -> Column:
    for col in query.columns:
        if col.name == name:
            return col
    hint = did_you_mean(name, query.column_names) or "columns: " + ", ".join(query.column_names)
    raise SpecError(f'unknown column "{name}"', column=name, hint=hint)


def _finite(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _clean(value: Any, column: Column) -> Value:
    value = _finite(value)
    if column.type == "boolean" and isinstance(value, int):
        return bool(value)
    return value  # type: ignore[no-any-return]


def _profiles(engine: Engine, query: Query, columns: Sequence[Column]) -> list[dict[str, Any]]:
    """Simple statistics of all `columns` in one scan, then each column's detail query."""
    base = f"({query.sql})"
    parts = ["count(*)"]
    for col in columns:
        ref = quote_column(col.name)
        parts += [f"count({ref})", f"min({ref})", f"max({ref})"]
        if col.type == "text":
            parts += [f"min(length({ref}))", f"max(length({ref}))", f"sum({ref} = '')"]
        else:
            parts += [f"avg({ref})" if col.type in (*_NUMBERS, "boolean") else "NULL", "NULL", "NULL"]
    row = engine.lookup(f"SELECT {', '.join(parts)} FROM {base}", query.params)[0]
    total = row[0]
    assert isinstance(total, int)
    out = []
    for i, col in enumerate(columns):
        present, low, high, a, b, c = row[1 + 6 * i : 7 + 6 * i]
        assert isinstance(present, int)
        profile: dict[str, Any] = {
            "name": col.name,
            "type": col.type,
            "count": total,
            "nulls": total - present,
            "min": _clean(low, col),
            "max": _clean(high, col),
        }
        if col.type in (*_NUMBERS, "boolean"):
            profile["mean"] = _finite(a)
        if col.type == "text":
            profile.update(min_length=a, max_length=b, empty=c or 0)
        profile.update(_detail(engine, base, query.params, col, profile, present))
        out.append(profile)
    return out


def _detail(
    engine: Engine,
    base: str,
    params: dict[str, Value],
    col: Column,
    stats: dict[str, Any],
    present: int,
) -> dict[str, Any]:
    """Distinct count and top values from one grouping of the column; for numbers also exact
    quantiles, the histogram and the std (around the known mean); for dates a histogram."""
    ref = quote_column(col.name)
    extra: dict[str, Value] = {}
    parts = [
        "SELECT 'd', count(v), NULL, NULL FROM g",
        f"SELECT 't', v, n, NULL FROM (SELECT v, n FROM g ORDER BY n DESC, v LIMIT {TOP})",
    ]
    low, high, mean = stats["min"], stats["max"], stats.get("mean")
    ranks: list[int] = []
    bins: tuple[float, float, int] | None = None
    if col.type in _NUMBERS and present:
        ranks = sorted(
            {r for q in QUANTILES for r in (math.floor(q * (present - 1)), math.ceil(q * (present - 1)))}
        )
        # Quantiles and the histogram read the column itself: sorting the grouped values again
        # measured slower than sorting the column.
        wanted = ", ".join(str(r + 1) for r in ranks)
        parts.append(
            f"SELECT 'q', v, rn - 1, NULL FROM (SELECT {ref} AS v, row_number() OVER "
            f"(ORDER BY {ref}) AS rn FROM {base} WHERE {ref} IS NOT NULL) WHERE rn IN ({wanted})"
        )
        if isinstance(low, int | float) and isinstance(high, int | float):
            bins = _bins(float(low), float(high), col.type == "integer")
        if bins is not None:
            extra = {
                "loupe_start": bins[0],
                "loupe_width": bins[1],
                "loupe_last": bins[2] - 1,
                "loupe_mean": float(mean) if isinstance(mean, int | float) else 0.0,
            }
            parts.append(
                f"SELECT 'h', min(CAST(({ref} - :loupe_start) / :loupe_width AS INTEGER), "
                f":loupe_last), count(*), sum(({ref} - :loupe_mean) * ({ref} - :loupe_mean)) "
                f"FROM {base} WHERE {ref} IS NOT NULL GROUP BY 2"
            )
    elif col.type in ("date", "datetime") and isinstance(low, str) and isinstance(high, str):
        fmt = _date_step(low, high)
        parts.append(f"SELECT 'h', strftime('{fmt}', v), sum(n), NULL FROM g WHERE v IS NOT NULL GROUP BY 2")
    sql = (
        f"WITH g AS MATERIALIZED (SELECT {ref} AS v, count(*) AS n FROM {base} GROUP BY {ref}) "
        + " UNION ALL ".join(parts)
    )
    rows = engine.lookup(sql, {**params, **extra})
    return _assemble(rows, col, bins, present)


def _assemble(
    rows: list[tuple[Value, ...]],
    col: Column,
    bins: tuple[float, float, int] | None,
    present: int,
) -> dict[str, Any]:
    out: dict[str, Any] = {"distinct": 0}
    top: list[dict[str, Any]] = []
    at: dict[int, float] = {}
    counts: dict[Any, int] = {}
    squares = 0.0
    for kind, a, b, c in rows:
        if kind == "d":
            out["distinct"] = a
        elif kind == "t":
            top.append({"value": _clean(a, col), "count": b})
        elif kind == "q" and isinstance(a, int | float) and isinstance(b, int):
            at[b] = float(a)
        elif kind == "h" and isinstance(b, int):
            counts[a] = b
            squares += float(c) if isinstance(c, int | float) else 0.0
    if col.type in _NUMBERS:
        quantiles = {str(q): _quantile(at, q, present) for q in QUANTILES}
        out["quantiles"] = quantiles
        out["median"] = quantiles["0.5"]
        out["std"] = _finite(math.sqrt(squares / (present - 1))) if present > 1 else None
        out["histogram"] = (
            []
            if bins is None
            else [
                {
                    "start": bins[0] + i * bins[1],
                    "end": bins[0] + (i + 1) * bins[1],
                    "count": counts.get(i, 0),
                }
                for i in range(bins[2])
            ]
        )
    elif col.type in ("date", "datetime"):
        out["histogram"] = [{"key": k, "count": n} for k, n in sorted(counts.items()) if k is not None]
    out["top"] = top
    return out


def _quantile(at: dict[int, float], q: float, n: int) -> float | None:
    """Linear interpolation between ranks (numpy's default)."""
    if n == 0:
        return None
    pos = q * (n - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    if lo not in at or hi not in at:
        return None
    value = at[lo] if at[hi] == at[lo] else at[lo] + (at[hi] - at[lo]) * (pos - lo)
    return value if math.isfinite(value) else None


def _bins(low: float, high: float, integer: bool) -> tuple[float, float, int] | None:
    """(start, width, count): equal-width bins; whole-number widths for integer columns."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    span = high - low
    if span <= 0:
        return low, 1.0, 1
    if integer and span < BINS:
        return low, 1.0, int(span) + 1
    width = span / BINS
    if integer:
        width = float(math.ceil(width))
    return low, width, min(BINS, math.floor(span / width) + 1)


def _date_step(low: str, high: str) -> str:
    """Group dates by year, month or day, whichever gives at most a few dozen bars."""
    years = int(high[:4]) - int(low[:4]) if high[:4].isdigit() and low[:4].isdigit() else 0
    return "%Y" if years > 3 else "%Y-%m" if years > 0 or low[:7] != high[:7] else "%Y-%m-%d"
