"""Forecasts: the method a series supports, honest intervals, a backtest, and words for all of it."""

from __future__ import annotations

import math

import pytest
from loupe.errors import LoupeError
from loupe.insight import forecast, regular, season_for
from loupe.insight.forecast import fill_gaps
from loupe.insight.grid import guess_grain, start_of, step_of


def seasonal(n: int, m: int = 12, slope: float = 0.5) -> list[float]:
    return [100 + slope * t + 10 * math.sin(2 * math.pi * t / m) + (t * 7919 % 13) / 13 for t in range(n)]


def test_long_seasonal_series_uses_holt_winters_and_keeps_the_season() -> None:
    y = seasonal(48)
    result = forecast(y, horizon=12, season=12)
    assert result.method == "Holt-Winters" and result.season == 12
    # The forecast repeats the shape of the last year: peak and trough in the same months.
    last_year = y[-12:]
    assert result.values.index(max(result.values)) == last_year.index(max(last_year))
    assert result.values.index(min(result.values)) == last_year.index(min(last_year))


def test_intervals_nest_and_widen_with_the_horizon() -> None:
    result = forecast(seasonal(48), horizon=12, season=12)
    for lo95, lo80, value, hi80, hi95 in zip(
        result.lower95, result.lower80, result.values, result.upper80, result.upper95, strict=True
    ):
        assert lo95 < lo80 < value < hi80 < hi95
    widths = [hi - lo for lo, hi in zip(result.lower95, result.upper95, strict=True)]
    assert widths[-1] > widths[0]


@pytest.mark.parametrize(
    ("n", "season", "method", "note"),
    [
        (30, 12, "Holt-Winters", None),
        (20, 12, "seasonal naive", "Holt-Winters needs 26 points and there are 20"),
        (12, 12, "Holt's linear trend", "a season of 12 needs at least 14 points"),
        (10, None, "Holt's linear trend", None),
        (9, None, "drift", "exponential smoothing needs 10 points and there are 9"),
        (3, 4, "drift", "a season of 4 needs at least 6 points"),
    ],
)
def test_short_series_fall_back_and_say_so(n: int, season: int | None, method: str, note: str | None) -> None:
    result = forecast(seasonal(n, 12), horizon=3, season=season)
    assert result.method == method
    words = result.words("month")
    assert words.startswith(f"Forecast: 3 months ahead by {method}")
    if note is not None:
        assert note in words


def test_seasonal_naive_repeats_last_season() -> None:
    y = [1.0, 5, 3, 1.5, 5.5, 3.5, 2]  # 7 points: one season of 3 and more, under 2·3 + 2
    result = forecast(y, horizon=4, season=3)
    assert result.method == "seasonal naive"
    assert result.values == (5.5, 3.5, 2, 5.5)


def test_drift_extends_the_line_from_first_to_last() -> None:
    result = forecast([10, 13, 14, 19], horizon=2)
    assert result.values == pytest.approx((22, 25))


def test_backtest_words_and_numbers() -> None:
    result = forecast(seasonal(48), horizon=6, season=12)
    assert result.backtest is not None and result.backtest.held == 6
    assert result.backtest.mape is not None and 0 < result.backtest.mape < 5
    assert f"backtest on the last 6 months: MAPE {result.backtest.mape:.1f} %" in result.words("month")


def test_backtest_uses_mase_when_an_actual_is_zero() -> None:
    y = [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 0]
    result = forecast(y, horizon=2)
    assert result.backtest is not None and result.backtest.mape is None
    assert result.backtest.mase is not None and "MASE" in result.words()


def test_too_short_for_a_backtest_says_so() -> None:
    assert "too short for a backtest" in forecast([1, 2, 4], horizon=2).words()


