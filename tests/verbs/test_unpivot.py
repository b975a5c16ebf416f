from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError


def test_unpivot_row_major_with_common_type(engine: Any) -> None:
    result = engine.run(
        [
            {"verb": "select", "columns": ["region", "amount", "price"]},
            {"verb": "limit", "n": 2},
            {"verb": "unpivot", "columns": ["amount", "price"], "names_to": "k", "values_to": "v"},
        ],
        "sales",
    )
    assert result.column_names == ["region", "k", "v"]
    assert [c.type for c in result.columns] == ["text", "text", "float"]
    assert result.rows == [
        ("North", "amount", 10.0),
        ("North", "price", 1.5),
        ("South", "amount", 5.0),
        ("South", "price", 2.25),
    ]


def test_unpivot_mixed_types_become_text_and_drop_nulls(engine: Any) -> None:
    result = engine.run(
        [
            {"verb": "select", "columns": ["product", "price", "day"]},
            {"verb": "unpivot", "columns": ["price", "day"], "drop_nulls": True},
        ],
        "sales",
    )
    assert result.columns[-1].type == "text"
    assert ("pear", "price", None) not in result.rows
    assert result.rows[:2] == [("apple", "price", "1.5"), ("apple", "day", "2024-01-03")]
    assert len(result.rows) == 8


@pytest.mark.parametrize(
    "fields",
    [
        {"columns": []},
        {"columns": ["nope"]},
        {"columns": ["amount"], "names_to": "x", "values_to": "x"},
        {"columns": ["amount"], "names_to": "region"},
    ],
)
def test_bad_unpivot(run: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "unpivot", **fields})
