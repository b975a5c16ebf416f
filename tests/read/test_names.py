"""Column and table names: unique, usable, and every change noted."""

from __future__ import annotations

import pytest
from loupe.read.names import column_names, table_name


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (["a", "b"], ["a", "b"]),
        ([" a ", "b\nc", "d\x00e"], ["a", "b c", "d e"]),
        (["", None, "x"], ["column_1", "column_2", "x"]),
        (["id", "id", "id"], ["id", "id_2", "id_3"]),
        (["Name", "name", "NAME"], ["Name", "name_2", "NAME_3"]),
        (["a", "a_2", "a"], ["a", "a_2", "a_3"]),
        (["column_2", ""], ["column_2", "column_2_2"]),
        (["É", "é"], ["É", "é"]),  # SQLite folds ASCII letters only
        ([1, 2.5], ["1", "2.5"]),
    ],
)
def test_column_names(raw: list[object], names: list[str]) -> None:
    assert column_names(raw)[0] == names


def test_renames_are_noted() -> None:
    names, notes = column_names(["id", "", "ID"])
    assert names == ["id", "column_2", "ID_2"]
    assert notes == [
        "1 empty column name filled in (column_2)",
        'duplicate column name renamed: "ID" -> "ID_2"',
    ]


def test_long_names_are_cut() -> None:
    assert len(column_names(["x" * 500])[0][0]) == 120


@pytest.mark.parametrize(
    ("filename", "name"),
    [
        ("sales.csv", "sales"),
        ("Sales 2024 (final).csv", "sales_2024_final"),
        ("/tmp/dir/data.tar.gz", "data"),
        ("C:\\Users\\me\\Book1.xlsx", "book1"),
        ("2024.csv", "t_2024"),
        ("....csv", "csv"),
        ("", "data"),
        ("ведомость.csv", "ведомость"),
        ("???.csv", "data"),
    ],
)
def test_table_name(filename: str, name: str) -> None:
    assert table_name(filename) == name
