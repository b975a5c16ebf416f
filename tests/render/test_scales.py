"""Scales (linear, log, band, time, colour) and calendar ticks."""

from __future__ import annotations

import datetime as dt

import pytest
from loupe.render.scales import (
    BandScale,
    DivergingColors,
    LinearScale,
    LogScale,
    OrdinalColors,
    SequentialColors,
    color_scale,
)
from loupe.render.theme import OKABE_ITO, categorical
from loupe.render.timescale import TimeScale, parse_time, time_ticks, to_datetime


def test_linear_maps_and_reverses() -> None:
    s = LinearScale((0, 100), (300, 0))
    assert (s(0), s(50), s(100)) == (300, 150, 0)


def test_linear_fit_is_nice_and_can_include_zero() -> None:
    assert LinearScale.fit([3, 97], (0, 1)).domain == (0, 100)
    assert LinearScale.fit([40, 60], (0, 1), zero=True).domain[0] == 0
    assert LinearScale.fit([], (0, 1)).domain == (0, 1)
    assert LinearScale.fit([float("nan"), 5.0], (0, 1), nice=False).domain == (4, 6)


def test_log_scale() -> None:
    s = LogScale.fit([3, 700], (0, 300))
    assert s.domain == (1, 1000)
    assert s(10) == pytest.approx(100)
    assert s.ticks() == [1, 10, 100, 1000]
    assert s(0) == 0  # no place for zero on a log axis: pinned to its start


def test_band_scale_positions_and_padding() -> None:
    s = BandScale(("a", "b", "c", "a"), (0, 300), padding=0.2, outer=0.1)
    assert s.ticks() == ("a", "b", "c")  # duplicates keep their first place
    assert s.step == pytest.approx(300 / 3)
    assert s.bandwidth == pytest.approx(80)
    assert s("a") == pytest.approx(10)
    assert s.center("c") == pytest.approx(10 + 200 + 40)
    with pytest.raises(KeyError):
        s("z")


def test_categorical_palette_is_okabe_ito_then_tableau() -> None:
    assert [categorical(i) for i in range(8)] == list(OKABE_ITO)
    assert categorical(8) != categorical(0)
    assert len({categorical(i) for i in range(18)}) == 18


def test_colour_scales() -> None:
    seq = SequentialColors((0, 100))
    assert seq(0) == "#440154" and seq(100) == "#FDE725" and seq(1000) == "#FDE725"
    div = DivergingColors((-5, 10))
    assert div(0) == "#F7F7F7"  # the midpoint is neutral
    assert div(-10) == "#2166AC" and div(10) == "#B2182B"
    assert isinstance(color_scale([-1, 2]), DivergingColors)
    assert isinstance(color_scale([1, 2]), SequentialColors)
    assert OrdinalColors(("x", "y"))("y") == OKABE_ITO[1]
    assert OrdinalColors(("x",))("other") == "#999999"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970-01-01", 0.0),
        ("1970-01-02", 86400.0),
        ("1970-01-01T01:00:00", 3600.0),
        ("1970-01-01 01:00:00", 3600.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2024-02-29", 1709164800.0),
        ("1969-12-31", -86400.0),
        ("not a date", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_time(text: object, expected: float | None) -> None:
    assert parse_time(text) == expected


def _labels(start: str, stop: str, count: int) -> tuple[list[str], str]:
    a, b = parse_time(start), parse_time(stop)
    assert a is not None and b is not None
    ticks, unit = time_ticks(a, b, count)
    return [to_datetime(t).isoformat() for t in ticks], unit


@pytest.mark.parametrize(
    ("start", "stop", "count", "unit", "first", "n"),
    [
        ("2024-01-01", "2024-12-31", 4, "month", "2024-01-01T00:00:00", 4),
        ("2024-01-01", "2024-12-31", 12, "month", "2024-01-01T00:00:00", 12),
        ("2024-01-03", "2024-03-30", 12, "week", "2024-01-08T00:00:00", 12),
        ("2024-01-01", "2024-01-07", 6, "day", "2024-01-01T00:00:00", 7),
        ("2024-01-01T00:00", "2024-01-01T23:00", 8, "hour", "2024-01-01T00:00:00", 8),
        ("2024-01-01T10:00", "2024-01-01T10:30", 6, "minute", "2024-01-01T10:00:00", 7),
        ("2000-01-01", "2024-06-01", 5, "year", "2000-01-01T00:00:00", 5),
        ("1800-01-01", "2024-06-01", 5, "year", "1800-01-01T00:00:00", 5),
    ],
)
def test_time_ticks_land_on_calendar_boundaries(
    start: str, stop: str, count: int, unit: str, first: str, n: int
) -> None:
    labels, got_unit = _labels(start, stop, count)
    assert got_unit == unit
    assert labels[0] == first
    assert len(labels) == n


def test_week_ticks_are_mondays_and_month_ticks_are_firsts() -> None:
    labels, _ = _labels("2024-01-03", "2024-03-30", 12)
    assert {dt.datetime.fromisoformat(t).weekday() for t in labels} == {0}
    labels, _ = _labels("2023-11-15", "2024-05-15", 6)
    assert all(t.endswith("-01T00:00:00") for t in labels)


def test_time_scale_labels_mark_year_changes() -> None:
    a, b = parse_time("2023-06-01"), parse_time("2024-06-01")
    assert a is not None and b is not None
    scale = TimeScale.fit([a, b], (0, 600), tick_count=6)
    fmt = scale.formatter()
    labels = [fmt(t) for t in scale.ticks()]
    assert "2024" in labels and "Oct" in labels
    assert scale(a) == 0 and scale(b) == 600


def test_dates_without_time_never_get_hour_ticks() -> None:
    a, b = parse_time("2024-01-01"), parse_time("2024-01-03")
    assert a is not None and b is not None
    assert time_ticks(a, b, 10)[1] == "hour"
    assert time_ticks(a, b, 10, whole_days=True)[1] == "day"
    single = TimeScale.fit([a], (0, 100), whole_days=True)
    assert single.unit() == "day"
