"""Aggregate functions shared by groupby and pivot: parsing, SQL and output types.

median, std, first and last are Loupe's registered SQLite aggregates (see loupe.sqlfuncs);
first/last take a row sequence number so "first" means first in the current row order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.table import Column, ColumnType
from loupe.verbs.base import SEQ, Context, Fields

FUNCTIONS = (
    "count",
    "count_distinct",
    "sum",
    "mean",
    "median",
    "min",
    "max",
    "std",
    "first",
    "last",
)
NUMERIC_ONLY = frozenset({"sum", "mean", "median", "std"})
NEEDS_SEQ = frozenset({"first", "last"})
_ALIASES = {
    "avg": "mean",
    "average": "mean",
    "nunique": "count_distinct",
    "n": "count",
    "stddev": "std",
    "total": "sum",
}


@dataclass(frozen=True)
class Agg:
    fn: str
    column: str | None
    name: str


def parse_agg(raw: Mapping[str, Any], step: int, verb: str) -> Agg:
    """One aggregate: {"fn": "sum", "column": "amount", "as": "total"}; count needs no column."""
    f = Fields(raw, step, verb, ("fn", "column", "as"))
    fn = f.text("fn")
    fn = f.choice("fn", FUNCTIONS) if _ALIASES.get(fn, fn) not in FUNCTIONS else _ALIASES.get(fn, fn)
    column = f.optional_name("column") if fn == "count" else f.name("column")
    default = fn if column is None else f"{fn}_{column}"
    return Agg(fn, column, f.text("as", default) or default)


def agg_type(fn: str, source: ColumnType | None) -> ColumnType:
    """The type of an aggregate's result given its input column type."""
    if fn in ("count", "count_distinct"):
        return "integer"
    if fn in ("mean", "median", "std"):
        return "float"
    if fn == "sum":
        return "integer" if source in ("integer", "boolean") else "float"
    assert source is not None
    return source


def agg_sql(agg: Agg, ctx: Context, field: str, *, value: str | None = None) -> tuple[str, Column]:
    """SQL for one aggregate over the input; `value` overrides the aggregated expression (pivot)."""
    source: ColumnType | None = None
    ref = "*"
    if agg.column is not None:
        col = ctx.column(agg.column, field)
        source, ref = col.type, ctx.ref(col.name)
        if agg.fn in NUMERIC_ONLY and col.type not in ("integer", "float", "boolean"):
            raise ctx.error(
                f'{agg.fn} needs a number column; "{col.name}" is {col.type}',
                field=field,
                column=col.name,
                hint="use count, count_distinct, min, max, first or last, or cast it",
            )
    arg = ref if value is None else value
    fn = agg.fn
    if fn == "count":
        sql = "count(*)" if agg.column is None and value is None else f"count({arg})"
    elif fn == "count_distinct":
        sql = f"count(DISTINCT {arg})"
    elif fn == "mean":
        sql = f"avg({arg})"
    elif fn in ("median", "std"):
        sql = f"loupe_{fn}({arg})"
    elif fn in NEEDS_SEQ:
        sql = f"loupe_{fn}({arg}, {SEQ})"
    else:
        sql = f"{fn}({arg})"
    return sql, Column(agg.name, agg_type(fn, source))


def agg_text(agg: Agg) -> str:
    """An aggregate in words: "sum of amount", "count"; its output name when it is not the default."""
    fn = agg.fn.replace("_", " ")
    text = fn if agg.column is None else f"{fn} of {agg.column}"
    default = agg.fn if agg.column is None else f"{agg.fn}_{agg.column}"
    return text if agg.name in ("", default) else f"{text} as {agg.name}"