def test_gaps_inside_are_filled_ends_trimmed_and_counted() -> None:
    assert fill_gaps([None, 1, None, None, 4, None]) == ([1, 2, 3, 4], 2)
    result = forecast([1, None, 3, 4, None, 6, 7, 8, 9, 10, 11], horizon=1)
    assert "2 missing steps filled in by straight lines" in result.words()


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        ([1, 2], {"horizon": 3}, "at least 3 points"),
        ([None, None, 1], {"horizon": 3}, "at least 3 points"),
        ([1, 2, 3], {"horizon": 0}, "horizon"),
        ([1, 2, 3], {"horizon": True}, "horizon"),
        ([1, 2, 3], {"horizon": 2, "season": 0}, "season"),
        ([1, 2, 1e200], {"horizon": 2}, "too large"),
    ],
)
def test_refusals_carry_hints(values: list[object], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(LoupeError, match=message) as caught:
        forecast(values, **kwargs)  # type: ignore[arg-type]
    assert caught.value.hint


def test_grid_steps_round_trip_for_every_grain() -> None:
    moment = 1_700_000_000.0  # 2023-11-14
    for grain in ("hour", "day", "week", "month", "quarter", "year"):
        step = step_of(moment, grain)
        assert start_of(step, grain) <= moment < start_of(step + 1, grain)
        assert step_of(start_of(step + 5, grain), grain) == step + 5


def test_regular_series_marks_empty_months_and_sums_duplicates() -> None:
    jan, mar, mar15 = 1_704_067_200.0, 1_709_251_200.0, 1_710_460_800.0  # 2024-01-01, 03-01, 03-15
    first, values = regular([jan, mar, mar15], [10, 5, 6], "month")
    assert start_of(first, "month") == jan
    assert values == [10, None, 11]
    assert guess_grain([jan, mar, mar15, mar15 + 86_400 * 14]) == "week"
    assert season_for("month") == 12 and season_for("day") == 7


def test_regular_refuses_nothing_dated_and_huge_spans() -> None:
    with pytest.raises(LoupeError, match="none of the rows"):
        regular([None, "x"], [1, 2], "day")
    with pytest.raises(LoupeError, match="coarser time grain"):
        regular([0, 3600 * 200_000], [1, 2], "hour")
    with pytest.raises(LoupeError, match="unknown time grain"):
        regular([0], [1], "fortnight")


def test_backtest_on_a_flat_start_gives_the_mean_absolute_error() -> None:
    # A zero among the held values rules out MAPE, a flat training part rules out MASE.
    result = forecast([0.0] * 10 + [0.0, 3.0], horizon=2)
    assert result.backtest is not None and result.backtest.mae == 1.5
    assert "backtest on the last 2 steps: mean absolute error 1.5" in result.words()


@pytest.mark.parametrize(("trend", "season"), [(True, 12), (True, 1), (False, 1), (False, 4)])
@pytest.mark.parametrize("params", [(0.3, 0.1, 0.2), (1.0, 0.0, 0.0), (0.0, 1.0, 1.0)])
def test_the_fast_sse_is_the_models_sse(trend: bool, season: int, params: tuple[float, float, float]) -> None:
    from loupe.insight.smoothing import initial_state, run, sse_of

    y = seasonal(40, 12)
    start = initial_state(y, trend, season)
    alpha, beta, gamma = params
    model = run(y, alpha, beta if trend else None, gamma if season > 1 else None, season, start)
    fast = sse_of(y, alpha, beta if trend else 0.0, gamma if season > 1 else 0.0, season, start)
    assert fast == model.sse  # the same arithmetic in the same order, not merely close


def test_a_seasonal_fit_searches_a_few_hundred_points_at_most(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the 8-series forecast at 100k rows costs is mostly these evaluations (bench/insight.py):
    # the three starts stop at 1e-4 and only the final search settles to 1e-8 (here 188 instead of 309).
    from loupe.insight import smoothing

    calls = []
    fast = smoothing.sse_of
    monkeypatch.setattr(smoothing, "sse_of", lambda *args: calls.append(1) or fast(*args))
    y = seasonal(50, 12)
    model = smoothing.fit(y, trend=True, season=12)
    assert len(calls) <= 220
    # ...and finds as good a fit as starts searched to 1e-8 do.
    monkeypatch.setattr(smoothing, "START_TOLERANCE", 1e-8)
    calls.clear()
    thorough = smoothing.fit(y, trend=True, season=12)
    assert len(calls) > 220
    assert model.sse <= thorough.sse * (1 + 1e-6)
