"""Dates and datetimes written as text, in the forms real files use, normalised to 'YYYY-MM-DD' and
'YYYY-MM-DDTHH:MM:SS' (plus fraction and offset when present).

Forms: ISO with or without zero padding (2014-7-1) and yyyy/mm/dd; d/m/y and m/d/y with four- or
two-digit years; English month names (Jan 1 2000, Jan 1, 2000, 1 January 2000, Jun-12-1998); yyyy-mm
months (the first of the month); each optionally followed by a time (9:05, 09:05:30.5, 9:05 PM, T,
Z or +02:00). Day-first or month-first is decided per column by the data; only when every value is
ambiguous is it a guess, and the guess is reported. Two-digit years pivot as Python's %y does:
00-68 are 2000-2068, 69-99 are 1969-1999.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from loupe.table import Value

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LOCAL_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
PIVOT = 69  # two-digit years below are 20xx, from it on 19xx (as Python's and POSIX's %y)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MON = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? )?"
_DAY = r"[0-9]{1,2}(?i:st|nd|rd|th)?"
# Each form: its groups in a fixed order (year, month, day) or (a, b, year) for d/m vs m/d.
# Separators are named groups (each name once), so the forms combine into one pattern.
_YMD = r"([0-9]{4})(?P<s1>[-/.])([0-9]{1,2})(?P=s1)([0-9]{1,2})"
_AB_Y = (
    r"([0-9]{1,2})(?P<s2>[/.-])([0-9]{1,2})(?P=s2)([0-9]{4})"
    r"|([0-9]{1,2})(?P<s3>[/-])([0-9]{1,2})(?P=s3)([0-9]{2})"  # two-digit years: not with dots (1.2.10)
)
_MON_D_Y = _WEEKDAY + r"(" + _MON + r")[ -](" + _DAY + r")(?:, ?| |-)([0-9]{4})"
_D_MON_Y = _WEEKDAY + r"(" + _DAY + r")[ -](" + _MON + r")(?:, ?| |-)([0-9]{4}|[0-9]{2})"
_YM = r"([0-9]{4})-(0[1-9]|1[0-2])"
_TIME = (
    r"(?:(?:[T ]|, | at )([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})([.,][0-9]{1,9})?)?"
    r"(?: ?([AaPp])\.?[Mm]\.?)?(?: ?(Z|(?i:UTC|GMT)|[-+][0-9]{2}(?::?[0-9]{2})?))?)"
)
_FORMS = (
    ("ymd", re.compile(_YMD + _TIME + "?")),
    ("ab_y", re.compile(r"(?:" + _AB_Y + r")" + _TIME + "?")),
    ("mon_d_y", re.compile(_MON_D_Y + _TIME + "?")),
    ("d_mon_y", re.compile(_D_MON_Y + _TIME + "?")),
)
_DATE_ONLY = "|".join((_YMD, _AB_Y, _MON_D_Y, _D_MON_Y, _YM))
DATE = re.compile(_DATE_ONLY)  # a date without a time, in any form
DATETIME = re.compile(r"(?:" + "|".join((_YMD, _AB_Y, _MON_D_Y, _D_MON_Y)) + r")" + _TIME + "?")
YEAR_MONTH = re.compile(_YM)
_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")


def iso_dates(values: list[str]) -> list[Value]:
    """ISO dates kept as written, once the calendar accepts them all (2024-02-30 raises ValueError)."""
    for _ in map(date.fromisoformat, values):  # validates the calendar: 2024-02-30 is no date
        pass
    return list(values)


def local_dates(values: list[str], order: str | None) -> list[Value]:
    """Dates in any form without a time, as ISO; `order` "dmy"/"mdy", or None to decide by the data.

    >>> local_dates(["2014-7-1", "Jan 2, 2000", "13/1/98"], None)
    ['2014-07-01', '2000-01-02', '1998-01-13']
    """
    if all(map(YEAR_MONTH.fullmatch, values)):
        return year_months(values)
    return _by_distinct(values, lambda distinct: [v[:10] for v in datetimes(distinct, order)])  # type: ignore[index]


def year_months(values: list[str]) -> list[Value]:
    """'2014-07' as the first of the month; refused for '2010-11'-style year ranges (2010/11)."""
    pairs = [(int(v[:4]), int(v[5:])) for v in values]
    if all(month == (year + 1) % 100 for year, month in pairs):
        raise ValueError("a range of years like 2010-11, not a month")
    return [f"{v}-01" for v in values]


def _by_distinct(values: list[str], convert: Callable[[list[str]], list[Value]]) -> list[Value]:
    """Convert each distinct value once: a column of a million dates holds a few thousand days."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) == len(values):
        return convert(values)
    return list(map(dict(zip(distinct, convert(distinct), strict=True)).__getitem__, values))


def datetimes(values: list[str], order: str | None) -> list[Value]:
    """Dates and times in any form (dates alone at midnight) as 'YYYY-MM-DDTHH:MM:SS[.fff][+HH:MM]'."""
    return _by_distinct(values, lambda distinct: _datetimes(distinct, order))


