"""The in-memory table every reader returns and the engine loads: typed columns plus rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

ColumnType: TypeAlias = Literal["integer", "float", "boolean", "date", "datetime", "text"]
COLUMN_TYPES: tuple[ColumnType, ...] = ("integer", "float", "boolean", "date", "datetime", "text")

# A cell as stored: int, float, bool, str (dates 'YYYY-MM-DD', datetimes ISO 'YYYY-MM-DDTHH:MM:SS'),
# or None for null. Integers outside SQLite's 64-bit range stay exact as text in a text column.
Value: TypeAlias = int | float | bool | str | None


@dataclass(frozen=True)
class Column:
    """A named, typed column.

    `reason` marks a true/false column the flag_outliers verb made: it names the text column saying
    why a row was flagged (None otherwise). Steps that keep or rename the columns carry it along.
    """

    name: str
    type: ColumnType
    reason: str | None = field(default=None, compare=False)


@dataclass
class Table:
    """A typed table as read from a file, with notes on what the reader detected or fixed.

    >>> Table("t", (Column("a", "integer"),), [(1,), (None,)]).row_count
    2
    """

    name: str
    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]]
    notes: list[str] = field(default_factory=list)
    source: dict[str, object] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def info(self) -> TableInfo:
        """What a caller needs once the rows are loaded elsewhere (a database)."""
        return TableInfo(self.name, self.columns, self.row_count, self.notes, self.source)


@dataclass
class TableInfo:
    """A table loaded straight into the engine: everything a Table says except its rows."""

    name: str
    columns: tuple[Column, ...]
    row_count: int
    notes: list[str] = field(default_factory=list)
    source: dict[str, object] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]
