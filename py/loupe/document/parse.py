"""Validate a document once: shape, limits, references; every error names its path.

Paths read like the JSON they point into: `sources[1].kind`, `tables[0].steps[2].column`,
`charts[0].spec.agg`. They are in the SpecError's `field`; the message says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast
from urllib.parse import urlsplit

from loupe.document.limits import MAX_CHARTS, MAX_SORT_KEYS, MAX_SOURCES, MAX_STEPS, MAX_TABLES, MAX_TEXT
from loupe.document.model import Chart, Document, SortKey, Source, SourceKind, TableSteps, Theme, View
from loupe.errors import LoupeError, SpecError, did_you_mean
from loupe.pipeline import parse_pipeline
from loupe.sql import fold

KINDS = ("file", "url", "sample")
THEMES = ("light", "dark")
TOP_FIELDS = ("loupe", "version", "title", "sources", "tables", "charts", "view")
SOURCE_FIELDS = ("id", "name", "kind", "url", "size", "sha256", "options", "part", "table")
TABLE_FIELDS = ("name", "source", "steps")
CHART_FIELDS = ("table", "spec")
VIEW_FIELDS = ("theme", "table", "chart", "sort")
SORT_FIELDS = ("column", "desc")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return next((n for t, n in names.items() if isinstance(value, t)), "a number")


def _object(raw: object, path: str, fields: Sequence[str], required: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        if not path:
            raise SpecError(
                f"a document must be an object, not {_kind(raw)}", hint='it starts {"loupe": "document"'
            )
        raise SpecError(f"must be an object, not {_kind(raw)}", field=path)
    for key in raw:
        if key not in fields:
            hint = did_you_mean(str(key), fields) or "allowed fields: " + ", ".join(fields)
            raise SpecError(f"unknown field {key!r}", field=_at(path, str(key)), hint=hint)
    for key in required:
        if key not in raw:
            raise SpecError(f"missing field {key!r}", field=_at(path, key), hint=f"add {key!r}")
    return raw


def _text(raw: Mapping[str, Any], key: str, path: str, *, limit: int = MAX_TEXT) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value:
        raise SpecError(f"must be non-empty text, not {_kind(value)}", field=_at(path, key))
    if len(value) > limit:
        raise SpecError(f"is {len(value)} characters long, over the limit of {limit}", field=_at(path, key))
    return value


def _optional_text(raw: Mapping[str, Any], key: str, path: str) -> str | None:
    return _text(raw, key, path) if raw.get(key) is not None else None


def _list(raw: Mapping[str, Any], key: str, path: str, limit: int) -> Sequence[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list | tuple):
        raise SpecError(f"must be a list, not {_kind(value)}", field=_at(path, key))
    if len(value) > limit:
        raise SpecError(
            f"has {len(value)} entries, over the limit of {limit}",
            field=_at(path, key),
            hint="split the work into several documents",
        )
    return value


def _choice(value: object, choices: Sequence[str], path: str, what: str) -> str:
    if not isinstance(value, str) or value not in choices:
        hint = (did_you_mean(value, choices) if isinstance(value, str) else None) or "use " + " or ".join(
            choices
        )
        raise SpecError(f"unknown {what} {value!r}", field=path, hint=hint)
    return value


def _reference(name: str, known: Collection[str], path: str, what: str) -> None:
    if name not in known:
        listed = ", ".join(f'"{k}"' for k in known)
        hint = did_you_mean(name, known) or (
            f"{what}s: {listed}" if known else f"the document has no {what}s"
        )
        raise SpecError(f'unknown {what} "{name}"', field=path, hint=hint)


def parse_body(raw: Mapping[str, Any]) -> Document:
    """A current-version document's JSON -> Document (limits and version already checked)."""
    raw = _object(raw, "", TOP_FIELDS, ("loupe", "version", "sources", "tables"))
    title = raw.get("title")
    if title is not None and (not isinstance(title, str) or len(title) > MAX_TEXT):
        raise SpecError(f"must be text of at most {MAX_TEXT} characters", field="title")
    raw_sources = _list(raw, "sources", "", MAX_SOURCES)
    raw_tables = _list(raw, "tables", "", MAX_TABLES)
    raw_charts = _list(raw, "charts", "", MAX_CHARTS)
    sources: list[Source] = []
    for i, item in enumerate(raw_sources):
        sources.append(_source(item, f"sources[{i}]", sources))
    tables: list[TableSteps] = []
    for i, item in enumerate(raw_tables):
        tables.append(_table(item, f"tables[{i}]", sources, tables))
    names = [t.name for t in tables]
    charts = tuple(_chart(item, f"charts[{i}]", names) for i, item in enumerate(raw_charts))
    view = _view(raw.get("view", {}), names, len(charts))
    return Document(tuple(sources), tuple(tables), charts, view, title)


