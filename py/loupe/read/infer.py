"""Type inference for text cells, in one place: choose each column's type, then convert it in bulk.

A candidate type is tried on a sample, then proven on the whole column (`fastpath` for the common
types, else one C-level regex call per cell via map: no Python loop), then converted by a converter
chosen once. A column that does not fit widens (integer -> float -> text, date -> datetime -> text)
instead of being read wrong. Dates live in `dates`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from loupe.errors import ReadError
from loupe.read import dates, fastpath
from loupe.read.dates import DATETIME, ISO_DATE, LOCAL_DATE, date_order
from loupe.read.fastpath import INT64_MAX, INT64_MIN
from loupe.table import ColumnType, Value

# Read as null in typed columns. Text columns keep them ("NA" is also Namibia) unless the user
# chooses null_values, which then apply everywhere.
NULL_MARKERS = frozenset(
    {"", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "Null", "None", "none", "NaN", "nan", "-"}
)
SAMPLE = 1000

_INT = re.compile(r" *[-+]?(?:0|[1-9][0-9]*) *")
_FLOAT = re.compile(r" *[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)? *")
_FLOAT_COMMA = re.compile(r" *[-+]?(?:0|[1-9][0-9]*)(?:,[0-9]+)? *")
# Grouped thousands ("1,234,567.89"), as spreadsheets export formatted numbers (quoted in CSV).
_GROUPED_INT = re.compile(r" *[-+]?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})*|0) *")
_GROUPED_FLOAT = re.compile(r" *[-+]?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})*|0)(?:\.[0-9]+)? *")
_BOOL = re.compile(r"(?i:true|false)")

Nulls: TypeAlias = frozenset[str | None]


@dataclass(frozen=True)
class InferOptions:
    """How to read text cells; `row_of(i)` maps a 0-based data index to the row errors show."""

    null_values: frozenset[str] | None = None
    decimal: str = "."  # ".", "," or "either" (point first: a tab or semicolon file may use both)
    date_order: str | None = None
    infer: bool = True
    forced: Mapping[str, ColumnType] = field(default_factory=dict)
    only_dates: bool = False  # for strings from typed sources: numbers there were quoted on purpose
    row_of: Callable[[int], int] = lambda i: i + 1


@dataclass
class Inferred:
    """One column's chosen type, its converted values and, if worth saying, notes."""

    type: ColumnType
    values: list[Value]
    notes: list[str] = field(default_factory=list)
    decimal_comma: bool = False  # read with a decimal comma


class Misfit(ValueError):
    """Values have a type's shape but not its range; `note` says why if the user should know."""

    def __init__(self, note: str | None = None) -> None:
        super().__init__(note)
        self.note = note


Convert: TypeAlias = Callable[[list[str], InferOptions], list[Value]]


@dataclass(frozen=True)
class Kind:
    """A candidate column type: the shape every cell must have, and the bulk converter."""

    type: ColumnType
    pattern: re.Pattern[str]
    convert: Convert
    fast: Callable[[Sequence[str | None]], list[Value] | None] | None = None


def cell_kind(cell: str) -> str:
    """What one cell looks like (for header sniffing): empty, number, boolean, date or text."""
    if cell.strip() in NULL_MARKERS:
        return "empty"
    if _FLOAT.fullmatch(cell) or _FLOAT_COMMA.fullmatch(cell):
        return "number"
    if _BOOL.fullmatch(cell):
        return "boolean"
    if DATETIME.fullmatch(cell):
        return "date"
    return "text"


def infer_column(name: str, cells: Sequence[str | None], options: InferOptions) -> Inferred:
    """Choose a type for one column of text cells (None = missing) and convert every cell."""
    user_nulls = options.null_values is not None
    markers = options.null_values if options.null_values is not None else NULL_MARKERS
    nulls: Nulls = frozenset((*markers, None))
    forced = options.forced.get(name) or (None if options.infer else "text")
    if forced == "text":
        return Inferred("text", _text(cells, nulls, user_nulls))
    if forced is not None:
        return _forced(name, forced, cells, _present(cells, nulls), nulls, options)
    sample = _present(cells[:SAMPLE], nulls)
    present: list[str] | None = None
    if not sample:
        present = _present(cells, nulls)
        if not present:
            return Inferred("text", [None] * len(cells))
        sample = present[:SAMPLE]
    for kind in _kinds(options):
        if not _fits(kind.pattern, sample):
            continue
        if present is None and user_nulls:
            present = _present(cells, nulls)  # a user marker like "-999" can look like a number
        try:
            values, present = _attempt(kind, cells, present, nulls, options)
        except Misfit as misfit:
            if misfit.note:
                return _text_column(cells, nulls, user_nulls, f'column "{name}": {misfit.note}')
            continue
        except ValueError:
            continue  # e.g. 2024-02-30 has a date's shape but is no date
        if values is None:
            continue
        inferred = Inferred(kind.type, _merge(cells, values, nulls), decimal_comma=kind is _COMMA_FLOAT)
        inferred.notes.extend(_notes(name, kind, cells, present, nulls, options))
        return inferred
    return _text_column(cells, nulls, user_nulls, None)


