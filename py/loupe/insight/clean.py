"""The values an insight may use: finite numbers only, with a bound that keeps sums finite."""

from __future__ import annotations

import math
from collections.abc import Sequence

from loupe.errors import LoupeError

LIMIT = 1e100  # beyond this, squares and sums overflow to infinity; such data is refused


def finite(value: object) -> float | None:
    """A float for a real number (bool excluded), None for a missing or non-finite value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value) if abs(value) < 1e300 else math.inf
    return number if math.isfinite(number) else None


def checked(values: Sequence[float], what: str) -> None:
    """Refuse magnitudes so large that a fit would overflow, with a hint."""
    for value in values:
        if abs(value) > LIMIT:
            raise LoupeError(
                f"{what} has a value too large to fit ({value:.3g})",
                hint=f"values up to {LIMIT:.0e} work; rescale the column (for example divide by 1e6)",
            )


def pairs(xs: Sequence[object], ys: Sequence[object], what: str) -> tuple[list[float], list[float]]:
    """The (x, y) pairs where both are finite numbers, as two lists; refuses unequal lengths."""
    if len(xs) != len(ys):
        raise LoupeError(
            f"{what} needs as many x values as y values ({len(xs)} and {len(ys)})",
            hint="pass one y per x",
        )
    kept_x: list[float] = []
    kept_y: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        fx, fy = finite(x), finite(y)
        if fx is not None and fy is not None:
            kept_x.append(fx)
            kept_y.append(fy)
    checked(kept_x, what)
    checked(kept_y, what)
    return kept_x, kept_y
