"""SQLite files: tables and views as choices, typed columns, damaged and hostile files refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from loupe.errors import ReadError
from loupe.read import read_bytes

MakeSqlite = Callable[[str], bytes]

SCRIPT = """
CREATE TABLE "sales data" (id INTEGER PRIMARY KEY, region TEXT, amount REAL, paid BOOLEAN,
                           day TEXT, zip TEXT, raw BLOB);
INSERT INTO "sales data" VALUES (1, 'North', 10.5, 1, '2024-01-02', '02134', x'00ff'),
                                (2, 'South', NULL, 0, NULL, '10001', NULL);
CREATE TABLE empty (x INTEGER);
CREATE VIEW north AS SELECT id, region FROM "sales data" WHERE region = 'North';
"""


def test_first_table_with_types(make_sqlite: MakeSqlite) -> None:
    table = read_bytes(make_sqlite(SCRIPT), "shop.sqlite")
    assert table.name == "shop"
    assert table.source["format"] == "sqlite"
    assert table.source["table"] == "sales data"
    assert table.source["choices"] == ["sales data", "empty", "north"]
    assert [(c.name, c.type) for c in table.columns] == [
        ("id", "integer"),
        ("region", "text"),
        ("amount", "float"),
        ("paid", "boolean"),
        ("day", "date"),
        ("zip", "text"),
        ("raw", "text"),
    ]
    assert table.rows == [
        (1, "North", 10.5, True, "2024-01-02", "02134", "00ff"),
        (2, "South", None, False, None, "10001", None),
    ]


def test_choose_a_view(make_sqlite: MakeSqlite) -> None:
    table = read_bytes(make_sqlite(SCRIPT), "shop.db", options={"table": "north"})
    assert table.rows == [(1, "North")]


def test_empty_table_has_columns(make_sqlite: MakeSqlite) -> None:
    table = read_bytes(make_sqlite(SCRIPT), "shop.db", options={"table": "empty"})
    assert table.column_names == ["x"]
    assert table.rows == []


def test_unknown_table_names_the_choices(make_sqlite: MakeSqlite) -> None:
    with pytest.raises(ReadError, match='did you mean "north"') as caught:
        read_bytes(make_sqlite(SCRIPT), "shop.db", options={"table": "nort"})
    assert caught.value.field == "table"


def test_magic_beats_extension(make_sqlite: MakeSqlite) -> None:
    table = read_bytes(make_sqlite(SCRIPT), "export.csv")
    assert table.source["format"] == "sqlite"


@pytest.mark.parametrize(
    ("cut", "message"),
    [(4096, "database"), (100, "database")],
)
def test_truncated_database(make_sqlite: MakeSqlite, cut: int, message: str) -> None:
    data = make_sqlite(SCRIPT + "".join(f"CREATE TABLE pad{i} (x); " for i in range(3)))
    with pytest.raises(ReadError, match=message) as caught:
        read_bytes(data[:cut], "shop.db")
    assert caught.value.hint


def test_not_a_database() -> None:
    with pytest.raises(ReadError, match="named like a SQLite database"):
        read_bytes(b"hello", "shop.sqlite")
    with pytest.raises(ReadError, match="not a SQLite database"):
        read_bytes(b"hello", "shop.sqlite", options={"format": "sqlite"})


def test_view_calling_unknown_function_is_a_clear_error(make_sqlite: MakeSqlite) -> None:
    data = make_sqlite("CREATE TABLE t (x); INSERT INTO t VALUES (1); CREATE VIEW v AS SELECT abs(x) FROM t;")
    # Swap the view's function for one SQLite does not have; same length keeps the file valid.
    data = data.replace(b"abs(x)", b"zzz(x)")
    with pytest.raises(ReadError, match="no such function: zzz") as caught:
        read_bytes(data, "x.db", options={"table": "v"})
    assert caught.value.field == "table"
    assert read_bytes(data, "x.db").rows == [(1,)]  # the other tables still open


def test_no_tables(make_sqlite: MakeSqlite) -> None:
    with pytest.raises(ReadError, match="no tables or views"):
        read_bytes(make_sqlite("PRAGMA user_version = 1;"), "x.db")
