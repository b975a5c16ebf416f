"""What a session reads and what it is told to hold: opening a staged file, checking a document from
outside (a link, an imported file), closing the session."""

from __future__ import annotations

import os
from typing import Any

from loupe.read import load_file
from loupe.render.chart_form import default_chart
from loupe.service.request import Request
from loupe.service.session import SESSIONS, columns_json, session_for


def open_file(request: Request) -> dict[str, Any]:
    """Read a file the page wrote into the virtual file system and load it as a table."""
    session = session_for(request)
    params = request.params
    path = str(params["path"])
    filename = str(params.get("filename") or os.path.basename(path))
    # The reader names the table from the file name ("Sales 2024.csv" -> sales_2024), usable in steps;
    # a database table or one of several sheets by its own name, so two of them can be joined.
    table = load_file(
        session.engine, path, filename, options=params.get("options"), remove=bool(params.get("remove_after"))
    )
    session.forget_results()
    session.current = table.name
    return {
        "table": table.name,
        "filename": filename,
        "columns": columns_json(table.columns),
        "row_count": table.row_count,
        "notes": table.notes,
        "source": table.source,
        "default_chart": default_chart(table.columns),  # what the page draws first for a new table
    }


def document(request: Request) -> dict[str, Any]:
    """Validate a saved or shared document (an older version or a bare pipeline is migrated) and return
    its normalized JSON; a SpecError's `field` is the path of what is wrong, e.g. "sources[1].kind"."""
    from loupe.document import parse_document

    return {"document": parse_document(request.params.get("document")).to_json(), "errors": []}


def close(request: Request) -> dict[str, Any]:
    SESSIONS.pop(request.session, None)
    return {"closed": True}
