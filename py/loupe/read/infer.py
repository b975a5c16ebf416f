"""Type inference for text cells, in one place: choose each column's type, then convert it in bulk.

A candidate type is tried on a sample, then checked against the whole column with one regular
expression over the joined cells (C speed, no per-cell regex calls), then converted by a converter
chosen once. A column that does not fit widens (integer -> float -> text, date -> datetime -> text)
instead of being read wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from loupe.errors import ReadError
from loupe.table import ColumnType, Value

# Read as null in typed columns. Text columns keep them ("NA" is also Namibia) unless the user
# chooses null_values, which then apply everywhere.
NULL_MARKERS = frozenset(
    {"", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "Null", "None", "none", "NaN", "nan", "-"}
)
SAMPLE = 2000
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

_INT = r"[-+]?(?:0|[1-9][0-9]*)"
_FLOAT = r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_FLOAT_COMMA = r"[-+]?(?:0|[1-9][0-9]*)(?:,[0-9]+)?"
_BOOL = r"(?i:true|false)"
_ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_LOCAL_DATE = r"[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{4}"
_TIME = r"[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?: ?(?:Z|[-+][0-9]{2}:?[0-9]{2}))?"

_DATE_PARTS = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_DATETIME_PARTS = re.compile(
    r"(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}))"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]{1,9})?)? ?(Z|[-+][0-9]{2}:?[0-9]{2})?)?"
)
_TRUE = frozenset({"true"})
_Nulls = frozenset[str | None]
_TEXT_NULLS: _Nulls = frozenset({"", None})

# What a single cell looks like, for header detection (cheap; not used for bulk conversion).
_CELL_KINDS = (
    ("number", re.compile(_FLOAT)),
    ("number", re.compile(_FLOAT_COMMA)),
    ("boolean", re.compile(_BOOL)),
    ("date", re.compile(_ISO_DATE + f"(?:{_TIME})?")),
    ("date", re.compile(_LOCAL_DATE + f"(?:{_TIME})?")),
)


@dataclass(frozen=True)
class InferOptions:
    """How to read text cells; `row_of(i)` maps a 0-based data index to the row errors show."""

    null_values: frozenset[str] | None = None
    decimal_comma: bool = False
    date_order: str | None = None
    infer: bool = True
    forced: Mapping[str, ColumnType] = field(default_factory=dict)
    row_of: Callable[[int], int] = lambda i: i + 1


@dataclass
class Inferred:
    """One column's chosen type, its converted values and, if worth saying, a note."""

    type: ColumnType
    values: list[Value]
    notes: list[str] = field(default_factory=list)


def cell_kind(cell: str) -> str:
    """What one cell looks like: 'empty', 'number', 'boolean', 'date' or 'text'."""
    if cell.strip() in NULL_MARKERS:
        return "empty"
    for kind, pattern in _CELL_KINDS:
        if pattern.fullmatch(cell):
            return kind
    return "text"


def infer_column(name: str, cells: Sequence[str | None], options: InferOptions) -> Inferred:
    """Choose a type for one column of text cells (None = missing) and convert every cell."""
    user_nulls = options.null_values is not None
    markers = options.null_values if options.null_values is not None else NULL_MARKERS
    nulls: _Nulls = frozenset((*markers, None))
    forced = options.forced.get(name) or (None if options.infer else "text")
    if forced == "text":
        return Inferred("text", _text(cells, nulls if user_nulls else _TEXT_NULLS))
    present: list[str] = [c for c in cells if c is not None and c not in nulls]
    if forced is not None:
        return _forced(name, forced, cells, present, nulls, options)
    if not present:
        return Inferred("text", [None] * len(cells))
    joined = "\n".join(present)
    multiline = joined.count("\n") != len(present) - 1
    sample = "\n".join(present[:SAMPLE])
    for kind, pattern, convert in _candidates(options):
        if multiline or not pattern.fullmatch(sample) or not pattern.fullmatch(joined):
            continue
        try:
            result = convert(present, options)
        except _Widen as widen:
            if widen.note:
                return _as_text(cells, nulls, user_nulls, f'column "{name}": {widen.note}')
            continue
        except ValueError:
            continue  # e.g. 2024-02-30 matches the pattern but is no date
        inferred = Inferred(kind, _merge(cells, result, nulls))
        if len(present) < len(cells):
            _note_markers(name, cells, nulls, inferred)
        if convert is _local_dates and not options.date_order:
            order = _date_order(present)
            if order[1]:
                inferred.notes.append(
                    f'column "{name}": dates like {present[0]} are ambiguous; {order[1]}'
                )
        if convert is _comma_floats:
            inferred.notes.append(f'column "{name}": decimal comma read as a decimal point')
        return inferred
    return _as_text(cells, nulls, user_nulls, None)


