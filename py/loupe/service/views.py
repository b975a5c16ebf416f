"""What a page shows of a session's table: the view (a window of rows, the chart), more rows while
scrolling, one cell's stored value, a column's profile, a chart with its data table, and the gallery's
example specs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from loupe.engine import Result
from loupe.errors import LoupeError, SpecError, did_you_mean
from loupe.export import pipeline_sql
from loupe.pipeline import Query
from loupe.profile import profile_column, profile_table
from loupe.render.chart import (
    chart_stats_steps,
    chart_steps,
    chart_table,
    drawn_spec,
    render_chart,
    validate_chart,
)
from loupe.render.chart_form import chart_form
from loupe.render.gallery import gallery_examples, gallery_specs
from loupe.render.highlight import result_alerts
from loupe.render.profile import render_profile, sketch_values
from loupe.render.table import render_table
from loupe.render.tree import Node, svg_document
from loupe.selection import describe_selection, selection_step
from loupe.service.request import Request
from loupe.service.session import STORED_RESULT, Session, columns_json, session_for
from loupe.sql import quote_ident

STORE_FROM_ROWS = 20_000  # smaller results answer any window fast enough straight from the query
SKETCH_MAX_ROWS = 200_000  # above this a whole-result profile costs more than a scroll may wait


def view(request: Request) -> dict[str, Any]:
    """The pipeline's result: row count, a window of rows as a table tree, and the chart if asked for."""
    session = session_for(request)
    key, query = session.query(request)
    out = window(session, request, key, query, sketch=False)
    out["columns"] = columns_json(query.columns)
    out["sql"] = pipeline_sql(query)  # values written in, as the page shows it ("Pipeline as SQL")
    out["notes"] = list(query.notes)  # e.g. values a cast made null, to show beside the steps
    if request.selection:
        out["selection"] = selection_reply(session, request)
    if request.chart:
        # The chart the selection was made in stays whole (the page highlights the selected marks).
        drawn = replace(request, selection=None) if request.params.get("selection_from_chart") else request
        # A chart that no longer fits the result (its columns were grouped away) must not hide the table.
        try:
            out["chart"], result = draw_chart(session, drawn, request.chart)
            if request.chart.get("time_unit") == "auto":  # the form says which grain "auto" picked
                out["chart_time_unit"] = drawn_spec(request.chart, result.columns, result.rows).time_unit
        except LoupeError as error:
            out["chart_error"] = error.to_dict()
    session.finished = request.steps
    return out


def rows(request: Request) -> dict[str, Any]:
    """Just a window of the pipeline's result, for scrolling: cached query and count, no chart."""
    session = session_for(request)
    key, query = session.query(request)
    return window(session, request, key, query, sketch=bool(request.params.get("sketches")))


def window(session: Session, request: Request, key: str, query: Query, *, sketch: bool) -> dict[str, Any]:
    """A window of rows as a table tree. Header sketches need a profile of the whole result, so they
    are computed only when asked (the page asks after its first paint) and reused once computed."""
    offset, limit = request.offset, request.limit
    if offset == 0:
        # A first window shorter than asked for is the whole result: no second run of the pipeline
        # (a group by, a pivot) to count it.
        result, total = session.engine.page(query, limit=limit)
    else:
        total = session.engine.count(query)
        result = _rows(session, request, key, query, total=total)
    if request.selection:
        # A chart selection is a passing view: the header keeps the sketches of the result before it
        # (profiling each selection would hold the worker ~1 s per click at 100k rows).
        before, _ = session.query(replace(request, selection=None))
        sketches: dict[str, list[float]] | None = session.sketches.get(before, {})
    else:
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
            sort=sort_state(request.steps),
            sketches=sketches,
            locale=request.locale or "en-US",
            alerts=_alerts(request, result),
        ),
    }


def _alerts(request: Request, result: Result) -> list[str | None] | None:
    """The rows a scatter plot's alert rule marks (its points are rows); a chart that does not fit
    the result marks none (view() reports its error)."""
    if not request.chart or not request.chart.get("alert"):
        return None
    try:
        spec = validate_chart(request.chart, result.columns)
    except LoupeError:
        return None
    return result_alerts(spec, result.columns, result.rows, request.locale or spec.locale)


def _rows(session: Session, request: Request, key: str, query: Query, *, total: int) -> Result:
    """A window of the result. Beyond the first rows of a large result, OFFSET would re-run the pipeline
    up to the offset on every scroll, so the rows are read by rowid: from the loaded table itself when
    there are no steps, else from the result stored once, in order, on the first scroll."""
    offset, limit = request.offset, request.limit
    if offset == 0 or total < STORE_FROM_ROWS:
        return session.engine.execute(query, offset=offset, limit=limit)
    if not request.steps and not request.selection:
        table = session.table_of(request)
        return session.engine.window(quote_ident(table), query.columns, offset=offset, limit=limit)
    if session.stored is None or session.stored[0] != key:
        session.stored = (key, session.engine.materialize(query, STORED_RESULT))
    relation = f"temp.{quote_ident(STORED_RESULT)}"
    return session.engine.window(relation, query.columns, offset=offset, limit=limit)