def _datetimes(values: list[str], order: str | None) -> list[Value]:
    if all(map(_CANONICAL.fullmatch, values)):  # already canonical: validate only
        if "T24:" in "\n".join(values):
            raise ValueError("hour 24")  # Python 3.13+ would accept it as the next midnight; 3.11 not
        for _ in map(datetime.fromisoformat, values):
            pass
        return list(values)
    day_first: bool | None = None
    out: list[Value] = []
    for v in values:
        form, groups = _match(v)
        if form == "ab_y":
            if day_first is None:
                day_first = _day_first(values, order)
            a, _, b, y = groups[0:4] if groups[0] is not None else groups[4:8]
            d, m = (a, b) if day_first else (b, a)
            y = _full_year(y)
        elif form == "ymd":
            y, _, m, d = groups[0:4]
        elif form == "mon_d_y":
            m, d, y = str(MONTHS[groups[0].lower().rstrip(".")]), groups[1], groups[2]
        else:
            d, m, y = groups[0], str(MONTHS[groups[1].lower().rstrip(".")]), _full_year(groups[2])
        out.append(_stamp(y, m, d.rstrip("stndrhSTNDRH"), groups[-6:]))
    return out


def _match(value: str) -> tuple[str, tuple[str, ...]]:
    for form, pattern in _FORMS:
        match = pattern.fullmatch(value)
        if match:
            return form, match.groups()
    raise ValueError(f"not a date: {value!r}")


def _full_year(text: str) -> str:
    if len(text) == 4:
        return text
    two = int(text)
    return str(2000 + two if two < PIVOT else 1900 + two)


def _stamp(y: str, m: str, d: str, clock: Sequence[str | None]) -> str:
    hh, mm, ss, frac, half, zone = clock
    hour = _hour(hh, half)
    stamp = f"{y}-{int(m):02d}-{int(d):02d}T{hour:02d}:{mm or '00'}:{ss or '00'}"
    if frac:
        stamp += "." + frac[1:]
    if zone:
        if zone.upper() in ("Z", "UTC", "GMT"):
            stamp += "+00:00"
        else:
            digits = zone[1:].replace(":", "").ljust(4, "0")
            stamp += f"{zone[0]}{digits[:2]}:{digits[2:]}"
    datetime.fromisoformat(stamp)  # validates the calendar and clock
    return stamp


def _hour(text: str | None, half: str | None) -> int:
    """0-23 from "9", "09" or "9" + "PM"; hour 24 is refused on every Python version alike."""
    hour = int(text or 0)
    if half is None:
        if hour > 23:
            raise ValueError(f"hour {hour}")
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} {half}")
    return hour % 12 + (12 if half.lower() == "p" else 0)


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
    for v in set(values):
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


def describe(value: str, order: str | None) -> str:
    """How a column whose first value is `value` was read, for the notes: 'M/D/YY', 'Mon D, YYYY'.

    >>> describe("10/13/98", "mdy"), describe("Jan 1, 2000", None), describe("2014-7-1 9:05 PM", None)
    ('M/D/YY', 'Mon D, YYYY', 'YYYY-M-D h:MM AM/PM')
    """
    if YEAR_MONTH.fullmatch(value):
        return "YYYY-MM (the first of the month)"
    form, groups = _match(value)
    if form == "ymd":
        sep = groups[1]
        shown = f"YYYY{sep}{_pad('M', groups[2])}{sep}{_pad('D', groups[3])}"
    elif form == "ab_y":
        a, sep, b, y = groups[0:4] if groups[0] is not None else groups[4:8]
        first, second = ("D", "M") if order == "dmy" else ("M", "D")
        shown = f"{_pad(first, a)}{sep}{_pad(second, b)}{sep}{'Y' * len(y)}"
    else:  # a month name: separators and order as written
        match = _FORMS[2 if form == "mon_d_y" else 3][1].fullmatch(value)
        assert match is not None
        month_at = 1 if form == "mon_d_y" else 2
        written = match.group(month_at).rstrip(".").lower()
        month = "Month" if len(written) > 4 or written in ("june", "july") else "Mon"  # Sept is short
        parts = {month_at: month, 3 - month_at: "D", 3: "Y" * len(match.group(3))}
        shown = "".join(
            parts[i] + (value[match.end(i) : match.start(i + 1)] if i < 3 else "") for i in (1, 2, 3)
        )
    hh, _, ss, frac, half, zone = groups[-6:]
    if hh is not None:
        clock = ("h" if half else "H") + (":MM:SS" if ss else ":MM") + (".fff" if frac else "")
        shown += " " + clock + (" AM/PM" if half else "") + (" +zone" if zone else "")
    return shown


def _pad(letter: str, written: str) -> str:
    return letter * 2 if len(written) == 2 and written.startswith("0") else letter
