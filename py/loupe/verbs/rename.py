"""rename: give columns new names ({"old": "new"}), keeping their order and types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import Column
from loupe.verbs.base import Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields, listing


@dataclass(frozen=True)
class RenameSpec:
    columns: tuple[tuple[str, str], ...]


def parse(raw: Mapping[str, Any], step: int) -> RenameSpec:
    f = Fields(raw, step, "rename", FIELDS)
    mapping = f.get("columns")
    if not isinstance(mapping, Mapping) or not mapping:
        raise f.error(
            "'columns' must map old names to new names",
            field="columns",
            hint='e.g. "columns": {"amt": "amount"}',
        )
    for old, new in mapping.items():
        if not isinstance(new, str) or not new:
            raise f.error(f'the new name for "{old}" must be non-empty text', field="columns")
    return RenameSpec(tuple((str(k), str(v)) for k, v in mapping.items()))


def compile(spec: RenameSpec, ctx: Context) -> Compiled:
    names = {ctx.column(old, "columns").name: new for old, new in spec.columns}
    parts: list[str] = []
    out: list[Column] = []
    for col in ctx.columns:
        new = names.get(col.name, col.name)
        parts.append(quote_column(col.name) + ("" if new == col.name else f" AS {quote_column(new)}"))
        # A flag column keeps its link to its reason column, under either's new name.
        reason = names.get(col.reason, col.reason) if col.reason is not None else None
        out.append(Column(new, col.type, reason=reason))
    return f"SELECT {', '.join(parts)} FROM {ctx.source}", tuple(out)


FIELDS = fields(
    Field(
        "columns",
        "rename",
        "New names",
        'an object mapping old names to new names: {"amt": "amount"}',
        required=True,
    )
)

VERB = Verb(
    name="rename",
    label="Rename",
    summary="Rename columns.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "rename", "columns": {"amt": "amount"}},
    describe=lambda spec: "Rename: " + listing(f"{old} to {new}" for old, new in spec.columns),
)
