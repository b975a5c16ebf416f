"""distinct: drop duplicate rows; with `columns`, keep the first row of each combination."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.form import Field, fields, listing


@dataclass(frozen=True)
class DistinctSpec:
    columns: tuple[str, ...] = ()


def parse(raw: Mapping[str, Any], step: int) -> DistinctSpec:
    f = Fields(raw, step, "distinct", FIELDS)
    columns = f.names("columns", (), allow_empty=True)
    check_unique(columns, f, "columns")
    return DistinctSpec(columns)


def compile(spec: DistinctSpec, ctx: Context) -> Compiled:
    if not spec.columns:
        # Each row once, where it first occurs: SQLite's SELECT DISTINCT keeps that order only by
        # how it happens to run; DuckDB and Spark do not, so the order is written out.
        cols = ctx.select_list()
        first = f"(SELECT {cols}, min({SEQ}) AS {SEQ} FROM {ctx.with_seq()} GROUP BY {cols})"
        return f"SELECT {cols} FROM {first} ORDER BY {SEQ}", ctx.columns
    keys = ", ".join(ctx.ref(n, "columns") for n in spec.columns)
    # The first row of each key combination, in the current order (rows keep that order).
    ranked = (
        f"(SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY {SEQ}) AS __loupe_rank__"
        f" FROM {ctx.with_seq()})"
    )
    sql = f"SELECT {ctx.select_list()} FROM {ranked} WHERE __loupe_rank__ = 1 ORDER BY {SEQ}"
    return sql, ctx.columns


FIELDS = fields(
    Field(
        "columns",
        "columns",
        "Compare only",
        "compare only these columns (default: all); other columns come from the first row",
    )
)


def describe(spec: DistinctSpec) -> str:
    return "Remove duplicates" + (f" of {listing(spec.columns)}" if spec.columns else "")


VERB = Verb(
    name="distinct",
    label="Remove duplicates",
    summary="Remove duplicate rows; with columns, keep the first row for each combination.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "distinct", "columns": ["region"]},
    describe=describe,
)
