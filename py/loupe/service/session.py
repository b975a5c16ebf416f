"""Sessions: one widget's (or page's) tables in its own in-memory database, with the caches that make
scrolling cheap. Several <loupe-view> widgets share one worker, each in its own session."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from loupe.engine import Engine
from loupe.errors import SpecError, did_you_mean
from loupe.pipeline import Query, parse_pipeline
from loupe.selection import selection_step
from loupe.service.request import Request
from loupe.table import Column

MAX_CACHED_QUERIES = 16
STORED_RESULT = "loupe_window"  # the temporary table holding a scrolled result, one per session


@dataclass
class Session:
    """Compiled queries are cached by pipeline text: scrolling a table asks for many windows of one
    result, and compiling (pivot looks values up) should not repeat; the engine remembers row counts."""

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

    def table_of(self, request: Request) -> str:
        """The table a request is about (the session's current one if it names none), checked once."""
        table = request.table or self.current
        if table is None:
            raise SpecError("no table is open yet", hint="open a file first")
        known = self.engine.tables()
        if table not in known:
            raise SpecError(f'no table named "{table}"', field="table", hint=did_you_mean(table, known))
        return table

    def query(self, request: Request, extra: list[dict[str, Any]] | None = None) -> tuple[str, Query]:
        """The request's pipeline (plus `extra` steps, e.g. a chart's aggregation) compiled over its
        table, cached; returns the cache key (table and steps as canonical JSON) with the query."""
        selected = request.selection
        parts = [request.table or self.current, request.pipeline, extra] + ([selected] if selected else [])
        key = json.dumps(parts, sort_keys=True)
        if key in self.queries:
            self.queries[key] = self.queries.pop(key)  # the most recently used is evicted last
            return key, self.queries[key]
        table = self.table_of(request)
        raw = request.pipeline or []
        spec: Any = dict(raw) if isinstance(raw, Mapping) else {"version": 1, "steps": list(raw)}
        if selected:
            # A chart's selection filters the pipeline's result (checked against its columns first, so
            # an error names the selection, not a step the user never wrote).
            _, unselected = self.query(replace(request, selection=None))
            spec["steps"] = [*spec.get("steps", []), selection_step(selected, unselected.columns)]
        if extra:
            spec["steps"] = [*spec.get("steps", []), *extra]
        query = self.engine.compile(parse_pipeline(spec), source=table)
        if len(self.queries) >= MAX_CACHED_QUERIES:
            # The oldest query goes, not all of them: a cross-filter asks for a few new queries per
            # click (the table's and each chart's), and clearing everything would make the result
            # before the selection (its count, its sketches) cost a full pass again on Escape.
            oldest = next(iter(self.queries))
            del self.queries[oldest]
            self.sketches.pop(oldest, None)
            if self.stored and self.stored[0] == oldest:
                self.engine.forget(STORED_RESULT)
                self.stored = None
        self.queries[key] = query
        return key, query


SESSIONS: dict[str, Session] = {}


def session_for(request: Request) -> Session:
    if request.session not in SESSIONS:
        SESSIONS[request.session] = Session()
    return SESSIONS[request.session]


def columns_json(columns: tuple[Column, ...] | list[Column]) -> list[dict[str, str]]:
    return [{"name": c.name, "type": c.type} for c in columns]
