"""The only module that knows it may be running inside Pyodide: the worker's entry point and runtime facts."""

from __future__ import annotations

import sqlite3
import sys

from loupe.api import handle_json
from loupe.read.options import MAX_BYTES

IN_PYODIDE = sys.platform == "emscripten"


def call(method: str, params_json: str) -> str:
    """What the worker calls for every request: JSON text in, JSON text out (no JS proxies to free)."""
    return handle_json(method, params_json)


def runtime() -> dict[str, str | int]:
    """Facts the page shows in its footer (where Python runs, which SQLite answers), and the file size
    limit, so the page refuses a larger file before reading it."""
    return {
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "platform": "Pyodide (WebAssembly)" if IN_PYODIDE else sys.platform,
        "max_bytes": MAX_BYTES,
    }
