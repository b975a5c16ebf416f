"""Type inference for text cells, in one place: choose each column's type, then convert it in bulk.

Each candidate kind (`kinds`) is tried on a sample, then proven on the whole column (`fastpath` for
the common types, else one C-level regex call per cell via map: no Python loop), then converted by
a converter chosen once. A column that does not fit widens (integer -> float -> text, date ->
datetime -> text) instead of being read wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from loupe.errors import ReadError
from loupe.read import numbers
from loupe.read.dates import ISO_DATE, LOCAL_DATE, date_order, describe
from loupe.read.kinds import (
    AMOUNTS,
    COMMA_FLOAT,
    GROUPED,
    GROUPED_COMMA,
    KINDS,
    NULL_MARKERS,
    Kind,
    Misfit,
    forced_kinds,
    kinds_for,
)
from loupe.sqlfuncs import format_has_time, parse_date, parse_datetime
from loupe.table import ColumnType, Value

SAMPLE = 1000
Nulls: TypeAlias = frozenset[str | None]


@dataclass(frozen=True)
class InferOptions:
    """How to read text cells; `row_of(i)` maps a 0-based data index to the row errors show."""

    null_values: frozenset[str] | None = None
    decimal: str = "."  # ".", "," or "either" (point first: a tab or semicolon file may use both)
    date_order: str | None = None
    infer: bool = True
    forced: Mapping[str, ColumnType] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)  # column -> strptime format
    only_dates: bool = False  # for strings from typed sources: numbers there were quoted on purpose
    row_of: Callable[[int], int] = lambda i: i + 1


@dataclass
class Inferred:
    """One column's chosen type, its converted values and, if worth saying, notes."""

    type: ColumnType
    values: list[Value]
    notes: list[str] = field(default_factory=list)
    decimal_comma: bool = False  # read with a decimal comma
    # How more cells of the same column convert exactly alike (see `convert_like`): a kind, "text",
    # "null" (a column with no values yet), or None when a longer column might choose differently.
    plan: Kind | str | None = None
    markers: set[str] = field(default_factory=set)  # null markers seen, for the notes
    comma: bool = False  # a value had a comma, for the notes


class Unlike(Exception):
    """More cells of a column do not convert the way its first cells did: read the whole column."""


# Kinds whose converter treats each cell on its own (no date order decided by the data), so a
# column's first cells choosing one, and every later cell fitting it, is what the whole column does.
_PER_CELL = frozenset(map(id, (*KINDS[:4], COMMA_FLOAT, *GROUPED)))


def infer_column(name: str, cells: Sequence[str | None], options: InferOptions) -> Inferred:
    """Choose a type for one column of text cells (None = missing) and convert every cell."""
    user_nulls = options.null_values is not None
    markers = options.null_values if options.null_values is not None else NULL_MARKERS
    nulls: Nulls = frozenset((*markers, None))
    forced = options.forced.get(name) or (None if options.infer else "text")
    if forced == "text":
        return Inferred("text", _text(cells, nulls, user_nulls), plan="text")
    if name in options.formats:
        return _formatted(name, options.formats[name], cells, nulls, options)
    if forced is not None:
        return _forced(name, forced, cells, _present(cells, nulls), nulls, options)
    sample = _present(cells[:SAMPLE], nulls)
    early = bool(sample)  # sampled from the first rows, as any longer column would be
    present: list[str] | None = None
    if not sample:
        present = _present(cells, nulls)
        if not present:
            return Inferred("text", [None] * len(cells), plan="null")
        sample = present[:SAMPLE]  # drawn from further down: a longer column may sample others
    for kind in kinds_for(options.decimal, options.only_dates):
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
        comma = kind in (COMMA_FLOAT, GROUPED_COMMA) or (kind in AMOUNTS.values() and _comma_amounts(present))
        inferred = Inferred(kind.type, _merge(cells, values, nulls), decimal_comma=comma)
        inferred.markers, inferred.comma = _seen(kind, cells, present, nulls)
        inferred.notes.extend(column_notes(name, kind, inferred.markers, inferred.comma, present, options))
        if early and id(kind) in _PER_CELL:
            inferred.plan = kind
        return inferred
    inferred = _text_column(cells, nulls, user_nulls, None)
    inferred.plan = "text" if early else None
    return inferred


def _comma_amounts(present: list[str]) -> bool:
    try:
        return numbers.amounts(present[:SAMPLE], ".")[2] == ","
    except ValueError:
        return False


