from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError


def test_rename_keeps_order_types_and_values(engine: Any) -> None:
    result = engine.run(
        [
            {"verb": "rename", "columns": {"amount": "qty", "day": "date of sale"}},
            {"verb": "filter", "column": "qty", "op": ">", "value": 9},
        ],
        "sales",
    )
    assert result.column_names == ["region", "product", "qty", "price", "date of sale", "paid"]
    assert result.columns[2].type == "integer"
    assert [r[2] for r in result.rows] == [10, 12]


@pytest.mark.parametrize(
    ("columns", "text"),
    [
        ({"amont": "x"}, 'did you mean "amount"'),
        ({}, "map old names"),
        ({"amount": ""}, "non-empty"),
        ({"amount": "region"}, "would appear twice"),
        ({"amount": "REGION"}, "would appear twice"),
    ],
)
def test_bad_rename(run: Any, columns: Any, text: str) -> None:
    with pytest.raises(SpecError, match=text) as info:
        run({"verb": "rename", "columns": columns})
    assert info.value.step == 1
