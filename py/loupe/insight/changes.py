"""What changed: how much each category moved a total between two sides (periods or filters).

`contributions([("North", 100, 130), ("South", 80, 70)])` gives each category's before, after and
change, and its share of the total change, largest |change| first; beyond `top` categories the rest
are summed into one "other" row. A category missing on one side counts 0 there, which is right for
sums and counts, the aggregates that add up (so the changes add up to the total's change).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from loupe.errors import LoupeError
from loupe.insight.clean import checked, finite

OTHER = "other"


@dataclass(frozen=True)
class Change:
    """One category's (or the tail's) values on each side, its change and share of the total change."""

    category: Hashable
    before: float
    after: float
    delta: float
    share: float | None  # delta / the total change; None when the total did not move
    members: int = 1  # categories summed in this row: more than 1 only for "other"

    @property
    def other(self) -> bool:
        return self.members > 1


@dataclass(frozen=True)
class Changes:
    """The rows (largest change first, "other" last) and the totals of both sides."""

    rows: list[Change]
    before: float
    after: float
    delta: float  # the sum of the rows' changes: the total's change

    @property
    def direction(self) -> str:
        """ "rise", "fall" or "change" (no net change), for the words."""
        return "rise" if self.delta > 0 else "fall" if self.delta < 0 else "change"


def _value(value: object, category: Hashable, side: str) -> float:
    number = finite(value)
    if number is None and value is not None and not isinstance(value, float):
        raise LoupeError(
            f"the {side} value of {category!r} is not a number: {value!r}",
            hint="compare a numeric measure (or count rows)",
        )
    return 0.0 if number is None else number  # missing on a side: nothing there


def _sort_key(change: Change) -> tuple[float, str, str]:
    # Ties by name, so the order never depends on the order rows arrived in.
    return (-abs(change.delta), type(change.category).__name__, str(change.category))


def contributions(rows: Iterable[Sequence[object]], *, top: int = 10) -> Changes:
    """Per category (before, after, change, share), sorted by |change|; the tail past `top` as "other".

    >>> [(c.category, c.delta, c.share) for c in contributions([("N", 100, 130), ("S", 80, 70)]).rows]
    [('N', 30.0, 1.5), ('S', -10.0, -0.5)]
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise LoupeError(f"top must be a whole number of at least 1, not {top!r}", hint="e.g. 10")
    sides: dict[Hashable, list[float]] = {}
    for row in rows:
        if isinstance(row, str | bytes) or not isinstance(row, Sequence) or len(row) != 3:
            raise LoupeError(f"each row must be (category, before, after), not {row!r}")
        category = row[0]
        try:
            hash(category)
        except TypeError:
            raise LoupeError(f"a category must be a value, not {category!r}") from None
        before, after = _value(row[1], category, "before"), _value(row[2], category, "after")
        checked([before, after], "a changes chart")
        found = sides.setdefault(category, [0.0, 0.0])  # a repeated category adds up
        found[0] += before
        found[1] += after
    drafts = [Change(c, b, a, a - b, None) for c, (b, a) in sides.items()]
    drafts.sort(key=_sort_key)
    head, tail = drafts[:top], drafts[top:]
    if len(tail) == 1:  # "other" standing for one category would hide its name for nothing
        head, tail = drafts, []
    if tail:
        head.append(
            Change(
                OTHER,
                math.fsum(c.before for c in tail),
                math.fsum(c.after for c in tail),
                math.fsum(c.delta for c in tail),
                None,
                len(tail),
            )
        )
    total = math.fsum(c.delta for c in head)
    shown = [
        Change(c.category, c.before, c.after, c.delta, c.delta / total if total else None, c.members)
        for c in head
    ]
    return Changes(shown, math.fsum(c.before for c in drafts), math.fsum(c.after for c in drafts), total)


def _signed(value: float, fmt: Callable[[float], str]) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + fmt(abs(value))


def percent(share: float) -> str:
    """A share as whole percent, with a true minus sign: "40 %", "−10 %"."""
    value = round(share * 100)
    return f"{'−' if value < 0 else ''}{abs(value)} %"


def change_words(change: Change, total: Changes, fmt: Callable[[float], str], name: str) -> str:
    """ "North: +12k (40 % of the rise)", "South: −3k (against the rise)"; `name` as the reader sees it."""
    text = f"{name}: {_signed(change.delta, fmt)}"
    if change.share is not None and change.share > 0:
        text += f" ({percent(change.share)} of the {total.direction})"
    elif change.share is not None and change.share < 0:
        text += f" (against the {total.direction})"  # a negative share of a rise reads as a riddle
    return text


def total_words(total: Changes, fmt: Callable[[float], str], what: str, sides: tuple[str, str]) -> str:
    """ "Sum of revenue rose from 1.2M (2023) to 1.5M (2024), +300k (+25 %)." """
    verb = {"rise": "rose", "fall": "fell", "change": "did not change"}[total.direction]
    text = f"{what[:1].upper()}{what[1:]} {verb}"
    text += f" from {fmt(total.before)} ({sides[0]}) to {fmt(total.after)} ({sides[1]})"
    if total.delta:
        text += f", {_signed(total.delta, fmt)}"
        if total.before:
            percent = total.delta / abs(total.before) * 100
            text += f" ({'+' if percent > 0 else '−'}{abs(percent):.1f} %)"
    return text + "."