def _attempt(
    kind: Kind,
    cells: Sequence[str | None],
    present: list[str] | None,
    nulls: Nulls,
    options: InferOptions,
) -> tuple[list[Value] | None, list[str]]:
    """Convert a column to `kind`, or None if it does not fit; also returns the non-null cells.

    `present` None means "not yet known whether there are nulls": the common no-null case is then
    proven by the whole-column fast path, without hashing every cell to look it up among the
    null markers (none of the default ones has a typed shape).
    """
    if kind.fast is not None:
        values = kind.fast(cells if present is None else present)
        if values is not None:
            return values, present if present is not None else list(cells)  # type: ignore[arg-type]
        if present is None:
            present = _present(cells, nulls)
            if len(present) < len(cells):  # the nulls may be why the proof failed
                values = kind.fast(present)
                if values is not None:
                    return values, present
    if present is None:
        if _fits_raw(kind.pattern, cells):
            present = list(cells)  # type: ignore[arg-type]
            return kind.convert(present, options), present
        present = _present(cells, nulls)
    if not _fits(kind.pattern, present):
        return None, present
    return kind.convert(present, options), present


def _present(cells: Sequence[str | None], nulls: Nulls) -> list[str]:
    """The non-null cells."""
    return [c for c in cells if c not in nulls]  # type: ignore[misc]


def _fits_raw(pattern: re.Pattern[str], cells: Sequence[str | None]) -> bool:
    """Every cell has the shape, so none is null (no default null marker has a typed shape; user
    markers like "-999" might, so callers skip this then): proven without hashing every string."""
    try:
        return all(map(pattern.fullmatch, cells))  # type: ignore[arg-type]
    except TypeError:  # a None (padded cell)
        return False


def _fits(pattern: re.Pattern[str], values: list[str]) -> bool:
    return all(map(pattern.fullmatch, values))


def _ints(values: list[str], options: InferOptions) -> list[Value]:
    ints = list(map(int, values))
    if max(ints) > INT64_MAX or min(ints) < INT64_MIN:
        raise Misfit("integers beyond the 64-bit range kept exact as text")
    return ints  # type: ignore[return-value]  # list[int] is a list[Value]; no copy


def _floats(values: list[str], options: InferOptions) -> list[Value]:
    return list(map(float, values))


def _comma_floats(values: list[str], options: InferOptions) -> list[Value]:
    return [float(v.replace(",", ".")) for v in values]


def _grouped_ints(values: list[str], options: InferOptions) -> list[Value]:
    return _ints([v.replace(",", "") for v in values], options)


def _grouped_floats(values: list[str], options: InferOptions) -> list[Value]:
    return [float(v.replace(",", "")) for v in values]


def _bools(values: list[str], options: InferOptions) -> list[Value]:
    return [v.lower() == "true" for v in values]


def _iso_dates(values: list[str], options: InferOptions) -> list[Value]:
    return dates.iso_dates(values)


def _local_dates(values: list[str], options: InferOptions) -> list[Value]:
    return dates.local_dates(values, options.date_order)


def _datetimes(values: list[str], options: InferOptions) -> list[Value]:
    return dates.datetimes(values, options.date_order)


def _midnight_dates(values: list[str], options: InferOptions) -> list[Value]:
    return dates.iso_dates([v[:10] for v in values])


_KINDS = (
    Kind("integer", _INT, _ints, fastpath.ints),
    Kind("float", _FLOAT, _floats, fastpath.floats),
    Kind("boolean", _BOOL, _bools, fastpath.booleans),
    Kind("date", ISO_DATE, _iso_dates, fastpath.iso_dates),
    Kind("date", LOCAL_DATE, _local_dates),
    Kind("datetime", DATETIME, _datetimes),
)
_COMMA_FLOAT = Kind("float", _FLOAT_COMMA, _comma_floats)
_GROUPED = (
    Kind("integer", _GROUPED_INT, _grouped_ints),
    Kind("float", _GROUPED_FLOAT, _grouped_floats),
)


