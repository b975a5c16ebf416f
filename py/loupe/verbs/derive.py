"""derive: a new column (or a replaced one) computed from an expression over each row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import Column
from loupe.verbs.base import Compiled, Context, Fields, Verb


@dataclass(frozen=True)
class DeriveSpec:
    name: str
    expr: str


def parse(raw: Mapping[str, Any], step: int) -> DeriveSpec:
    f = Fields(raw, step, "derive", ("as", "expr"))
    expr = f.text("expr")
    if not expr.strip():
        raise f.error("'expr' is empty", field="expr", hint='e.g. "amount * price"')
    return DeriveSpec(f.name("as"), expr)


def compile(spec: DeriveSpec, ctx: Context) -> Compiled:
    compiled = ctx.expr(spec.expr, "expr")
    new = Column(spec.name, compiled.column_type)
    value = f"{compiled.sql} AS {quote_column(spec.name)}"
    if any(c.name == spec.name for c in ctx.columns):  # replace in place, keep position
        parts = [value if c.name == spec.name else quote_column(c.name) for c in ctx.columns]
        out = tuple(new if c.name == spec.name else c for c in ctx.columns)
    else:
        parts = [*(quote_column(c.name) for c in ctx.columns), value]
        out = (*ctx.columns, new)
    return f"SELECT {', '.join(parts)} FROM {ctx.source}", out


VERB = Verb(
    name="derive",
    summary="Add a column computed from an expression (or replace a column of the same name).",
    fields={"as": "the new column's name", "expr": 'the expression, e.g. "amount * price"'},
    parse=parse,
    compile=compile,
    example={"verb": "derive", "as": "total", "expr": "amount * price"},
)
