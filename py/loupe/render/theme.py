"""Colours for light and dark themes and colour-blind-safe palettes.

Charts put these colours on marks as SVG attributes, so an exported file looks right on its own;
in the page, CSS rules on the same class names (`.bar`, `.axis`, ...) may override them per theme.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe & Ito (2008), reordered to put the strongest contrasts first; safe for the common
# colour-vision deficiencies. Black is left out (it is the text colour).
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#999999",
)
# Tableau 10 for charts with more than eight series (colours repeat only after 18).
TABLEAU10: tuple[str, ...] = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
# Viridis stops (perceptually uniform, colour-blind safe) for sequential scales.
VIRIDIS: tuple[str, ...] = ("#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725")
# Blue - light grey - orange (colour-blind safe) for diverging scales around a midpoint.
DIVERGING: tuple[str, ...] = ("#2166AC", "#92C5DE", "#F7F7F7", "#F4A582", "#B2182B")


@dataclass(frozen=True)
class Theme:
    """Named colours a chart needs besides its data colours."""

    name: str
    background: str
    text: str
    muted: str
    axis: str
    grid: str
    mark_stroke: str  # outline between adjacent marks (stacked bars, heatmap cells)
    alert: str = "#CF222E"  # bars and points that meet an alert rule


THEMES: dict[str, Theme] = {
    "light": Theme("light", "#FFFFFF", "#1F2328", "#59636E", "#8C959F", "#E6E8EB", "#FFFFFF", "#CF222E"),
    "dark": Theme("dark", "#0D1117", "#E6EDF3", "#9198A1", "#6E7681", "#262C36", "#0D1117", "#FF7B72"),
}


def get_theme(name: str) -> Theme:
    """The named theme; anything unknown gets the light one (the export default)."""
    return THEMES.get(name, THEMES["light"])


def categorical(index: int) -> str:
    """The colour of series number `index` (0-based)."""
    if index < len(OKABE_ITO):
        return OKABE_ITO[index]
    return TABLEAU10[(index - len(OKABE_ITO)) % len(TABLEAU10)]


def _mix(a: str, b: str, t: float) -> str:
    ra, ga, ba = (int(a[i : i + 2], 16) for i in (1, 3, 5))
    rb, gb, bb = (int(b[i : i + 2], 16) for i in (1, 3, 5))
    r, g, b_ = (round(p + (q - p) * t) for p, q in ((ra, rb), (ga, gb), (ba, bb)))
    return f"#{r:02X}{g:02X}{b_:02X}"


def interpolate(stops: tuple[str, ...], t: float) -> str:
    """The colour at fraction t (clamped to 0..1) along evenly spaced colour stops."""
    t = min(1.0, max(0.0, t))
    position = t * (len(stops) - 1)
    i = min(int(position), len(stops) - 2)
    return _mix(stops[i], stops[i + 1], position - i)


def ink_for(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (a #RRGGBB colour)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "#FFFFFF"