class _Widen(Exception):
    """The values match a type's shape but not its range: fall back (with a note if it matters)."""

    def __init__(self, note: str | None = None) -> None:
        super().__init__(note)
        self.note = note


def _ints(values: list[str], options: InferOptions) -> list[Value]:
    ints = list(map(int, values))
    if max(ints) > INT64_MAX or min(ints) < INT64_MIN:
        raise _Widen("integers beyond the 64-bit range kept exact as text")
    return list(ints)


def _floats(values: list[str], options: InferOptions) -> list[Value]:
    return list(map(float, values))


def _comma_floats(values: list[str], options: InferOptions) -> list[Value]:
    return [float(v.replace(",", ".")) for v in values]


def _bools(values: list[str], options: InferOptions) -> list[Value]:
    return [v.lower() in _TRUE for v in values]


def _iso_dates(values: list[str], options: InferOptions) -> list[Value]:
    for _ in map(date.fromisoformat, values):  # validates the calendar: 2024-02-30 is no date
        pass
    return list(values)


def _local_dates(values: list[str], options: InferOptions) -> list[Value]:
    order = options.date_order or _date_order(values)[0]
    if order is None:
        raise ValueError("day and month both exceed 12")
    out: list[Value] = []
    for v in values:
        match = _DATE_PARTS.fullmatch(v)
        assert match is not None  # the column pattern matched
        a, b, year = match.groups()
        day, month = (a, b) if order == "dmy" else (b, a)
        out.append(date(int(year), int(month), int(day)).isoformat())
    return out


def _datetimes(values: list[str], options: InferOptions) -> list[Value]:
    order = options.date_order
    out: list[Value] = []
    for v in values:
        match = _DATETIME_PARTS.fullmatch(v)
        if match is None:
            raise ValueError(v)
        y, m, d, a, b, y2, hh, mm, ss, frac, zone = match.groups()
        if y is None:
            order = order or _date_order(values)[0]
            if order is None:
                raise ValueError("day and month both exceed 12")
            y, m, d = (y2, b, a) if order == "dmy" else (y2, a, b)
        stamp = f"{y}-{int(m):02d}-{int(d):02d}T{hh or '00'}:{mm or '00'}:{ss or '00'}{frac or ''}"
        if zone:
            zone = "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
            stamp += zone
        datetime.fromisoformat(stamp)  # validates; raises ValueError
        out.append(stamp)
    return out


def _date_order(values: Sequence[str]) -> tuple[str | None, str | None]:
    """Day- or month-first for d/m/y dates, decided by the data; plus a note if it is a guess."""
    first = second = 0
    dot_or_dash = False
    for v in values:
        match = _DATE_PARTS.match(v)
        if match is None:
            continue
        first = max(first, int(match.group(1)))
        second = max(second, int(match.group(2)))
        dot_or_dash = dot_or_dash or "/" not in v[:6]
    if first > 12 and second > 12:
        return None, None
    if first > 12:
        return "dmy", None
    if second > 12:
        return "mdy", None
    if dot_or_dash:
        return "dmy", 'read as day/month/year (set date_order "mdy" to change)'
    return "mdy", 'read as month/day/year (set date_order "dmy" to change)'


_Convert = Callable[[list[str], InferOptions], list[Value]]


