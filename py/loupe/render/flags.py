"""Rows flagged by the flag_outliers verb: which columns hold the flags, and whether a cell is one.

The verb records on its boolean column which text column holds the reasons (`Column.reason`), and
renames carry that along, so a flag is known whatever `as`/`reason_as` named it. Columns read back
from a file have no such record; there the verb's default naming tells: a boolean `<name>` beside
a text `<name>_reason` (`revenue_outlier`, `revenue_outlier_reason`). The table and charts mark
such rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from loupe.table import Column, Value


def flag_reasons(columns: Sequence[Column] | Mapping[str, Column]) -> dict[str, str | None]:
    """Each flag column present, in column order, with its reason column (None if that was dropped).

    >>> flag_reasons([Column("v", "float"), Column("odd", "boolean", reason="why"), Column("why", "text")])
    {'odd': 'why'}
    >>> flag_reasons([Column("v_outlier", "boolean"), Column("v_outlier_reason", "text")])
    {'v_outlier': 'v_outlier_reason'}
    """
    listed = list(columns.values()) if isinstance(columns, Mapping) else list(columns)
    types = {c.name: c.type for c in listed}
    out: dict[str, str | None] = {}
    for c in listed:
        if c.type != "boolean":
            continue
        if c.reason is not None:
            out[c.name] = c.reason if types.get(c.reason) == "text" else None
        elif types.get(f"{c.name}_reason") == "text":
            out[c.name] = f"{c.name}_reason"
    return out


def flag_columns(columns: Sequence[Column] | Mapping[str, Column]) -> list[str]:
    """The flag columns present, in column order.

    >>> flag_columns([Column("v", "float"), Column("odd", "boolean", reason="why"), Column("why", "text")])
    ['odd']
    """
    return list(flag_reasons(columns))


def reason_text(row: Sequence[Value], reason: int | None) -> str:
    """A flagged row's reason, or "flagged" when the reason column is gone or empty."""
    return str((row[reason] if reason is not None else None) or "flagged")


def is_flagged(value: Value) -> bool:
    """A flag cell that says "outlier": true, or 1 from an engine without booleans."""
    return value is True or (type(value) is int and value == 1)