def _sketches(session: Session, key: str, query: Query, total: int) -> dict[str, list[float]]:
    """Per-column distribution sketches for the table header, computed once per result."""
    if key not in session.sketches:
        if total > SKETCH_MAX_ROWS or total == 0:
            session.sketches[key] = {}
        else:
            columns = profile_table(session.engine, query)["columns"]
            session.sketches[key] = {c["name"]: sketch_values(c) for c in columns}
    return session.sketches[key]


def sort_state(steps: list[Any]) -> list[tuple[str, bool]]:
    """The last sort step's keys, so the table header can show aria-sort."""
    for step in reversed(steps):
        if isinstance(step, Mapping) and step.get("verb") == "sort" and not step.get("disabled"):
            return [(str(k.get("column")), bool(k.get("desc"))) for k in step.get("by", [])]
    return []


def selection_reply(session: Session, request: Request) -> dict[str, Any]:
    """What the page says of a chart selection: a sentence, and the filter step "Keep as a filter
    step" adds (the same filter the table and the other charts ran)."""
    assert request.selection is not None
    _, unselected = session.query(replace(request, selection=None))
    return {
        "text": describe_selection(request.selection),
        "step": selection_step(request.selection, unselected.columns),
    }


def profile(request: Request) -> dict[str, Any]:
    """One column's profile of the pipeline's result, as data and as a tree to show."""
    session = session_for(request)
    _, query = session.query(request)
    column = request.params.get("column")
    if not isinstance(column, str):
        raise SpecError("profile needs a column name", field="column")
    stats = profile_column(session.engine, query, column)
    return {"profile": stats, "tree": render_profile(stats)}


def cell(request: Request) -> dict[str, Any]:
    """One value of the pipeline's result as stored (the table shows it formatted), so a filter can match
    it exactly: row `offset` (0-based, as the table's data-row), column `column`."""
    session = session_for(request)
    key, query = session.query(request)
    column = request.params.get("column")
    names = query.column_names
    if not isinstance(column, str) or column not in names:
        hint = did_you_mean(str(column), names) or "columns: " + ", ".join(names)
        raise SpecError(f"unknown column {column!r}", field="column", column=str(column), hint=hint)
    total = session.engine.count(query)
    if request.offset >= total:
        raise SpecError(f"there is no row {request.offset + 1}: the result has {total}", field="offset")
    found = _rows(session, replace(request, limit=1), key, query, total=total)
    index = names.index(column)
    return {"column": column, "type": query.columns[index].type, "value": found.rows[0][index]}


def draw_chart(session: Session, request: Request, spec: Mapping[str, Any]) -> tuple[Node, Result]:
    """The chart's SVG tree and the aggregated rows it was drawn from (aggregation runs in SQL)."""
    _, query = session.query(request)
    stats = None
    stats_steps = chart_stats_steps(spec, query.columns)  # e.g. a histogram's range: bins in SQL
    if stats_steps:
        _, stats_query = session.query(request, extra=stats_steps)
        found = session.engine.execute(stats_query)
        stats = dict(zip([c.name for c in found.columns], found.rows[0], strict=True)) if found.rows else None
    steps = chart_steps(spec, query.columns, stats=stats)
    _, aggregated = session.query(request, extra=steps)
    result = session.engine.execute(aggregated)
    tree = render_chart(
        spec,
        result.columns,
        result.rows,
        width=request.width,
        height=request.height,
        theme=request.theme,
        locale=request.locale,
    )
    return tree, result


def chart(request: Request) -> dict[str, Any]:
    """One chart with its alternatives: the data as a table tree and, on request, a standalone SVG file."""
    if request.chart is None:
        raise SpecError('chart must be an object such as {"type": "bar", "x": "region"}', field="chart")
    tree, result = draw_chart(session_for(request), request, request.chart)
    out: dict[str, Any] = {"chart": tree, "table": chart_table(request.chart, result.columns, result.rows)}
    if request.params.get("svg"):
        out["svg"] = svg_document(tree)
    return out


def chart_builder(request: Request) -> dict[str, Any]:
    """What the page's chart form is built from: each chart type's fields (loupe.render.chart_form)."""
    return chart_form()


def gallery(request: Request) -> dict[str, Any]:
    """Example chart specs, one or more per chart type, for the sample's columns, and examples that run
    a pipeline first (loupe.render.gallery)."""
    return {"specs": gallery_specs(), "examples": gallery_examples()}
