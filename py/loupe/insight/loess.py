"""LOWESS: a locally weighted line through curved data, made robust to outliers (Cleveland 1979).

Each point's smoothed value is a weighted least-squares line through its `frac`·n nearest
neighbours (tricube weights by distance); `iterations` robustness passes then down-weight points
with large residuals (bisquare of residual / 6·median residual). Same definition as statsmodels'
`lowess(y, x, frac, it, delta=0)`.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from loupe.errors import LoupeError
from loupe.insight.clean import pairs


def _local_fit(x: list[float], y: list[float], robust: list[float], i: int, left: int, right: int) -> float:
    """The weighted least-squares line through the neighbourhood [left, right), evaluated at x[i].

    Two passes (weighted means, then centred sums) instead of one over raw sums, which would
    cancel digits; same value as statsmodels' projection vector.
    """
    xval = x[i]
    radius = max(xval - x[left], x[right - 1] - xval)
    weights: list[float] = []
    total = sx = sy = 0.0

    for j in range(left, right):
        d = abs(x[j] - xval) / radius if radius > 0 else 0.0
        cube = 1.0 - d * d * d if d < 1.0 else 0.0
        w = cube * cube * cube * robust[j]
        weights.append(w)
        total += w
        sx += w * x[j]
        sy += w * y[j]
    positive = sum(1 for w in weights if w > 1e-12)
    if positive < 2 or total <= 0:
        return y[i]  # too few neighbours carry weight: the point stands for itself
    mean_x, mean_y = sx / total, sy / total
    sxx = sxy = 0.0
    for k, w in enumerate(weights):
        dx = x[left + k] - mean_x
        sxx += w * dx * dx
        sxy += w * dx * y[left + k]
    var_x = max(sxx / total, 1e-12)
    return mean_y + (xval - mean_x) * (sxy / total) / var_x


def loess(
    xs: Sequence[object],
    ys: Sequence[object],
    frac: float = 2 / 3,
    iterations: int = 3,
    delta: float = 0.0,
) -> list[tuple[float, float]]:
    """The smoothed curve as (x, fitted y) pairs in order of x; pairs with a missing value are skipped.

    `delta` (in x units) trades exactness for speed as in statsmodels: points within delta of the
    last fitted one are interpolated instead of fitted (1 % of the x range is a good choice).

    >>> [round(v, 6) for _, v in loess([1, 2, 3, 4], [2, 4, 6, 8])]
    [2.0, 4.0, 6.0, 8.0]
    """
    if not 0.0 < frac <= 1.0:
        raise LoupeError(f"loess span must be above 0 and at most 1, not {frac}", hint="try 2/3")
    raw_x, raw_y = pairs(xs, ys, "a loess curve")
    n = len(raw_x)
    if n < 3:
        raise LoupeError(f"a loess curve needs at least 3 points, got {n}", hint="use a linear trend")
    order = sorted(range(n), key=lambda k: raw_x[k])
    x = [raw_x[k] for k in order]
    y = [raw_y[k] for k in order]
    # Scale x to about unit range so distances stay representable for any magnitude.
    low, span = x[0], (x[-1] - x[0]) or 1.0
    sx = [(v - low) / span for v in x]
    step = max(0.0, delta) / span
    k = min(n, max(2, int(frac * n + 1e-10)))
    robust = [1.0] * n
    fitted = list(y)
    for rep in range(iterations + 1):
        left, right, i, last = 0, k, 0, -1
        while last < n - 1:
            while right < n and sx[i] > (sx[left] + sx[right]) / 2.0:
                left += 1
                right += 1
            fitted[i] = _local_fit(sx, y, robust, i, left, right)
            for j in range(last + 1, i):  # points skipped within delta: on the chord
                width = sx[i] - sx[last]
                share = (sx[j] - sx[last]) / width if width > 0 else 0.0
                fitted[j] = share * fitted[i] + (1.0 - share) * fitted[last]
            last = i
            nxt = i + 1
            while nxt < n and sx[nxt] <= sx[last] + step:
                if sx[nxt] == sx[last]:
                    fitted[nxt] = fitted[last]  # ties (after scaling) share one fit
                    last = nxt
                nxt += 1
            i = max(nxt - 1, last + 1)
        if rep == iterations:
            break
        residuals = [abs(a - b) for a, b in zip(y, fitted, strict=True)]
        median = statistics.median(residuals)
        if median <= 1e-7:
            break
        scale = 6.0 * median
        robust = [(1.0 - min(r / scale, 1.0) ** 2) ** 2 for r in residuals]
    return list(zip(x, fitted, strict=True))
