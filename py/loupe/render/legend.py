"""Legends: colour swatches with labels, laid out in rows under the chart title.

Continuous colour scales pass a few (tick label, colour) pairs, so one layout serves both.
"""

from __future__ import annotations

from collections.abc import Sequence

from loupe.render.layout import FONT_SIZE, fit_text, text_width
from loupe.render.theme import Theme
from loupe.render.tree import Node, h

PAD = 10
LEGEND_ROW = 18
MAX_LABEL = 160  # px before an entry's label is cut (its full text stays in a <title>)


def legend(
    entries: Sequence[tuple[str, str]], title: str | None, width: float, y: float, theme: Theme
) -> tuple[Node | None, int]:
    """Swatches laid out in rows across the top; returns the node and the number of rows."""
    if not entries:
        return None, 0
    items: list[Node | str | None] = []
    x, row = float(PAD), 0
    if title:
        items.append(
            h(
                "text",
                {
                    "class": "legend-title",
                    "x": x,
                    "y": y + 9,
                    "fill": theme.text,
                    "font-weight": "600",
                    "dominant-baseline": "middle",
                },
                title,
            )
        )
        x += text_width(title, bold=True) + 12
    for i, (name, colour) in enumerate(entries):
        text, cut = fit_text(name, MAX_LABEL)
        need = 14 + text_width(text) + 14
        if x + need > width - PAD and x > PAD:
            x, row = float(PAD), row + 1
        top = y + row * LEGEND_ROW
        items.append(
            h(
                "g",
                {"class": "legend-item", "data-series": i},
                h(
                    "rect",
                    {
                        "class": "swatch",
                        "x": x,
                        "y": top + 4,
                        "width": 10,
                        "height": 10,
                        "rx": 2,
                        "fill": colour,
                    },
                ),
                h(
                    "text",
                    {"x": x + 14, "y": top + 9, "fill": theme.text, "dominant-baseline": "middle"},
                    h("title", {}, name) if cut else None,
                    text,
                ),
            )
        )
        x += need
    return h("g", {"class": "legend", "font-size": FONT_SIZE}, *items), row + 1
