"""cast: change column types; values that do not convert become null (never a wrong value), and
the step's note says how many and shows the first few; "strict": true makes that an error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import COLUMN_TYPES, Column, ColumnType, Value
from loupe.verbs.base import Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields, listing

_ALIASES: dict[str, ColumnType] = {
    "int": "integer",
    "number": "float",
    "str": "text",
    "string": "text",
    "bool": "boolean",
    "real": "float",
}


SHOWN = 3  # failed values shown in the note or error


@dataclass(frozen=True)
class CastSpec:
    columns: tuple[tuple[str, ColumnType], ...]
    format: str | None = None  # strptime format for text to date/datetime: "%m/%d/%y"
    strict: bool = False


def parse(raw: Mapping[str, Any], step: int) -> CastSpec:
    f = Fields(raw, step, "cast", FIELDS)
    fmt = f.text("format") if f.has("format") else None
    if fmt is not None and "%" not in fmt:
        raise f.error(
            f"format {fmt!r} has no % directive", field="format", hint='e.g. "%m/%d/%y" for 10/13/98'
        )
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
    if fmt is not None and any(kind not in ("date", "datetime") for _, kind in out):
        raise f.error("'format' is for casts to date or datetime", field="format", hint="leave it out")
    return CastSpec(tuple(out), fmt, f.boolean("strict", False))


def convert(
    ref: str, source: ColumnType, target: ColumnType, fmt: str | None = None, order: str | None = None
) -> str:
    """SQL converting a value of type `source` to `target`, null where it does not fit; `fmt` and
    `order` are parameter placeholders: a strptime format, or the column's day order, for text to
    date/datetime."""
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
    if source == "text":  # ISO, the forms the reader knows (day and month not swappable), or `fmt`
        return f"loupe_parse_{target}({ref}, {fmt or 'NULL'}, {order or 'NULL'})"
    return f"date({ref})" if target == "date" else f"strftime('%Y-%m-%dT%H:%M:%S', {ref})"


def compile(spec: CastSpec, ctx: Context) -> Compiled:
    targets = {ctx.column(name, "columns").name: kind for name, kind in spec.columns}
    fmt = ctx.param(spec.format) if spec.format is not None else None
    parts: list[str] = []
    out: list[Column] = []
    for col in ctx.columns:
        kind = targets.get(col.name, col.type)
        ref = quote_column(col.name)
        if kind == col.type:
            parts.append(ref)
        else:
            order = (
                _day_order(ctx, ref)
                if col.type == "text" and kind in ("date", "datetime") and not fmt
                else None
            )
            converted = convert(ref, col.type, kind, fmt, order)
            parts.append(f"{converted} AS {ref}")
            _check(spec, ctx, col, kind, converted)
        out.append(col if kind == col.type else Column(col.name, kind))
    return f"SELECT {', '.join(parts)} FROM {ctx.source}", tuple(out)


def _day_order(ctx: Context, ref: str) -> str | None:
    """A parameter holding the column's day order for 10/13/98-style dates, decided over the
    whole column as the reader does; None when its values do not settle it (then a format must)."""
    if ctx.lookup is None:
        return None
    rows = ctx.lookup(
        f"{ctx.prefix}SELECT loupe_date_order({ref}) FROM {ctx.source}", dict(ctx.params.values)
    )
    order = rows[0][0] if rows else None
    return ctx.param(order) if order in ("dmy", "mdy") else None


def _check(spec: CastSpec, ctx: Context, col: Column, kind: ColumnType, converted: str) -> None:
    """Count the values that did not convert (non-empty before, null after) and show the first few
    with their row in the step's input: a note, or with "strict" an error."""
    count, failed = ctx.misfits(quote_column(col.name), converted, SHOWN)
    if not count:
        return
    shown = show_misfits(failed)
    what = f'{count:,} value{"s" if count != 1 else ""} of "{col.name}"'
    hint = None
    if kind in ("date", "datetime") and not spec.format:
        hint = 'give a "format", e.g. "%m/%d/%y" for 10/13/98'
    if spec.strict:
        raise ctx.error(
            f"{what} cannot be read as {kind}: {shown}",
            column=col.name,
            field="strict",
            hint=hint or 'fix those values, or leave out "strict" to make them null',
        )
    tail = f"; {hint}" if hint else ""
    ctx.notes.append(
        f"step {ctx.step} (cast): {what} could not be read as {kind} and became null: {shown}{tail}"
    )


def show_misfits(failed: list[tuple[Value, Value]]) -> str:
    """ "'13/45/98' (row 2), 'soon' (row 5)": the values a conversion failed on, for a note."""
    return ", ".join(f"{_show(v)} (row {n})" for n, v in failed)


def _show(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


FIELDS = fields(
    Field("column", "column", "Column", "the column to convert"),
    Field("to", "choice", "New type", "the new type", choices=COLUMN_TYPES),
    Field(
        "columns", "types", "Columns and types", 'instead of column/to: {"amount": "float", "day": "date"}'
    ),
    Field(
        "format",
        "text",
        "Date format",
        'for text to date/datetime, how the dates are written (strptime): "%m/%d/%y"',
        minimum=1,
    ),
    Field(
        "strict",
        "bool",
        "Stop on a value that does not convert",
        "true: stop with an error when a value does not convert, instead of making it null",
        default=False,
    ),
)


def describe(spec: CastSpec) -> str:
    text = "Change type: " + listing(f"{name} to {to}" for name, to in spec.columns)
    return text + (f" (format {spec.format})" if spec.format else "")


VERB = Verb(
    name="cast",
    label="Change type",
    summary="Change a column's type (integer, float, boolean, date, datetime, text); values "
    "that do not convert become null, and the step's note counts them.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "cast", "column": "amount", "to": "float"},
    describe=describe,
)
