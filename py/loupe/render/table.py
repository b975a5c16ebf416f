"""A window of rows as an HTML `table` tree: typed headers, formatted cells, sort state, sketches.

The page shows only a window (offset .. offset+len(rows)) of a large result and scrolls by asking
for the next one, so rows carry their absolute index in `data-row` and `aria-rowindex`. Rows the
flag_outliers verb flagged get class `flagged` and a `flag-marker` beside their number, labelled
with the reason; rows an alert rule marks (`alerts`, worked out by loupe.render.highlight) get
class `alert` and an `alert-marker` labelled with the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from loupe.render.flags import flag_reasons, is_flagged, reason_text
from loupe.render.format import format_number
from loupe.render.tree import Node, h
from loupe.table import Column, Value

MAX_TEXT = 80  # characters shown in a cell before truncating (full text goes in a title)
_NUMERIC = frozenset({"integer", "float"})
_TYPE_BADGES = {
    "integer": "int",
    "float": "float",
    "boolean": "bool",
    "date": "date",
    "datetime": "datetime",
    "text": "text",
}


def _sketch(values: Sequence[float]) -> Node | None:
    """A tiny bar sparkline (histogram or top-value counts) for a column header."""
    if not values:
        return None
    width, height = 64, 16
    top = max((v for v in values if v > 0), default=0.0)
    bar = width / len(values)
    bars: list[Node | str | None] = []
    for i, v in enumerate(values):
        if top <= 0 or v <= 0:
            continue
        bar_height = max(1.0, v / top * height)
        bars.append(
            h(
                "rect",
                {
                    "class": "sketch-bar",
                    "x": i * bar,
                    "y": height - bar_height,
                    "width": max(0.5, bar - 0.5),
                    "height": bar_height,
                },
            )
        )
    return h(
        "svg",
        {
            "class": "sketch",
            "viewBox": f"0 0 {width} {height}",
            "width": width,
            "height": height,
            "aria-hidden": "true",
            "focusable": "false",
        },
        *bars,
    )


def _header(
    index: int,
    column: Column,
    sort_rank: Mapping[str, tuple[int, bool]],
    sketches: Mapping[str, Sequence[float]],
) -> Node:
    classes = ["col"]
    if column.type in _NUMERIC:
        classes.append("num")
    rank = sort_rank.get(column.name)
    aria_sort = None
    data_sort = None
    if rank is not None:
        position, desc = rank
        data_sort = "desc" if desc else "asc"
        classes.append("sorted")
        if position == 0:  # aria-sort belongs on one header only: the primary key
            aria_sort = "descending" if desc else "ascending"
    sketch = sketches.get(column.name)
    return h(
        "th",
        {
            "scope": "col",
            "class": " ".join(classes),
            "data-column": column.name,
            "data-type": column.type,
            "data-col": index,
            "aria-sort": aria_sort,
            "data-sort": data_sort,
            "data-sort-rank": None if rank is None else rank[0] + 1,
            "tabindex": "0",
        },
        h("span", {"class": "name"}, column.name),
        h("span", {"class": "type", "title": column.type}, _TYPE_BADGES.get(column.type, "?")),
        _sketch(sketch) if sketch is not None else None,
    )


MAX_SHARED_DECIMALS = 6


def shared_decimals(values: Sequence[Value]) -> int | None:
    """Decimals that show every float in `values` exactly (as 12 significant digits show it),
    so a column reads 19.85 / 87.80 rather than 19.85 / 87.8; None when that would need rounding
    (more than MAX_SHARED_DECIMALS) or exponents.

    >>> shared_decimals([87.8, 19.85, 3.0]), shared_decimals([1e-9])
    (2, None)
    """
    most = 0
    for v in values:
        if type(v) is not float or v != v or v in (float("inf"), float("-inf")):
            continue
        text = f"{v:.12g}"
        if "e" in text:
            return None
        most = max(most, len(text.partition(".")[2]))
    return most if most <= MAX_SHARED_DECIMALS else None


def render_cell(value: Value, column: Column, *, locale: str = "en-US", decimals: int | None = None) -> Node:
    """One `td`: formatted text with a class saying what kind of value it is.

    Written as literal nodes, not through `h`: a window is a thousand cells and every tag and
    attribute name here is a constant in the allow-list (tests run `check` over rendered tables).
    """
    if value is None:
        return ["td", {"class": "null"}, "null"]
    if isinstance(value, bool):
        return ["td", {"class": "bool"}, "true" if value else "false"]
    if isinstance(value, int | float):
        # Python ints are exact at any size; the tree carries text, so JS never rounds them.
        places = decimals if isinstance(value, float) else None
        return ["td", {"class": "num"}, format_number(value, locale=locale, decimals=places)]
    text = str(value)
    kind = "date" if column.type in ("date", "datetime") else "text"
    if len(text) > MAX_TEXT:
        # Focusable, so keyboard users can reveal the full value too (the page's CSS shows the title).
        return ["td", {"class": f"{kind} trunc", "title": text, "tabindex": 0}, text[: MAX_TEXT - 1] + "…"]
    return ["td", {"class": kind}, text]


def render_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    *,
    offset: int = 0,
    total: int | None = None,
    sort: Sequence[tuple[str, bool]] = (),
    sketches: Mapping[str, Sequence[float]] | None = None,
    locale: str = "en-US",
    alerts: Sequence[str | None] | None = None,
) -> Node:
    """An HTML table tree for rows offset .. offset+len(rows) of a result of `total` rows.

    `sort` lists (column, descending) pairs, primary key first, to mark the headers; `sketches`
    maps a column name to bar heights for a tiny distribution chart in its header; `alerts` gives,
    row by row, the words of the alert rules it meets ("alert: revenue > 5,000") or None.

    >>> render_table([Column("n", "integer")], [(1234,)])[3][2][3]
    ['td', {'class': 'num'}, '1,234']
    """
    sort_rank: dict[str, tuple[int, bool]] = {}
    for name, desc in sort:
        # A repeated column keeps its first (strongest) position.
        sort_rank.setdefault(name, (len(sort_rank), desc))
    shown_total = len(rows) + offset if total is None else total
    head = h(
        "thead",
        {},
        h(
            "tr",
            {"aria-rowindex": 1},
            h("th", {"scope": "col", "class": "rownum", "aria-label": "row"}, "#"),
            *(_header(i, c, sort_rank, sketches or {}) for i, c in enumerate(columns)),
        ),
    )
    # Floats in a column share their decimals within the window, as a spreadsheet format would.
    places = [
        shared_decimals([row[i] for row in rows]) if c.type == "float" else None
        for i, c in enumerate(columns)
    ]
    position = {c.name: i for i, c in enumerate(columns)}
    flags = [(position[f], None if r is None else position[r]) for f, r in flag_reasons(columns).items()]
    body_rows: list[Node | str | None] = []
    for i, row in enumerate(rows):
        index = offset + i
        cells = [
            render_cell(value, column, locale=locale, decimals=d)
            for value, column, d in zip(row, columns, places, strict=True)
        ]
        number: Node = ["th", {"scope": "row", "class": "rownum"}, format_number(index + 1, locale=locale)]
        attrs: dict[str, object] = {"data-row": index, "aria-rowindex": index + 2}
        reasons = [reason_text(row, r) for f, r in flags if is_flagged(row[f])] if flags else []
        classes = []
        if reasons:
            words = "outlier: " + "; ".join(reasons)
            classes.append("flagged")
            attrs["data-flagged"] = "true"
            number.append(
                ["span", {"class": "flag-marker", "role": "img", "aria-label": words, "title": words}, "⚑"]
            )
        alert = alerts[i] if alerts is not None and i < len(alerts) else None
        if alert:
            classes.append("alert")
            attrs["data-alert"] = "true"
            number.append(
                ["span", {"class": "alert-marker", "role": "img", "aria-label": alert, "title": alert}, "!"]
            )
        if classes:
            attrs["class"] = " ".join(classes)
        body_rows.append(["tr", attrs, number, *cells])
    return h(
        "table",
        {
            "class": "loupe-table",
            "aria-rowcount": shown_total + 1,
            "aria-colcount": len(columns) + 1,
            "data-offset": offset,
            "data-total": shown_total,
        },
        head,
        h("tbody", {}, *body_rows),
    )
