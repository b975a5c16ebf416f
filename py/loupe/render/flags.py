"""Rows flagged by the flag_outliers verb: which columns hold the flags, and whether a cell is one.

A flag column is a boolean `<name>` beside its text column `<name>_reason`, the verb's naming
(`revenue_outlier`, `revenue_outlier_reason`); the table and the charts mark such rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from loupe.table import Column, Value


def flag_columns(columns: Sequence[Column] | Mapping[str, str]) -> list[str]:
    """The flag columns present, in column order.

    >>> flag_columns({"v": "float", "v_outlier": "boolean", "v_outlier_reason": "text"})
    ['v_outlier']
    """
    types = columns if isinstance(columns, Mapping) else {c.name: c.type for c in columns}
    return [n for n, t in types.items() if t == "boolean" and types.get(f"{n}_reason") == "text"]


def is_flagged(value: Value) -> bool:
    """A flag cell that says "outlier": true, or 1 from an engine without booleans."""
    return value is True or (type(value) is int and value == 1)
