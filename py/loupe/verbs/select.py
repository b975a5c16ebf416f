"""select, drop and reorder: choose which columns to keep and in what order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.table import Column
from loupe.verbs.base import Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.form import Field, fields, listing


@dataclass(frozen=True)
class ColumnsSpec:
    columns: tuple[str, ...]


def _fields(help: str) -> Mapping[str, Field]:
    return fields(Field("columns", "columns", "Columns", help, required=True))


def _parser(verb: str) -> Any:
    def parse(raw: Mapping[str, Any], step: int) -> ColumnsSpec:
        f = Fields(raw, step, verb, ("columns",))
        columns = f.names("columns")
        check_unique(columns, f, "columns")
        return ColumnsSpec(columns)

    return parse


def _project(ctx: Context, keep: list[Column]) -> Compiled:
    return f"SELECT {ctx.select_list(keep)} FROM {ctx.source}", tuple(keep)


def compile_select(spec: ColumnsSpec, ctx: Context) -> Compiled:
    return _project(ctx, [ctx.column(n, "columns") for n in spec.columns])


def compile_drop(spec: ColumnsSpec, ctx: Context) -> Compiled:
    dropped = {ctx.column(n, "columns").name for n in spec.columns}
    keep = [c for c in ctx.columns if c.name not in dropped]
    if not keep:
        raise ctx.error("this would drop every column", field="columns", hint="keep at least one")
    return _project(ctx, keep)


def compile_reorder(spec: ColumnsSpec, ctx: Context) -> Compiled:
    first = [ctx.column(n, "columns") for n in spec.columns]
    return _project(ctx, first + [c for c in ctx.columns if c not in first])


SELECT = Verb(
    name="select",
    label="Keep columns",
    summary="Keep only the listed columns, in the listed order.",
    fields=_fields("the columns to keep"),
    parse=_parser("select"),
    describe=lambda spec: f"Keep columns: {listing(spec.columns)}",
    compile=compile_select,
    example={"verb": "select", "columns": ["region", "amount"]},
)

DROP = Verb(
    name="drop",
    label="Remove columns",
    summary="Remove the listed columns.",
    fields=_fields("the columns to remove"),
    parse=_parser("drop"),
    describe=lambda spec: f"Remove columns: {listing(spec.columns)}",
    compile=compile_drop,
    example={"verb": "drop", "columns": ["notes"]},
)

REORDER = Verb(
    name="reorder",
    label="Move columns first",
    summary="Move the listed columns to the front; the others follow in their current order.",
    fields=_fields("the columns to put first"),
    parse=_parser("reorder"),
    describe=lambda spec: f"Move columns first: {listing(spec.columns)}",
    compile=compile_reorder,
    example={"verb": "reorder", "columns": ["amount"]},
)
