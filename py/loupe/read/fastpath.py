"""Whole-column proofs for the common types without a regex call per cell (slow in WebAssembly).

Each function takes a column of cells and returns the converted values, or None for "not proven".
A proof uses only C-level string operations over the joined column plus the bulk converter, and
accepts a strict subset of what the exact shape patterns in `infer` accept (no signs "+", spaces or
"-0"), so a None only means the exact, slower path decides.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence

from loupe.table import Value

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INT_CHARS = re.compile(r"[-0-9\n]*")  # one tight character-class loop over the whole column
_FLOAT_CHARS = re.compile(r"[-0-9.eE\n]*")
_LEAP_DAY_YEARS = re.compile(r"\n([0-9]{4})-02-29")
# Possessive (*+): a plain * keeps a backtracking frame per cell, ~280 MB over a million dates.
_ISO_DAYS = re.compile(
    r"(?:\n[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31|02-29))*+"
)


def _joined(cells: Sequence[str | None], chars: re.Pattern[str]) -> str | None:
    """ "\\ncell\\ncell..." if every cell is a string without a newline, made of `chars` only."""
    try:
        joined = "\n" + "\n".join(cells)  # type: ignore[arg-type]
    except TypeError:  # a None (padded cell)
        return None
    if joined.count("\n") != len(cells) or not chars.fullmatch(joined):
        return None
    return joined


def ints(cells: Sequence[str | None]) -> list[Value] | None:
    """Integers written canonically: -?(0|[1-9][0-9]*), within SQLite's 64-bit range.

    >>> ints(["1", "-20", "0"]), ints(["007"]), ints(["1", ""])
    ([1, -20, 0], None, None)
    """
    joined = _joined(cells, _INT_CHARS)
    # A cell may start with 0 only if it is "0": "007" is a code, not 7.
    if joined is None or "\n-0" in joined or joined.count("\n0") != cells.count("0"):
        return None
    try:
        values = list(map(int, cells))  # type: ignore[arg-type]  # rejects "", "-", "1-2"
    except ValueError:
        return None
    if not values or max(values) > INT64_MAX or min(values) < INT64_MIN:
        return None
    return values  # type: ignore[return-value]  # list[int] is a list[Value]; no copy


def floats(cells: Sequence[str | None]) -> list[Value] | None:
    """Decimal numbers like 12.50, -0.5, .5, 1e-3 (no leading zeros: "02134" is a code).

    >>> floats(["1.5", "-0.25", "2"]), floats(["02134"]), floats(["nan"])
    ([1.5, -0.25, 2.0], None, None)
    """
    joined = _joined(cells, _FLOAT_CHARS)
    if joined is None:
        return None
    # A cell may start with 0 only as "0" or "0.xx"; the same after a minus sign.
    if joined.count("\n0") != joined.count("\n0.") + cells.count("0"):
        return None
    if joined.count("\n-0") != joined.count("\n-0."):
        return None
    try:
        values = list(map(float, cells))  # type: ignore[arg-type]  # rejects "", ".", "1e", "1.2.3"
    except ValueError:
        return None
    if math.inf in values or -math.inf in values:  # 1e999: not a number SQLite can hold
        return None
    return values  # type: ignore[return-value]  # list[float] is a list[Value]; no copy


def iso_dates(cells: Sequence[str | None]) -> list[Value] | None:
    """Calendar dates written YYYY-MM-DD, kept as they are.

    >>> iso_dates(["2024-02-29"]), iso_dates(["2023-02-29"])
    (['2024-02-29'], None)
    """
    try:
        joined = "\n" + "\n".join(cells)  # type: ignore[arg-type]
    except TypeError:  # a None (padded cell)
        return None
    # One regex pass proves every cell is YYYY-MM-DD with a month-day some year has; then there is
    # no year 0, and a 29 February only in a leap year. No date object per cell (slow in WebAssembly).
    if joined.count("\n") != len(cells) or not _ISO_DAYS.fullmatch(joined) or "\n0000-" in joined:
        return None
    if "-02-29" in joined and not all(map(calendar.isleap, map(int, set(_LEAP_DAY_YEARS.findall(joined))))):
        return None
    return list(cells)


def booleans(cells: Sequence[str | None]) -> list[Value] | None:
    """true/false in any letter case, looked up once per distinct spelling.

    >>> booleans(["true", "FALSE", "True"]), booleans(["yes"])
    ([True, False, True], None)
    """
    distinct = set(cells)
    if len(distinct) > 8 or not all(isinstance(d, str) and d.lower() in ("true", "false") for d in distinct):
        return None
    meaning = {d: d.lower() == "true" for d in distinct if d is not None}
    return list(map(meaning.__getitem__, cells))  # type: ignore[arg-type]
