"""cast: change column types; values that do not convert become null (never a wrong value)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import COLUMN_TYPES, Column, ColumnType
from loupe.verbs.base import Compiled, Context, Fields, Verb

_ALIASES: dict[str, ColumnType] = {
    "int": "integer",
    "number": "float",
    "str": "text",
    "string": "text",
    "bool": "boolean",
    "real": "float",
}


@dataclass(frozen=True)
class CastSpec:
    columns: tuple[tuple[str, ColumnType], ...]


def parse(raw: Mapping[str, Any], step: int) -> CastSpec:
    f = Fields(raw, step, "cast", ("column", "to", "columns"))
    if f.has("columns"):
        mapping = f.get("columns")
        if not isinstance(mapping, Mapping) or not mapping:
            raise f.error(
                "'columns' must map names to types",
                field="columns",
                hint='e.g. "columns": {"amount": "float"}',
            )
        pairs = [(str(k), v) for k, v in mapping.items()]
    else:
        pairs = [(f.name("column"), f.get("to"))]
    out: list[tuple[str, ColumnType]] = []
    for name, kind in pairs:
        kind = _ALIASES.get(kind, kind) if isinstance(kind, str) else kind
        if kind not in COLUMN_TYPES:
            raise f.error(f"unknown type {kind!r}", field="to", hint="one of: " + ", ".join(COLUMN_TYPES))
        out.append((name, kind))
    return CastSpec(tuple(out))


def convert(ref: str, source: ColumnType, target: ColumnType) -> str:
    """SQL converting a value of type `source` to `target`, null where it does not fit."""
    if source == target:
        return ref
    if target == "integer":
        return f"loupe_int({ref})"
    if target == "float":
        return f"loupe_float({ref})"
    if target == "text":
        if source == "boolean":
            return f"(CASE {ref} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)"
        return f"CAST({ref} AS TEXT)"
    if target == "boolean":
        return f"loupe_bool({ref})"
    if source in ("integer", "float", "boolean"):
        return "NULL"
    checked = ref if source in ("date", "datetime") else f"loupe_iso({ref})"
    if target == "date":
        return f"date({checked})"
    return f"strftime('%Y-%m-%dT%H:%M:%S', {checked})"


def compile(spec: CastSpec, ctx: Context) -> Compiled:
    targets = {ctx.column(name, "columns").name: kind for name, kind in spec.columns}
    parts: list[str] = []
    out: list[Column] = []
    for col in ctx.columns:
        kind = targets.get(col.name, col.type)
        ref = quote_column(col.name)
        parts.append(ref if kind == col.type else f"{convert(ref, col.type, kind)} AS {ref}")
        out.append(Column(col.name, kind))
    return f"SELECT {', '.join(parts)} FROM {ctx.source}", tuple(out)


VERB = Verb(
    name="cast",
    summary="Change a column's type (integer, float, boolean, date, datetime, text); values "
    "that do not convert become null.",
    fields={
        "column": "the column to convert",
        "to": "the new type",
        "columns": 'instead of column/to: {"amount": "float", "day": "date"}',
    },
    parse=parse,
    compile=compile,
    example={"verb": "cast", "column": "amount", "to": "float"},
)
