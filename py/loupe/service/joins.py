"""What a join step would do before it is added: how many rows of each side find a match and how
many rows the result has, for the join form to show beside "Add step"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loupe.errors import SpecError
from loupe.pipeline import parse_pipeline, parse_step
from loupe.service.request import Request
from loupe.service.session import session_for
from loupe.verbs import join


def join_preview(request: Request) -> dict[str, Any]:
    """`join` (a join step) after `pipeline` (the steps before it): the counts of left rows matched
    and unmatched, right rows matched and unmatched, matched pairs and `rows` for the step's `how`.
    A step that cannot run (a key of another type, an unknown column) is refused as adding it would be,
    with its step number and field.

    >>> from loupe.service.protocol import handle
    >>> handle("join_preview", {"session": "doc", "join": {}})["error"]["code"]
    'spec'
    """
    raw = request.params.get("join")
    if not isinstance(raw, Mapping) or raw.get("verb", "join") != "join":
        raise SpecError("'join' must be a join step", field="join", hint='e.g. {"table": "b", "on": ["id"]}')
    step = {**raw, "verb": "join"}
    step.pop("disabled", None)
    session = session_for(request)
    number = len(request.steps) + 1
    spec = parse_step(step, number).spec
    assert isinstance(spec, join.JoinSpec)
    # Compiling the steps with the join checks its table, keys and their types; not cached, so trying
    # keys in the form does not push the view's own queries (and its stored window) out of the cache.
    raw_steps = request.pipeline or []
    spec_json: dict[str, Any] = (
        dict(raw_steps) if isinstance(raw_steps, Mapping) else {"version": 1, "steps": list(raw_steps)}
    )
    spec_json["steps"] = [*spec_json.get("steps", []), step]
    session.engine.compile(parse_pipeline(spec_json), source=session.table_of(request))
    _, left = session.query(request)  # the view of the steps before: usually cached already
    result = session.engine.execute(join.preview(spec, left))
    counts = {c.name: int(v) for c, v in zip(result.columns, result.rows[0], strict=True)}  # type: ignore[arg-type]
    counts["left_unmatched"] = counts["left_rows"] - counts["left_matched"]
    counts["right_unmatched"] = counts["right_rows"] - counts["right_matched"]
    return {**counts, "how": spec.how, "rows": join.result_rows(spec.how, counts), "step": number}
