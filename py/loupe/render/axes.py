"""Axes as element trees: value axes with gridlines and category axes that avoid label collisions.

Category labels that do not fit are, in order: rotated 45 degrees, truncated with an ellipsis (the
full text moves to a <title>), and thinned to every k-th label. Layout is planned first
(`plan_band_labels`) so the chart can size its margins before drawing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from loupe.render.layout import FONT_SIZE, Frame, fit_text, text_width
from loupe.render.theme import Theme
from loupe.render.tree import Node, h

Side = Literal["left", "bottom"]
_ROTATED_MAX = 110.0  # px a rotated label may take downwards before it is truncated


class QuantScale(Protocol):
    """What an axis needs from a quantitative scale (linear, log, time)."""

    def __call__(self, value: float) -> float: ...

    def ticks(self, count: int | None = None) -> list[float]: ...


@dataclass(frozen=True)
class BandLabels:
    """How category labels will be drawn: texts (cut or not), rotation, and which ones to show."""

    texts: tuple[tuple[str, bool], ...]
    rotate: bool
    every: int
    extent: float  # px the labels need across the axis (height below, or width to the left)


def plan_band_labels(labels: Sequence[str], step: float, side: Side, max_extent: float) -> BandLabels:
    """Decide rotation, truncation and thinning for labels `step` px apart."""
    line = FONT_SIZE + 3
    if side == "left":
        every = max(1, math.ceil(line / max(step, 0.1)))
        texts = tuple(fit_text(label, max_extent) for label in labels)
        widest = max((text_width(t) for t, _ in texts), default=0.0)
        return BandLabels(texts, False, every, widest + 8)
    widest = max((text_width(label) for label in labels), default=0.0)
    if widest <= step - 4:
        texts = tuple((label, False) for label in labels)
        return BandLabels(texts, False, 1, line + 6)
    # Rotated labels stack at ~line/sin(45°) apart; thin them when even that is too tight.
    every = max(1, math.ceil(line * 1.1 / max(step, 0.1)))
    limit = min(_ROTATED_MAX, max_extent) / math.sin(math.pi / 4)
    texts = tuple(fit_text(label, limit) for label in labels)
    longest = max((text_width(t) for t, _ in texts), default=0.0)
    return BandLabels(texts, True, every, longest * math.sin(math.pi / 4) + line)


def _label(text: str, cut: bool, full: str, attrs: dict[str, object]) -> Node:
    # A cut label keeps its full text as a tooltip.
    return h("text", attrs, h("title", {}, full) if cut else None, text)


def band_axis(
    positions: Sequence[float],
    labels: Sequence[str],
    plan: BandLabels,
    side: Side,
    frame: Frame,
    theme: Theme,
    title: str | None = None,
) -> Node:
    """Category labels centred on `positions` (px along the axis), drawn as `plan` says."""
    items: list[Node | str | None] = []
    for i, (pos, full, (text, cut)) in enumerate(zip(positions, labels, plan.texts, strict=True)):
        if i % plan.every:
            continue
        if side == "left":
            attrs: dict[str, object] = {
                "x": frame.x0 - 6,
                "y": pos,
                "text-anchor": "end",
                "dominant-baseline": "middle",
            }
        elif plan.rotate:
            y = frame.y1 + 8
            attrs = {
                "x": pos,
                "y": y,
                "text-anchor": "end",
                "dominant-baseline": "middle",
                "transform": f"rotate(-45 {round(pos, 2)} {y})",
            }
        else:
            attrs = {"x": pos, "y": frame.y1 + 6, "text-anchor": "middle", "dy": "0.8em"}
        items.append(_label(text, cut, full, {"class": "tick-label", "fill": theme.muted, **attrs}))
    axis_title = None
    if title:
        axis_title = _axis_title(title, side, frame, plan.extent, theme)
    return h("g", {"class": f"axis axis-{side} axis-band", "font-size": FONT_SIZE}, *items, axis_title)


def _axis_title(title: str, side: Side, frame: Frame, extent: float, theme: Theme) -> Node:
    if side == "left":
        x = max(FONT_SIZE, frame.x0 - extent - 10)  # the baseline; glyphs rise to its left
        y = frame.y0 + frame.inner_height / 2
        text, cut = fit_text(title, frame.inner_height, bold=True)
        attrs: dict[str, object] = {"transform": f"rotate(-90 {round(x, 2)} {round(y, 2)})"}
    else:
        x = frame.x0 + frame.inner_width / 2
        y = min(frame.height - 4, frame.y1 + extent + FONT_SIZE + 4)
        text, cut = fit_text(title, frame.inner_width, bold=True)
        attrs = {}
    return _label(
        text,
        cut,
        title,
        {
            "class": "axis-title",
            "x": x,
            "y": y,
            "text-anchor": "middle",
            "fill": theme.text,
            "font-weight": "600",
            **attrs,
        },
    )


def value_axis(
    scale: Callable[[float], float],
    side: Side,
    frame: Frame,
    theme: Theme,
    fmt: Callable[[float], str],
    ticks: Sequence[float],
    title: str | None = None,
    grid: bool = True,
) -> Node:
    """A quantitative axis: tick labels, light gridlines across the plot, an optional title.

    Labels along the bottom that would overlap are thinned to every k-th one (gridlines stay).
    """
    labels = [fmt(t) for t in ticks]
    positions = [scale(t) for t in ticks]
    every = 1
    if side == "bottom" and len(ticks) > 1:
        gap = min(abs(b - a) for a, b in itertools.pairwise(positions)) or 1.0
        widest = max(text_width(label) for label in labels)
        every = max(1, math.ceil((widest + 8) / gap))
    lines: list[Node | str | None] = []
    texts: list[Node | str | None] = []
    for i, (pos, label) in enumerate(zip(positions, labels, strict=True)):
        if side == "left":
            ends = {"x1": frame.x0, "x2": frame.x1, "y1": pos, "y2": pos}
            place: dict[str, object] = {
                "x": frame.x0 - 6,
                "y": pos,
                "text-anchor": "end",
                "dominant-baseline": "middle",
            }
        else:
            ends = {"x1": pos, "x2": pos, "y1": frame.y0, "y2": frame.y1}
            place = {"x": pos, "y": frame.y1 + 6, "dy": "0.8em", "text-anchor": "middle"}
        if grid:
            lines.append(h("line", {"class": "grid", **ends}))
        if i % every == 0:
            texts.append(h("text", {"class": "tick-label", "fill": theme.muted, **place}, label))
    extent = value_label_extent(labels, side)
    axis_title = _axis_title(title, side, frame, extent, theme) if title else None
    return h(
        "g",
        {"class": f"axis axis-{side} axis-value", "font-size": FONT_SIZE},
        h("g", {"class": "grid-lines", "stroke": theme.grid, "stroke-width": 1}, *lines),
        *texts,
        axis_title,
    )


def value_label_extent(labels: Sequence[str], side: Side) -> float:
    """Room the tick labels of a value axis need (width on the left, height below)."""
    if side == "left":
        return max((text_width(label) for label in labels), default=0.0) + 8
    return FONT_SIZE + 8


def baseline(orientation: Literal["vertical", "horizontal"], pos: float, frame: Frame, theme: Theme) -> Node:
    """The zero line, drawn over the marks' gridlines so bars visibly start from it."""
    if orientation == "vertical":
        ends = {"x1": pos, "x2": pos, "y1": frame.y0, "y2": frame.y1}
    else:
        ends = {"x1": frame.x0, "x2": frame.x1, "y1": pos, "y2": pos}
    return h("line", {"class": "baseline", "stroke": theme.axis, **ends})
