"""What a session reads and what it is told to hold: opening a staged file, checking a document from
outside (a link, an imported file), closing the session."""

from __future__ import annotations

import os
from typing import Any

from loupe.engine import Engine
from loupe.read import load_file
from loupe.read.slices import SlicedFile
from loupe.render.chart_form import default_chart
from loupe.service.request import Request
from loupe.service.session import SESSIONS, Session, columns_json, session_for
from loupe.table import TableInfo


def open_file(request: Request) -> dict[str, Any]:
    """Read a file the page put into the virtual file system (a mounted File, or bytes it wrote) and
    load it as a table; with `fingerprint`, the reply has the file's SHA-256 (hashed as it was read)."""
    session = session_for(request)
    params = request.params
    path = str(params.get("path") or params.get("filename") or "data")
    filename = str(params.get("filename") or os.path.basename(path))
    if params.get("large_file"):  # the worker gave the file to the large-data engine (DuckDB-WASM)
        from loupe.duckdb_wasm import open_large

        table = open_large(session, str(params["large_file"]), filename)
        return _opened(session, table, filename, {})
    if session.engine.dialect != "sqlite":
        session.engine = Engine()  # a small file after a large one: back to SQLite, a new database
    file = SlicedFile(path, fingerprint=bool(params.get("fingerprint")))
    # The reader names the table from the file name ("Sales 2024.csv" -> sales_2024), usable in steps;
    # a database table or one of several sheets by its own name, so two of them can be joined.
    table = load_file(
        session.engine, file, filename, options=params.get("options"), remove=bool(params.get("remove_after"))
    )
    return _opened(session, table, filename, {"sha256": file.sha256()} if file.fingerprint else {})


def _opened(session: Session, table: TableInfo, filename: str, fingerprint: dict[str, str]) -> dict[str, Any]:
    session.forget_results()
    session.current = table.name
    return {
        **fingerprint,
        "table": table.name,
        "filename": filename,
        "columns": columns_json(table.columns),
        "row_count": table.row_count,
        "notes": table.notes,
        "source": table.source,
        "default_chart": default_chart(table.columns),  # what the page draws first for a new table
    }


def fingerprint(request: Request) -> dict[str, Any]:
    """The SHA-256 of a file in the virtual file system, read in slices (the page matches a file the
    user chose against the one a document was made with before reading it)."""
    return {"sha256": SlicedFile(str(request.params["path"])).sha256()}


def document(request: Request) -> dict[str, Any]:
    """Validate a saved or shared document (an older version or a bare pipeline is migrated) and return
    its normalized JSON; a SpecError's `field` is the path of what is wrong, e.g. "sources[1].kind"."""
    from loupe.document import parse_document

    return {"document": parse_document(request.params.get("document")).to_json(), "errors": []}


def close(request: Request) -> dict[str, Any]:
    SESSIONS.pop(request.session, None)
    return {"closed": True}
