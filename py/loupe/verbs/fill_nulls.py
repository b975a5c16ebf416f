"""fill_nulls: replace missing values with a fixed value, or the previous/next non-null value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import Value
from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields, listing, value_text
from loupe.verbs.values import CoerceError, coerce

METHODS = ("value", "previous", "next")


@dataclass(frozen=True)
class FillSpec:
    columns: tuple[str, ...]
    method: str
    value: Value = None


def parse(raw: Mapping[str, Any], step: int) -> FillSpec:
    f = Fields(raw, step, "fill_nulls", FIELDS)
    columns = f.names("columns") if f.has("columns") else (f.name("column"),)
    method = f.choice("method", METHODS, "value")
    value = f.scalar("value", None)
    if method == "value" and value is None:
        raise f.error("missing field 'value'", field="value", hint='e.g. "value": 0')
    return FillSpec(columns, method, value)


def compile(spec: FillSpec, ctx: Context) -> Compiled:
    cols = {ctx.column(n, "columns").name for n in spec.columns}
    if spec.method != "value":
        return _carry(spec, ctx, cols)
    parts: list[str] = []
    for col in ctx.columns:
        ref = quote_column(col.name)
        if col.name not in cols:
            parts.append(ref)
            continue
        try:
            fill = coerce(spec.value, col.type)
        except CoerceError as exc:
            raise ctx.error(
                f'cannot fill "{col.name}" with {spec.value!r}', field="value", column=col.name, hint=str(exc)
            ) from exc
        parts.append(f"coalesce({ref}, {ctx.param(fill)}) AS {ref}")
    return f"SELECT {', '.join(parts)} FROM {ctx.source}", ctx.columns


def _carry(spec: FillSpec, ctx: Context, cols: set[str]) -> Compiled:
    # SQLite 3.39 has no IGNORE NULLS: a running count of non-null values numbers the run each
    # row belongs to (a run starts at a non-null value); the run's first value fills it.
    order = "ASC" if spec.method == "previous" else "DESC"
    runs: list[str] = []
    parts: list[str] = []
    for i, col in enumerate(ctx.columns):
        ref = quote_column(col.name)
        if col.name not in cols:
            parts.append(ref)
            continue
        run = f"__loupe_run_{i}__"
        runs.append(f"count({ref}) OVER (ORDER BY {SEQ} {order} ROWS UNBOUNDED PRECEDING) AS {run}")
        parts.append(f"first_value({ref}) OVER (PARTITION BY {run} ORDER BY {SEQ} {order}) AS {ref}")
    inner = f"(SELECT *, {', '.join(runs)} FROM {ctx.with_seq()})"
    return f"SELECT {', '.join(parts)} FROM {inner} ORDER BY {SEQ}", ctx.columns


FIELDS = fields(
    Field("columns", "columns", "Columns", "the columns to fill"),
    Field("column", "column", "Column", "instead of columns: one column"),
    Field(
        "method", "choice", "Fill with", "value (default), previous or next", default="value", choices=METHODS
    ),
    Field(
        "value", "value", "Value", "the value to put in (for method value); converted to the column's type"
    ),
)


def describe(spec: FillSpec) -> str:
    how = f"the {spec.method} value" if spec.method != "value" else value_text(spec.value)
    return f"Fill empty {listing(spec.columns)} with {how}"


VERB = Verb(
    name="fill_nulls",
    label="Fill empty values",
    summary="Replace missing values with a value, or with the previous or next value present.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "fill_nulls", "columns": ["amount"], "value": 0},
    describe=describe,
)
