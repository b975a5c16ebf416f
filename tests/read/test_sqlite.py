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


# RELIABILITY 34: a truncated database fails its check with a message, not a crash.
@pytest.mark.parametrize(
    ("cut", "message"),
    [(4096, "database"), (100, "database")],
)
def test_truncated_database(make_sqlite: MakeSqlite, cut: int, message: str) -> None:
    data = make_sqlite(SCRIPT + "".join(f"CREATE TABLE pad{i} (x); " for i in range(3)))
    with pytest.raises(ReadError, match=message) as caught:
        read_bytes(data[:cut], "shop.db")
    assert caught.value.hint


def test_not_a_database() -> None:  # RELIABILITY 34: a non-SQLite file renamed .sqlite
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


def test_a_damaged_page_is_found_by_quick_check_before_any_other_sql(make_sqlite: MakeSqlite) -> None:
    """RELIABILITY 34: a database whose table page was overwritten opens no table: the connection's
    quick_check, run before any other SQL, refuses it as damaged."""
    data = bytearray(make_sqlite("CREATE TABLE t (x TEXT); " + "INSERT INTO t VALUES ('abc');" * 400))
    page = int.from_bytes(data[16:18], "big")
    data[page : page + 64] = b"\xff" * 64  # the header of page 2: the root of table t
    with pytest.raises(ReadError, match=r"the database (is damaged|cannot be read)") as caught:
        read_bytes(bytes(data), "shop.db")
    assert caught.value.hint == "the file may be truncated or damaged; export the database again"


def test_a_hostile_schema_runs_nothing_unsafe(make_sqlite: MakeSqlite) -> None:
    """RELIABILITY 35: with trusted_schema off, a view that calls load_extension is refused by name
    and the other tables still open; a trigger never fires (read-only); a generated column reads."""
    data = make_sqlite(
        "CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2));"
        "INSERT INTO t (a) VALUES (3);"
        "CREATE TABLE log (x);"
        "CREATE TRIGGER spy AFTER INSERT ON t BEGIN INSERT INTO log VALUES (load_extension('evil')); END;"
        "CREATE VIEW v AS SELECT load_extension('/tmp/evil.so') AS y;"
    )
    with pytest.raises(ReadError, match="unsafe use of load_extension") as caught:
        read_bytes(data, "hostile.db", options={"table": "v"})
    assert caught.value.field == "table"
    table = read_bytes(data, "hostile.db")
    assert table.rows == [(3, 6)]
    assert read_bytes(data, "hostile.db", options={"table": "log"}).rows == []


def test_a_wal_database_without_its_wal_file_opens(make_sqlite: MakeSqlite) -> None:
    """RELIABILITY 35: a database saved in WAL mode, sent without its -wal file, opens (what was
    checkpointed into the main file) instead of failing."""
    data = make_sqlite("PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    assert data[18:20] == b"\x02\x02"  # the header says WAL
    assert read_bytes(data, "wal.db").rows == [(1,)]