def _compile(pattern: str) -> re.Pattern[str]:
    # One pattern for a whole column joined with newlines: cell, then (newline cell)*.
    return re.compile(f"(?:{pattern})(?:\n(?:{pattern}))*")


_KINDS: tuple[tuple[ColumnType, re.Pattern[str], _Convert], ...] = (
    ("integer", _compile(_INT), _ints),
    ("float", _compile(_FLOAT), _floats),
    ("boolean", _compile(_BOOL), _bools),
    ("date", _compile(_ISO_DATE), _iso_dates),
    ("date", _compile(_LOCAL_DATE.replace("\\1", "[/.-]")), _local_dates),
    (
        "datetime",
        _compile(f"(?:{_ISO_DATE}|{_LOCAL_DATE.replace(chr(92) + '1', '[/.-]')})(?:{_TIME})?"),
        _datetimes,
    ),
)
_COMMA_KIND: tuple[ColumnType, re.Pattern[str], _Convert] = (
    "float",
    _compile(_FLOAT_COMMA),
    _comma_floats,
)


def _candidates(options: InferOptions) -> tuple[tuple[ColumnType, re.Pattern[str], _Convert], ...]:
    if not options.decimal_comma:
        return _KINDS
    return (*_KINDS[:1], _COMMA_KIND, *_KINDS[2:])


def _merge(cells: Sequence[str | None], converted: list[Value], nulls: _Nulls) -> list[Value]:
    """Put converted non-null values back among the nulls, in order."""
    if len(converted) == len(cells):
        return converted
    it = iter(converted)
    return [None if c in nulls else next(it) for c in cells]


def _text(cells: Sequence[str | None], nulls: _Nulls) -> list[Value]:
    return [None if c in nulls else c for c in cells]


def _as_text(
    cells: Sequence[str | None], nulls: _Nulls, user_nulls: bool, note: str | None
) -> Inferred:
    inferred = Inferred("text", _text(cells, nulls if user_nulls else _TEXT_NULLS))
    if note:
        inferred.notes.append(note)
    return inferred


def _note_markers(
    name: str, cells: Sequence[str | None], nulls: _Nulls, inferred: Inferred
) -> None:
    markers = sorted({c for c in cells if c in nulls and c})
    if markers:
        shown = ", ".join(repr(m) for m in markers[:4])
        inferred.notes.append(f'column "{name}": {shown} read as null')


def _forced(
    name: str,
    kind: ColumnType,
    cells: Sequence[str | None],
    present: list[str],
    nulls: _Nulls,
    options: InferOptions,
) -> Inferred:
    """Convert to the type the user chose; a value that does not fit is an error, never a null."""
    candidates = [c for c in _candidates(options) if c[0] == kind]
    if kind == "datetime":  # dates are datetimes at midnight
        candidates = [c for c in _KINDS if c[0] == "datetime"]
    for _, pattern, convert in candidates:
        try:
            if present and pattern.fullmatch("\n".join(present)):
                return Inferred(kind, _merge(cells, convert(present, options), nulls))
            if not present:
                return Inferred(kind, [None] * len(cells))
        except (ValueError, _Widen):
            continue
    index, bad = _first_misfit(kind, cells, nulls, options)
    raise ReadError(
        f"value {bad!r} is not a valid {kind}",
        row=options.row_of(index),
        column=name,
        snippet=bad,
        hint=f'fix the value, or choose another type for "{name}" in the open options',
    )


def _first_misfit(
    kind: ColumnType, cells: Sequence[str | None], nulls: _Nulls, options: InferOptions
) -> tuple[int, str]:
    for i, cell in enumerate(cells):
        if cell in nulls or cell is None:
            continue
        single = _forced_fits(kind, cell, options)
        if not single:
            return i, cell
    return 0, next(c for c in cells if c is not None)


def _forced_fits(kind: ColumnType, cell: str, options: InferOptions) -> bool:
    pool = [c for c in _candidates(options) if c[0] == kind]
    for _, pattern, convert in pool:
        try:
            if pattern.fullmatch(cell):
                convert([cell], options)
                return True
        except (ValueError, _Widen):
            continue
    return False
