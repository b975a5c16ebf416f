"""The document's parts as frozen values, and their one JSON form (`Document.to_json`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from loupe.pipeline import Pipeline

VERSION = 1  # the newest document version this Loupe reads and writes

SourceKind = Literal["file", "url", "sample"]
Theme = Literal["light", "dark"]
Panel = Literal["view", "steps"]  # the panel a phone-sized screen shows: the chart and table, or the steps


@dataclass(frozen=True)
class Source:
    """Where a table's rows come from. Only `url`/`sample` sources carry a `url`; a file is matched
    by name, `size` and `sha256` when the user opens it again."""

    id: str
    name: str
    kind: SourceKind
    table: str  # the name the loaded table gets, the one steps (a join) refer to
    url: str | None = None
    size: int | None = None
    sha256: str | None = None
    options: Mapping[str, Any] | None = None  # read options, as loupe.read.ReadOptions accepts them
    part: str | None = None  # the chosen sheet (xlsx) or table (SQLite)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "kind": self.kind}
        for key in ("url", "size", "sha256"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.options is not None:
            out["options"] = dict(self.options)
        if self.part is not None:
            out["part"] = self.part
        out["table"] = self.table
        return out


@dataclass(frozen=True)
class TableSteps:
    """One table the user works on: a source's loaded table and the validated steps over it."""

    name: str
    source: str  # a Source.id
    pipeline: Pipeline  # pipeline.source is that source's loaded table

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "steps": [dict(s.raw) for s in self.pipeline.steps]}


@dataclass(frozen=True)
class Chart:
    """A chart of one table's result; `spec` is the chart spec as given (already validated)."""

    table: str  # a TableSteps.name
    spec: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "spec": dict(self.spec)}


@dataclass(frozen=True)
class SortKey:
    column: str
    desc: bool = False


@dataclass(frozen=True)
class View:
    """How the page shows the document: theme, active table, selected chart, the table's sort, and the
    panel a phone-sized screen shows (None: the chart and table, where a first visit starts)."""

    theme: Theme = "light"
    table: str | None = None
    chart: int | None = None  # index into Document.charts
    sort: tuple[SortKey, ...] | None = None
    panel: Panel | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"theme": self.theme}
        if self.table is not None:
            out["table"] = self.table
        if self.chart is not None:
            out["chart"] = self.chart
        if self.sort is not None:
            out["sort"] = [{"column": k.column, "desc": k.desc} for k in self.sort]
        if self.panel is not None:
            out["panel"] = self.panel
        return out


@dataclass(frozen=True)
class Document:
    """Everything a user made, validated: `parse_document(doc.to_json()) == doc`.

    >>> from loupe.document import parse_document
    >>> doc = parse_document({"loupe": "document", "version": 1,
    ...     "sources": [{"id": "s1", "name": "sales.csv", "kind": "file", "table": "sales"}],
    ...     "tables": [{"name": "sales", "source": "s1", "steps": [{"verb": "limit", "n": 5}]}]})
    >>> doc.tables[0].pipeline.source, len(doc.tables[0].pipeline.steps), doc.view.theme
    ('sales', 1, 'light')
    """

    sources: tuple[Source, ...]
    tables: tuple[TableSteps, ...]
    charts: tuple[Chart, ...] = ()
    view: View = View()
    title: str | None = None
    version: int = VERSION

    @property
    def active(self) -> TableSteps | None:
        """The table the view shows: view.table, else the first table; None for an empty document."""
        if self.view.table is not None:
            return self.table(self.view.table)
        return self.tables[0] if self.tables else None

    def table(self, name: str) -> TableSteps:
        return next(t for t in self.tables if t.name == name)

    def source_of(self, table: TableSteps) -> Source:
        return next(s for s in self.sources if s.id == table.source)

    def to_json(self) -> dict[str, Any]:
        """The normalized JSON form: fixed key order, optional fields only when set."""
        out: dict[str, Any] = {"loupe": "document", "version": self.version}
        if self.title is not None:
            out["title"] = self.title
        out["sources"] = [s.to_json() for s in self.sources]
        out["tables"] = [t.to_json() for t in self.tables]
        out["charts"] = [c.to_json() for c in self.charts]
        out["view"] = self.view.to_json()
        return out
