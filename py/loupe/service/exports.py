"""Exports: the pipeline's whole result in a data format (loupe.export writes it), the pipeline itself
as JSON, SQL or Python that reruns it (loupe.python_code, as "Show Python"), or an HTML report of the
document (loupe.report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from loupe.document import parse_document
from loupe.errors import LoupeError, SpecError, did_you_mean
from loupe.export import file_name, pipeline_json, pipeline_sql, write_file
from loupe.pipeline import parse_pipeline
from loupe.python_code import Source, pipeline_code
from loupe.render.tree import Node
from loupe.report import REPORT_ROWS, ReportTable, report_html
from loupe.service.request import Request
from loupe.service.session import Session, session_for
from loupe.service.views import draw_chart
from loupe.verbs import REGISTRY

TEXT_EXPORTS = {
    "pipeline": (".pipeline.json", "application/json"),
    "sql": (".sql", "application/sql"),
    "python": ("_rerun.py", "text/x-python"),
    "report": (".report.html", "text/html"),
}
DATA_MIME = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REPORT_CHART_WIDTH = 720


def export(request: Request) -> dict[str, Any]:
    """Write the pipeline's whole result (or the pipeline, or the report) to `path`: the worker hands the
    bytes to the page as a download, the command line keeps the file. Data is spreadsheet-safe (formula
    guard, floats at 15 digits) unless safe=false; bom=true starts a CSV or TSV with a UTF-8 BOM."""
    session = session_for(request)
    params = request.params
    fmt = str(params.get("format", "csv"))
    path = str(params["path"])
    table = session.table_of(request)
    if fmt in TEXT_EXPORTS:
        text = _text_export(session, request, fmt, table)
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        suffix, mime = TEXT_EXPORTS[fmt]
        return {"filename": file_name(table, suffix), "mime": mime, "format": fmt}
    if fmt not in DATA_MIME:
        choices = [*DATA_MIME, *TEXT_EXPORTS]
        raise SpecError(f"cannot export as {fmt!r}", field="format", hint=did_you_mean(fmt, choices))
    _, query = session.query(request)
    result = session.engine.execute(query)
    safe = params.get("safe", True) is not False
    write_file(path, result.columns, result.rows, fmt=fmt, safe=safe, bom=params.get("bom") is True)
    name = file_name(table, f".{fmt}")  # a table name is data (a sheet, a SQLite table, a file name)
    return {"filename": name, "mime": DATA_MIME[fmt], "format": fmt, "rows": len(result.rows)}


def _text_export(session: Session, request: Request, fmt: str, table: str) -> str:
    if fmt == "report":
        return report(session, request)
    if fmt == "python":
        return pipeline_code(request.steps, _sources(request, table))
    _, query = session.query(request)
    if fmt == "sql":
        return pipeline_sql(query)
    raw = request.pipeline or []
    spec: Any = dict(raw) if isinstance(raw, Mapping) else {"version": 1, "steps": list(raw)}
    spec.setdefault("source", table)
    return pipeline_json(parse_pipeline(spec))


def _sources(request: Request, table: str) -> list[Source]:
    """The files the tables were read from ({"table", "file", "options"} each), the shown table first."""
    raw = request.params.get("sources")
    given = [Source.parse(entry, i) for i, entry in enumerate(raw if isinstance(raw, list) else [])]
    first = next((s for s in given if s.table == table), Source(table, f"{table}.csv"))
    return [first, *(s for s in given if s.table != table)]


def python_code(request: Request) -> dict[str, Any]:
    """The pipeline so far as Python that reruns it natively ("Show Python"). `sources` lists the files
    the tables were read from ({"table", "file", "options"}), the shown table first."""
    table = session_for(request).table_of(request)
    parse_pipeline(request.steps)  # code is only written for steps that parse
    return {"python": pipeline_code(request.steps, _sources(request, table))}


def report(session: Session, request: Request) -> str:
    """The document (`document`, else the request's table, steps and chart) as an HTML report: each
    table whose data is loaded, with its steps in words, its charts and its first rows."""
    raw = request.params.get("document")
    if raw is None:
        table = session.table_of(request)
        charts = [("Chart", request.chart)] if request.chart else []
        parts = [_report_table(session, request, table, table, request.steps, charts)]
        return report_html(table, parts, made=dt.datetime.now())
    doc = parse_document(raw)
    loaded = set(session.engine.tables())
    parts = []
    for entry in doc.tables:
        if entry.pipeline.source not in loaded:
            continue  # a table whose file is not open here (a document waiting for it)
        steps = [dict(step.raw) for step in entry.pipeline.steps]
        charts = [
            (str(c.spec.get("title") or f"Chart {i + 1}"), c.spec)
            for i, c in enumerate(c for c in doc.charts if c.table == entry.name)
        ]
        parts.append(_report_table(session, request, entry.name, entry.pipeline.source, steps, charts))
    if not parts:
        raise LoupeError("none of the document's tables is loaded", hint="open the document's files first")
    active = doc.active or doc.tables[0]
    title = doc.title or doc.source_of(active).name  # as the page names an untitled document
    return report_html(title, parts, made=dt.datetime.now(), locale=request.locale or "en-US")


def _report_table(
    session: Session,
    request: Request,
    name: str,
    source: str,
    steps: list[Any],
    charts: list[tuple[str, Mapping[str, Any]]],
) -> ReportTable:
    sub = replace(request, table=source, pipeline=steps, steps=steps, width=REPORT_CHART_WIDTH, theme="light")
    _, query = session.query(sub)
    result, total = session.engine.page(query, limit=REPORT_ROWS)
    pipeline = parse_pipeline(steps)
    words = [
        REGISTRY[s.verb].describe(s.spec) + ("" if s.enabled else " (switched off)") for s in pipeline.steps
    ]
    drawn: list[tuple[str, Node]] = []
    for title, spec in charts:
        try:
            tree, _ = draw_chart(session, sub, spec)
        except LoupeError as exc:
            tree = ["p", {"class": "small"}, f"This chart could not be drawn: {exc}"]
        drawn.append((title, tree))
    return ReportTable(name, words, result.columns, result.rows, total, drawn)
