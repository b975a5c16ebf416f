"""A request parsed once: the fields every session method shares, typed, with the rest kept as given.

>>> r = Request.parse({"session": "a", "pipeline": [{"verb": "limit", "n": 2}], "offset": 5})
>>> (r.session, r.steps, r.offset, r.limit)
('a', [{'verb': 'limit', 'n': 2}], 5, 100)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.budget import DEFAULT_BUDGET_S
from loupe.errors import SpecError
from loupe.selection import Term, parse_selection

Params = Mapping[str, Any]
DEFAULT_WINDOW = 100
MAX_WINDOW = 1000


def whole_number(params: Params, key: str, default: int, low: int, high: int) -> int:
    value = params.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SpecError(f"{key} must be a whole number from {low} to {high}, not {value!r}", field=key)
    return value


def steps_of(pipeline: Any) -> list[Any]:
    """The steps of a pipeline given as a list or as a versioned spec {"steps": [...]}."""
    if isinstance(pipeline, Mapping):
        return list(pipeline.get("steps") or [])
    return list(pipeline or [])


def _locale(params: Params) -> str | None:
    """The page's language (navigator.language) for number and date formats; unknown ones fall back."""
    locale = params.get("locale")
    return locale if isinstance(locale, str) and 2 <= len(locale) <= 35 else None


def _budget(params: Params) -> float:
    """The request's time budget in seconds (`budget`, default 20): any one query stops past it."""
    value = params.get("budget", DEFAULT_BUDGET_S)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0.01 <= value <= 3600:
        raise SpecError(f"budget must be from 0.01 to 3600 seconds, not {value!r}", field="budget")
    return float(value)


@dataclass(frozen=True)
class Request:
    """What a page asks about: its session, table and pipeline, the window of rows, how to draw."""

    session: str
    table: str | None
    pipeline: Any  # the steps as sent (a list, or a versioned spec): compiled by the session's cache
    steps: list[Any]
    offset: int
    limit: int
    chart: Mapping[str, Any] | None
    theme: str
    width: int
    height: int
    locale: str | None
    budget: float
    # Marks selected in a chart (loupe.selection): the table and the other charts filter to them.
    selection: list[list[Term]] | None
    params: Params  # everything else a method reads (path, format, column, ...)

    @classmethod
    def parse(cls, params: Params) -> Request:
        table = params.get("table")
        chart = params.get("chart")
        return cls(
            session=str(params.get("session", "default")),
            table=str(table) if table else None,
            pipeline=params.get("pipeline"),
            steps=steps_of(params.get("pipeline")),
            offset=whole_number(params, "offset", 0, 0, 2**62),
            limit=whole_number(params, "limit", DEFAULT_WINDOW, 1, MAX_WINDOW),
            chart=chart if isinstance(chart, Mapping) and chart else None,
            theme=str(params.get("theme", "light")),
            width=whole_number(params, "width", 640, 240, 4000),
            height=whole_number(params, "height", 360, 160, 4000),
            locale=_locale(params),
            budget=_budget(params),
            selection=parse_selection(params["selection"]) if params.get("selection") else None,
            params=params,
        )
