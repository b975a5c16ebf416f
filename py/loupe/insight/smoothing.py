"""Exponential smoothing: simple, Holt's linear trend and additive Holt-Winters, fitted by least squares.

The recursions are those of statsmodels' `ExponentialSmoothing` (additive trend and season), with
its 'simple' initialisation: the level is the first season's mean, the trend the mean change from
the first season to the second, the seasonals the first season less the level. The smoothing
parameters minimise the sum of squared one-step errors, searched by Nelder-Mead within [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from loupe.insight.optimize import nelder_mead

# The starts only pick the valley; the final search from the best of them settles to 1e-8.
START_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Smoothing:
    """A fitted model: its parameters, final state and one-step errors."""

    alpha: float
    beta: float | None  # None: no trend
    gamma: float | None  # None: no season
    season: int  # 1 when there is no seasonal component
    level: float
    trend: float
    seasonals: tuple[float, ...]  # the last `season` seasonal terms, oldest first
    sse: float
    n: int

    @property
    def params(self) -> list[float]:
        """alpha, then beta and gamma when the model has them."""
        return [self.alpha] + [p for p in (self.beta, self.gamma) if p is not None]

    def forecast(self, horizon: int) -> list[float]:
        """Point forecasts for the next `horizon` steps."""
        out = []
        for h in range(1, horizon + 1):
            value = self.level + h * self.trend
            if self.gamma is not None:
                value += self.seasonals[(h - 1) % self.season]
            out.append(value)
        return out

    def variance_factors(self, horizon: int) -> list[float]:
        """1 + Σ c_j² for each step ahead (Hyndman et al. 2008, class 1): the h-step variance over σ²."""
        out, total = [], 1.0
        beta, gamma = self.beta or 0.0, self.gamma or 0.0
        for h in range(1, horizon + 1):
            out.append(total)
            j = h  # the c_j added for the next step
            c = self.alpha * (1.0 + j * beta) + (
                gamma if self.gamma is not None and j % self.season == 0 else 0.0
            )
            total += c * c
        return out


def initial_state(y: Sequence[float], trend: bool, season: int) -> tuple[float, float, list[float]]:
    """statsmodels' 'simple' initial level, trend and seasonals."""
    m = max(1, season)
    level = math.fsum(y[:m]) / m
    slope = 0.0
    if trend:
        slope = math.fsum(b - a for a, b in zip(y[:m], y[m : 2 * m], strict=True)) / (m * m)
    seasonals = [v - level for v in y[:m]] if season > 1 else []
    return level, slope, seasonals


def run(
    y: Sequence[float],
    alpha: float,
    beta: float | None,
    gamma: float | None,
    season: int,
    start: tuple[float, float, list[float]],
) -> Smoothing:
    """The recursion over y from a given start; errors are y minus the one-step forecast."""
    level, slope, seasonals = start[0], start[1], list(start[2])
    b = beta if beta is not None else 0.0
    g = gamma if gamma is not None else 0.0
    sse = 0.0
    for t, value in enumerate(y):
        s = seasonals[t % season] if gamma is not None else 0.0
        error = value - (level + slope + s)
        sse += error * error
        new_level = alpha * (value - s) + (1.0 - alpha) * (level + slope)
        if gamma is not None:
            seasonals[t % season] = g * (value - level - slope) + (1.0 - g) * s
        if beta is not None:
            slope = b * (new_level - level) + (1.0 - b) * slope
        level = new_level
    n = len(y)
    shift = n % season if gamma is not None else 0
    ordered = tuple(seasonals[shift:] + seasonals[:shift]) if gamma is not None else ()
    return Smoothing(alpha, beta, gamma, season if gamma is not None else 1, level, slope, ordered, sse, n)


def sse_of(
    y: Sequence[float],
    alpha: float,
    beta: float,
    gamma: float,
    season: int,
    start: tuple[float, float, list[float]],
) -> float:
    """The sum of squared one-step errors of `run` (beta/gamma 0 and season 1 switch parts off),
    without building the model: the fitting search calls this hundreds of times, so the loop is
    written for speed (constants hoisted, one loop without a season) with `run`'s exact arithmetic."""
    level, slope = start[0], start[1]
    keep_level, keep_slope = 1.0 - alpha, 1.0 - beta
    total = 0.0
    if not start[2]:  # no season: s is 0 throughout
        for value in y:
            ahead = level + slope
            error = value - ahead
            total += error * error
            new_level = alpha * value + keep_level * ahead
            slope = beta * (new_level - level) + keep_slope * slope
            level = new_level
        return total
    seasonals = list(start[2])
    m, keep_season = len(seasonals), 1.0 - gamma
    k = 0
    for value in y:
        s = seasonals[k]
        ahead = level + slope
        error = value - (ahead + s)
        total += error * error
        new_level = alpha * (value - s) + keep_level * ahead
        # gamma 0 leaves s as it is (0·x + 1·s), so no branch is needed.
        seasonals[k] = gamma * (value - level - slope) + keep_season * s
        slope = beta * (new_level - level) + keep_slope * slope
        level = new_level
        k += 1
        if k == m:
            k = 0
    return total


def fit(y: Sequence[float], trend: bool, season: int, near: Sequence[float] | None = None) -> Smoothing:
    """The least-squares smoothing parameters for y (season 1: no seasonal component).

    `near` (alpha, beta, gamma as fitted on a longer stretch of the same series) starts a single
    short search there instead of several from scratch: how a backtest refits cheaply.
    """
    seasonal = season > 1
    start = initial_state(y, trend, season)
    m = season if seasonal else 1

    def model(point: list[float]) -> Smoothing:
        alpha = point[0]
        beta = point[1] if trend else None
        gamma = point[-1] if seasonal else None
        return run(y, alpha, beta, gamma, m, start)

    def sse(point: list[float]) -> float:
        beta = point[1] if trend else 0.0
        gamma = point[-1] if seasonal else 0.0
        return sse_of(y, point[0], beta, gamma, m, start)

    dims = 1 + int(trend) + int(seasonal)
    if near is not None and len(near) == dims:
        point, _ = nelder_mead(sse, near, step=0.05, max_evals=60 * dims)
        return model(point)
    best: tuple[list[float], float] | None = None
    # A few starts: the SSE surface has shallow valleys, and one simplex can settle in the wrong one.
    for first in (0.1, 0.5, 0.9):
        guess = [first] + [0.05] * (dims - 1)
        point, value = nelder_mead(sse, guess, max_evals=150 * dims, tolerance=START_TOLERANCE)
        if best is None or value < best[1]:
            best = (point, value)
    assert best is not None
    point, _ = nelder_mead(sse, best[0], step=0.02, max_evals=100 * dims)
    return model(point)
