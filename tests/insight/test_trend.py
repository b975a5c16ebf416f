"""Trend lines: least squares, the band of the mean, words a person reads; LOWESS on curves."""

from __future__ import annotations

import math

import pytest
from loupe.errors import LoupeError
from loupe.insight import linear_trend, loess, trend_words
from loupe.insight.student_t import t_quantile
from loupe.insight.trend import UNIT_SECONDS

DAY = 86_400.0


def test_line_through_points_with_noise_has_r2_below_one() -> None:
    trend = linear_trend([0, 1, 2, 3], [1.0, 2.9, 5.2, 6.8])
    assert trend.slope == pytest.approx(1.97)  # sxy 9.85 / sxx 5
    assert trend.intercept == pytest.approx(1.02)
    assert 0.99 < (trend.r2 or 0) < 1


def test_band_is_narrowest_at_the_mean_of_x_and_holds_the_line() -> None:
    trend = linear_trend(range(10), [2 * x + (-1) ** x for x in range(10)])
    widths = {x: (lambda b: b[1] - b[0])(trend.band(x) or (0, 0)) for x in (0, 4.5, 9, 20)}
    assert widths[4.5] < widths[0] < widths[20]
    assert widths[0] == pytest.approx(widths[9])
    low, high = trend.band(20) or (0, 0)
    assert low < trend.at(20) < high


def test_band_width_follows_the_textbook_formula() -> None:
    xs, ys = [1, 2, 3, 4, 5], [1.1, 1.9, 3.2, 3.8, 5.1]
    trend = linear_trend(xs, ys)
    sse = sum((y - trend.at(x)) ** 2 for x, y in zip(xs, ys, strict=True))
    half = t_quantile(0.975, 3) * math.sqrt(sse / 3) * math.sqrt(1 / 5 + (6 - 3) ** 2 / 10)
    low, high = trend.band(6) or (0, 0)
    assert (high - low) / 2 == pytest.approx(half)


def test_missing_and_non_numeric_pairs_are_skipped() -> None:
    trend = linear_trend([0, 1, None, 3, "x", 5, float("nan")], [0, 2, 4, None, 8, 10, 12])
    assert trend.n == 3
    assert trend.slope == pytest.approx(2)


def test_two_points_give_a_line_without_a_band() -> None:
    trend = linear_trend([0, 2], [1, 5])
    assert trend.slope == 2 and trend.band(1) is None


def test_flat_data_reads_as_flat() -> None:
    trend = linear_trend([0, 1, 2], [3, 3, 3])
    assert trend.r2 is None and trend.band(7) == (3, 3)
    assert trend_words(trend) == "Trend: +0.000 per 1 of x (flat data)"


@pytest.mark.parametrize(
    ("xs", "ys", "message"),
    [
        ([1], [1], "at least 2 points"),
        ([None, 1], [1, None], "at least 2 points"),
        ([3, 3, 3], [1, 2, 3], "two different x values"),
        ([1, 2], [1], "as many x values"),
        ([1, 2, 3], [1, 2, 1e200], "too large"),
    ],
)
def test_refusals_say_why(xs: list[object], ys: list[object], message: str) -> None:
    with pytest.raises(LoupeError, match=message) as caught:
        linear_trend(xs, ys)
    assert caught.value.hint


def test_words_for_a_monthly_date_axis_give_percent_a_month() -> None:
    month = UNIT_SECONDS["month"]
    # 100 rising by 3.2 a month around a mean of 100: +3.2 % a month.
    xs = [i * month for i in range(-5, 6)]
    ys = [100 + 3.2 * i for i in range(-5, 6)]
    assert trend_words(linear_trend(xs, ys), time_unit="month") == "Trend: +3.2 % a month (R² 1.00)"


def test_words_pick_a_unit_from_the_span_and_use_units_across_zero() -> None:
    xs = [i * DAY for i in range(30)]
    falling = linear_trend(xs, [50 - 0.5 * i + (i % 3) for i in range(30)])
    assert trend_words(falling, span=29 * DAY).startswith("Trend: -1.1 % a day (R² 0.9")
    across = linear_trend(xs, [i - 15 for i in range(30)])
    assert trend_words(across, span=29 * DAY) == "Trend: +1.0 a day (R² 1.00)"
    decade = linear_trend([0, 2000 * DAY, 4000 * DAY], [-1, 0, 1])
    assert "a year" in trend_words(decade, span=4000 * DAY)
    assert "a month" in trend_words(decade, span=800 * DAY)
    assert "an hour" in trend_words(linear_trend([0, 3600, 7200], [1, 2, 3]), span=7200)


def test_loess_follows_a_curve_that_a_line_misses() -> None:
    xs = [i / 10 for i in range(60)]
    ys = [math.sin(x) for x in xs]
    curve = loess(xs, ys, frac=0.3)
    assert max(abs(fit - math.sin(x)) for x, fit in curve) < 0.1
    line = linear_trend(xs, ys)
    assert max(abs(line.at(x) - math.sin(x)) for x in xs) > 0.5


def test_loess_shrugs_off_an_outlier_and_sorts_by_x() -> None:
    xs = [5, 1, 3, 2, 4, 6, 7, 8, 9, 10]
    ys = [5, 1, 3, 2, 40, 6, 7, 8, 9, 10]
    curve = loess(xs, ys, frac=0.6)
    assert [x for x, _ in curve] == sorted(xs)
    assert dict(curve)[4] == pytest.approx(4, abs=0.3)


@pytest.mark.parametrize(
    ("xs", "frac", "message"),
    [([1, 2], 0.5, "at least 3 points"), ([1, 2, 3], 0, "span"), ([1, 2, 3], 1.5, "span")],
)
def test_loess_refusals(xs: list[float], frac: float, message: str) -> None:
    with pytest.raises(LoupeError, match=message):
        loess(xs, xs, frac=frac)
