"""Rows of text cells plus names to a typed Table: transpose, infer each column, transpose back."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from loupe.errors import ReadError, did_you_mean
from loupe.read.infer import InferOptions, infer_column
from loupe.read.options import ReadOptions
from loupe.read.typed import Cell, infer_typed
from loupe.table import Column, ColumnType, Table, Value

MAX_COLUMNS = 2000  # SQLite's default SQLITE_MAX_COLUMN


def build_table(
    names: list[str],
    rows: list[list[str]],
    options: ReadOptions,
    *,
    notes: list[str],
    source: dict[str, object],
    decimal: str = ".",
    row_of: Callable[[int], int] = lambda i: i + 1,
) -> Table:
    """A Table from same-width rows of strings; `rows` is emptied to keep one copy in memory."""
    check_width(len(names))
    how = infer_options(names, options, decimal=decimal, row_of=row_of)
    count = len(rows)
    columns: list[Sequence[str | None]] = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    rows.clear()
    converted: list[list[Value]] = []
    types: dict[str, ColumnType] = {}
    comma = False
    for j, name in enumerate(names):
        inferred = infer_column(name, columns[j], how)
        columns[j] = ()  # free the raw strings as soon as the column is converted
        converted.append(inferred.values)
        types[name] = inferred.type
        notes.extend(inferred.notes)
        comma = comma or inferred.decimal_comma
    source["decimal"] = "," if comma or decimal == "," else "."
    return _table(converted, count, types, notes, source)


def build_typed_table(
    names: list[str],
    columns: list[list[Cell]],
    options: ReadOptions,
    *,
    notes: list[str],
    source: dict[str, object],
    row_of: Callable[[int], int] = lambda i: i + 1,
) -> Table:
    """A Table from columns of typed cells (JSON, Excel, SQLite); empties `columns` as it goes."""
    check_width(len(names))
    how = infer_options(names, options, decimal=".", row_of=row_of)
    count = len(columns[0]) if columns else 0
    converted: list[list[Value]] = []
    types: dict[str, ColumnType] = {}
    for j, name in enumerate(names):
        inferred = infer_typed(name, columns[j], how)
        columns[j] = []
        converted.append(inferred.values)
        types[name] = inferred.type
        notes.extend(inferred.notes)
    return _table(converted, count, types, notes, source)


def check_width(width: int) -> None:
    """Refuse more columns than SQLite can hold, before any work is done."""
    if width > MAX_COLUMNS:
        raise ReadError(
            f"the file has {width} columns; at most {MAX_COLUMNS} are supported",
            hint="check the delimiter in the open options, or split the file",
        )


def _table(
    converted: list[list[Value]],
    count: int,
    types: dict[str, ColumnType],
    notes: list[str],
    source: dict[str, object],
) -> Table:
    rows = list(zip(*converted, strict=True)) if count else []
    source["types"] = dict(types)
    source.setdefault("choices", [])
    columns = tuple(Column(n, t) for n, t in types.items())
    return Table(name="", columns=columns, rows=rows, notes=notes, source=source)


def infer_options(
    names: list[str], options: ReadOptions, *, decimal: str, row_of: Callable[[int], int] = lambda i: i + 1
) -> InferOptions:
    """How to type the cells of these columns, from the open options and the file's decimal mark."""
    return InferOptions(
        null_values=frozenset(options.null_values) if options.null_values is not None else None,
        decimal=decimal,
        date_order=options.date_order,
        infer=options.types != "text",
        forced=_forced_types(names, options),
        formats=_date_formats(names, options),
        row_of=row_of,
    )


def _date_formats(names: list[str], options: ReadOptions) -> dict[str, str]:
    formats = dict(options.date_formats or {})
    unknown = [c for c in formats if c not in names]
    if unknown:
        raise ReadError(
            f'open option "date_formats" names unknown column "{unknown[0]}"',
            field="date_formats",
            column=unknown[0],
            hint=did_you_mean(unknown[0], names) or f"columns: {', '.join(names[:20])}",
        )
    return formats


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
