"""Exports: the pipeline's whole result in a data format (loupe.export writes it), or the pipeline
itself as JSON, SQL or a Python script that reruns it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loupe.errors import SpecError, did_you_mean
from loupe.export import file_name, pipeline_json, pipeline_python, pipeline_sql, write_file
from loupe.pipeline import parse_pipeline
from loupe.python_code import Source, pipeline_code
from loupe.service.request import Request
from loupe.service.session import session_for

PIPELINE_EXPORTS = {
    "pipeline": (".pipeline.json", "application/json"),
    "sql": (".sql", "application/sql"),
    "python": ("_rerun.py", "text/x-python"),
}
DATA_MIME = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export(request: Request) -> dict[str, Any]:
    """Write the pipeline's whole result (or the pipeline itself) to `path`: the worker hands the bytes to
    the page as a download, the command line keeps the file. CSV is spreadsheet-safe unless safe=false."""
    session = session_for(request)
    params = request.params
    fmt = str(params.get("format", "csv"))
    path = str(params["path"])
    _, query = session.query(request)
    table = session.table_of(request)
    if fmt in PIPELINE_EXPORTS:
        raw = request.pipeline or []
        spec: Any = dict(raw) if isinstance(raw, Mapping) else {"version": 1, "steps": list(raw)}
        spec.setdefault("source", table)
        pipeline = parse_pipeline(spec)
        data = str(params.get("data") or f"{table}.csv")
        text = {
            "pipeline": lambda: pipeline_json(pipeline),
            "sql": lambda: pipeline_sql(query),
            "python": lambda: pipeline_python(pipeline, data),
        }[fmt]()
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        suffix, mime = PIPELINE_EXPORTS[fmt]
        return {"filename": file_name(table, suffix), "mime": mime, "format": fmt}
    if fmt not in DATA_MIME:
        choices = [*DATA_MIME, *PIPELINE_EXPORTS]
        raise SpecError(f"cannot export as {fmt!r}", field="format", hint=did_you_mean(fmt, choices))
    result = session.engine.execute(query)
    write_file(path, result.columns, result.rows, fmt=fmt, safe=params.get("safe", True) is not False)
    name = file_name(table, f".{fmt}")  # a table name is data (a sheet, a SQLite table, a file name)
    return {"filename": name, "mime": DATA_MIME[fmt], "format": fmt, "rows": len(result.rows)}


def python_code(request: Request) -> dict[str, Any]:
    """The pipeline so far as Python that reruns it natively ("Show Python"). `sources` lists the files
    the tables were read from ({"table", "file", "options"}), the shown table first."""
    session = session_for(request)
    table = session.table_of(request)
    parse_pipeline(request.steps)  # code is only written for steps that parse
    raw = request.params.get("sources")
    given = [Source.parse(entry, i) for i, entry in enumerate(raw if isinstance(raw, list) else [])]
    first = next((s for s in given if s.table == table), Source(table, f"{table}.csv"))
    sources = [first, *(s for s in given if s.table != table)]
    return {"python": pipeline_code(request.steps, sources)}
