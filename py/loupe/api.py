"""The one entry point the worker, the widget and the tests call: handle(method, params) -> JSON-able dict.

State lives in sessions keyed by an id the page chooses, so several <loupe-view> widgets can share one
worker (and one Python) without seeing each other's tables.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from loupe.budget import DEFAULT_BUDGET_S, time_budget
from loupe.engine import Engine, Result
from loupe.errors import BudgetError, LoupeError, SpecError, did_you_mean, error_reply
from loupe.export import file_name, pipeline_json, pipeline_python, pipeline_sql, write_file
from loupe.pipeline import Query, parse_pipeline, parse_step
from loupe.profile import profile_column, profile_table
from loupe.read import load_file, read_bytes
from loupe.render.chart import chart_stats_steps, chart_steps, chart_table, render_chart
from loupe.render.gallery import gallery_specs
from loupe.render.profile import render_profile, sketch_values
from loupe.render.table import render_table
from loupe.render.tree import Node, svg_document
from loupe.sql import quote_ident
from loupe.table import Column, Table
from loupe.verbs import REGISTRY

Params = Mapping[str, Any]
DEFAULT_WINDOW = 100
MAX_WINDOW = 1000


@dataclass
class Session:
    """One widget's (or page's) tables, in its own in-memory database.

    Compiled queries are cached by pipeline text: scrolling a table asks for many windows of one
    result, and compiling (pivot looks values up) should not repeat; the engine remembers row counts.
    """

    engine: Engine = field(default_factory=Engine)
    current: str | None = None
    queries: dict[str, Query] = field(default_factory=dict)
    sketches: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    # The one result stored in order for fast windows (key, query over the stored rows).
    stored: tuple[str, Query] | None = None
    # The steps of the last view that finished: a step added to them that runs too long is named.
    finished: list[Any] = field(default_factory=list)

    def forget_results(self) -> None:
        self.queries.clear()
        self.sketches.clear()
        if self.stored:
            self.engine.forget(STORED_RESULT)
            self.stored = None


_sessions: dict[str, Session] = {}


def session_for(params: Params) -> Session:
    key = str(params.get("session", "default"))
    if key not in _sessions:
        _sessions[key] = Session()
    return _sessions[key]


def columns_json(columns: tuple[Column, ...] | list[Column]) -> list[dict[str, str]]:
    return [{"name": c.name, "type": c.type} for c in columns]


def _int(params: Params, key: str, default: int, low: int, high: int) -> int:
    value = params.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SpecError(f"{key} must be a whole number from {low} to {high}, not {value!r}", field=key)
    return value


MAX_CACHED_QUERIES = 16
STORED_RESULT = "loupe_window"  # the temporary table holding a scrolled result, one per session
STORE_FROM_ROWS = 20_000  # smaller results answer any window fast enough straight from the query


def _pipeline_query(
    session: Session, params: Params, extra: list[dict[str, Any]] | None = None
) -> tuple[str, Query]:
    """Compile the page's pipeline (a list of steps or a versioned spec) over the chosen table.

    Returns the cache key (the request's table and steps as canonical JSON) with the query.
    """
    key = json.dumps([params.get("table") or session.current, params.get("pipeline"), extra], sort_keys=True)
    if key in session.queries:
        return key, session.queries[key]
    query = _compile(session, params, extra)
    if len(session.queries) >= MAX_CACHED_QUERIES:
        session.forget_results()
    session.queries[key] = query
    return key, query


def _compile(session: Session, params: Params, extra: list[dict[str, Any]] | None) -> Query:
    table = params.get("table") or session.current
    if table is None:
        raise SpecError("no table is open yet", hint="open a file first")
    known = session.engine.tables()
    if table not in known:
        raise SpecError(f'no table named "{table}"', field="table", hint=did_you_mean(str(table), known))
    raw = params.get("pipeline") or []
    spec: Any = dict(raw) if isinstance(raw, Mapping) else {"version": 1, "steps": list(raw)}
    if extra:
        spec["steps"] = [*spec.get("steps", []), *extra]
    return session.engine.compile(parse_pipeline(spec), source=str(table))


def open_file(params: Params) -> dict[str, Any]:
    """Read a file the page wrote into the virtual file system and load it as a table."""
    session = session_for(params)
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
    }


def read_bytes_from(path: str, filename: str, options: Any) -> Table:
    """Read the staged file under the user's file name (extension and table name come from it)."""
    with open(path, "rb") as handle:
        return read_bytes(handle.read(), filename, options=options)


def view(params: Params) -> dict[str, Any]:
    """The pipeline's result: row count, a window of rows as a table tree, and the chart if asked for."""
    session = session_for(params)
    key, query = _pipeline_query(session, params)
    out = _window(session, params, key, query, sketch=False)
    out["columns"] = columns_json(query.columns)
    out["sql"] = pipeline_sql(query)  # values written in, as the page shows it ("Pipeline as SQL")
    out["notes"] = list(query.notes)  # e.g. values a cast made null, to show beside the steps
    chart = params.get("chart")
    if chart:
        # A chart that no longer fits the result (its columns were grouped away) must not hide the table.
        try:
            out["chart"] = chart_tree(session, params, chart)
        except LoupeError as error:
            out["chart_error"] = error.to_dict()
    session.finished = _steps(params.get("pipeline"))
    return out


def rows(params: Params) -> dict[str, Any]:
    """Just a window of the pipeline's result, for scrolling: cached query and count, no chart."""
    session = session_for(params)
    key, query = _pipeline_query(session, params)
    return _window(session, params, key, query, sketch=bool(params.get("sketches")))


def _window(session: Session, params: Params, key: str, query: Query, *, sketch: bool) -> dict[str, Any]:
    """A window of rows as a table tree. Header sketches need a profile of the whole result, so they
    are computed only when asked (the page asks after its first paint) and reused once computed."""
    offset = _int(params, "offset", 0, 0, 2**62)
    limit = _int(params, "limit", DEFAULT_WINDOW, 1, MAX_WINDOW)
    if offset == 0:
        # A first window shorter than asked for is the whole result: no second run of the pipeline
        # (a group by, a pivot) to count it.
        result, total = session.engine.page(query, limit=limit)
    else:
        total = session.engine.count(query)
        result = _rows(session, params, key, query, offset=offset, limit=limit, total=total)
    sort = _sort_state(params.get("pipeline") or [])
    sketches = _sketches(session, key, query, total) if sketch else session.sketches.get(key)
    return {
        "row_count": total,
        "offset": offset,
        "sketched": sketches is not None,
        "table": render_table(
            result.columns,
            result.rows,
            offset=offset,
            total=total,
            sort=sort,
            sketches=sketches,
            locale=_locale(params) or "en-US",
        ),
    }


def _rows(
    session: Session, params: Params, key: str, query: Query, *, offset: int, limit: int, total: int
) -> Result:
    """A window of the result. Beyond the first rows of a large result, OFFSET would re-run the pipeline
    up to the offset on every scroll, so the rows are read by rowid: from the loaded table itself when
    there are no steps, else from the result stored once, in order, on the first scroll."""
    if offset == 0 or total < STORE_FROM_ROWS:
        return session.engine.execute(query, offset=offset, limit=limit)
    table = str(params.get("table") or session.current)
    if not _steps(params.get("pipeline")):
        return session.engine.window(quote_ident(table), query.columns, offset=offset, limit=limit)
    if session.stored is None or session.stored[0] != key:
        session.stored = (key, session.engine.materialize(query, STORED_RESULT))
    relation = f"temp.{quote_ident(STORED_RESULT)}"
    return session.engine.window(relation, query.columns, offset=offset, limit=limit)


def _locale(params: Params) -> str | None:
    """The page's language (navigator.language) for number and date formats; unknown ones fall back."""
    locale = params.get("locale")
    return locale if isinstance(locale, str) and 2 <= len(locale) <= 35 else None


def _steps(pipeline: Any) -> list[Any]:
    if isinstance(pipeline, Mapping):
        return list(pipeline.get("steps") or [])
    return list(pipeline or [])


SKETCH_MAX_ROWS = 200_000  # above this a whole-result profile costs more than a scroll may wait


def _sketches(session: Session, key: str, query: Query, total: int) -> dict[str, list[float]]:
    """Per-column distribution sketches for the table header, computed once per result."""
    if key not in session.sketches:
        if total > SKETCH_MAX_ROWS or total == 0:
            session.sketches[key] = {}
        else:
            columns = profile_table(session.engine, query)["columns"]
            session.sketches[key] = {c["name"]: sketch_values(c) for c in columns}
    return session.sketches[key]


def profile(params: Params) -> dict[str, Any]:
    """One column's profile of the pipeline's result, as data and as a tree to show."""
    session = session_for(params)
    _, query = _pipeline_query(session, params)
    column = params.get("column")
    if not isinstance(column, str):
        raise SpecError("profile needs a column name", field="column")
    stats = profile_column(session.engine, query, column)
    return {"profile": stats, "tree": render_profile(stats)}


def chart_tree(session: Session, params: Params, chart: Mapping[str, Any]) -> Node:
    return _chart(session, params, chart)[0]


def _chart(session: Session, params: Params, chart: Mapping[str, Any]) -> tuple[Node, Result]:
    """The chart's SVG tree and the aggregated rows it was drawn from (aggregation runs in SQL)."""
    _, query = _pipeline_query(session, params)
    stats = None
    stats_steps = chart_stats_steps(chart, query.columns)  # e.g. a histogram's range: bins in SQL
    if stats_steps:
        _, stats_query = _pipeline_query(session, params, extra=stats_steps)
        found = session.engine.execute(stats_query)
        stats = dict(zip([c.name for c in found.columns], found.rows[0], strict=True)) if found.rows else None
    steps = chart_steps(chart, query.columns, stats=stats)
    _, aggregated = _pipeline_query(session, params, extra=steps)
    result = session.engine.execute(aggregated)
    width = _int(params, "width", 640, 240, 4000)
    height = _int(params, "height", 360, 160, 4000)
    theme = str(params.get("theme", "light"))
    tree = render_chart(
        chart, result.columns, result.rows, width=width, height=height, theme=theme, locale=_locale(params)
    )
    return tree, result


def chart(params: Params) -> dict[str, Any]:
    """One chart with its alternatives: the data as a table tree and, on request, a standalone SVG file."""
    session = session_for(params)
    spec = params.get("chart")
    if not isinstance(spec, Mapping):
        raise SpecError('chart must be an object such as {"type": "bar", "x": "region"}', field="chart")
    tree, result = _chart(session, params, spec)
    out: dict[str, Any] = {"chart": tree, "table": chart_table(spec, result.columns, result.rows)}
    if params.get("svg"):
        out["svg"] = svg_document(tree)
    return out


# Exports of the pipeline itself, next to the data formats loupe.export writes.
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


def export(params: Params) -> dict[str, Any]:
    """Write the pipeline's whole result (or the pipeline itself) to `path`: the worker hands the bytes to
    the page as a download, the command line keeps the file. CSV is spreadsheet-safe unless safe=false."""
    session = session_for(params)
    fmt = str(params.get("format", "csv"))
    path = str(params["path"])
    _, query = _pipeline_query(session, params)
    table = str(params.get("table") or session.current)
    if fmt in PIPELINE_EXPORTS:
        raw = params.get("pipeline") or []
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


def gallery(params: Params) -> dict[str, Any]:
    """Example chart specs, one or more per chart type, for the sample's columns."""
    return {"specs": gallery_specs()}


def _sort_state(pipeline: Any) -> list[tuple[str, bool]]:
    """The last sort step's keys, so the table header can show aria-sort."""
    steps = pipeline.get("steps", []) if isinstance(pipeline, Mapping) else pipeline
    for step in reversed(list(steps)):
        if isinstance(step, Mapping) and step.get("verb") == "sort":
            return [(str(k.get("column")), bool(k.get("desc"))) for k in step.get("by", [])]
    return []


def tables(params: Params) -> dict[str, Any]:
    session = session_for(params)
    return {
        "current": session.current,
        "tables": [
            {"name": name, "columns": columns_json(session.engine.schema(name))}
            for name in session.engine.tables()
        ],
    }


def use(params: Params) -> dict[str, Any]:
    """Make another loaded table the current one (the page's table list)."""
    session = session_for(params)
    name = str(params.get("table"))
    columns = session.engine.schema(name)
    session.current = name
    return {"table": name, "columns": columns_json(columns)}


def document(params: Params) -> dict[str, Any]:
    """Validate a saved or shared document (an older version or a bare pipeline is migrated) and return
    its normalized JSON; a SpecError's `field` is the path of what is wrong, e.g. "sources[1].kind"."""
    from loupe.document import parse_document

    return {"document": parse_document(params.get("document")).to_json(), "errors": []}


def close(params: Params) -> dict[str, Any]:
    _sessions.pop(str(params.get("session", "default")), None)
    return {"closed": True}


def verbs(params: Params) -> dict[str, Any]:
    """Every verb's form record (fields with kind, label, help; one example) for the page to build its
    forms from, and `steps` in words (null for a step that does not parse: running it says why)."""
    texts: list[str | None] = []
    for number, raw in enumerate(_steps(params.get("steps")), 1):
        try:
            step = parse_step(raw, number)
        except LoupeError:
            texts.append(None)
            continue
        texts.append(REGISTRY[step.verb].describe(step.spec))
    return {"verbs": [verb.form() for verb in REGISTRY.values()], "steps_text": texts}


METHODS: dict[str, Callable[[Params], dict[str, Any]]] = {
    "chart": chart,
    "close": close,
    "document": document,
    "export": export,
    "gallery": gallery,
    "open": open_file,
    "profile": profile,
    "rows": rows,
    "tables": tables,
    "use": use,
    "verbs": verbs,
    "view": view,
}


def _budget(params: Params) -> float:
    """The request's time budget in seconds (`budget`, default 20): any one query stops past it."""
    value = params.get("budget", DEFAULT_BUDGET_S)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0.01 <= value <= 3600:
        raise SpecError(f"budget must be from 0.01 to 3600 seconds, not {value!r}", field="budget")
    return float(value)


def _blame(error: BudgetError, params: Params) -> BudgetError:
    """Name the step that ran too long when it is known: the only step, or the one step added to
    the steps of the session's last finished view; else the whole pipeline."""
    if error.step is not None or error.field is not None or "pipeline" not in params:
        return error  # a read names what it was reading
    steps = _steps(params.get("pipeline"))
    session = _sessions.get(str(params.get("session", "default")))
    finished = session.finished if session else []
    if len(steps) == 1 or (steps and steps[:-1] == finished):
        verb = steps[-1].get("verb") if isinstance(steps[-1], Mapping) else None
        return BudgetError(error.seconds, step=len(steps), verb=str(verb) if verb else None)
    return BudgetError(error.seconds, "the pipeline" if steps else "reading the table")


def handle(method: str, params: Params | None = None) -> dict[str, Any]:
    """Run one request; LoupeErrors become structured errors, MemoryError "not enough memory",
    anything else an 'internal' error. Every query of the request runs under its time budget.

    >>> handle("nope")["error"]["code"]
    'spec'
    """
    params = params or {}
    try:
        function = METHODS.get(method)
        if function is None:
            raise SpecError(f"unknown method {method!r}", hint=did_you_mean(method, METHODS))
        with time_budget(_budget(params)):
            return {"ok": True, "result": function(params)}
    except BudgetError as error:
        return {"ok": False, "error": _blame(error, params).to_dict()}
    except MemoryError as error:
        # Free the session's cached results; its loaded tables (the data on screen) stay.
        session = _sessions.get(str(params.get("session", "default")))
        if session:
            session.forget_results()
        return {"ok": False, "error": error_reply(error)}
    except Exception as error:  # a LoupeError, or a bug: report it without losing the page's state
        trace = None if isinstance(error, LoupeError) else traceback.format_exc(limit=6)
        return {"ok": False, "error": error_reply(error, trace)}


def handle_json(method: str, params_json: str) -> str:
    """handle() over JSON text: what crosses the worker boundary (cheaper than proxying objects)."""
    try:
        params = json.loads(params_json) if params_json else {}
    except json.JSONDecodeError as error:
        return json.dumps({"ok": False, "error": {"code": "spec", "message": str(error), "text": str(error)}})
    except RecursionError:
        nested = SpecError("the request is nested too deeply to read", hint="send fewer nested lists")
        return json.dumps({"ok": False, "error": nested.to_dict()})
    if not isinstance(params, dict):
        shape = SpecError("the request's parameters must be an object", hint="send {...}")
        return json.dumps({"ok": False, "error": shape.to_dict()})
    try:
        return json.dumps(handle(method, params), allow_nan=False, separators=(",", ":"))
    except MemoryError as error:  # the reply itself did not fit
        return json.dumps({"ok": False, "error": error_reply(error)})
