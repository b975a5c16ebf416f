from __future__ import annotations

from typing import Any

import pytest
from loupe.engine import Engine
from loupe.errors import SpecError
from loupe.table import Column, Table

MIXED = Table(
    "mixed",
    (Column("s", "text"), Column("n", "float"), Column("b", "boolean")),
    [
        ("42", 1.0, True),
        (" 7 ", 2.9, False),
        ("3.5", -2.5, None),
        ("yes", None, True),
        ("2024-05-06", 0.0, False),
        ("abc", 1e30, None),
        (None, 3.0, True),
    ],
)

CASES: list[tuple[str, str, list[Any]]] = [
    ("s", "integer", [42, 7, 3, None, None, None, None]),
    ("s", "float", [42.0, 7.0, 3.5, None, None, None, None]),
    ("s", "boolean", [None, None, None, True, None, None, None]),
    ("s", "date", [None, None, None, None, "2024-05-06", None, None]),
    ("s", "datetime", [None, None, None, None, "2024-05-06T00:00:00", None, None]),
    ("n", "integer", [1, 2, -2, None, 0, None, 3]),
    ("n", "text", ["1.0", "2.9", "-2.5", None, "0.0", "1.0e+30", "3.0"]),
    ("n", "boolean", [True, None, None, None, False, None, None]),
    ("n", "date", [None] * 7),
    ("b", "text", ["true", "false", None, "true", "false", None, "true"]),
    ("b", "integer", [1, 0, None, 1, 0, None, 1]),
]


@pytest.mark.parametrize(("column", "to", "expected"), CASES)
def test_cast(column: str, to: str, expected: list[Any]) -> None:
    engine = Engine()
    engine.load(MIXED)
    result = engine.run([{"verb": "cast", "column": column, "to": to}], "mixed")
    index = result.column_names.index(column)
    assert result.columns[index].type == to
    assert [r[index] for r in result.rows] == expected


def test_cast_several_with_aliases(engine: Any) -> None:
    result = engine.run([{"verb": "cast", "columns": {"amount": "float", "price": "int"}}], "sales")
    assert [c.type for c in result.columns[2:4]] == ["float", "integer"]
    assert result.rows[0][2:4] == (10.0, 1)


@pytest.mark.parametrize(
    "step",
    [
        {"column": "amount", "to": "money"},
        {"column": "amount"},
        {"columns": {}},
        {"column": "amout", "to": "text"},
    ],
)
def test_bad_cast(run: Any, step: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "cast", **step})
