"""The row count after each step of a pipeline, for the step list: counts already known (the page
viewed that prefix before) cost nothing; the rest come from one query that counts every step's CTE."""

from __future__ import annotations

from typing import Any

from loupe.errors import LoupeError
from loupe.pipeline import Query, compile_step_counts, parse_pipeline
from loupe.service.request import Request
from loupe.service.session import Session, session_for


def step_counts(request: Request) -> dict[str, Any]:
    """`rows` (the source's count) and `counts` (after each step; null from a step that fails on).
    A step that cannot compile is named in `error` (with its step number), its predecessors counted."""
    session = session_for(request)
    steps = request.steps
    error: dict[str, Any] | None = None
    try:
        session.query(request)  # the view's own compile (cached): its error names the step and field
        counted = len(steps)
    except LoupeError as exc:
        if exc.step is None:
            raise
        error = exc.to_dict()
        counted = exc.step - 1
    counts = _counts(session, request, steps[:counted])
    out: dict[str, Any] = {"rows": counts[0], "counts": counts[1:] + [None] * (len(steps) - counted)}
    if error:
        out["error"] = error
    return out


def _counts(session: Session, request: Request, steps: list[Any]) -> list[int]:
    """Counts of the source and of each step prefix: from the engine's memory when every prefix was
    counted before, else all at once (and remembered, so viewing a prefix later does not count it)."""
    engine, table = session.engine, session.table_of(request)
    prefixes = [_prefix(session, table, steps[:k]) for k in range(len(steps) + 1)]
    known = [engine.known_count(q) for q in prefixes]
    if all(n is not None for n in known):
        return [int(n) for n in known if n is not None]
    query = compile_step_counts(parse_pipeline(steps), engine.schemas(), table, lookup=engine.lookup)
    row = engine.execute(query).rows[0]
    counts = [int(n) for n in row if isinstance(n, int)]
    for prefix, count in zip(prefixes, counts, strict=True):
        engine.remember_count(prefix, count)
    return counts


def _prefix(session: Session, table: str, steps: list[Any]) -> Query:
    """The query the view runs for these steps (compiled the same way, so its count key matches)."""
    return session.engine.compile(parse_pipeline({"version": 1, "steps": steps}), source=table)
