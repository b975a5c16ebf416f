"""Rows of text cells plus names to a typed Table: transpose, infer each column, transpose back."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from loupe.errors import ReadError, did_you_mean
from loupe.read.infer import InferOptions, infer_column
from loupe.read.options import ReadOptions
from loupe.table import Column, ColumnType, Table, Value

MAX_COLUMNS = 2000  # SQLite's default SQLITE_MAX_COLUMN


def build_table(
    names: list[str],
    rows: list[list[str]],
    options: ReadOptions,
    *,
    notes: list[str],
    source: dict[str, object],
    decimal_comma: bool = False,
    row_of: Callable[[int], int] = lambda i: i + 1,
) -> Table:
    """A Table from same-width rows of strings; `rows` is emptied to keep one copy in memory."""
    forced = _forced_types(names, options)
    infer_options = InferOptions(
        null_values=frozenset(options.null_values) if options.null_values is not None else None,
        decimal_comma=decimal_comma,
        date_order=options.date_order,
        infer=options.types != "text",
        forced=forced,
        row_of=row_of,
    )
    count = len(rows)
    columns: list[Sequence[str | None]] = (
        list(zip(*rows, strict=True)) if rows else [()] * len(names)
    )
    rows.clear()
    converted: list[list[Value]] = []
    types: dict[str, ColumnType] = {}
    for j, name in enumerate(names):
        inferred = infer_column(name, columns[j], infer_options)
        columns[j] = ()  # free the raw strings as soon as the column is converted
        converted.append(inferred.values)
        types[name] = inferred.type
        notes.extend(inferred.notes)
    out_rows = list(zip(*converted, strict=True)) if count else []
    source["types"] = types
    source.setdefault("choices", [])
    return Table(
        name="",
        columns=tuple(Column(n, t) for n, t in types.items()),
        rows=out_rows,
        notes=notes,
        source=source,
    )


def _forced_types(names: list[str], options: ReadOptions) -> dict[str, ColumnType]:
    if isinstance(options.types, str):
        return {}
    unknown = [c for c in options.types if c not in names]
    if unknown:
        raise ReadError(
            f'open option "types" names unknown column "{unknown[0]}"',
            field="types",
            column=unknown[0],
            hint=did_you_mean(unknown[0], names) or f"columns: {', '.join(names[:20])}",
        )
    return dict(options.types)
