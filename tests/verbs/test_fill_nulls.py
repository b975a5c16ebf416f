from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError

CASES: list[tuple[dict[str, Any], int, list[Any]]] = [
    ({"columns": ["price"], "value": 0}, 3, [1.5, 2.25, 0.0, 0.5, 4.0]),
    ({"column": "region", "value": "?"}, 0, ["North", "South", "North", "?", "East"]),
    (
        {"column": "day", "value": "2000-01-01"},
        4,
        ["2024-01-03", "2024-01-01", "2024-02-10", "2000-01-01", "2023-12-31"],
    ),
    ({"column": "paid", "value": "no"}, 5, [True, False, True, False, False]),
    ({"columns": ["price"], "method": "previous"}, 3, [1.5, 2.25, 2.25, 0.5, 4.0]),
    ({"columns": ["price"], "method": "next"}, 3, [1.5, 2.25, 0.5, 0.5, 4.0]),
    ({"columns": ["region", "day"], "method": "previous"}, 0, ["North", "South", "North", "North", "East"]),
]


@pytest.mark.parametrize(("fields", "index", "expected"), CASES)
def test_fill_nulls(rows: Any, fields: dict[str, Any], index: int, expected: list[Any]) -> None:
    assert [r[index] for r in rows({"verb": "fill_nulls", **fields})] == expected


def test_previous_follows_current_order(rows: Any) -> None:
    got = rows(
        {"verb": "sort", "by": [{"column": "amount", "desc": True}]},
        {"verb": "fill_nulls", "column": "price", "method": "previous"},
    )
    assert [(r[2], r[3]) for r in got] == [(12, 4.0), (10, 1.5), (7, 1.5), (5, 2.25), (3, 0.5)]


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"column": "price"}, "missing field 'value'"),
        ({"column": "price", "value": "x"}, "cannot fill"),
        ({"column": "price", "method": "mean"}, "unknown method"),
    ],
)
def test_bad_fill(run: Any, fields: dict[str, Any], text: str) -> None:
    with pytest.raises(SpecError, match=text):
        run({"verb": "fill_nulls", **fields})
