"""derive: a new column (or a replaced one) computed from an expression over each row."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import Column
from loupe.verbs.base import Compiled, Context, Fields, Verb
from loupe.verbs.cast import show_misfits
from loupe.verbs.form import Field, fields


@dataclass(frozen=True)
class DeriveSpec:
    name: str
    expr: str


def parse(raw: Mapping[str, Any], step: int) -> DeriveSpec:
    f = Fields(raw, step, "derive", FIELDS)
    expr = f.text("expr")
    if not expr.strip():
        raise f.error("'expr' is empty", field="expr", hint='e.g. "amount * price"')
    return DeriveSpec(f.name("as"), expr)


_PARSERS = frozenset({"parse_date", "parse_datetime", "parse_number"})


def compile(spec: DeriveSpec, ctx: Context) -> Compiled:
    compiled = ctx.expr(spec.expr, "expr")
    parsed = _parsed_argument(spec.expr)
    if parsed is not None:  # say how many values the parse could not read, as cast does
        function, argument = parsed
        count, failed = ctx.misfits(ctx.expr(argument, "expr").sql, compiled.sql)
        if count:
            what = f"{count:,} value{'s' if count != 1 else ''} of {argument}"
            ctx.notes.append(
                f"step {ctx.step} (derive): {what} could not be read by {function}() and became null: "
                f"{show_misfits(failed)}"
            )
    new = Column(spec.name, compiled.column_type)
    value = f"{compiled.sql} AS {quote_column(spec.name)}"
    if any(c.name == spec.name for c in ctx.columns):  # replace in place, keep position
        parts = [value if c.name == spec.name else quote_column(c.name) for c in ctx.columns]
        out = tuple(new if c.name == spec.name else c for c in ctx.columns)
    else:
        parts = [*(quote_column(c.name) for c in ctx.columns), value]
        out = (*ctx.columns, new)
    return f"SELECT {', '.join(parts)} FROM {ctx.source}", out


def _parsed_argument(expr: str) -> tuple[str, str] | None:
    """(function, its first argument's text) when the whole expression is parse_date(...) & co."""
    text = expr.strip()
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _PARSERS
        and node.args
    ):
        argument = ast.get_source_segment(text, node.args[0])
        return (node.func.id, argument) if argument else None
    return None


FIELDS = fields(
    Field("as", "name", "New column", "the new column's name", required=True),
    Field("expr", "expr", "Expression", 'the expression, e.g. "amount * price"', required=True),
)

VERB = Verb(
    name="derive",
    label="New column",
    summary="Add a column computed from an expression (or replace a column of the same name).",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "derive", "as": "total", "expr": "amount * price"},
    describe=lambda spec: f"New column {spec.name} = {spec.expr}",
)
