"""A chart selection as a filter: the marks a user clicked (bars, points, boxes, heatmap cells) become
one filter expression over the pipeline's result, for cross-filtering and for "Keep as a filter step".

A selection is a list of marks (any of them matches: OR); a mark is a list of terms (all of them:
AND), each what the chart carries on the mark as `data-select`:

- `{"column": "region", "value": "North"}`: equal (a null value: the column is empty);
- `{"column": "date", "value": "2024-03-01", "unit": "month"}`: the time bucket starting there;
- `{"column": "amount", "from": 10, "to": 20, "last": false}`: a histogram bin, `from <= x < to`
  (`last: true` closes it, as the last bin holds its upper edge).

>>> selection_expr([[{"column": "region", "value": "North"}]])
'col("region") == "North"'
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeAlias

from loupe.errors import SpecError, did_you_mean
from loupe.expr import column_ref, literal
from loupe.render.spec import TIME_UNITS
from loupe.table import Column, Value

Term: TypeAlias = Mapping[str, Any]
Mark: TypeAlias = Sequence[Term]
MAX_MARKS = 200  # a shift-click selection is a handful of marks; more is a bug or a hostile request


def _error(message: str, hint: str | None = None, column: str | None = None) -> SpecError:
    return SpecError(message, field="selection", column=column, hint=hint)


def parse_selection(raw: object) -> list[list[Term]]:
    """The selection as sent by the page, checked for shape: a list of marks, each a list of terms."""
    if not isinstance(raw, list) or not raw or len(raw) > MAX_MARKS:
        hint = '[[{"column": "x", "value": 1}]]'
        raise _error(f"selection must be a list of 1 to {MAX_MARKS} marks", hint=hint)
    marks: list[list[Term]] = []
    for mark in raw:
        if not isinstance(mark, list) or not mark:
            raise _error("each selected mark must be a list of terms", hint='[{"column": "x", "value": 1}]')
        for term in mark:
            if not isinstance(term, Mapping) or not isinstance(term.get("column"), str):
                raise _error("each term of a selection needs a column", hint='{"column": "x", "value": 1}')
            if "value" not in term and not ("from" in term and "to" in term):
                name = term["column"]
                raise _error(f"the term on {name!r} needs a value, or from and to", column=name)
            for key in ("value", "from", "to"):
                if isinstance(term.get(key), list | dict):
                    raise _error(f"{key} of a selection must be one value", column=term["column"])
            unit = term.get("unit")
            if unit is not None and unit not in TIME_UNITS:
                raise _error(f"unknown time unit {unit!r}", hint="one of " + ", ".join(TIME_UNITS))
        marks.append(list(mark))
    return marks


def _next_bucket(start: str, unit: str) -> str:
    """The start of the bucket after the one starting at `start`, written as `start` is (ISO text)."""
    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        raise _error(f"{start!r} is not a date", hint="a time bucket starts at an ISO date") from None
    if unit in ("hour", "day", "week"):
        moment += {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(days=7)}[unit]
    else:
        months = {"month": 1, "quarter": 3, "year": 12}[unit]
        year, month = divmod(moment.month - 1 + months, 12)
        day = min(moment.day, calendar.monthrange(moment.year + year, month + 1)[1])
        moment = moment.replace(year=moment.year + year, month=month + 1, day=day)
    if len(start) == 10:  # a date: keep it a date
        return date(moment.year, moment.month, moment.day).isoformat()
    return moment.isoformat(sep=start[10]) if len(start) > 10 else moment.isoformat()


def _term_expr(term: Term) -> str:
    ref = column_ref(str(term["column"]))
    unit = term.get("unit")
    value: Value = term.get("value")
    if "value" in term and value is None:
        return f"{ref} is None"
    if unit is not None:
        if not isinstance(value, str):
            raise _error("a time bucket starts at a date", column=str(term["column"]))
        return f"{ref} >= {literal(value)} and {ref} < {literal(_next_bucket(value, str(unit)))}"
    if "value" in term:
        return f"{ref} == {literal(value)}"
    upper = "<=" if term.get("last") else "<"
    return f"{ref} >= {literal(term['from'])} and {ref} {upper} {literal(term['to'])}"


def selection_expr(marks: Sequence[Mark], columns: Sequence[Column] | None = None) -> str:
    """One filter expression that keeps the rows behind the selected marks. Given `columns` (the
    pipeline's result), each term's column is checked first, so an error names the selection.

    >>> selection_expr([[{"column": "d", "value": "2024-01-01", "unit": "month"}]])
    'col("d") >= "2024-01-01" and col("d") < "2024-02-01"'
    """
    if columns is not None:
        names = [c.name for c in columns]
        for mark in marks:
            for term in mark:
                name = str(term["column"])
                if name not in names:
                    hint = did_you_mean(name, names) or "the chart's columns are no longer in the result"
                    raise _error(f"the selection reads an unknown column {name!r}", hint=hint, column=name)
    parts = [" and ".join(_term_expr(term) for term in mark) for mark in marks]
    if len(parts) == 1:
        return parts[0]
    return " or ".join(f"({part})" for part in parts)


def selection_step(marks: Sequence[Mark], columns: Sequence[Column] | None = None) -> dict[str, str]:
    """The selection as a filter step, what "Keep as a filter step" adds and cross-filtering runs."""
    return {"verb": "filter", "expr": selection_expr(marks, columns)}


def describe_selection(marks: Sequence[Mark]) -> str:
    """A short sentence of what is selected, for the selection bar: `region: North, South`."""
    words = []
    for mark in marks:
        terms = []
        for term in mark:
            if "value" in term:
                shown = "empty" if term["value"] is None else str(term["value"])
                unit = f" ({term['unit']})" if term.get("unit") else ""
                terms.append(f"{term['column']}: {shown}{unit}")
            else:
                terms.append(f"{term['column']}: {term['from']} to {term['to']}")
        words.append(", ".join(terms))
    return "; ".join(words)
