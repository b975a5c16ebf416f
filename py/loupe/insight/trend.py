"""A least-squares trend line with R², a 95 % confidence band of the mean, and its slope in words.

`linear_trend([1, 2, 3], [2, 4, 6.5]).at(4)` extends the line; `.band(4)` gives the band there; the
words read "Trend: +3.2 % a month (R² 0.81)" for a date x. Pairs with a missing value are skipped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from loupe.errors import LoupeError
from loupe.insight.clean import pairs
from loupe.insight.student_t import t_quantile

# Seconds in each calendar unit (a month is 1/12 of a Gregorian year), for slopes of date axes.
UNIT_SECONDS = {
    "hour": 3_600.0,
    "day": 86_400.0,
    "week": 7 * 86_400.0,
    "month": 365.2425 * 86_400.0 / 12,
    "quarter": 365.2425 * 86_400.0 / 4,
    "year": 365.2425 * 86_400.0,
}


@dataclass(frozen=True)
class LinearTrend:
    """y = intercept + slope·x, fitted by ordinary least squares on n pairs."""

    slope: float
    intercept: float
    n: int
    r2: float | None  # None when y does not vary (R² is 0/0)
    residual_se: float  # sqrt(SSE / (n - 2)); 0 for n = 2
    x_mean: float
    y_mean: float
    sxx: float  # sum of squared deviations of x
    t95: float | None  # the t quantile for a two-sided 95 % band; None for n = 2
    one_sign: bool = True  # every y is above zero, or every y below: a slope reads as a share

    def at(self, x: float) -> float:
        """The line's value at x."""
        return self.y_mean + self.slope * (x - self.x_mean)

    def band(self, x: float, level: float = 0.95) -> tuple[float, float] | None:
        """The confidence band of the mean at x; None with only two points (it is unbounded)."""
        if self.t95 is None:
            return None
        t = self.t95 if level == 0.95 else t_quantile(0.5 + level / 2, self.n - 2)
        half = t * self.residual_se * math.sqrt(1.0 / self.n + (x - self.x_mean) ** 2 / self.sxx)
        centre = self.at(x)
        return centre - half, centre + half


def linear_trend(xs: Sequence[object], ys: Sequence[object]) -> LinearTrend:
    """Fit the least-squares line through the pairs where both x and y are numbers.

    >>> linear_trend([0, 1, 2], [1, 3, 5]).slope
    2.0
    """
    x, y = pairs(xs, ys, "a trend")
    n = len(x)
    if n < 2:
        raise LoupeError(
            f"a trend needs at least 2 points with both x and y, got {n}",
            hint="pick columns with more values, or remove filters",
        )
    # Centre first: epoch seconds squared lose digits that the slope needs.
    x_mean = math.fsum(x) / n
    y_mean = math.fsum(y) / n
    dx = [v - x_mean for v in x]
    dy = [v - y_mean for v in y]
    sxx = math.fsum(d * d for d in dx)
    if sxx == 0.0:
        raise LoupeError("a trend needs at least two different x values", hint="pick an x that varies")
    sxy = math.fsum(a * b for a, b in zip(dx, dy, strict=True))
    syy = math.fsum(d * d for d in dy)
    slope = sxy / sxx
    sse = math.fsum((b - slope * a) ** 2 for a, b in zip(dx, dy, strict=True))
    sse = max(0.0, min(sse, syy))
    r2 = None if syy == 0.0 else max(0.0, 1.0 - sse / syy)
    residual_se = math.sqrt(sse / (n - 2)) if n > 2 else 0.0
    return LinearTrend(
        slope=slope,
        intercept=y_mean - slope * x_mean,
        n=n,
        r2=r2,
        residual_se=residual_se,
        x_mean=x_mean,
        y_mean=y_mean,
        sxx=sxx,
        t95=t_quantile(0.975, n - 2) if n > 2 else None,
        one_sign=min(y) > 0 or max(y) < 0,
    )


def time_unit_for(span_seconds: float) -> str:
    """The finest calendar unit that a date axis spans at most 40 times: slopes read in it."""
    for unit in ("hour", "day", "week", "month", "quarter"):
        if span_seconds <= 40 * UNIT_SECONDS[unit]:
            return unit
    return "year"


def _number(value: float) -> str:
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 3
    return f"{value:+,.{digits}f}"


def trend_words(trend: LinearTrend, *, time_unit: str | None = None, span: float | None = None) -> str:
    """'Trend: +3.2 % a month (R² 0.81)' for a date x (x in seconds), 'Trend: +2.5 per 1 of x' else.

    A date axis states the slope per `time_unit` (or the unit that suits `span` seconds), as a share
    of the mean when the values are all of one sign, else in the values' own units.
    """
    fit = "flat data" if trend.r2 is None else f"R² {trend.r2:.2f}"
    if time_unit is None and span is None:
        return f"Trend: {_number(trend.slope)} per 1 of x ({fit})"
    unit = time_unit or time_unit_for(span or 0.0)
    per_unit = trend.slope * UNIT_SECONDS[unit]
    article = "an" if unit == "hour" else "a"
    if trend.one_sign and abs(per_unit / trend.y_mean) < 10:
        return f"Trend: {100 * per_unit / abs(trend.y_mean):+.1f} % {article} {unit} ({fit})"
    return f"Trend: {_number(per_unit)} {article} {unit} ({fit})"
