"""The one place that quotes SQL identifiers and names parameters, plus the compiled Query type.

Every identifier reaches SQL through `quote_ident` and every value through `Params.add`, so no
string built from data is ever parsed as SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loupe.errors import SpecError
from loupe.table import Column, ColumnType, Value

# Declared SQLite types per column type. Booleans are stored 0/1 and dates as ISO text; the declared
# type keeps the affinity right (NUMERIC for booleans would also do, INTEGER is simplest).
SQL_TYPES: dict[ColumnType, str] = {
    "integer": "INTEGER",
    "float": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
    "datetime": "TEXT",
    "text": "TEXT",
}


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(name: str) -> str:
    """SQLite compares identifiers case-insensitively for ASCII letters only; this is that key."""
    return name.translate(_ASCII_LOWER)


def quote_ident(name: str) -> str:
    """Quote any Unicode name as a SQLite identifier; NUL cannot be represented and is refused.

    >>> print(quote_ident('a "b" c'))
    "a ""b"" c"
    """
    if not isinstance(name, str):
        raise SpecError(f"a name must be text, not {type(name).__name__}", hint="use a string")
    if "\x00" in name:
        raise SpecError(
            "a name cannot contain the NUL character",
            snippet=name.replace("\x00", "\\0"),
            hint="rename the column or table without NUL characters",
        )
    return '"' + name.replace('"', '""') + '"'


# SQLite (3.39-3.40 at least) loses a subquery column's name when it is "true" or "false" in any
# case: `SELECT "true" FROM (SELECT 1 AS "true")` returns the text 'true'. Such column names get a
# private-use suffix inside SQL; the suffix is escaped by doubling, so the mapping is one-to-one.
_SUFFIX = "\ue000"
_TRUE_FALSE = frozenset({"true", "false"})


def quote_column(name: str) -> str:
    """Quote a column name for SQL (quote_ident, with SQLite's true/false quirk worked around).

    >>> quote_column("amount"), quote_column("True") == quote_ident("True\ue000")
    ('"amount"', True)
    """
    if fold(name.rstrip(_SUFFIX)) in _TRUE_FALSE:
        name += _SUFFIX
    return quote_ident(name)


@dataclass
class Params:
    """Named parameters collected while compiling: `add(value)` returns the placeholder to splice.

    >>> p = Params(); p.add(5), p.add("x"), p.values
    (':p0', ':p1', {'p0': 5, 'p1': 'x'})
    """

    values: dict[str, Value] = field(default_factory=dict)

    def add(self, value: Value) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return ":" + name


@dataclass(frozen=True)
class Query:
    """One compiled SQL statement, its named parameters and the schema of the rows it returns.

    `count_sql`, if set, returns the same number of rows more cheaply (e.g. without sorting),
    using a subset of the same parameters. `step_columns` (from compile_pipeline) holds the
    source table's columns, then each step's output columns: what a step editor can offer.
    """

    sql: str
    params: dict[str, Value]
    columns: tuple[Column, ...]
    count_sql: str | None = None
    step_columns: tuple[tuple[Column, ...], ...] = ()
    notes: tuple[str, ...] = ()  # what steps found while compiling, e.g. values a cast made null

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def select_all(name: str, columns: tuple[Column, ...]) -> Query:
    """A query returning a whole loaded table, columns in declared order."""
    cols = ", ".join(quote_column(c.name) for c in columns) or "*"
    return Query(f"SELECT {cols} FROM {quote_ident(name)}", {}, columns)
