"""The same numbers as statsmodels and scipy, within stated tolerances, on a table of cases.

Dev-only: statsmodels and scipy are never shipped, so the Pyodide run skips this module.
Tolerances: OLS slope, intercept, R² and the 95 % band of the mean to 1e-9 (relative); LOWESS
to 1e-9 of the y range (1e-5 with delta interpolation); Holt-Winters with fixed parameters to 1e-9
(states, SSE, forecasts); fitted Holt-Winters: our SSE no more than 0.01 % above statsmodels' from
the same start; robust z-scores and IQR fences: the same points flagged; Student t quantiles to
1e-9 (relative).
"""

from __future__ import annotations

import math
import random
import warnings

import pytest

np = pytest.importorskip("numpy")
sm = pytest.importorskip("statsmodels.api")
stats = pytest.importorskip("scipy.stats")
from loupe.insight import flag, forecast, linear_trend, loess, regular  # noqa: E402
from loupe.insight.forecast import fill_gaps  # noqa: E402
from loupe.insight.smoothing import fit, initial_state, run  # noqa: E402
from statsmodels.nonparametric.smoothers_lowess import lowess  # noqa: E402
from statsmodels.tsa.holtwinters import ExponentialSmoothing  # noqa: E402

DAY = 86_400.0
rng = random.Random(20261203)


def noisy(n: int, slope: float = 0.7, noise: float = 2.0) -> tuple[list[float], list[float]]:
    xs = [float(i) for i in range(n)]
    return xs, [3 + slope * x + rng.gauss(0, noise) for x in xs]


def _irregular() -> tuple[list[float], list[float]]:
    xs = sorted(1_700_000_000 + rng.uniform(0, 400) * DAY for _ in range(40))
    return xs, [50 + 0.1 * (x - xs[0]) / DAY + rng.gauss(0, 3) for x in xs]


TREND_CASES = {
    "noisy": noisy(50),
    "short": ([0.0, 1.0, 3.0], [1.0, 2.5, 2.0]),
    "flat slope": ([float(i) for i in range(12)], [5.0 + (-1) ** i for i in range(12)]),
    "missing": ([0.0, 1, 2, 3, 4, 5, 6], [1.0, None, 2.8, 4.1, None, 6.2, 6.9]),
    "irregular dates": _irregular(),
    "big numbers": ([1e6 + i for i in range(20)], [1e9 + 1e3 * i + rng.gauss(0, 500) for i in range(20)]),
}


def _kept(xs: list[float], ys: list[float | None]) -> tuple[list[float], list[float]]:
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
    return [p[0] for p in pairs], [p[1] for p in pairs]


@pytest.mark.parametrize("case", TREND_CASES)
def test_linear_trend_matches_ols(case: str) -> None:
    xs, ys = TREND_CASES[case]
    trend = linear_trend(xs, ys)
    kx, ky = _kept(xs, ys)
    result = sm.OLS(np.array(ky), sm.add_constant(np.array(kx))).fit()
    assert trend.intercept == pytest.approx(result.params[0], rel=1e-9, abs=1e-9 * abs(ky[0]))
    assert trend.slope == pytest.approx(result.params[1], rel=1e-9)
    assert trend.r2 == pytest.approx(result.rsquared, rel=1e-9, abs=1e-12)
    at = np.array([kx[0], (kx[0] + kx[-1]) / 2, kx[-1] + (kx[-1] - kx[0])])
    frame = result.get_prediction(sm.add_constant(at, has_constant="add")).summary_frame(alpha=0.05)
    for x, lo, hi in zip(at, frame["mean_ci_lower"], frame["mean_ci_upper"], strict=True):
        band = trend.band(float(x))
        assert band is not None
        assert band[0] == pytest.approx(lo, rel=1e-9)
        assert band[1] == pytest.approx(hi, rel=1e-9)


