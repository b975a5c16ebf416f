"""Dates and datetimes written as text: ISO and local forms (31/12/2024, 12/31/2024, 31.12.2024),
normalised to 'YYYY-MM-DD' and 'YYYY-MM-DDTHH:MM:SS' (plus fraction and offset when present).

Day-first or month-first is decided per column by the data; only when every value is ambiguous
is it a guess, and the guess is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from loupe.table import Value

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LOCAL_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
# Spreadsheet exports write "1/2/2024 9:05" and "1/2/2024 9:05 PM": one-digit hours, AM/PM.
DATETIME = re.compile(
    r"(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{1,2})([/.-])([0-9]{1,2})\5([0-9]{4}))"
    r"(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]{1,9})?)?(?: ?([AaPp][Mm]))?"
    r" ?(Z|[-+][0-9]{2}:?[0-9]{2})?)?"
)
_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")


def iso_dates(values: list[str]) -> list[Value]:
    """ISO dates kept as written, once the calendar accepts them all (2024-02-30 raises ValueError)."""
    for _ in map(date.fromisoformat, values):  # validates the calendar: 2024-02-30 is no date
        pass
    return list(values)


def local_dates(values: list[str], order: str | None) -> list[Value]:
    """d/m/y or m/d/y dates as ISO; `order` "dmy"/"mdy", or None to decide by the data."""
    day_first = _day_first(values, order)
    out: list[Value] = []
    for v in values:
        a, _, b, year = LOCAL_DATE.fullmatch(v).groups()  # type: ignore[union-attr]
        day, month = (a, b) if day_first else (b, a)
        out.append(date(int(year), int(month), int(day)).isoformat())
    return out


def datetimes(values: list[str], order: str | None) -> list[Value]:
    """ISO or local date-times (dates alone at midnight) as 'YYYY-MM-DDTHH:MM:SS[.fff][+HH:MM]'."""
    if all(map(_CANONICAL.fullmatch, values)):  # already canonical: validate only
        if "T24:" in "\n".join(values):
            raise ValueError("hour 24")  # Python 3.13+ would accept it as the next midnight; 3.11 not
        for _ in map(datetime.fromisoformat, values):
            pass
        return list(values)
    day_first: bool | None = None
    out: list[Value] = []
    for v in values:
        y, m, d, a, _, b, y2, hh, mm, ss, frac, half, zone = DATETIME.fullmatch(v).groups()  # type: ignore[union-attr]
        if y is None:
            if day_first is None:
                day_first = _day_first(values, order)
            y, m, d = (y2, b, a) if day_first else (y2, a, b)
        hour = _hour(hh, half)
        stamp = f"{y}-{int(m):02d}-{int(d):02d}T{hour:02d}:{mm or '00'}:{ss or '00'}{frac or ''}"
        if zone:
            stamp += "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
        datetime.fromisoformat(stamp)  # validates the calendar and clock
        out.append(stamp)
    return out


def _hour(text: str | None, half: str | None) -> int:
    """0-23 from "9", "09" or "9" + "PM"; hour 24 is refused on every Python version alike."""
    hour = int(text or 0)
    if half is None:
        if hour > 23:
            raise ValueError(f"hour {hour}")
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} {half}")
    return hour % 12 + (12 if half.lower() == "pm" else 0)


def _day_first(values: Sequence[str], order: str | None) -> bool:
    if order:
        return order == "dmy"
    decided, _ = date_order(values)
    if decided is None:
        raise ValueError("day and month both exceed 12")
    return decided == "dmy"


def date_order(values: Sequence[str]) -> tuple[str | None, str | None]:
    """'dmy' or 'mdy' for d/m/y dates, decided by the data (None: neither fits), and why if guessed.

    >>> date_order(["01/02/2024", "31/12/2024"]), date_order(["1.2.2024"])[0]
    (('dmy', None), 'dmy')
    """
    first = second = 0
    slash = False
    for v in values:
        match = LOCAL_DATE.match(v)
        if match is None:
            continue
        first = max(first, int(match.group(1)))
        second = max(second, int(match.group(3)))
        slash = slash or match.group(2) == "/"
    if first > 12 and second > 12:
        return None, None
    if first > 12:
        return "dmy", None
    if second > 12:
        return "mdy", None
    if not slash:  # 01.02.2024 and 01-02-2024 are day-first wherever they are written
        return "dmy", 'read as day/month/year (set date_order "mdy" to change)'
    return "mdy", 'read as month/day/year (set date_order "dmy" to change)'