def _source(raw: object, path: str, before: Sequence[Source]) -> Source:
    obj = _object(raw, path, SOURCE_FIELDS, ("id", "name", "kind", "table"))
    source_id = _text(obj, "id", path, limit=100)
    for i, other in enumerate(before):
        if other.id == source_id:
            raise SpecError(f'id "{source_id}" is already used by sources[{i}]', field=_at(path, "id"))
    kind = cast(SourceKind, _choice(obj["kind"], KINDS, _at(path, "kind"), "source kind"))
    table = _text(obj, "table", path, limit=120)
    for i, other in enumerate(before):
        if fold(other.table) == fold(table):
            raise SpecError(
                f'table "{table}" is already loaded by sources[{i}]',
                field=_at(path, "table"),
                hint="each source loads its own table; give one another name",
            )
    return Source(
        source_id,
        _text(obj, "name", path, limit=1000),
        kind,
        table,
        url=_url(obj, path, kind),
        size=_size(obj, path),
        sha256=_sha256(obj, path),
        options=_options(obj, path),
        part=_optional_text(obj, "part", path),
    )


def _url(obj: Mapping[str, Any], path: str, kind: str) -> str | None:
    where = _at(path, "url")
    if kind == "file":
        if obj.get("url") is not None:
            raise SpecError(
                "a file source has no url",
                field=where,
                hint='a file is opened from the device; use kind "url" for a web address',
            )
        return None
    if obj.get("url") is None:
        raise SpecError(f"a {kind} source needs a url", field=where, hint=f'add "url" to {path}')
    url = _text(obj, "url", path, limit=4000)
    parts = urlsplit(url)
    if kind == "url" and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise SpecError(
            f"{url!r} is not an http(s) address", field=where, hint='e.g. "https://example.org/data.csv"'
        )
    if kind == "sample" and (parts.scheme or parts.netloc or url.startswith("/") or ".." in url.split("/")):
        raise SpecError(
            f"{url!r} is not a path inside the app", field=where, hint='a sample is e.g. "sample/sales.csv"'
        )
    return url


def _size(obj: Mapping[str, Any], path: str) -> int | None:
    size = obj.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise SpecError(f"must be a whole number of bytes, not {size!r}", field=_at(path, "size"))
    return size


def _sha256(obj: Mapping[str, Any], path: str) -> str | None:
    digest = obj.get("sha256")
    if digest is None:
        return None
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise SpecError("must be 64 hexadecimal digits (a SHA-256)", field=_at(path, "sha256"))
    return digest.lower()


def _options(obj: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    from loupe.read.options import ReadOptions

    options = obj.get("options")
    if options is None:
        return None
    where = _at(path, "options")
    if not isinstance(options, Mapping):
        raise SpecError(f"must be an object, not {_kind(options)}", field=where)
    try:
        ReadOptions.from_mapping(options)
    except LoupeError as exc:
        field = _at(where, exc.field) if exc.field else where
        raise SpecError(exc.message, field=field, column=exc.column, hint=exc.hint) from None
    return dict(options)


def _table(raw: object, path: str, sources: Sequence[Source], before: Sequence[TableSteps]) -> TableSteps:
    obj = _object(raw, path, TABLE_FIELDS, ("name", "source"))
    name = _text(obj, "name", path, limit=120)
    if any(t.name == name for t in before):
        raise SpecError(
            f'table "{name}" appears twice', field=_at(path, "name"), hint="give each table its own name"
        )
    source_id = _text(obj, "source", path, limit=100)
    _reference(source_id, [s.id for s in sources], _at(path, "source"), "source")
    source = next(s for s in sources if s.id == source_id)
    steps = _list(obj, "steps", path, MAX_STEPS)
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
    steps = _at(path, "steps")
    where = _at(steps, exc.step - 1) if exc.step is not None else steps
    exc.field = _at(where, exc.field) if exc.field else where
    return exc


def _chart(raw: object, path: str, tables: Sequence[str]) -> Chart:
    from loupe.render.chart import parse as parse_chart

    obj = _object(raw, path, CHART_FIELDS, ("table", "spec"))
    table = _text(obj, "table", path, limit=120)
    _reference(table, tables, _at(path, "table"), "table")
    spec = obj["spec"]
    where = _at(path, "spec")
    if not isinstance(spec, Mapping):
        raise SpecError(
            f"must be an object, not {_kind(spec)}", field=where, hint='e.g. {"type": "bar", "x": "region"}'
        )
    try:
        parse_chart(spec)
    except LoupeError as exc:
        exc.field = _at(where, exc.field) if exc.field else where
        raise
    return Chart(table, dict(spec))


def _view(raw: object, tables: Sequence[str], charts: int) -> View:
    obj = _object(raw, "view", VIEW_FIELDS, ())
    theme = cast(Theme, _choice(obj.get("theme", "light"), THEMES, "view.theme", "theme"))
    table = _optional_text(obj, "table", "view")
    if table is not None:
        _reference(table, tables, "view.table", "table")
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
        keys = _list(obj, "sort", "view", MAX_SORT_KEYS)
        sort = tuple(_sort_key(key, f"view.sort[{i}]") for i, key in enumerate(keys))
    return View(theme, table, chart, sort)


def _sort_key(raw: object, path: str) -> SortKey:
    obj = _object(raw, path, SORT_FIELDS, ("column",))
    desc = obj.get("desc", False)
    if not isinstance(desc, bool):
        raise SpecError(f"must be true or false, not {desc!r}", field=_at(path, "desc"))
    return SortKey(_text(obj, "column", path, limit=1000), desc)
