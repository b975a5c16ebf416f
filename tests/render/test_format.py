"""Number and date formats, table-driven across the three locales."""

from __future__ import annotations

import datetime as dt

import pytest
from loupe.render.format import (
    format_date,
    format_number,
    format_si,
    format_time,
    format_value,
    get_locale,
    step_decimals,
    tick_formatter,
)

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (1234567, {}, "1,234,567"),
        (1234567, {"locale": "de-DE"}, "1.234.567"),
        (1234567, {"locale": "fr-FR"}, f"1{NNBSP}234{NNBSP}567"),
        (1234.5, {"locale": "de-DE"}, "1.234,5"),
        (1234.5, {"locale": "fr-FR"}, f"1{NNBSP}234,5"),
        (2**63 + 1, {}, "9,223,372,036,854,775,809"),
        (0.1 + 0.2, {}, "0.3"),
        (-0.004, {"decimals": 2}, "0.00"),
        (3.14159, {"decimals": 2}, "3.14"),
        (0.125, {"style": "percent"}, "12.5%"),
        (0.125, {"style": "percent", "locale": "de-DE"}, f"12,5{NBSP}%"),
        (0.125, {"style": "percent", "locale": "fr-FR"}, f"12,5{NNBSP}%"),
        (0.5, {"style": "percent", "decimals": 0}, "50%"),
        (1234.5, {"style": "currency"}, "$1,234.50"),
        (-1234.5, {"style": "currency"}, "-$1,234.50"),
        (1234.5, {"style": "currency", "locale": "de-DE", "currency": "EUR"}, f"1.234,50{NBSP}€"),
        (9.99, {"style": "currency", "locale": "fr-FR", "currency": "EUR"}, f"9,99{NBSP}€"),
        (1500, {"style": "si"}, "1.5k"),
        (float("nan"), {}, "NaN"),
        (float("inf"), {}, "∞"),
        (float("-inf"), {}, "-∞"),
    ],
)
def test_format_number(value: float, kwargs: dict[str, object], expected: str) -> None:
    assert format_number(value, **kwargs) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(999, "999"), (1000, "1k"), (1500, "1.5k"), (2_345_678, "2.35M"), (7e9, "7G"), (-1500, "-1.5k")],
)
def test_format_si(value: float, expected: str) -> None:
    assert format_si(value) == expected


@pytest.mark.parametrize(
    ("ticks", "kwargs", "expected"),
    [
        ([0, 0.25, 0.5], {}, ["0.00", "0.25", "0.50"]),
        ([0, 5, 10], {}, ["0", "5", "10"]),
        ([0, 2000, 4000], {}, ["0", "2,000", "4,000"]),
        ([0, 20000, 40000], {}, ["0", "20k", "40k"]),
        ([800_000, 1_000_000, 1_200_000], {}, ["800k", "1M", "1.2M"]),
        ([0, 0.05, 0.1], {"style": "percent"}, ["0%", "5%", "10%"]),
        ([0, 0.025, 0.05], {"style": "percent"}, ["0.0%", "2.5%", "5.0%"]),
        ([0, 50, 100], {"style": "currency"}, ["$0", "$50", "$100"]),
        ([0, 50000, 100000], {"style": "currency"}, ["$0", "$50k", "$100k"]),
        ([0, 0.5, 1], {"locale": "de-DE"}, ["0,0", "0,5", "1,0"]),
    ],
)
def test_tick_formatter_shares_decimals(
    ticks: list[float], kwargs: dict[str, object], expected: list[str]
) -> None:
    fmt = tick_formatter(ticks, **kwargs)  # type: ignore[arg-type]
    assert [fmt(t) for t in ticks] == expected


@pytest.mark.parametrize(("step", "decimals"), [(1, 0), (10, 0), (0.5, 1), (0.25, 2), (0.1, 1), (0.05, 2)])
def test_step_decimals(step: float, decimals: int) -> None:
    assert step_decimals(step) == decimals


MOMENT = dt.datetime(2024, 3, 5, 14, 30)


@pytest.mark.parametrize(
    ("unit", "locale", "expected"),
    [
        ("year", "en-US", "2024"),
        ("month", "en-US", "Mar"),
        ("month", "de-DE", "März"),
        ("month", "fr-FR", "mars"),
        ("day", "en-US", "Mar 5"),
        ("day", "de-DE", "5. März"),
        ("day", "fr-FR", "5 mars"),
        ("minute", "en-US", "2:30 PM"),
        ("minute", "de-DE", "14:30"),
        ("second", "fr-FR", "14:30:00"),
    ],
)
def test_format_time(unit: str, locale: str, expected: str) -> None:
    assert format_time(MOMENT, unit, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "time", "expected"),
    [
        ("en-US", False, "Mar 5, 2024"),
        ("en-US", True, "Mar 5, 2024, 2:30 PM"),
        ("de-DE", False, "5. März 2024"),
        ("fr-FR", True, "5 mars 2024 14:30"),
    ],
)
def test_format_date(locale: str, time: bool, expected: str) -> None:
    assert format_date(MOMENT, locale=locale, time=time) == expected


def test_locale_fallbacks() -> None:
    assert get_locale("de-AT").tag == "de-DE"
    assert get_locale("fr-CA").tag == "fr-FR"
    assert get_locale("xx").tag == "en-US"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "null"), (True, "true"), (False, "false"), (1234, "1,234"), ("<b>", "<b>")],
)
def test_format_value(value: object, expected: str) -> None:
    assert format_value(value) == expected
