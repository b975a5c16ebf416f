"""Number formats for cells, ticks and tooltips: grouping, decimals, SI prefixes, percent, currency.

Locale conventions come from a small table (en-US, de-DE, fr-FR) rather than an external library, so
the same labels come out in Pyodide and in CPython.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal, TypeAlias

NumberStyle: TypeAlias = Literal["decimal", "percent", "currency", "si"]


@dataclass(frozen=True)
class Locale:
    """How one locale writes numbers and dates."""

    tag: str
    decimal: str
    group: str
    currency_before: bool  # "$1.50" vs "1,50 €"
    percent_space: str  # between the number and "%"
    months: tuple[str, ...]  # abbreviated month names, January first
    day_first: bool  # "5 Jan" vs "Jan 5"
    hour24: bool


_NNBSP = "\u202f"  # narrow no-break space: the French group separator
_NBSP = "\u00a0"

LOCALES: dict[str, Locale] = {
    "en-US": Locale(
        "en-US",
        ".",
        ",",
        True,
        "",
        tuple(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]),
        False,
        False,
    ),
    "de-DE": Locale(
        "de-DE",
        ",",
        ".",
        False,
        _NBSP,
        tuple(
            [
                "Jan.",
                "Feb.",
                "März",
                "Apr.",
                "Mai",
                "Juni",
                "Juli",
                "Aug.",
                "Sept.",
                "Okt.",
                "Nov.",
                "Dez.",
            ]
        ),
        True,
        True,
    ),
    "fr-FR": Locale(
        "fr-FR",
        ",",
        _NNBSP,
        False,
        _NNBSP,
        tuple(
            [
                "janv.",
                "févr.",
                "mars",
                "avr.",
                "mai",
                "juin",
                "juil.",
                "août",
                "sept.",
                "oct.",
                "nov.",
                "déc.",
            ]
        ),
        True,
        True,
    ),
}
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF"}
_SI = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


def get_locale(tag: str) -> Locale:
    """The locale for a BCP 47 tag; else by language ("de-AT" -> de-DE); else en-US."""
    if tag in LOCALES:
        return LOCALES[tag]
    language = tag.split("-")[0].lower()
    for known in LOCALES.values():
        if known.tag.split("-")[0] == language:
            return known
    return LOCALES["en-US"]


@cache
def _separators(group: str, decimal: str) -> dict[int, str]:
    return str.maketrans({",": group, ".": decimal})


def _localise(en: str, loc: Locale) -> str:
    # Build in en-US form, then swap separators in one pass (a chained replace would swap twice).
    if loc.group == "," and loc.decimal == ".":
        return en
    return en.translate(_separators(loc.group, loc.decimal))


def _plain(value: float, decimals: int | None) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and decimals is None:
        return f"{value:,}"  # exact, even beyond 2**53
    if decimals is None:
        text = f"{value:,.12g}"
        return text
    text = f"{value:,.{decimals}f}"
    # "-0.0" is not a number anyone wants to read.
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def format_number(
    value: float,
    *,
    locale: str = "en-US",
    decimals: int | None = None,
    style: NumberStyle = "decimal",
    currency: str = "USD",
) -> str:
    """A number as a person reads it: grouped, localised, optionally as %, currency or SI.

    >>> format_number(1234567.891, decimals=2)
    '1,234,567.89'
    >>> format_number(0.125, style="percent", locale="de-DE")
    '12,5\\xa0%'
    """
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("-∞" if value < 0 else "∞")
    loc = get_locale(locale)
    if style == "percent":
        scaled = value * 100
        text = _plain(round(scaled, 10) if isinstance(scaled, float) else scaled, decimals)
        return _localise(text, loc) + loc.percent_space + "%"
    if style == "si":
        return format_si(value, locale=locale, decimals=decimals)
    if style == "currency":
        symbol = CURRENCY_SYMBOLS.get(currency, currency)
        digits = 2 if decimals is None else decimals
        text = _localise(_plain(abs(value), digits), loc)
        sign = "-" if value < 0 and float(abs(value)) >= 0.5 * 10**-digits else ""
        if loc.currency_before:
            return f"{sign}{symbol}{text}"
        return f"{sign}{text}{_NBSP}{symbol}"
    return _localise(_plain(value, decimals), loc)


def format_si(value: float, *, locale: str = "en-US", decimals: int | None = None) -> str:
    """Large numbers with an SI suffix: 1500 -> "1.5k", 2_300_000 -> "2.3M"; small ones unchanged.

    >>> format_si(1500), format_si(2_345_678, decimals=1), format_si(950)
    ('1.5k', '2.3M', '950')
    """
    loc = get_locale(locale)
    for factor, suffix in _SI:
        if abs(value) >= factor:
            scaled = value / factor
            text = f"{scaled:.{decimals}f}" if decimals is not None else f"{scaled:.3g}"
            return _localise(text, loc) + suffix
    if decimals is None:
        return _localise(f"{value:.3g}" if isinstance(value, float) else str(value), loc)
    return _localise(f"{value:.{decimals}f}", loc)


def step_decimals(step: float) -> int:
    """How many decimals tick labels need so that labels `step` apart are all distinct."""
    if step <= 0 or not math.isfinite(step):
        return 0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    # 0.25 needs two decimals, not one: add digits until the step is represented exactly.
    while decimals < 12 and abs(round(step, decimals) - step) > step * 1e-9:
        decimals += 1
    return decimals


def tick_formatter(
    ticks: Sequence[float],
    *,
    locale: str = "en-US",
    style: NumberStyle = "decimal",
    currency: str = "USD",
) -> Callable[[float], str]:
    """One formatter for a whole axis so labels share decimals; SI prefixes from 10,000 up."""
    step = min((b - a for a, b in itertools.pairwise(ticks)), default=1.0)
    top = max((abs(t) for t in ticks), default=0.0)
    if style == "percent":
        decimals = step_decimals(step * 100)
        return lambda v: format_number(v, locale=locale, style="percent", decimals=decimals)
    if style in ("decimal", "si") and top >= 10_000:
        return lambda v: _si_tick(v, step, get_locale(locale))
    if style == "currency" and top >= 10_000:
        return lambda v: with_currency(_si_tick(abs(v), step, get_locale(locale)), v, currency, locale)
    decimals = step_decimals(step)
    if style == "currency":
        return lambda v: format_number(
            v, locale=locale, style="currency", currency=currency, decimals=decimals
        )
    return lambda v: format_number(v, locale=locale, decimals=decimals)


def with_currency(text: str, value: float, currency: str, locale: str) -> str:
    """`text` (an unsigned amount) with the sign of `value` and the currency symbol placed as the
    locale writes it: "$1.2k", "1,2k €"."""
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    sign = "-" if value < 0 else ""
    if get_locale(locale).currency_before:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text}{_NBSP}{symbol}"


def _si_tick(value: float, step: float, loc: Locale) -> str:
    # Each label picks its own prefix (800k, 1.2M) with just enough decimals for the step, and
    # trailing zeros dropped, like d3's "~s".
    factor, suffix = next(((f, s) for f, s in _SI if abs(value) >= f), (1.0, ""))
    text = f"{value / factor:.{step_decimals(step / factor)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _localise(text, loc) + suffix


def format_value(value: object, *, locale: str = "en-US") -> str:
    """Any cell value as display text: numbers grouped, booleans true/false, null as "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value, locale=locale)
    return str(value)