LOESS_CASES = {
    "sine": ([i / 5 for i in range(80)], [math.sin(i / 5) + rng.gauss(0, 0.2) for i in range(80)]),
    # Noise keeps the median residual well above statsmodels' 1e-7 cut-off: on an exact line with
    # spikes its robustness pass divides by a residual scale of rounding error and the fits differ.
    "outliers": (
        [float(i) for i in range(30)],
        [i + rng.gauss(0, 0.5) + (25.0 if i % 9 == 4 else 0.0) for i in range(30)],
    ),
    "short": ([0.0, 1.0, 2.5, 4.0], [1.0, 3.0, 2.0, 5.0]),
    "flat": ([float(i) for i in range(10)], [2.0] * 10),
    "irregular dates": _irregular(),
}


@pytest.mark.parametrize("frac", [0.25, 2 / 3, 1.0])
@pytest.mark.parametrize("case", LOESS_CASES)
def test_loess_matches_statsmodels_lowess(case: str, frac: float) -> None:
    xs, ys = LOESS_CASES[case]
    ours = loess(xs, ys, frac=frac)
    ref = lowess(np.array(ys), np.array(xs), frac=frac, it=3, delta=0.0)
    assert [x for x, _ in ours] == pytest.approx(list(ref[:, 0]))
    scale = max(ys) - min(ys) or 1.0
    assert max(abs(a - b) for (_, a), b in zip(ours, ref[:, 1], strict=True)) <= 1e-9 * scale


def test_loess_with_delta_matches_statsmodels_delta() -> None:
    xs = [rng.uniform(0, 100) for _ in range(1500)] + [5.0, 5.0, 5.0]  # with ties
    ys = [math.sin(x / 10) + rng.gauss(0, 0.3) for x in xs]
    ours = loess(xs, ys, frac=0.3, delta=1.0)
    ref = lowess(np.array(ys), np.array(xs), frac=0.3, it=3, delta=1.0)
    # Interpolation across a delta step amplifies the last bits of x's rescaling: 1e-5, not 1e-9.
    assert max(abs(a - b) for (_, a), b in zip(ours, ref[:, 1], strict=True)) <= 1e-5


def _seasonal(n: int, m: int, slope: float = 0.4) -> list[float]:
    return [20 + slope * t + 6 * math.sin(2 * math.pi * t / m) + rng.gauss(0, 1) for t in range(n)]


HW_CASES = {
    "monthly": (_seasonal(48, 12), True, 12),
    "quarterly": (_seasonal(30, 4), True, 4),
    "weekly days": (_seasonal(70, 7), True, 7),
    "short holt": (_seasonal(10, 12), True, 1),
    "level only": (_seasonal(25, 12, slope=0.0), False, 1),
    "missing filled": (fill_gaps([*_seasonal(20, 4)[:7], None, None, *_seasonal(20, 4)[9:]])[0], True, 4),
}


def _statsmodels(y: list[float], trend: bool, m: int) -> object:
    level, slope, seasonals = initial_state(y, trend, m)
    return ExponentialSmoothing(
        np.array(y),
        trend="add" if trend else None,
        seasonal="add" if m > 1 else None,
        seasonal_periods=m if m > 1 else None,
        initialization_method="known",
        initial_level=level,
        initial_trend=slope if trend else None,
        initial_seasonal=np.array(seasonals) if m > 1 else None,
    )


@pytest.mark.parametrize("case", HW_CASES)
def test_holt_winters_with_fixed_parameters_matches_exactly(case: str) -> None:
    y, trend, m = HW_CASES[case]
    beta, gamma = (0.1 if trend else None), (0.2 if m > 1 else None)
    ours = run(y, 0.3, beta, gamma, m, initial_state(y, trend, m))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _statsmodels(y, trend, m).fit(  # type: ignore[attr-defined]
            smoothing_level=0.3, smoothing_trend=beta, smoothing_seasonal=gamma, optimized=False
        )
    assert ours.sse == pytest.approx(ref.sse, rel=1e-9)
    assert ours.level == pytest.approx(ref.level[-1], rel=1e-9)
    if trend:
        assert ours.trend == pytest.approx(ref.trend[-1], rel=1e-9, abs=1e-9)
    if m > 1:
        assert list(ours.seasonals) == pytest.approx(list(ref.season[-m:]), rel=1e-9, abs=1e-9)
    # statsmodels' forecast h = m steps ahead reuses the seasonal before its last update (its own
    # `season` state holds the updated one, which we use): compare the other steps.
    steps = [h for h in range(1, 2 * m + 2) if m == 1 or h % m != 0]
    mine, theirs = ours.forecast(2 * m + 1), ref.forecast(2 * m + 1)
    for h in steps:
        assert mine[h - 1] == pytest.approx(theirs[h - 1], rel=1e-9)


