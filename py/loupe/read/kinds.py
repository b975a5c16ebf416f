"""The candidate column types for text cells, in the order they are tried.

Each kind is a shape every cell must have, a bulk converter chosen once per column and, for the
common types, a whole-column fast proof (`fastpath`). `kinds_for` picks the list for a file's
decimal mark; `forced_kinds` the lenient list for a type the user chose.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from loupe.read import dates, fastpath, numbers
from loupe.read.dates import DATE, DATETIME, ISO_DATE
from loupe.read.fastpath import INT64_MAX, INT64_MIN
from loupe.table import ColumnType, Value

# Read as null in typed columns. Text columns keep them ("NA" is also Namibia) unless the user
# chooses null_values, which then apply everywhere.
NULL_MARKERS = frozenset(
    {"", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "Null", "None", "none", "NaN", "nan", "-"}
)

_INT = re.compile(r" *[-+]?(?:0|[1-9][0-9]*) *")
_FLOAT = re.compile(r" *[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)? *")
_FLOAT_COMMA = re.compile(r" *[-+]?(?:0|[1-9][0-9]*)(?:,[0-9]+)? *")
# Grouped thousands ("1,234,567.89"), as spreadsheets export formatted numbers (quoted in CSV).
_GROUPED_INT = re.compile(r" *[-+]?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})*|0) *")
_GROUPED_FLOAT = re.compile(r" *[-+]?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})*|0)(?:\.[0-9]+)? *")
_BOOL = re.compile(r"(?i:true|false)")

# values (non-null cells) and the date order ("dmy", "mdy" or None: decided by the data) -> values
Convert: TypeAlias = Callable[[list[str], str | None], list[Value]]
Fast: TypeAlias = Callable[[Sequence[str | None]], list[Value] | None]


class Misfit(ValueError):
    """Values have a type's shape but not its range; `note` says why if the user should know."""

    def __init__(self, note: str | None = None) -> None:
        super().__init__(note)
        self.note = note


@dataclass(frozen=True)
class Kind:
    """A candidate column type: the shape every cell must have, and the bulk converter."""

    type: ColumnType
    pattern: re.Pattern[str]
    convert: Convert
    fast: Fast | None = None
    note: str | None = None  # said about a column read as this kind


def cell_kind(cell: str) -> str:
    """What one cell looks like (for header sniffing): empty, number, boolean, date or text."""
    if cell.strip() in NULL_MARKERS:
        return "empty"
    if _FLOAT.fullmatch(cell) or _FLOAT_COMMA.fullmatch(cell):
        return "number"
    if _BOOL.fullmatch(cell):
        return "boolean"
    if DATETIME.fullmatch(cell) or DATE.fullmatch(cell):
        return "date"
    return "text"


def _ints(values: list[str], order: str | None) -> list[Value]:
    ints = list(map(int, values))
    if max(ints) > INT64_MAX or min(ints) < INT64_MIN:
        raise Misfit("integers beyond the 64-bit range kept exact as text")
    return ints  # type: ignore[return-value]  # list[int] is a list[Value]; no copy


def _finite(values: list[float]) -> list[Value]:
    if math.inf in values or -math.inf in values:
        raise ValueError("1e999 overflows to infinity")  # then the column is text, as written
    return values  # type: ignore[return-value]  # list[float] is a list[Value]; no copy


def _floats(values: list[str], order: str | None) -> list[Value]:
    return _finite(list(map(float, values)))


def _comma_floats(values: list[str], order: str | None) -> list[Value]:
    return _finite([float(v.replace(",", ".")) for v in values])


def _grouped_ints(values: list[str], order: str | None) -> list[Value]:
    return _ints([v.replace(",", "") for v in values], order)


def _grouped_floats(values: list[str], order: str | None) -> list[Value]:
    return _finite([float(v.replace(",", "")) for v in values])


