"""The only module that knows it may be running inside Pyodide: the worker's entry point and runtime facts."""

from __future__ import annotations

import sqlite3
import sys

from loupe.api import handle_json
from loupe.progress import Reporter, reporting
from loupe.read.options import MAX_BYTES

IN_PYODIDE = sys.platform == "emscripten"


def call(method: str, params_json: str) -> str:
    """What the worker calls for every request: JSON text in, JSON text out (no JS proxies to free).
    Inside Pyodide, progress reports go to the page while the request runs (the page's thread is free)."""
    if not IN_PYODIDE:
        return handle_json(method, params_json)
    with reporting(_poster()):
        return handle_json(method, params_json)


def _poster() -> Reporter:
    """A reporter that posts {type: "work", stage, percent} to the page, once per whole percent."""
    from js import Object, postMessage
    from pyodide.ffi import to_js

    last = -1

    def post(stage: str, fraction: float) -> None:
        nonlocal last
        percent = int(fraction * 100)
        if percent != last:
            last = percent
            message = {"type": "work", "stage": stage, "percent": percent}
            postMessage(to_js(message, dict_converter=Object.fromEntries))

    return post


def runtime() -> dict[str, str | int]:
    """Facts the page shows in its footer (where Python runs, which SQLite answers), and the file size
    limit, so the page refuses a larger file before reading it."""
    return {
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "platform": "Pyodide (WebAssembly)" if IN_PYODIDE else sys.platform,
        "max_bytes": MAX_BYTES,
    }