def convert_like(inferred: Inferred, cells: Sequence[str | None], options: InferOptions) -> list[Value]:
    """Convert more cells of a column the way `infer_column` converted its first ones, updating
    what the notes need; raises Unlike when they do not fit, so the caller reads the whole column.

    Exact because each planned kind converts cell by cell, kinds are tried in a fixed order, and a
    kind that failed on some cells fails on any column containing them.
    """
    user_nulls = options.null_values is not None
    markers = options.null_values if options.null_values is not None else NULL_MARKERS
    nulls: Nulls = frozenset((*markers, None))
    plan = inferred.plan
    if plan == "text":
        return _text(cells, nulls, user_nulls)
    if plan == "null":
        if _present(cells, nulls):
            raise Unlike
        return [None] * len(cells)
    if not isinstance(plan, Kind):
        raise Unlike
    try:
        values, present = _attempt(
            plan, cells, _present(cells, nulls) if user_nulls else None, nulls, options
        )
    except ValueError:  # Misfit too: a big integer further down may make the column text or float
        raise Unlike from None
    if values is None:
        raise Unlike
    markers_seen, comma = _seen(plan, cells, present, nulls)
    inferred.markers |= markers_seen
    inferred.comma = inferred.comma or comma
    return _merge(cells, values, nulls)


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
            return kind.convert(present, options.date_order), present
        present = _present(cells, nulls)
    if not _fits(kind.pattern, present):
        return None, present
    return kind.convert(present, options.date_order), present


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


def _seen(kind: Kind, cells: Sequence[str | None], present: list[str], nulls: Nulls) -> tuple[set[str], bool]:
    """The null markers among the cells, and whether a value had a comma: what the notes say."""
    markers = {c for c in cells if c and c in nulls} if len(present) < len(cells) else set()
    marks = ",." if kind is GROUPED_COMMA else ","
    return markers, bool(kind.note) and any(m in v for v in present for m in marks)


def column_notes(
    name: str, kind: Kind, markers: set[str], comma: bool, present: list[str], options: InferOptions
) -> list[str]:
    """What is worth saying about a typed column; `present` (its first values) only for dates."""
    notes: list[str] = []
    shown = ", ".join(repr(m) for m in sorted(markers))
    if shown:
        notes.append(f'column "{name}": {shown} read as null')
    if kind.note and comma:  # whole numbers had no comma to speak of
        notes.append(f'column "{name}": {kind.note}')
    if kind in AMOUNTS.values() and present:
        _, sign, mark = numbers.amounts(present[:SAMPLE], options.decimal)
        said = f'"{sign}" stripped' + (" (12% is 12)" if sign == "%" else "") + ", read as numbers"
        notes.append(f'column "{name}": {said}' + (" with a decimal comma" if mark == "," else ""))
    if kind.type in ("date", "datetime") and present and not ISO_DATE.fullmatch(present[0][:10]):
        local = [v for v in present[:SAMPLE] if LOCAL_DATE.match(v)]
        # Decided over the whole column, as the conversion was: a 13 past the sample settles it.
        order, guess = (options.date_order, None) if options.date_order or not local else date_order(present)
        note = f'column "{name}": read as {describe(present[0], order)}'
        if local and guess:
            other = "mdy" if order == "dmy" else "dmy"
            note += f'; dates like {local[0]} are ambiguous (set date_order "{other}" to change)'
        notes.append(note)
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
    pool = forced_kinds(kind)
    for candidate in pool:
        if _fits(candidate.pattern, present):
            try:
                return Inferred(kind, _merge(cells, candidate.convert(present, options.date_order), nulls))
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


def _formatted(
    name: str, fmt: str, cells: Sequence[str | None], nulls: Nulls, options: InferOptions
) -> Inferred:
    """Dates read with the format the user chose; a value that does not fit is an error."""
    kind: ColumnType = "datetime" if format_has_time(fmt) else "date"
    parse = parse_datetime if kind == "datetime" else parse_date
    values: list[Value] = []
    for i, cell in enumerate(cells):
        if cell in nulls:
            values.append(None)
            continue
        value = parse(cell, fmt)
        if value is None:
            raise ReadError(
                f"value {cell!r} is not a date written as {fmt}",
                row=options.row_of(i),
                column=name,
                snippet=cell,
                hint=f'fix the value, or choose another date format for "{name}" in the open options',
            )
        values.append(value)
    return Inferred(kind, values, [f'column "{name}": read as {fmt} (as chosen)'])


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
                if kind.pattern.fullmatch(cell) and kind.convert([cell], options.date_order):
                    break
            except ValueError:
                continue
        else:
            return i, cell
    # Every cell fits alone but not together (e.g. mixed day orders): blame the first.
    assert first is not None
    return first
