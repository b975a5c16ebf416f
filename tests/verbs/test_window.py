from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError

# amounts in table order: 10, 5, 7, 3, 12; regions North, South, North, None, East
CASES: list[tuple[dict[str, Any], str, list[Any]]] = [
    ({"fn": "row_number"}, "integer", [1, 2, 3, 4, 5]),
    ({"fn": "row_number", "by": ["region"]}, "integer", [1, 1, 2, 1, 1]),
    ({"fn": "rank", "order": [{"column": "amount", "desc": True}]}, "integer", [2, 4, 3, 5, 1]),
    ({"fn": "dense_rank", "order": ["paid"]}, "integer", [2, 1, 2, 3, 1]),
    ({"fn": "running_sum", "column": "amount"}, "integer", [10, 15, 22, 25, 37]),
    ({"fn": "cumsum", "column": "amount", "by": ["region"]}, "integer", [10, 5, 17, 3, 12]),
    ({"fn": "running_sum", "column": "amount", "order": ["amount"]}, "integer", [25, 8, 15, 3, 37]),
    ({"fn": "running_count"}, "integer", [1, 2, 3, 4, 5]),
    ({"fn": "running_mean", "column": "amount"}, "float", [10.0, 7.5, 22 / 3, 6.25, 7.4]),
    ({"fn": "running_max", "column": "amount"}, "integer", [10, 10, 10, 10, 12]),
    (
        {"fn": "running_min", "column": "day"},
        "date",
        ["2024-01-03", "2024-01-01", "2024-01-01", "2024-01-01", "2023-12-31"],
    ),
    ({"fn": "lag", "column": "amount"}, "integer", [None, 10, 5, 7, 3]),
    ({"fn": "lag", "column": "amount", "n": 2}, "integer", [None, None, 10, 5, 7]),
    ({"fn": "lead", "column": "product"}, "text", ["pear", "pear", "apple", "Apple pie", None]),
    ({"fn": "diff", "column": "amount"}, "integer", [None, -5, 2, -4, 9]),
    ({"fn": "pct_change", "column": "amount"}, "float", [None, -0.5, 0.4, -4 / 7, 3.0]),
    ({"fn": "moving_mean", "column": "amount", "n": 2}, "float", [10.0, 7.5, 6.0, 5.0, 7.5]),
    ({"fn": "moving_sum", "column": "amount"}, "integer", [10, 15, 22, 15, 22]),
    ({"fn": "share", "column": "amount", "by": ["region"]}, "float", [10 / 17, 1.0, 7 / 17, 1.0, 1.0]),
    ({"fn": "group_sum", "column": "amount", "by": ["region"]}, "integer", [17, 5, 17, 3, 12]),
    ({"fn": "group_mean", "column": "price"}, "float", [2.0625] * 5),
    ({"fn": "group_count", "by": ["product"]}, "integer", [2, 2, 2, 2, 1]),
]


@pytest.mark.parametrize(("fields", "kind", "expected"), CASES)
def test_window(engine: Any, fields: dict[str, Any], kind: str, expected: list[Any]) -> None:
    result = engine.run([{"verb": "window", "as": "w", **fields}], "sales")
    assert result.column_names[:6] == ["region", "product", "amount", "price", "day", "paid"]
    assert result.columns[-1].type == kind
    assert [r[2] for r in result.rows] == [10, 5, 7, 3, 12]  # rows keep their order
    assert [r[-1] for r in result.rows] == [pytest.approx(v) if isinstance(v, float) else v for v in expected]


def test_default_name_and_replacing(engine: Any) -> None:
    result = engine.run(
        [
            {"verb": "window", "fn": "running_sum", "column": "amount"},
            {"verb": "window", "fn": "lag", "column": "amount", "as": "amount"},
        ],
        "sales",
    )
    assert result.column_names[-1] == "running_sum_amount"
    assert [r[2] for r in result.rows] == [None, 10, 5, 7, 3]


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"fn": "running_sum"}, "missing field 'column'"),
        ({"fn": "running_sum", "column": "product"}, "needs a number column"),
        ({"fn": "ntile"}, "unknown fn"),
        ({"fn": "lag", "column": "amount", "n": 0}, "at least 1"),
        ({"fn": "rank", "order": ["amout"]}, 'did you mean "amount"'),
        ({"fn": "rank", "by": ["regio"]}, 'did you mean "region"'),
    ],
)
def test_bad_window(run: Any, fields: dict[str, Any], text: str) -> None:
    with pytest.raises(SpecError, match=text):
        run({"verb": "window", **fields})
