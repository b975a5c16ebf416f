"""Properties: a line is found exactly, a constant has intervals of no width, and any input either
works or raises a LoupeError (never another exception)."""

from __future__ import annotations

import contextlib

from hypothesis import example, given, settings
from hypothesis import strategies as st
from loupe.errors import LoupeError
from loupe.insight import flag, forecast, linear_trend, loess, regular

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
)
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6))


@settings(max_examples=150, deadline=None)
@given(
    a=st.integers(-1000, 1000),
    b=st.integers(-1000, 1000),
    xs=st.lists(st.integers(-10_000, 10_000), min_size=2, max_size=40, unique=True),
)
def test_a_linear_series_gives_the_exact_line(a: int, b: int, xs: list[int]) -> None:
    trend = linear_trend(xs, [a + b * x for x in xs])
    assert abs(trend.slope - b) <= 1e-9 * max(1, abs(b))
    assert abs(trend.intercept - a) <= 1e-9 * max(1, abs(a), abs(b) * max(abs(x) for x in xs))
    band = trend.band(xs[0] + 1.5)
    if band is not None:
        assert band[1] - band[0] <= 1e-6 * max(1, abs(a), abs(b) * 10_000)


@settings(max_examples=100, deadline=None)
@given(
    value=st.floats(-1e9, 1e9, allow_nan=False),
    n=st.integers(3, 40),
    horizon=st.integers(1, 24),
    season=st.sampled_from([None, 1, 4, 7, 12]),
)
def test_a_constant_series_gives_zero_width_intervals(
    value: float, n: int, horizon: int, season: int | None
) -> None:
    result = forecast([value] * n, horizon=horizon, season=season)
    tolerance = 1e-9 * max(1.0, abs(value))
    for lo95, lo80, hi80, hi95, v in zip(
        result.lower95, result.lower80, result.upper80, result.upper95, result.values, strict=True
    ):
        assert abs(v - value) <= tolerance
        assert hi95 - lo95 <= tolerance and hi80 - lo80 <= tolerance
    trend = linear_trend(list(range(n)), [value] * n)
    band = trend.band(n)
    assert band is not None and band[1] - band[0] <= tolerance


@settings(max_examples=300, deadline=None)
@example(xs=[1, None, 0, 1, -(2**53)], ys=[0, None, 0, 0, 0])  # x so wide that 0 and 1 scale to one point
@given(xs=st.lists(anything, max_size=30), ys=st.lists(anything, max_size=30))
def test_trend_and_loess_raise_only_loupe_errors(xs: list[object], ys: list[object]) -> None:
    with contextlib.suppress(LoupeError):
        linear_trend(xs, ys)
    with contextlib.suppress(LoupeError):
        loess(xs, ys)
    with contextlib.suppress(LoupeError):
        loess(xs, ys, delta=0.5)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(numbers, max_size=40),
    horizon=st.one_of(st.integers(-2, 30), anything),
    season=st.one_of(st.none(), st.integers(-1, 30), anything),
)
def test_forecast_raises_only_loupe_errors(values: list[object], horizon: object, season: object) -> None:
    try:
        result = forecast(values, horizon=horizon, season=season)  # type: ignore[arg-type]
        result.words("month")
    except LoupeError:
        pass


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(anything, max_size=40),
    method=st.sampled_from(["mad", "iqr", "z"]),
    threshold=st.one_of(st.none(), anything),
)
def test_outliers_raise_only_loupe_errors(values: list[object], method: str, threshold: object) -> None:
    try:
        flags = flag(values, [i % 3 for i in range(len(values))], method=method, threshold=threshold)  # type: ignore[arg-type]
        assert len(flags) == len(values)
    except LoupeError:
        pass


@settings(max_examples=200, deadline=None)
@given(
    times=st.lists(anything, max_size=20),
    values=st.lists(anything, max_size=20),
    grain=st.sampled_from(["hour", "day", "week", "month", "quarter", "year", "x"]),
)
def test_regular_raises_only_loupe_errors(times: list[object], values: list[object], grain: str) -> None:
    with contextlib.suppress(LoupeError):
        regular(times, values, grain)
