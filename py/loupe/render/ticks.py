"""Nice tick values: steps of 1, 2 or 5 times a power of ten, and domains widened to land on them.

The step rule is d3-array's tickIncrement: aim for `count` ticks and pick the nearest nice step.
"""

from __future__ import annotations

import math
from collections.abc import Callable

_E10 = math.sqrt(50)
_E5 = math.sqrt(10)
_E2 = math.sqrt(2)


def tick_step(start: float, stop: float, count: int = 10) -> float:
    """The nice step (1, 2 or 5 times 10**k) giving about `count` ticks between start and stop.

    >>> tick_step(0, 100, 5), tick_step(0, 1, 4)
    (20.0, 0.2)
    """
    span = abs(stop - start)
    if span == 0 or count <= 0 or not math.isfinite(span):
        return 0.0
    raw = span / count
    if raw < 1e-300:  # denormal spans: no meaningful step (and log10 would fail)
        return 0.0
    power = math.floor(math.log10(raw))
    error = raw / 10**power
    factor = 10 if error >= _E10 else 5 if error >= _E5 else 2 if error >= _E2 else 1
    # round() keeps 0.1 * 2 from becoming 0.20000000000000001-style noise in later arithmetic.
    return round(factor * 10.0**power, max(0, -power))


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step))) + 1 if step > 0 else 0


def linear_ticks(start: float, stop: float, count: int = 10) -> list[float]:
    """About `count` nice values inside [start, stop], ascending.

    >>> linear_ticks(0, 10, 5)
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    """
    lo, hi = min(start, stop), max(start, stop)
    if lo == hi:
        return [float(lo)]
    step = tick_step(lo, hi, count)
    if step == 0:
        return [float(lo), float(hi)]
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    digits = _decimals(step)
    return [round(i * step, digits) + 0.0 for i in range(first, last + 1)]


def nice_domain(start: float, stop: float, count: int = 10) -> tuple[float, float]:
    """Widen [start, stop] outwards to multiples of the tick step, so the axis ends on a tick.

    >>> nice_domain(0.2, 9.7, 5)
    (0.0, 10.0)
    """
    lo, hi = min(start, stop), max(start, stop)
    if hi - lo <= max(abs(lo), abs(hi)) * 1e-12:
        # A single value still deserves an axis: widen around it (or 0..1 for zero). Values a float's
        # last digit apart count as one: ticks between them would all print, and be, the same number.
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
        if start >= 0 and lo < 0:
            lo = 0.0
    previous = 0.0
    for _ in range(10):
        step = tick_step(lo, hi, count)
        if step == 0 or step == previous:
            break
        digits = _decimals(step)
        lo, hi = (
            _snap(lo, step, digits, math.floor, 1e-9),
            _snap(hi, step, digits, math.ceil, -1e-9),
        )
        previous = step
    return float(lo) + 0.0, float(hi) + 0.0


def _snap(value: float, step: float, digits: int, direction: Callable[[float], int], slack: float) -> float:
    # The slack absorbs float noise (0.30000000000000004 / 0.1) but must never leave the value
    # outside the snapped domain; then snap without it.
    snapped = round(direction(value / step + slack) * step, digits)
    if (snapped > value) if slack > 0 else (snapped < value):
        snapped = round(direction(value / step) * step, digits)
        if (snapped > value) if slack > 0 else (snapped < value):
            snapped = round(direction(value / step) * step - slack / abs(slack) * step, digits)
    return snapped


def log_ticks(start: float, stop: float, count: int = 10) -> list[float]:
    """Ticks for a log-10 axis: powers of ten, with 2 and 5 in between when there is room."""
    lo, hi = min(start, stop), max(start, stop)
    if lo <= 0:
        raise ValueError("log ticks need a positive domain")
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    decades = max(1, last - first)
    multipliers = (1, 2, 5) if decades * 3 <= count else (1,)
    stride = max(1, math.ceil(decades / max(1, count)))
    ticks = []
    for power in range(first, last + 1, stride if len(multipliers) == 1 else 1):
        for m in multipliers:
            value = m * 10.0**power
            if lo * (1 - 1e-9) <= value <= hi * (1 + 1e-9):
                ticks.append(round(value, max(0, -power)))
    return ticks