@pytest.mark.parametrize("case", HW_CASES)
def test_fitted_holt_winters_is_as_good_as_statsmodels(case: str) -> None:
    y, trend, m = HW_CASES[case]
    ours = fit(y, trend, m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _statsmodels(y, trend, m).fit()  # type: ignore[attr-defined]
    # The SSE surface is often flat: parameters (and so forecasts) can differ a lot for the same SSE,
    # so the test is on the fit's quality, not on the parameters.
    assert ours.sse <= ref.sse * (1 + 1e-4) + 1e-9


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels takes log(SSE = 0) for its AIC
def test_constant_series_forecasts_itself_with_no_width_like_statsmodels() -> None:
    y = [7.0] * 30
    result = forecast(y, horizon=5, season=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _statsmodels(y, True, 4).fit()  # type: ignore[attr-defined]
    assert list(result.values) == pytest.approx(list(ref.forecast(5)))
    assert result.lower95 == result.upper95 == result.values


def test_irregular_dates_on_a_monthly_grid_forecast_like_the_interpolated_series() -> None:
    months = [1_704_067_200.0 + 31 * DAY * k + rng.uniform(0, 20) * DAY for k in range(40) if k % 7 != 3]
    values = [100 + k for k, _ in enumerate(months)]
    _first, grid = regular(months, values, "month")
    assert None in grid
    filled, _ = fill_gaps(grid)
    known = [(i, v) for i, v in enumerate(grid) if v is not None]
    expected = np.interp(range(len(grid)), [i for i, _ in known], [v for _, v in known])
    assert filled == pytest.approx(list(expected))
    assert forecast(grid, horizon=3, season=12).values == forecast(filled, horizon=3, season=12).values


OUTLIER_CASES = {
    "normal with spikes": [rng.gauss(10, 2) for _ in range(60)] + [30.0, -15.0],
    "short": [1.0, 2.0, 40.0],
    "heavy tail": [rng.paretovariate(1.5) for _ in range(80)],
    "ties": [3.0] * 5 + [4.0] * 4 + [9.0],
}


@pytest.mark.parametrize("case", OUTLIER_CASES)
def test_outliers_match_scipy_mad_and_numpy_quartiles(case: str) -> None:
    values = OUTLIER_CASES[case]
    x = np.array(values)
    mad = stats.median_abs_deviation(x, scale="normal")  # MAD / 0.67449
    if mad > 0:
        z = (x - np.median(x)) / (mad * (0.67449 / 0.6745))  # Iglewicz-Hoaglin round the constant
        expected = [bool(v) for v in np.abs(z) > 3.5]
        assert [f.outlier for f in flag(values)] == expected
    q1, q3 = np.percentile(x, [25, 75])
    fences = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))
    expected_iqr = [bool(v < fences[0] - 1e-12 or v > fences[1] + 1e-12) for v in x]
    assert [f.outlier for f in flag(values, method="iqr")] == expected_iqr
    assert stats.iqr(x) == pytest.approx(q3 - q1)


@pytest.mark.parametrize("df", [1, 2, 3, 5, 10, 30, 100, 1000, 10**6])
def test_t_quantile_matches_scipy(df: int) -> None:
    from loupe.insight.student_t import t_quantile

    for p in (0.6, 0.9, 0.975, 0.995, 0.025):
        assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9)
