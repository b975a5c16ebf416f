"""Outliers by a robust z-score (median and MAD) or by Tukey's fences (IQR), within each group.

`flag([1, 2, 2, 3, 50])` marks 50: its robust z-score 0.6745·(x − median)/MAD is far above 3.5
(Iglewicz & Hoaglin's cut-off). With `method="iqr"` a value is out beyond Q1 − k·IQR or Q3 + k·IQR
(k = 1.5 by default; quartiles interpolated linearly, as numpy and scipy do by default).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from loupe.errors import LoupeError
from loupe.insight.clean import checked, finite

METHODS = ("mad", "iqr")
DEFAULT_THRESHOLD = {"mad": 3.5, "iqr": 1.5}
_MAD_TO_SIGMA = 0.6745  # the normal distribution's MAD is 0.6745 standard deviations
_MEAN_AD_TO_SIGMA = 0.7979  # its mean absolute deviation is sqrt(2/pi) of one


@dataclass(frozen=True)
class Flag:
    """Whether one value is an outlier within its group, and why in words (None when it is not)."""

    outlier: bool
    reason: str | None


def quantile(ordered: Sequence[float], q: float) -> float:
    """The linearly interpolated q-quantile of sorted values (numpy's default 'linear' method)."""
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _bounded(value: float | None) -> float | None:
    """Infinity clamped to the largest float: JSON has no infinity, and a fence there holds all."""
    return None if value is None else max(-sys.float_info.max, min(sys.float_info.max, value))


def _num(value: float) -> str:
    # + 0.0 turns -0.0 into 0.0: SQLite stores -0.0 as 0, and a reason must not differ by a sign of zero.
    return f"{value + 0.0:.4g}"


@dataclass(frozen=True)
class Fences:
    """A group's limits: values below `low` or above `high` are outliers (None: nothing is).

    For the robust z-score the limits are median ± threshold·scale, and the reason names the
    value's own z; for IQR the reason names the fence it crossed.
    """

    method: str
    low: float | None
    high: float | None
    center: float  # median (mad) or 0 (iqr)
    scale: float  # MAD / 0.6745 or mean deviation / 0.7979 (mad); 0 for iqr
    suffix: str  # mad: " beyond ±3.5 (median 11, MAD 1)"
    above: str  # iqr: "above Q3 + 1.5×IQR = 13.6"
    below: str

    def judge(self, value: float) -> Flag:
        """The Flag of one value of this group."""
        if self.low is None or self.high is None or self.low <= value <= self.high:
            return Flag(False, None)
        if self.method == "mad":
            return Flag(True, f"robust z {(value - self.center) / self.scale:+.1f}{self.suffix}")
        return Flag(True, self.above if value > self.high else self.below)

    def to_dict(self) -> dict[str, object]:
        """The fences as JSON-able values, for SQL to compare rows with."""
        return {
            "method": self.method,
            "low": _bounded(self.low),
            "high": _bounded(self.high),
            "center": self.center,
            "scale": self.scale,
            "suffix": self.suffix,
            "above": self.above,
            "below": self.below,
        }


def fences(values: Sequence[float], method: str, threshold: float) -> Fences:
    """The outlier limits of one group of numbers (not empty)."""
    if method == "mad":
        import statistics  # here: the verb is registered at start-up, and statistics is slow to load

        median = statistics.median(values)
        deviations = [abs(v - median) for v in values]
        mad = statistics.median(deviations)
        if mad > 0:
            scale, name = mad / _MAD_TO_SIGMA, f"MAD {_num(mad)}"
        else:
            # More than half the values are equal: fall back to the mean absolute deviation.
            mean_ad = math.fsum(deviations) / len(values)
            scale, name = mean_ad / _MEAN_AD_TO_SIGMA, f"mean deviation {_num(mean_ad)}"
        if scale == 0:
            return Fences(method, None, None, median, 0.0, "", "", "")
        suffix = f" beyond ±{_num(threshold)} (median {_num(median)}, {name})"
        low, high = median - threshold * scale, median + threshold * scale
        return Fences(method, low, high, median, scale, suffix, "", "")
    ordered = sorted(values)
    q1, q3 = quantile(ordered, 0.25), quantile(ordered, 0.75)
    low, high = q1 - threshold * (q3 - q1), q3 + threshold * (q3 - q1)
    k = _num(threshold)
    return Fences(
        method,
        low,
        high,
        0.0,
        0.0,
        "",
        f"above Q3 + {k}×IQR = {_num(high)}",
        f"below Q1 − {k}×IQR = {_num(low)}",
    )


def check_options(method: str, threshold: float | None) -> float:
    """The threshold to use; refuses an unknown method or a threshold that is not a positive number."""
    if method not in METHODS:
        raise LoupeError(f"unknown outlier method {method!r}", field="method", hint="use mad or iqr")
    if threshold is None:
        return DEFAULT_THRESHOLD[method]
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1e6:
        raise LoupeError(
            f"outlier threshold must be a positive number, not {threshold!r}",
            field="threshold",
            hint=f"{DEFAULT_THRESHOLD[method]} is usual for {method}",
        )
    return float(threshold)


def flag(
    values: Sequence[object],
    groups: Sequence[Hashable] | None = None,
    *,
    method: str = "mad",
    threshold: float | None = None,
) -> list[Flag]:
    """One Flag per value; missing values are never outliers; each group is judged on its own.

    >>> [f.outlier for f in flag([1, 2, 2, 3, 50])]
    [False, False, False, False, True]
    """
    limit = check_options(method, threshold)
    if groups is not None and len(groups) != len(values):
        raise LoupeError(f"outliers need one group per value ({len(groups)} and {len(values)})")
    numbers = [finite(v) for v in values]
    checked([v for v in numbers if v is not None], "an outlier test")
    members: dict[Hashable, list[int]] = {}
    for i, v in enumerate(numbers):
        if v is not None:
            members.setdefault(None if groups is None else groups[i], []).append(i)
    out = [Flag(False, None)] * len(values)
    for indexes in members.values():
        sample = [numbers[i] for i in indexes]
        known = [v for v in sample if v is not None]
        limits = fences(known, method, limit)
        for i, value in zip(indexes, known, strict=True):
            out[i] = limits.judge(value)
    return out
