"""Scales map data values to pixels: linear and log for quantities, band for categories.

Each scale is a small frozen value with `__call__(value) -> pixel` and `ticks()`; charts build them
from the data and never do pixel arithmetic on raw values themselves.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from loupe.render.theme import DIVERGING, VIRIDIS, categorical, interpolate
from loupe.render.ticks import linear_ticks, log_ticks, nice_domain


@dataclass(frozen=True)
class LinearScale:
    """domain (d0, d1) -> range (r0, r1), linearly; ranges may be reversed (y grows downwards).

    >>> LinearScale((0, 10), (100, 0))(2.5)
    75.0
    """

    domain: tuple[float, float]
    range: tuple[float, float]
    tick_count: int = 5

    def __call__(self, value: float) -> float:
        d0, d1 = self.domain
        r0, r1 = self.range
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (value - d0) / (d1 - d0) * (r1 - r0)

    def ticks(self, count: int | None = None) -> list[float]:
        return linear_ticks(*self.domain, count or self.tick_count)

    @classmethod
    def fit(
        cls,
        values: Iterable[float],
        range_: tuple[float, float],
        *,
        zero: bool = False,
        nice: bool = True,
        tick_count: int = 5,
    ) -> LinearScale:
        """A scale whose domain covers `values` (and 0 if `zero`), widened to nice ticks."""
        finite = [float(v) for v in values if v is not None and math.isfinite(v)]
        lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
        if zero:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        if nice:
            lo, hi = nice_domain(lo, hi, tick_count)
        elif lo == hi:
            lo, hi = lo - 1, hi + 1
        return cls((lo, hi), range_, tick_count)


@dataclass(frozen=True)
class LogScale:
    """Base-10 log scale for positive quantities spanning orders of magnitude."""

    domain: tuple[float, float]
    range: tuple[float, float]
    tick_count: int = 5

    def __call__(self, value: float) -> float:
        d0, d1 = (math.log10(d) for d in self.domain)
        r0, r1 = self.range
        if value <= 0:
            return r0  # a log axis has no place for zero; pin to the axis start
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (math.log10(value) - d0) / (d1 - d0) * (r1 - r0)

    def ticks(self, count: int | None = None) -> list[float]:
        return log_ticks(*self.domain, count or self.tick_count)

    @classmethod
    def fit(cls, values: Iterable[float], range_: tuple[float, float], *, tick_count: int = 5) -> LogScale:
        """A log scale from the positive values, widened to whole powers of ten."""
        positive = [float(v) for v in values if v is not None and math.isfinite(v) and v > 0]
        lo, hi = (min(positive), max(positive)) if positive else (1.0, 10.0)
        lo = 10.0 ** math.floor(math.log10(lo))
        hi = 10.0 ** math.ceil(math.log10(hi))
        if lo == hi:
            hi = lo * 10
        return cls((lo, hi), range_, tick_count)


@dataclass(frozen=True)
class BandScale:
    """Categories -> equal bands along a range, with inner and outer padding as a step fraction.

    >>> s = BandScale(("a", "b"), (0, 100), padding=0.2)
    >>> round(s("b"), 2), round(s.bandwidth, 2)
    (55.0, 40.0)
    """

    domain: tuple[Hashable, ...]
    range: tuple[float, float]
    padding: float = 0.2
    outer: float = 0.1
    _index: dict[Hashable, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[Hashable, int] = {}
        for key in self.domain:
            index.setdefault(key, len(index))
        object.__setattr__(self, "_index", index)

    @property
    def step(self) -> float:
        n = len(self._index)
        r0, r1 = self.range
        return (r1 - r0) / max(1.0, n - self.padding + 2 * self.outer)

    @property
    def bandwidth(self) -> float:
        return self.step * (1 - self.padding)

    def __call__(self, key: Hashable) -> float:
        """The start of the band for `key` (KeyError for a category outside the domain)."""
        return self.range[0] + self.step * (self.outer + self._index[key])

    def center(self, key: Hashable) -> float:
        return self(key) + self.bandwidth / 2

    def ticks(self) -> Sequence[Hashable]:
        return tuple(self._index)


@dataclass(frozen=True)
class OrdinalColors:
    """Categories -> colour-blind-safe palette colours, in order of first appearance."""

    domain: tuple[Hashable, ...]

    def __call__(self, key: Hashable) -> str:
        try:
            return categorical(self.domain.index(key))
        except ValueError:
            return "#999999"  # outside the domain ("other"): neutral grey


@dataclass(frozen=True)
class SequentialColors:
    """A quantity -> a colour along viridis (low = dark purple, high = yellow).

    >>> SequentialColors((0, 10))(0), SequentialColors((0, 10))(10)
    ('#440154', '#FDE725')
    """

    domain: tuple[float, float]
    stops: tuple[str, ...] = VIRIDIS

    def __call__(self, value: float) -> str:
        lo, hi = self.domain
        t = 0.5 if hi == lo else (value - lo) / (hi - lo)
        return interpolate(self.stops, t)

    def ticks(self, count: int = 5) -> list[float]:
        return linear_ticks(*self.domain, count)


@dataclass(frozen=True)
class DivergingColors:
    """A quantity -> blue below `mid`, grey at it, red-orange above, symmetric around `mid`."""

    domain: tuple[float, float]
    mid: float = 0.0
    stops: tuple[str, ...] = DIVERGING

    def __call__(self, value: float) -> str:
        lo, hi = self.domain
        reach = max(abs(lo - self.mid), abs(hi - self.mid)) or 1.0
        return interpolate(self.stops, 0.5 + (value - self.mid) / reach / 2)

    def ticks(self, count: int = 5) -> list[float]:
        return linear_ticks(*self.domain, count)


def color_scale(values: Iterable[float]) -> SequentialColors | DivergingColors:
    """Diverging around zero when the values have both signs, else sequential."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if lo < 0 < hi:
        return DivergingColors((lo, hi))
    return SequentialColors((lo, hi))
