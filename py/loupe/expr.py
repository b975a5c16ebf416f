"""The safe expression language (being written): parse with ast, allow-list, compile to SQL."""

from __future__ import annotations

from dataclasses import dataclass

from loupe.errors import ExprError
from loupe.sql import Params
from loupe.table import Column, ColumnType


@dataclass(frozen=True)
class Compiled:
    """An expression compiled to SQL, with its result type."""

    sql: str
    type: ColumnType


def compile_expr(text: str, columns: tuple[Column, ...], params: Params) -> Compiled:
    """Compile an expression over `columns` to SQL (values become parameters in `params`)."""
    raise ExprError("expressions are not available yet", snippet=text, hint="use column/op/value")
