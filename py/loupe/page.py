"""Loupe in a page whose Python runs on the main thread (PyScript, or a page that loads Pyodide itself):
`show(data, chart=..., target="#id")` puts a table or a chart in the page. `view` is the pure half: the
same requests (`open`, `view`) and render code as the widget, element trees out; `show` builds them."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

from loupe.errors import LoupeError, SpecError
from loupe.render.tree import Node

SVG_NS = "http://www.w3.org/2000/svg"
PARTS = ("chart", "table")
WINDOW_ROWS = 20  # the widget's window: a page shows a glance, the explorer is for scrolling
# The fields of the service's one error shape that LoupeError takes back.
_ERROR_FIELDS = ("hint", "step", "verb", "field", "row", "column", "snippet")

Data = str | bytes | Sequence[Mapping[str, Any]]


def view(
    data: Data,
    *,
    chart: Mapping[str, Any] | None = None,
    pipeline: Sequence[Mapping[str, Any]] = (),
    show: str | None = None,
    filename: str | None = None,
    theme: str = "light",
    width: int = 640,
    limit: int = WINDOW_ROWS,
    session: str = "page",
) -> dict[str, Any]:
    """What to show of `data` (CSV text, a file's bytes named by `filename`, or records): the row count,
    the columns and the `chart` and/or `table` trees that `show` asks for ("chart" when a chart is
    given, else "table"). Raises the LoupeError the widget would show."""
    from loupe import api  # here: `import loupe.page` must stay cheap, like `import loupe`

    parts = _parts(show, chart)
    name, payload = _as_file(data, filename)
    handle, path = tempfile.mkstemp(suffix=os.path.splitext(name)[1])
    with os.fdopen(handle, "wb") as file:
        file.write(payload)
    api.handle("close", {"session": session})  # a second show() into the same place starts afresh
    opened = _result(
        api.handle("open", {"session": session, "path": path, "filename": name, "remove_after": True})
    )
    params = {"session": session, "table": opened["table"], "pipeline": list(pipeline), "limit": limit}
    params.update(theme=theme, width=width, locale="en-US", chart=dict(chart) if chart else None)
    result = _result(api.handle("view", params))
    if "chart" in parts and "chart_error" in result:
        raise _error(result["chart_error"])
    shown = {part: result.get(part) if part in parts else None for part in PARTS}
    return {"row_count": result["row_count"], "columns": result["columns"], **shown}


def show(
    data: Data,
    *,
    target: Any,
    chart: Mapping[str, Any] | None = None,
    pipeline: Sequence[Mapping[str, Any]] = (),
    show: str | None = None,
    filename: str | None = None,
    theme: str = "light",
    limit: int = WINDOW_ROWS,
) -> dict[str, Any]:
    """Put the table or chart of `data` in the page element `target` (a CSS selector or the element),
    inside the widget's box (style it with app/loupe.css). An error is shown there in words, then raised.
    Returns {"rows", "columns"}, as the widget's loupe-ready event says."""
    from js import document  # only in a browser page

    element = document.querySelector(target) if isinstance(target, str) else target
    if element is None:
        raise SpecError(f"no element in the page matches {target!r}", field="target")
    element.dataset.loupeState = "busy"
    box = document.createElement("div")
    box.className = "loupe-widget"
    width = max(320, min(1200, int(element.clientWidth or 640)))  # the widget's bounds
    session = f"page:{target if isinstance(target, str) else id(target)}"  # one per place in the page
    try:
        shown = view(data, chart=chart, pipeline=pipeline, show=show, filename=filename, theme=theme,
                     width=width, limit=limit, session=session)  # fmt: skip
    except LoupeError as error:
        status = document.createElement("p")
        status.className = "status error"
        status.setAttribute("role", "alert")
        status.textContent = str(error)
        box.append(status)
        element.replaceChildren(box)
        element.dataset.loupeState = "error"
        raise
    for part, holder, tag in (("chart", "chart", "figure"), ("table", "table-wrap", "div")):
        if shown[part] is not None:
            wrap = document.createElement(tag)
            wrap.className = holder
            wrap.append(build_node(document, shown[part]))
            box.append(wrap)
    element.replaceChildren(box)
    element.dataset.loupeState = "ready"
    return {"rows": shown["row_count"], "columns": shown["columns"]}


def build_node(document: Any, tree: Node | str, in_svg: bool = False) -> Any:
    """A DOM node from an element tree, as app/tree.js builds it: createElement(NS), setAttribute and
    text nodes, nothing parsed as markup (the tree's tags and attributes passed h()'s allow-lists)."""
    if isinstance(tree, str):
        return document.createTextNode(tree)
    tag, attrs, *children = tree
    svg = in_svg or tag == "svg"
    node = document.createElementNS(SVG_NS, tag) if svg else document.createElement(tag)
    for name, value in attrs.items():
        node.setAttribute(name, _attribute_text(value))
    for child in children:
        node.append(build_node(document, child, svg))
    return node


def _attribute_text(value: object) -> str:
    """An attribute value as JavaScript's String() writes it (1.0 -> "1"), so the DOM matches the widget's."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parts(show: str | None, chart: Mapping[str, Any] | None) -> list[str]:
    if show is None:
        return ["chart"] if chart else ["table"]
    parts = show.split()
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        raise SpecError(f'show must be "chart", "table" or "chart table", not {show!r}', field="show")
    if "chart" in parts and not chart:
        raise SpecError(
            'show="chart" needs a chart, e.g. chart={"type": "bar", "x": "region"}', field="chart"
        )
    return parts


def _as_file(data: Data, filename: str | None) -> tuple[str, bytes]:
    """The data as a named file for the reader, as the widget makes one: records become data.json."""
    if isinstance(data, str):
        return filename or "data.csv", data.encode("utf-8")
    if isinstance(data, bytes | bytearray | memoryview):
        if not filename:
            raise SpecError(
                "bytes need a filename that says their format, e.g. 'sales.xlsx'", field="filename"
            )
        return filename, bytes(data)
    if isinstance(data, Sequence) and all(isinstance(record, Mapping) for record in data):
        records = [dict(record) for record in data if isinstance(record, Mapping)]
        return filename or "data.json", json.dumps(records, default=str).encode()
    raise SpecError(
        f"show() takes CSV text, a file's bytes or a list of records (dicts), not {type(data).__name__}",
        field="data",
    )


def _result(reply: Mapping[str, Any]) -> dict[str, Any]:
    if reply["ok"]:
        return dict(reply["result"])
    raise _error(reply["error"])


def _error(error: Mapping[str, Any]) -> LoupeError:
    """The service's error shape back as a LoupeError with its step, column and hint."""
    return LoupeError(str(error["message"]), **{key: error[key] for key in _ERROR_FIELDS if key in error})
