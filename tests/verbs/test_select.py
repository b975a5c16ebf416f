from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError

CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({"verb": "select", "columns": ["amount", "region"]}, ["amount", "region"]),
    ({"verb": "select", "columns": "day"}, ["day"]),
    ({"verb": "drop", "columns": ["price", "day", "paid"]}, ["region", "product", "amount"]),
    (
        {"verb": "reorder", "columns": ["paid", "day"]},
        ["paid", "day", "region", "product", "amount", "price"],
    ),
]


@pytest.mark.parametrize(("step", "names"), CASES)
def test_column_choice(run: Any, step: dict[str, Any], names: list[str]) -> None:
    got_names, rows = run(step)
    assert got_names == names
    assert len(rows) == 5


def test_values_follow_their_columns(rows: Any) -> None:
    assert rows({"verb": "select", "columns": ["amount", "region"]})[0] == (10, "North")


@pytest.mark.parametrize(
    ("step", "text"),
    [
        ({"verb": "select", "columns": ["amout"]}, 'did you mean "amount"'),
        ({"verb": "select", "columns": []}, "must not be empty"),
        ({"verb": "select", "columns": ["a", "a"]}, "listed twice"),
        (
            {"verb": "drop", "columns": ["region", "product", "amount", "price", "day", "paid"]},
            "every column",
        ),
        ({"verb": "reorder", "columns": [1]}, "list of column names"),
    ],
)
def test_bad_column_choice(run: Any, step: dict[str, Any], text: str) -> None:
    with pytest.raises(SpecError, match=text) as info:
        run(step)
    assert info.value.step == 1 and info.value.field == "columns"
