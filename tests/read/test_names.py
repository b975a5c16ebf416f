"""Column and table names: unique, usable, and every change noted."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.engine import Engine
from loupe.read import read_bytes
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
def test_column_names(raw: list[object], names: list[str]) -> None:  # RELIABILITY 26
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


# Header cells made of what breaks hand-built SQL: quotes, brackets, keywords, line ends, blanks, repeats.
HOSTILE_NAME = st.one_of(
    st.sampled_from(
        ["select", "SELECT", "from", "rowid", "", " ", "id", "ID", '"', "]", "[x]", "a\nb", "--"]
    ),
    st.text(alphabet=st.sampled_from("\"]`[';, \n\r\tselctSELCT_-1é"), max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(HOSTILE_NAME, min_size=1, max_size=6))
def test_any_header_gives_unique_names_every_one_selectable(header: list[str]) -> None:
    """RELIABILITY 26: a CSV header of duplicate, empty, reserved and quote-, bracket- or line-end-
    holding names reads to unique names, and each one can be selected, filtered and sorted by."""
    out = io.StringIO()
    # "\r\n" as the line end makes the writer quote fields holding either character.
    csv.writer(out, lineterminator="\r\n").writerows([header, [str(i) for i in range(len(header))]])
    table = read_bytes(out.getvalue().encode(), "h.csv", options={"header": True, "delimiter": ","})
    names = table.column_names
    assert len(names) == len(header)
    assert len({n.lower() for n in names}) == len(names)  # unique as SQLite compares them
    engine = Engine()
    engine.load(table)
    for i, name in enumerate(names):
        steps = [
            {"verb": "select", "columns": [name]},
            {"verb": "filter", "column": name, "op": "==", "value": i},
            {"verb": "sort", "by": [{"column": name}]},
        ]
        result = engine.run(steps, table.name)
        assert result.column_names == [name]
        assert result.rows == [(i,)]
