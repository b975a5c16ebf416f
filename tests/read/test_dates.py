"""Dates as text: day/month order decided by the data; ISO output; the calendar is checked."""

from __future__ import annotations

import pytest
from loupe.read.dates import date_order, datetimes, iso_dates, local_dates


@pytest.mark.parametrize(
    ("values", "order", "guess"),
    [
        (["01/02/2024", "13/02/2024"], "dmy", False),
        (["01/02/2024", "01/13/2024"], "mdy", False),
        (["01/02/2024"], "mdy", True),
        (["01.02.2024"], "dmy", True),
        (["13/13/2024"], None, False),
    ],
)
def test_date_order_is_decided_by_the_data(values: list[str], order: str | None, guess: bool) -> None:
    got, why = date_order(values)
    assert got == order
    assert (why is not None) is guess


@pytest.mark.parametrize(
    ("values", "order", "out"),
    [
        (["31/12/2024", "1/2/2024"], None, ["2024-12-31", "2024-02-01"]),
        (["01/02/2024"], "dmy", ["2024-02-01"]),
        (["01/02/2024"], "mdy", ["2024-01-02"]),
        (["01-02-2024"], None, ["2024-02-01"]),
    ],
)
def test_local_dates(values: list[str], order: str | None, out: list[str]) -> None:
    assert local_dates(values, order) == out


@pytest.mark.parametrize(
    ("values", "out"),
    [
        (["2024-01-02T03:04:05"], ["2024-01-02T03:04:05"]),
        (["2024-01-02 03:04"], ["2024-01-02T03:04:00"]),
        (["2024-01-02T03:04:05.5Z"], ["2024-01-02T03:04:05.5+00:00"]),
        (["2024-01-02 03:04:05 +0200"], ["2024-01-02T03:04:05+02:00"]),
        (["13/01/2024 08:00"], ["2024-01-13T08:00:00"]),
        (["2024-01-02"], ["2024-01-02T00:00:00"]),
        (["1/13/2024 9:05"], ["2024-01-13T09:05:00"]),
        (["1/13/2024 9:05 PM", "1/14/2024 12:00 AM"], ["2024-01-13T21:05:00", "2024-01-14T00:00:00"]),
        (["2024-01-02 12:30:15pm"], ["2024-01-02T12:30:15"]),
    ],
)
def test_datetimes(values: list[str], out: list[str]) -> None:
    assert datetimes(values, None) == out


@pytest.mark.parametrize(
    "call",
    [
        lambda: iso_dates(["2023-02-29"]),
        lambda: local_dates(["31/02/2024"], None),
        lambda: local_dates(["13/13/2024"], None),
        lambda: datetimes(["2024-01-02 24:00"], None),
        lambda: datetimes(["2024-01-02T24:00:00"], None),
        lambda: datetimes(["2024-01-02 13:00 PM"], None),
    ],
)
def test_impossible_dates_raise(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]
