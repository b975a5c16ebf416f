"""Loupe's error types: every message says what is wrong, where, and what to do about it."""

from __future__ import annotations

import difflib
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
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None