def format_time(moment: dt.datetime, unit: str, *, locale: str = "en-US") -> str:
    """A short calendar label at `unit` precision: "2024", "Mar", "Mar 5", "2:30 PM", "14:30".

    >>> format_time(dt.datetime(2024, 3, 5), "day", locale="de-DE")
    '5. März'
    """
    loc = get_locale(locale)
    month = loc.months[moment.month - 1]
    if unit == "year":
        return str(moment.year)
    if unit == "month":
        return month
    if unit in ("day", "week"):
        if not loc.day_first:
            return f"{month} {moment.day}"
        return f"{moment.day}. {month}" if loc.tag == "de-DE" else f"{moment.day} {month}"
    seconds = unit == "second"
    if loc.hour24:
        return moment.strftime("%H:%M:%S" if seconds else "%H:%M")
    hour = moment.hour % 12 or 12
    text = f"{hour}:{moment.minute:02d}" + (f":{moment.second:02d}" if seconds else "")
    return f"{text} {'AM' if moment.hour < 12 else 'PM'}"


def format_date(moment: dt.datetime, *, locale: str = "en-US", time: bool = False) -> str:
    """A full date (and time) for tooltips: "Mar 5, 2024", "5. März 2024", "5 mars 2024 14:30".

    >>> format_date(dt.datetime(2024, 3, 5, 14, 30), time=True)
    'Mar 5, 2024, 2:30 PM'
    """
    loc = get_locale(locale)
    day = format_time(moment, "day", locale=locale)
    text = f"{day} {moment.year}" if loc.day_first else f"{day}, {moment.year}"
    if not time:
        return text
    clock = format_time(moment, "second" if moment.second else "minute", locale=locale)
    return f"{text}, {clock}" if not loc.day_first else f"{text} {clock}"