# When the user forces a type, accept what they clearly mean: leading zeros ("007" -> 7) and
# datetimes at midnight as dates (how Excel and JSON exports write dates).
_LENIENT = (
    Kind("integer", re.compile(r" *[-+]?[0-9]+ *"), _ints),
    Kind("float", re.compile(r" *[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)? *"), _floats),
    Kind("float", re.compile(r" *[-+]?[0-9]+(?:,[0-9]+)? *"), _comma_floats),
    Kind("date", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]00:00(?::00(?:\.0+)?)?"), _midnight_dates),
)


def _kinds(options: InferOptions) -> tuple[Kind, ...]:
    if options.only_dates:
        return _KINDS[3:]
    if options.decimal == ",":
        return (_KINDS[0], _COMMA_FLOAT, *_KINDS[2:])
    if options.decimal == "either":  # there "1,234" is a decimal comma, not a thousands group
        return (*_KINDS[:2], _COMMA_FLOAT, *_KINDS[2:])
    return (*_KINDS[:2], *_GROUPED, *_KINDS[2:])


def _notes(
    name: str,
    kind: Kind,
    cells: Sequence[str | None],
    present: list[str],
    nulls: Nulls,
    options: InferOptions,
) -> list[str]:
    notes: list[str] = []
    if len(present) < len(cells):
        markers = sorted({c for c in cells if c and c in nulls})
        shown = ", ".join(repr(m) for m in markers)
        if shown:
            notes.append(f'column "{name}": {shown} read as null')
    if kind.convert is _comma_floats and any("," in v for v in present[:SAMPLE]):
        notes.append(f'column "{name}": decimal comma read as a decimal point')
    if kind in _GROUPED:
        notes.append(f'column "{name}": thousands separators (1,234) removed')
    if kind.type in ("date", "datetime") and not options.date_order:
        local = [v for v in present[:SAMPLE] if LOCAL_DATE.match(v)]
        guess = date_order(present)[1] if local else None
        if guess:
            notes.append(f'column "{name}": dates like {local[0]} are ambiguous; {guess}')
    return notes


def _merge(cells: Sequence[str | None], converted: list[Value], nulls: Nulls) -> list[Value]:
    """Put converted non-null values back among the nulls, in order."""
    if len(converted) == len(cells):
        return converted
    it = iter(converted)
    return [None if c in nulls else next(it) for c in cells]


def _text(cells: Sequence[str | None], nulls: Nulls, user_nulls: bool) -> list[Value]:
    """Text cells with their nulls: only "" unless the user chose null markers."""
    if not user_nulls:
        if "" not in cells and None not in cells:  # C-level scans, no hashing
            return list(cells)
        return [c or None for c in cells]
    return [None if c in nulls else c for c in cells]


def _text_column(cells: Sequence[str | None], nulls: Nulls, user: bool, note: str | None) -> Inferred:
    return Inferred("text", _text(cells, nulls, user), [note] if note else [])


def _forced(
    name: str,
    kind: ColumnType,
    cells: Sequence[str | None],
    present: list[str],
    nulls: Nulls,
    options: InferOptions,
) -> Inferred:
    """Convert to the type the user chose; a value that does not fit is an error, never a null."""
    if not present:
        return Inferred(kind, [None] * len(cells))
    # The float shapes take integers and the datetime shape takes dates (at midnight).
    pool = [k for k in (*_LENIENT, *_KINDS, *_GROUPED) if k.type == kind]
    for candidate in pool:
        if _fits(candidate.pattern, present):
            try:
                return Inferred(kind, _merge(cells, candidate.convert(present, options), nulls))
            except ValueError:
                continue
    index, bad = _first_misfit(pool, cells, nulls, options)
    raise ReadError(
        f"value {bad!r} is not a valid {kind}",
        row=options.row_of(index),
        column=name,
        snippet=bad,
        hint=f'fix the value, or choose another type for "{name}" in the open options',
    )


def _first_misfit(
    pool: list[Kind], cells: Sequence[str | None], nulls: Nulls, options: InferOptions
) -> tuple[int, str]:
    first: tuple[int, str] | None = None
    for i, cell in enumerate(cells):
        if cell is None or cell in nulls:
            continue
        first = first or (i, cell)
        for kind in pool:
            try:
                if kind.pattern.fullmatch(cell) and kind.convert([cell], options):
                    break
            except ValueError:
                continue
        else:
            return i, cell
    # Every cell fits alone but not together (e.g. mixed day orders): blame the first.
    assert first is not None
    return first
