"""Column types for cells that arrive already typed (JSON, Excel, SQLite) rather than as text.

Numbers and booleans keep their type; strings go through the text inference (dates only: a JSON
string "12" was quoted on purpose); a column mixing kinds becomes text, and says so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeAlias

from loupe.read.fastpath import INT64_MAX, INT64_MIN
from loupe.read.infer import InferOptions, Inferred, infer_column
from loupe.table import Value

# What readers hand in: JSON values (lists/dicts arrive as JSON text already) or Excel/SQLite cells.
Cell: TypeAlias = int | float | bool | str | bytes | date | datetime | time | timedelta | None

_KIND_NAMES = {bool: "boolean", int: "number", float: "number", str: "text"}


def infer_typed(name: str, cells: Sequence[Cell], options: InferOptions) -> Inferred:
    """Choose a column type for typed cells and normalise them to Table values.

    >>> infer_typed("n", [1, 2.5, None], InferOptions()).values
    [1.0, 2.5, None]
    """
    kinds = set(map(type, cells)) - {type(None)}
    forced = options.forced.get(name) or (None if options.infer else "text")
    if forced is not None:
        return infer_column(name, [text_of(c) for c in cells], options)
    if not kinds:
        return Inferred("text", [None] * len(cells))
    if kinds == {bool}:
        return Inferred("boolean", list(cells))  # type: ignore[arg-type]
    if int in kinds and kinds <= {int, float}:
        ints = [c for c in cells if type(c) is int]
        if min(ints) < INT64_MIN or max(ints) > INT64_MAX:  # as floats they would lose digits
            note = f'column "{name}": integers beyond the 64-bit range kept exact as text'
            return Inferred("text", [text_of(c) for c in cells], [note])
    if kinds == {int}:
        return Inferred("integer", list(cells))  # type: ignore[arg-type]
    if kinds <= {int, float}:
        # NaN and Infinity (JSON extensions, SQLite REALs) have no place in a table: null, noted.
        values: list[Value] = [
            float(c) if c is not None and math.isfinite(c) else None  # type: ignore[arg-type]
            for c in cells
        ]
        lost = values.count(None) - cells.count(None)
        note = f'column "{name}": {lost} NaN or infinite value{"s" if lost > 1 else ""} read as null'
        return Inferred("float", values, [note] if lost else [])
    if kinds <= {date, datetime}:
        return _dates(cells)
    if kinds == {str}:
        strings = [c if c != "" else None for c in cells]
        inferred = infer_column(name, strings, _dates_only(options))  # type: ignore[arg-type]
        return inferred if inferred.type in ("date", "datetime") else _strings(cells)
    shown = " and ".join(sorted({_KIND_NAMES.get(k, "other") for k in kinds}))
    note = f'column "{name}": mixed values ({shown}) read as text'
    return Inferred("text", [text_of(c) for c in cells], [note] if " and " in shown else [])


def _dates(cells: Sequence[Cell]) -> Inferred:
    """Excel dates arrive as datetimes; a column that is all midnight is a date column."""
    if all(not isinstance(c, datetime) or c.time() == time() for c in cells):
        return Inferred("date", [None if c is None else _as_date(c).isoformat() for c in cells])  # type: ignore[arg-type]
    return Inferred("datetime", [None if c is None else _as_datetime(c) for c in cells])  # type: ignore[arg-type]


def _as_date(cell: date) -> date:
    return cell.date() if isinstance(cell, datetime) else cell


def _as_datetime(cell: date) -> str:
    if not isinstance(cell, datetime):
        cell = datetime(cell.year, cell.month, cell.day)
    return cell.isoformat(timespec="microseconds" if cell.microsecond else "seconds")


def _strings(cells: Sequence[Cell]) -> Inferred:
    return Inferred("text", [None if c is None or c == "" else c for c in cells])  # type: ignore[misc]


def _dates_only(options: InferOptions) -> InferOptions:
    # Only the date shapes: digits inside a JSON string were quoted on purpose (ZIP codes, IDs).
    return InferOptions(null_values=frozenset({""}), date_order=options.date_order, only_dates=True)


def text_of(cell: Cell) -> str | None:
    """One typed cell as the text a user would type for it."""
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return None if math.isnan(cell) else repr(cell)
    if isinstance(cell, datetime):
        return _as_datetime(cell)
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, bytes):
        return cell.hex()
    if isinstance(cell, timedelta):
        return str(cell)
    if isinstance(cell, list | dict):
        return json.dumps(cell, ensure_ascii=False)
    return str(cell)
