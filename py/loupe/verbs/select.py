"""select, drop and reorder: choose which columns to keep and in what order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.table import Column
from loupe.verbs.base import Compiled, Context, Fields, Verb, check_unique


@dataclass(frozen=True)
class ColumnsSpec:
    columns: tuple[str, ...]


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
    summary="Keep only the listed columns, in the listed order.",
    fields={"columns": "the columns to keep"},
    parse=_parser("select"),
    compile=compile_select,
    example={"verb": "select", "columns": ["region", "amount"]},
)

DROP = Verb(
    name="drop",
    summary="Remove the listed columns.",
    fields={"columns": "the columns to remove"},
    parse=_parser("drop"),
    compile=compile_drop,
    example={"verb": "drop", "columns": ["notes"]},
)

REORDER = Verb(
    name="reorder",
    summary="Move the listed columns to the front; the others follow in their current order.",
    fields={"columns": "the columns to put first"},
    parse=_parser("reorder"),
    compile=compile_reorder,
    example={"verb": "reorder", "columns": ["amount"]},
)
