"""Forecasts with honest intervals: exponential smoothing, simpler methods for short series, a backtest.

`forecast([12, 15, None, 14, ...], horizon=6, season=12)` fills interior gaps by straight lines,
then picks the richest method the series supports, saying why when it falls back:

- Holt-Winters (additive trend and season) with at least two seasons and two more points;
- seasonal naive (each step repeats the same step a season earlier) with one season and two more;
- Holt's linear trend with at least 10 points;
- drift (the line from the first point to the last) from 3 points.

80 % and 95 % prediction intervals assume normal one-step errors (Hyndman et al. 2008 for the
smoothing models, Hyndman & Athanasopoulos "Forecasting: principles and practice" for the others).
A backtest refits on all but the last part and scores that part: MAPE, or MASE when a value is 0.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

from loupe.errors import LoupeError
from loupe.insight.clean import checked, finite
from loupe.insight.smoothing import fit

MIN_POINTS = 3
HOLT_POINTS = 10
MAX_HORIZON = 1000
_Z80 = NormalDist().inv_cdf(0.90)
_Z95 = NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class Backtest:
    """How a forecast made without the last `held` points scored on them."""

    held: int
    method: str
    mape: float | None  # mean absolute percentage error, in %; None when an actual value is 0
    mase: float | None  # mean absolute scaled error; None when the naive scale is 0
    mae: float  # mean absolute error, in the values' units

    def words(self, unit: str) -> str:
        """'backtest on the last 6 months: MAPE 4.2 %'."""
        where = f"backtest on the last {self.held} {unit}{'s' if self.held != 1 else ''}"
        if self.mape is not None:
            return f"{where}: MAPE {self.mape:.1f} %"
        if self.mase is not None:
            return f"{where}: MASE {self.mase:.2f}"
        return f"{where}: exact" if self.mae == 0 else f"{where}: mean absolute error {self.mae:.4g}"


@dataclass(frozen=True)
class Forecast:
    """Point forecasts with 80 % and 95 % intervals for the steps after the series."""

    method: str
    season: int
    values: tuple[float, ...]
    lower80: tuple[float, ...]
    upper80: tuple[float, ...]
    lower95: tuple[float, ...]
    upper95: tuple[float, ...]
    backtest: Backtest | None
    notes: tuple[str, ...]  # why a simpler method was used, how many gaps were filled

    def words(self, unit: str = "step") -> str:
        """'Forecast: 6 months ahead by Holt-Winters (season 12); backtest on the last 6 months: MAPE 4.2 %.'

        The unit is the time grain's name ("month"); the notes say why a simpler method was used.
        """
        h = len(self.values)
        season = (
            f" (season {self.season})" if self.season > 1 and self.method != "Holt's linear trend" else ""
        )
        text = f"Forecast: {h} {unit}{'s' if h != 1 else ''} ahead by {self.method}{season}"
        parts = [text]
        if self.backtest is not None:
            parts.append(self.backtest.words(unit))
        else:
            parts.append("too short for a backtest")
        return "; ".join(parts + list(self.notes)) + "."


def fill_gaps(values: Sequence[object]) -> tuple[list[float], int]:
    """Leading and trailing missing values dropped, interior ones joined by straight lines."""
    known = [(i, v) for i, v in enumerate(finite(v) for v in values) if v is not None]
    if not known:
        return [], 0
    out: list[float] = []
    filled = 0
    for (i, a), (j, b) in itertools.pairwise(known):
        out.append(a)
        for k in range(1, j - i):
            out.append(a + (b - a) * k / (j - i))
            filled += 1
    out.append(known[-1][1])
    return out, filled


def _sigma2_of(errors: Sequence[float]) -> float:
    return math.fsum(e * e for e in errors) / len(errors) if errors else 0.0


@dataclass(frozen=True)
class _Plan:
    method: str
    values: list[float]
    spread: list[float]  # standard deviation of each step's forecast error
    params: list[float] | None = None  # a smoothing model's alpha, beta, gamma


def _smoothing(y: list[float], season: int, horizon: int, near: list[float] | None) -> _Plan:
    model = fit(y, trend=True, season=season, near=near)
    sigma2 = model.sse / len(y)
    spread = [math.sqrt(sigma2 * v) for v in model.variance_factors(horizon)]
    name = "Holt-Winters" if season > 1 else "Holt's linear trend"
    return _Plan(name, model.forecast(horizon), spread, model.params)


def _seasonal_naive(y: list[float], season: int, horizon: int) -> _Plan:
    n = len(y)
    errors = [y[t] - y[t - season] for t in range(season, n)]
    sigma = math.sqrt(_sigma2_of(errors))
    values = [y[n - season + (h - 1) % season] for h in range(1, horizon + 1)]
    spread = [sigma * math.sqrt((h - 1) // season + 1) for h in range(1, horizon + 1)]
    return _Plan("seasonal naive", values, spread)


def _drift(y: list[float], horizon: int) -> _Plan:
    n = len(y)
    slope = (y[-1] - y[0]) / (n - 1)
    errors = [y[t] - y[t - 1] - slope for t in range(1, n)]
    sigma = math.sqrt(math.fsum(e * e for e in errors) / (n - 2))
    values = [y[-1] + h * slope for h in range(1, horizon + 1)]
    spread = [sigma * math.sqrt(h * (1 + h / (n - 1))) for h in range(1, horizon + 1)]
    return _Plan("drift", values, spread)


def _plan(
    y: list[float], season: int, horizon: int, near: list[float] | None = None
) -> tuple[_Plan, list[str]]:
    n, notes = len(y), list[str]()
    if season > 1 and n >= 2 * season + 2:
        return _smoothing(y, season, horizon, near), notes
    if season > 1 and n >= season + 2:
        notes.append(f"seasonal naive because Holt-Winters needs {2 * season + 2} points and there are {n}")
        return _seasonal_naive(y, season, horizon), notes
    if season > 1:
        notes.append(f"no season: a season of {season} needs at least {season + 2} points")
    if n >= HOLT_POINTS:
        return _smoothing(y, 1, horizon, near), notes
    notes.append(f"drift because exponential smoothing needs {HOLT_POINTS} points and there are {n}")
    return _drift(y, horizon), notes


def _backtest(y: list[float], season: int, horizon: int, near: list[float] | None) -> Backtest | None:
    """Refit on all but the last part (the search starts from the full fit's parameters) and score."""
    held = min(horizon, max(1, len(y) // 5))
    train, test = y[:-held], y[-held:]
    if len(train) < MIN_POINTS:
        return None
    plan, _ = _plan(train, season, held, near)
    errors = [abs(a - f) for a, f in zip(test, plan.values, strict=True)]
    mape = None
    if all(a != 0 for a in test):
        mape = 100 * math.fsum(e / abs(a) for e, a in zip(errors, test, strict=True)) / held
    lag = season if len(train) > season else 1
    scale = math.fsum(abs(train[t] - train[t - lag]) for t in range(lag, len(train))) / (len(train) - lag)
    mae = math.fsum(errors) / held
    mase = mae / scale if scale > 0 else None
    return Backtest(held, plan.method, mape, mase, mae)


def forecast(values: Sequence[object], horizon: int, season: int | None = None) -> Forecast:
    """Forecast `horizon` steps after a regular series (None marks a missing step).

    >>> f = forecast([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], horizon=2)
    >>> [round(v, 6) for v in f.values]
    [13.0, 14.0]
    """
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
        raise LoupeError(
            f"forecast horizon must be a whole number from 1 to {MAX_HORIZON}, not {horizon!r}",
            field="horizon",
            hint="for example 6",
        )
    if season is not None and (
        isinstance(season, bool) or not isinstance(season, int) or not 1 <= season <= 1000
    ):
        raise LoupeError(
            f"season must be a whole number from 1 to 1000, not {season!r}",
            field="season",
            hint="12 for months in a year, 7 for days in a week, 1 for none",
        )
    y, filled = fill_gaps(values)
    checked(y, "a forecast")
    if len(y) < MIN_POINTS:
        raise LoupeError(
            f"a forecast needs at least {MIN_POINTS} points, got {len(y)}",
            hint="use a finer time grain or more data",
        )
    m = season or 1
    plan, notes = _plan(y, m, horizon)
    if filled:
        notes.append(f"{filled} missing step{'s' if filled != 1 else ''} filled in by straight lines")
    used_season = m if plan.method in ("Holt-Winters", "seasonal naive") else 1

    def band(z: float, sign: float) -> tuple[float, ...]:
        return tuple(v + sign * z * s for v, s in zip(plan.values, plan.spread, strict=True))

    return Forecast(
        method=plan.method,
        season=used_season,
        values=tuple(plan.values),
        lower80=band(_Z80, -1),
        upper80=band(_Z80, 1),
        lower95=band(_Z95, -1),
        upper95=band(_Z95, 1),
        backtest=_backtest(y, m, horizon, plan.params),
        notes=tuple(notes),
    )
