"""Validate a document once: shape, references between its parts, each table's steps (through
loupe.pipeline) and each chart spec (through loupe.render); every error's `field` is its path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from loupe.document.fields import (
    at,
    check_reference,
    kind_of,
    read_choice,
    read_list,
    read_object,
    read_optional_text,
    read_text,
)
from loupe.document.limits import MAX_CHARTS, MAX_SORT_KEYS, MAX_SOURCES, MAX_STEPS, MAX_TABLES, MAX_TEXT
from loupe.document.model import Chart, Document, Panel, SortKey, Source, TableSteps, Theme, View
from loupe.document.sources import parse_source
from loupe.errors import LoupeError, SpecError, did_you_mean
from loupe.pipeline import parse_pipeline
from loupe.sql import fold

THEMES = ("light", "dark")
PANELS = ("view", "steps")
TOP_FIELDS = ("loupe", "version", "title", "sources", "tables", "charts", "view")
TABLE_FIELDS = ("name", "source", "steps")
CHART_FIELDS = ("table", "spec")
VIEW_FIELDS = ("theme", "table", "chart", "sort", "panel")
SORT_FIELDS = ("column", "desc")


def parse_body(raw: Mapping[str, Any]) -> Document:
    """A current-version document's JSON -> Document (limits and version already checked)."""
    raw = read_object(raw, "", TOP_FIELDS, ("loupe", "version", "sources", "tables"))
    title = raw.get("title")
    if title is not None and (not isinstance(title, str) or len(title) > MAX_TEXT):
        raise SpecError(f"must be text of at most {MAX_TEXT} characters", field="title")
    raw_sources = read_list(raw, "sources", "", MAX_SOURCES)
    raw_tables = read_list(raw, "tables", "", MAX_TABLES)
    raw_charts = read_list(raw, "charts", "", MAX_CHARTS)
    sources: list[Source] = []
    for i, item in enumerate(raw_sources):
        sources.append(parse_source(item, f"sources[{i}]", sources))
    tables: list[TableSteps] = []
    for i, item in enumerate(raw_tables):
        tables.append(_table(item, f"tables[{i}]", sources, tables))
    names = [t.name for t in tables]
    charts = tuple(_chart(item, f"charts[{i}]", names) for i, item in enumerate(raw_charts))
    view = _view(raw.get("view", {}), names, len(charts))
    return Document(tuple(sources), tuple(tables), charts, view, title)


def _table(raw: object, path: str, sources: Sequence[Source], before: Sequence[TableSteps]) -> TableSteps:
    obj = read_object(raw, path, TABLE_FIELDS, ("name", "source"))
    name = read_text(obj, "name", path, limit=120)
    if any(t.name == name for t in before):
        raise SpecError(
            f'table "{name}" appears twice', field=at(path, "name"), hint="give each table its own name"
        )
    source_id = read_text(obj, "source", path, limit=100)
    check_reference(source_id, [s.id for s in sources], at(path, "source"), "source")
    source = next(s for s in sources if s.id == source_id)
    steps = read_list(obj, "steps", path, MAX_STEPS)
    try:
        pipeline = parse_pipeline({"source": source.table, "steps": list(steps)})
    except LoupeError as exc:
        raise _in_table(exc, name, path) from None
    loaded = {fold(s.table) for s in sources}  # a join reads a table that one of the sources loads
    for step in pipeline.steps:
        other = getattr(step.spec, "table", None) if step.verb == "join" else None
        if isinstance(other, str) and fold(other) not in loaded:
            error = SpecError(
                f'no source loads a table named "{other}"',
                step=step.number,
                verb=step.verb,
                field="table",
                hint=did_you_mean(other, [s.table for s in sources]) or "add the file to join as a source",
            )
            raise _in_table(error, name, path)
    return TableSteps(name, source_id, pipeline)


def _in_table(exc: LoupeError, table: str, path: str) -> LoupeError:
    """A step's error, located in the document: the table by name, the step by number and path."""
    exc.message = f'table "{table}": {exc.message}'
    steps = at(path, "steps")
    where = at(steps, exc.step - 1) if exc.step is not None else steps
    exc.field = at(where, exc.field) if exc.field else where
    return exc


def _chart(raw: object, path: str, tables: Sequence[str]) -> Chart:
    from loupe.render.chart import parse as parse_chart

    obj = read_object(raw, path, CHART_FIELDS, ("table", "spec"))
    table = read_text(obj, "table", path, limit=120)
    check_reference(table, tables, at(path, "table"), "table")
    spec = obj["spec"]
    where = at(path, "spec")
    if not isinstance(spec, Mapping):
        raise SpecError(
            f"must be an object, not {kind_of(spec)}", field=where, hint='e.g. {"type": "bar", "x": "region"}'
        )
    try:
        parse_chart(spec)
    except LoupeError as exc:
        exc.field = at(where, exc.field) if exc.field else where
        raise
    return Chart(table, dict(spec))


def _view(raw: object, tables: Sequence[str], charts: int) -> View:
    obj = read_object(raw, "view", VIEW_FIELDS, ())
    theme = cast(Theme, read_choice(obj.get("theme", "light"), THEMES, "view.theme", "theme"))
    table = read_optional_text(obj, "table", "view")
    if table is not None:
        check_reference(table, tables, "view.table", "table")
    chart = obj.get("chart")
    if chart is not None and (
        isinstance(chart, bool) or not isinstance(chart, int) or not 0 <= chart < charts
    ):
        hint = (
            f"use 0 to {charts - 1}, or leave it out"
            if charts
            else "leave it out: the document has no charts"
        )
        raise SpecError(
            f"chart {chart!r} is not one of the document's {charts} charts", field="view.chart", hint=hint
        )
    sort: tuple[SortKey, ...] | None = None
    if obj.get("sort") is not None:
        keys = read_list(obj, "sort", "view", MAX_SORT_KEYS)
        sort = tuple(_sort_key(key, f"view.sort[{i}]") for i, key in enumerate(keys))
    panel = obj.get("panel")
    if panel is not None:
        panel = cast(Panel, read_choice(panel, PANELS, "view.panel", "panel"))
    return View(theme, table, chart, sort, panel)


def _sort_key(raw: object, path: str) -> SortKey:
    obj = read_object(raw, path, SORT_FIELDS, ("column",))
    desc = obj.get("desc", False)
    if not isinstance(desc, bool):
        raise SpecError(f"must be true or false, not {desc!r}", field=at(path, "desc"))
    return SortKey(read_text(obj, "column", path, limit=1000), desc)
