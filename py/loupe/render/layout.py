"""Chart geometry without a browser: estimated text widths, truncation, and the plot frame.

Python cannot measure text, so widths come from per-character estimates for a sans-serif font; they
err on the wide side so labels that are said to fit do fit.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_SIZE = 11
TITLE_SIZE = 14
_NARROW = frozenset("iljtfrI.,:;|!'()[]{} ")
_WIDE = frozenset("mwMW@%")


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Approximate rendered width in px of `text` at font size `size` (bold runs ~10% wider)."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.32
        elif ch in _WIDE:
            em += 0.88
        elif ch.isupper():
            em += 0.72
        elif ch.isdigit():
            em += 0.64
        elif ord(ch) > 0x2E80:  # CJK and friends are full width
            em += 1.0
        else:
            em += 0.6
    return em * size * (1.1 if bold else 1.0)


def fit_text(text: str, max_width: float, size: float = FONT_SIZE, bold: bool = False) -> tuple[str, bool]:
    """`text` cut with an ellipsis to fit `max_width`; the flag says whether it was cut."""
    if text_width(text, size, bold) <= max_width:
        return text, False
    # No character is narrower than 0.32em, so anything beyond this many cannot fit anyway:
    # cutting first keeps a 10,000-character label from costing 10,000 width measurements.
    cut = text[: int(max_width / (0.32 * size)) + 1]
    while cut and text_width(cut + "…", size, bold) > max_width:
        cut = cut[:-1]
    return cut.rstrip() + "…", True


@dataclass(frozen=True)
class Frame:
    """The chart's size and the margins around its plot area, in px."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.left

    @property
    def x1(self) -> float:
        return self.width - self.right

    @property
    def y0(self) -> float:
        return self.top

    @property
    def y1(self) -> float:
        return self.height - self.bottom

    @property
    def inner_width(self) -> float:
        return max(1.0, self.x1 - self.x0)

    @property
    def inner_height(self) -> float:
        return max(1.0, self.y1 - self.y0)

    def with_margins(
        self,
        *,
        left: float | None = None,
        top: float | None = None,
        right: float | None = None,
        bottom: float | None = None,
    ) -> Frame:
        return Frame(
            self.width,
            self.height,
            self.left if left is None else left,
            self.top if top is None else top,
            self.right if right is None else right,
            self.bottom if bottom is None else bottom,
        )


def tick_count(length: float, spacing: float = 60) -> int:
    """How many ticks an axis of `length` px can carry legibly (at least 2)."""
    return max(2, min(10, round(length / spacing)))
