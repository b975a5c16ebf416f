"""Loupe's error types: every message says what is wrong, where, and what to do about it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class LoupeError(Exception):
    """A user-facing error carrying its location (step, row, column, snippet) and a hint.

    >>> str(LoupeError("unknown column", step=2, column="amont", hint='did you mean "amount"?'))
    'unknown column (step 2, column "amont"). Hint: did you mean "amount"?'
    """

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        step: int | None = None,
        verb: str | None = None,
        field: str | None = None,
        row: int | None = None,
        column: str | None = None,
        snippet: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.step = step
        self.verb = verb
        self.field = field
        self.row = row
        self.column = column
        self.snippet = snippet

    def where(self) -> str:
        """The location as a short phrase: 'step 2 (filter), row 14, column "x"'."""
        parts: list[str] = []
        if self.step is not None:
            parts.append(f"step {self.step}" + (f" ({self.verb})" if self.verb else ""))
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f'column "{self.column}"')
        if self.snippet is not None:
            parts.append(f"at {self.snippet!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{self.message} ({where})" if where else self.message
        return f"{text}. Hint: {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form for the worker protocol and the CLI."""
        out: dict[str, Any] = {"code": self.code, "message": self.message, "text": str(self)}
        for key in ("hint", "step", "verb", "field", "row", "column", "snippet"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


class ReadError(LoupeError):
    """A file could not be read: wrong format, bad encoding, ragged rows, too large."""

    code = "read"


class SpecError(LoupeError):
    """A pipeline or chart spec is invalid: unknown verb, missing field, unknown column."""

    code = "spec"


class ExprError(SpecError):
    """An expression uses syntax or a function outside the allow-list."""

    code = "expr"


class QueryError(LoupeError):
    """SQLite refused or failed a compiled query at run time."""

    code = "query"


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, or None: 'did you mean "amount"?'."""
    import difflib  # here: only a mistake needs it, and importing it costs the page's start-up

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None


class BudgetError(QueryError):
    """A step ran past the request's time budget and SQLite's progress handler stopped it."""

    code = "budget"

    def __init__(self, seconds: float, what: str = "this step", **where: Any) -> None:
        where.setdefault("hint", "filter or group first, join on more specific keys, or remove the step")
        super().__init__(f"{what} took longer than {seconds:g} s; it was stopped", **where)
        self.seconds = seconds


class MemoryLimitError(LoupeError):
    """Python or SQLite ran out of memory; the request is dropped, the data loaded before stays."""

    code = "memory"


def not_enough_memory() -> MemoryLimitError:
    """What a MemoryError anywhere in a request becomes: a message a user can act on, not a bug report."""
    return MemoryLimitError(
        "not enough memory for this step; try filtering first",
        hint="filter rows or select fewer columns before this step; the data on screen is unchanged",
    )


def error_reply(error: BaseException, trace: str | None = None) -> dict[str, Any]:
    """The one error shape of every reply: a LoupeError as it is, MemoryError as not_enough_memory(),
    anything else as an 'internal' error (a bug) that still says the page's data is unchanged.

    >>> error_reply(MemoryError())["code"]
    'memory'
    """
    if isinstance(error, MemoryError):
        error = not_enough_memory()
    if isinstance(error, LoupeError):
        return error.to_dict()
    text = f"internal error: {type(error).__name__}: {error}"
    out: dict[str, Any] = {
        "code": "internal",
        "message": text,
        "text": text,
        "hint": "this is a bug in Loupe; the data on screen is unchanged",
    }
    if trace:
        out["trace"] = trace
    return out
