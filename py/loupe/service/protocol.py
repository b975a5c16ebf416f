"""The one entry point the worker, the widget and the tests call: handle(method, params) -> JSON-able
dict, and handle_json over JSON text. Every reply, an error included, has one shape (loupe.errors)."""

from __future__ import annotations

import importlib
import json
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from loupe.budget import time_budget
from loupe.errors import BudgetError, LoupeError, SpecError, did_you_mean, error_reply
from loupe.service import counts, sources, steps, views
from loupe.service.request import Params, Request
from loupe.service.session import SESSIONS


def _later(module: str, name: str) -> Callable[[Request], dict[str, Any]]:
    """A method whose module is imported on its first request: exports (the report, XLSX, Python code,
    documents) and joins are never needed for a page's first table, and their imports cost its start-up."""

    def method(request: Request) -> dict[str, Any]:
        function: Callable[[Request], dict[str, Any]] = getattr(
            importlib.import_module(f"loupe.service.{module}"), name
        )
        return function(request)

    method.__name__ = name
    return method


METHODS: dict[str, Callable[[Request], dict[str, Any]]] = {
    "cell": views.cell,
    "chart": views.chart,
    "chart_form": views.chart_builder,
    "close": sources.close,
    "document": sources.document,
    "export": _later("exports", "export"),
    "fingerprint": sources.fingerprint,
    "gallery": views.gallery,
    "join_preview": _later("joins", "join_preview"),
    "open": sources.open_file,
    "profile": views.profile,
    "python": _later("exports", "python_code"),
    "rows": views.rows,
    "step_counts": counts.step_counts,
    "verbs": steps.verbs,
    "view": views.view,
}


def _blame(error: BudgetError, request: Request) -> BudgetError:
    """Name the step that ran too long when it is known: the only step, or the one step added to
    the steps of the session's last finished view; else the whole pipeline."""
    if error.step is not None or error.field is not None or "pipeline" not in request.params:
        return error  # a read names what it was reading
    steps = request.steps
    session = SESSIONS.get(request.session)
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
    request: Request | None = None
    try:
        function = METHODS.get(method)
        if function is None:
            raise SpecError(f"unknown method {method!r}", hint=did_you_mean(method, METHODS))
        request = Request.parse(params or {})
        with time_budget(request.budget):
            return {"ok": True, "result": function(request)}
    except BudgetError as error:
        return {"ok": False, "error": (_blame(error, request) if request else error).to_dict()}
    except MemoryError as error:
        # Free the session's cached results; its loaded tables (the data on screen) stay.
        session = SESSIONS.get(request.session) if request else None
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
        return json.dumps({"ok": False, "error": SpecError(str(error), hint="send JSON text").to_dict()})
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
