"""A table or view of a SQLite database file, opened defensively: read-only, checked, untrusted.

The bytes go to a private temporary file opened read-only and immutable; `quick_check` runs first,
`trusted_schema` is off (so views cannot call functions with side effects) and extension loading is
never enabled.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from loupe import budget
from loupe.errors import BudgetError, ReadError, did_you_mean
from loupe.read.detect import SQLITE_MAGIC
from loupe.read.names import column_names
from loupe.read.options import ReadOptions
from loupe.read.tabulate import build_typed_table, check_width
from loupe.read.typed import Cell
from loupe.sql import quote_ident
from loupe.table import Table

_DAMAGED_HINT = "the file may be truncated or damaged; export the database again"


def read_sqlite(data: bytes, filename: str, options: ReadOptions) -> Table:
    """One table or view (options.table, default the first table) as a Table."""
    if not data.startswith(SQLITE_MAGIC):
        raise ReadError("this is not a SQLite database", hint="open a file saved by SQLite (.sqlite, .db)")
    with _connect(data) as connection:
        objects = _objects(connection)
        if not objects:
            raise ReadError("the database has no tables or views", hint="open another database")
        names = [name for name, _ in objects]
        chosen = options.table or next((n for n, kind in objects if kind == "table"), names[0])
        if chosen not in names:
            raise ReadError(
                f"the database has no table or view {chosen!r}",
                field="table",
                hint=did_you_mean(chosen, names) or f"tables: {', '.join(names[:20])}",
            )
        header, rows, declared = _select(connection, chosen)
    check_width(len(header))
    notes = [
        f'table "{chosen}"'
        + (f" (of {len(names)}: choose another in the open options)" if len(names) > 1 else "")
    ]
    if any("\ufffd" in c for row in rows for c in row if isinstance(c, str)):
        notes.append("some text was not valid UTF-8; unreadable bytes show as \ufffd")
    clean, name_notes = column_names(header)
    notes.extend(name_notes)
    columns: list[list[Cell]] = (
        [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in header]
    )
    rows.clear()
    _booleans(columns, declared)
    source: dict[str, object] = {"format": "sqlite", "table": chosen, "choices": names}
    return build_typed_table(clean, columns, options, notes=notes, source=source)


@contextmanager
def _connect(data: bytes) -> Iterator[sqlite3.Connection]:
    # A WAL-mode header (bytes 18-19 = 2) needs a -wal file we do not have; mark it rollback mode.
    if data[18:20] == b"\x02\x02":
        data = data[:18] + b"\x01\x01" + data[20:]
    handle, path = tempfile.mkstemp(suffix=".sqlite")
    connection: sqlite3.Connection | None = None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        uri = f"file:{quote(path)}?mode=ro&immutable=1"
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        # TEXT that is not valid UTF-8 (SQLite does not check) becomes U+FFFD, not a crash.
        connection.text_factory = _lenient_text
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA query_only = ON")
        _quick_check(connection)
        yield connection
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # a mangled schema yields undecodable errors
        raise ReadError(f"the database cannot be read: {exc}", hint=_DAMAGED_HINT) from None
    finally:
        if connection is not None:
            connection.close()
        os.unlink(path)


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _quick_check(connection: sqlite3.Connection) -> None:
    problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise ReadError(
            f"the database is damaged: {problems[0]}",
            hint=_DAMAGED_HINT,
            snippet="; ".join(problems),
        )


def _objects(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """Tables then views, in creation order, without SQLite's internal tables."""
    rows = connection.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'view', rowid"
    ).fetchall()
    return [(str(name), str(kind)) for name, kind in rows]


def _select(connection: sqlite3.Connection, name: str) -> tuple[list[str], list[tuple[Cell, ...]], list[str]]:
    # A view may never end (WITH RECURSIVE without a bound): the request's time budget stops it.
    watch = budget.Watch(None)
    try:
        with budget.watched(connection, budget.current()) as watch:
            cursor = connection.execute(f"SELECT * FROM {quote_ident(name)}")
            header = [d[0] for d in cursor.description]
            rows: list[tuple[Cell, ...]] = cursor.fetchall()
        declared = [
            str(row[2] or "").upper()
            for row in connection.execute(f"PRAGMA table_xinfo({quote_ident(name)})")
            if not row[-1]  # hidden columns of virtual tables are not in SELECT *
        ]
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        if watch.fired and watch.seconds is not None:
            hint = "choose another table in the open options; a view that never ends cannot be read"
            raise BudgetError(watch.seconds, f'reading "{name}"', field="table", hint=hint) from None
        raise ReadError(
            f'"{name}" cannot be read: {exc}',
            field="table",
            hint="it may use an extension or function Loupe does not load; choose another table",
        ) from None
    return header, rows, declared if len(declared) == len(header) else [""] * len(header)


def _booleans(columns: list[list[Cell]], declared: list[str]) -> None:
    """Columns declared BOOLEAN and holding only 0/1 become true/false (SQLite has no boolean)."""
    for j, kind in enumerate(declared):
        if "BOOL" in kind and all(c in (0, 1, None) and not isinstance(c, float) for c in columns[j]):
            columns[j] = [None if c is None else bool(c) for c in columns[j]]