def _dot_grouped_comma_floats(values: list[str], order: str | None) -> list[Value]:
    if not any("," in v for v in values):  # "3.500" alone may be 3.5 written with a point
        raise ValueError("no decimal comma to show the dots group thousands")
    return _finite([float(v.replace(".", "").replace(",", ".")) for v in values])


def _amounts(decimal: str) -> Convert:
    def convert(values: list[str], order: str | None) -> list[Value]:
        try:
            return numbers.amounts(values, decimal)[0]
        except numbers.Signs as signs:
            raise Misfit(
                f"amounts with different signs ({', '.join(sorted(signs.signs))}) kept as text"
            ) from None

    return convert


def _bools(values: list[str], order: str | None) -> list[Value]:
    return [v.lower() == "true" for v in values]


def _iso_dates(values: list[str], order: str | None) -> list[Value]:
    return dates.iso_dates(values)


def _midnight_dates(values: list[str], order: str | None) -> list[Value]:
    return dates.iso_dates([v[:10] for v in values])


KINDS = (
    Kind("integer", _INT, _ints, fastpath.ints),
    Kind("float", _FLOAT, _floats, fastpath.floats),
    Kind("boolean", _BOOL, _bools, fastpath.booleans),
    Kind("date", ISO_DATE, _iso_dates, fastpath.iso_dates),
    Kind("date", DATE, dates.local_dates),
    Kind("datetime", DATETIME, dates.datetimes),
)
COMMA_FLOAT = Kind("float", _FLOAT_COMMA, _comma_floats, note="decimal comma read as a decimal point")
# "1.234,50": thousands dots and a decimal comma, where the file's decimal mark is a comma.
GROUPED_COMMA = Kind(
    "float",
    re.compile(r" *[-+]?(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|0|[1-9][0-9]*)(?:,[0-9]+)? *"),
    _dot_grouped_comma_floats,
    note="thousands separators (1.234) removed, decimal comma read as a decimal point",
)
# "$1,200", "12%", "€ 3,50": the sign stripped (said in the note), tried after every other kind.
AMOUNTS = {mark: Kind("float", numbers.PATTERN, _amounts(mark)) for mark in (".", ",", "either")}
GROUPED = (
    Kind("integer", _GROUPED_INT, _grouped_ints, note="thousands separators (1,234) removed"),
    Kind("float", _GROUPED_FLOAT, _grouped_floats, note="thousands separators (1,234) removed"),
)
# When the user forces a type, accept what they clearly mean: leading zeros ("007" -> 7) and
# datetimes at midnight as dates (how Excel and JSON exports write dates).
_LENIENT = (
    Kind("integer", re.compile(r" *[-+]?[0-9]+ *"), _ints),
    Kind("float", re.compile(r" *[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)? *"), _floats),
    Kind("float", re.compile(r" *[-+]?[0-9]+(?:,[0-9]+)? *"), _comma_floats),
    Kind("date", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]00:00(?::00(?:\.0+)?)?"), _midnight_dates),
)


def kinds_for(decimal: str, only_dates: bool = False) -> tuple[Kind, ...]:
    """The kinds to try, in order, for a decimal mark of ".", "," or "either" (point first)."""
    if only_dates:
        return KINDS[3:]
    if decimal == ",":
        return (KINDS[0], COMMA_FLOAT, GROUPED_COMMA, *KINDS[2:], AMOUNTS[","])
    if decimal == "either":  # there "1,234" is a decimal comma, not a thousands group
        return (*KINDS[:2], COMMA_FLOAT, GROUPED_COMMA, *KINDS[2:], AMOUNTS["either"])
    return (*KINDS[:2], *GROUPED, *KINDS[2:], AMOUNTS["."])


def forced_kinds(kind: ColumnType) -> list[Kind]:
    """Every shape a type the user forced may take; float shapes take integers, datetime takes dates."""
    return [k for k in (*_LENIENT, *KINDS, COMMA_FLOAT, *GROUPED, AMOUNTS["."]) if k.type == kind]
