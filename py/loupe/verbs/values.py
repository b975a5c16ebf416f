"""Coerce a JSON value to a column's type, so comparisons in SQL mean what the user meant.

SQLite compares an INTEGER column with the text '5' as text-vs-number (always unequal), so filter
values are converted first; a value that cannot fit ("abc" for a number column) is an error.
"""

from __future__ import annotations

import datetime as dt

from loupe.table import ColumnType, Value

_TRUE = {"true", "yes", "1", "t", "y"}
_FALSE = {"false", "no", "0", "f", "n"}
_INT64 = 2**63


class CoerceError(ValueError):
    """The value does not fit the column type; the message says what was expected."""


def _number(value: Value, kind: str) -> int | float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except (ValueError, OverflowError):
            pass
    raise CoerceError(f"{value!r} is not a number (the column is {kind})")


def coerce(value: Value, column_type: ColumnType) -> Value:
    """Convert `value` for comparison with a column of `column_type`; None stays None.

    >>> coerce("5", "integer"), coerce(2, "float"), coerce("yes", "boolean")
    (5, 2.0, True)
    """
    if value is None:
        return None
    if column_type in ("integer", "float"):
        number = _number(value, column_type)
        if isinstance(number, int) and (column_type == "float" or abs(number) >= _INT64):
            try:
                return float(number)
            except OverflowError:
                raise CoerceError(f"{value!r} is too large for a number column") from None
        if isinstance(number, float) and number != number:
            raise CoerceError("NaN cannot be compared")
        return number
    if column_type == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise CoerceError(f"{value!r} is not true or false (the column is boolean)")
    if column_type == "date":
        return _date(value)
    if column_type == "datetime":
        return _datetime(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _date(value: Value) -> str:
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text[:10]).isoformat() if len(text) == 10 else _bad(value)
        except ValueError:
            pass
    return _bad(value, "a date like 2024-01-31")


def _datetime(value: Value) -> str:
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text).isoformat()
            return dt.datetime.fromisoformat(text).isoformat()
        except ValueError:
            pass
    return _bad(value, "a date-time like 2024-01-31T12:00:00")


def _bad(value: Value, expected: str = "a date like 2024-01-31") -> str:
    raise CoerceError(f"{value!r} is not {expected}")
