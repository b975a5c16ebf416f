from __future__ import annotations

import statistics
from typing import Any

import pytest
from loupe.errors import SpecError

CASES: list[tuple[dict[str, Any], list[str], list[tuple[Any, ...]]]] = [
    (
        {"by": ["region"], "aggs": [{"fn": "count"}]},
        ["region", "count"],
        [("East", 1), ("North", 2), ("South", 1), (None, 1)],
    ),
    (
        {"by": "region"},
        ["region", "count"],
        [("East", 1), ("North", 2), ("South", 1), (None, 1)],
    ),
    (
        {
            "by": ["product"],
            "aggs": [
                {"fn": "sum", "column": "amount", "as": "total"},
                {"fn": "mean", "column": "price"},
            ],
        },
        ["product", "total", "mean_price"],
        [("Apple pie", 12, 4.0), ("apple", 13, 1.0), ("pear", 12, 2.25)],
    ),
    (
        {
            "aggs": [
                {"fn": "min", "column": "day"},
                {"fn": "max", "column": "day"},
                {"fn": "count", "column": "price"},
                {"fn": "count_distinct", "column": "product"},
            ]
        },
        ["min_day", "max_day", "count_price", "count_distinct_product"],
        [("2023-12-31", "2024-02-10", 4, 3)],
    ),
    (
        {
            "aggs": [
                {"fn": "median", "column": "amount"},
                {"fn": "median", "column": "price"},
                {"fn": "std", "column": "amount"},
            ]
        },
        ["median_amount", "median_price", "std_amount"],
        [(7.0, 1.875, pytest.approx(statistics.stdev([10, 5, 7, 3, 12])))],
    ),
    (
        {
            "by": ["region"],
            "aggs": [
                {"fn": "first", "column": "product"},
                {"fn": "last", "column": "product"},
                {"fn": "first", "column": "paid"},
                {"fn": "sum", "column": "paid"},
            ],
        },
        ["region", "first_product", "last_product", "first_paid", "sum_paid"],
        [
            ("East", "Apple pie", "Apple pie", False, 0),
            ("North", "apple", "pear", True, 2),
            ("South", "pear", "pear", False, 0),
            (None, "apple", "apple", None, None),
        ],
    ),
    (
        {"by": ["region", "paid"], "aggs": [{"fn": "avg", "column": "amount", "as": "m"}]},
        ["region", "paid", "m"],
        [("East", False, 12.0), ("North", True, 8.5), ("South", False, 5.0), (None, None, 3.0)],
    ),
]


@pytest.mark.parametrize(("fields", "names", "expected"), CASES)
def test_groupby(run: Any, fields: dict[str, Any], names: list[str], expected: list[Any]) -> None:
    got_names, got = run({"verb": "groupby", **fields})
    assert got_names == names
    assert got == expected


def test_first_follows_current_order(rows: Any) -> None:
    got = rows(
        {"verb": "sort", "by": [{"column": "amount", "desc": True}]},
        {
            "verb": "groupby",
            "by": ["region"],
            "aggs": [{"fn": "first", "column": "amount"}, {"fn": "last", "column": "amount"}],
        },
    )
    assert got == [("East", 12, 12), ("North", 10, 7), ("South", 5, 5), (None, 3, 3)]


def test_output_types(engine: Any) -> None:
    result = engine.run(
        [
            {
                "verb": "groupby",
                "by": ["day"],
                "aggs": [
                    {"fn": "count"},
                    {"fn": "sum", "column": "amount"},
                    {"fn": "sum", "column": "price"},
                    {"fn": "mean", "column": "amount"},
                    {"fn": "max", "column": "day", "as": "d"},
                ],
            }
        ],
        "sales",
    )
    assert [c.type for c in result.columns] == [
        "date",
        "integer",
        "integer",
        "float",
        "float",
        "date",
    ]


BAD: list[tuple[dict[str, Any], str]] = [
    ({"by": ["regon"]}, 'did you mean "region"'),
    ({"aggs": [{"fn": "sum", "column": "product"}]}, "needs a number column"),
    ({"aggs": [{"fn": "summ", "column": "amount"}]}, 'did you mean "sum"'),
    ({"aggs": [{"fn": "sum"}]}, "missing field 'column'"),
    ({"by": ["region"], "aggs": [{"fn": "count", "as": "region"}]}, "listed twice"),
    ({"by": [], "aggs": []}, "nothing to compute"),
]


@pytest.mark.parametrize(("fields", "text"), BAD)
def test_bad_groupby(run: Any, fields: dict[str, Any], text: str) -> None:
    with pytest.raises(SpecError) as info:
        run({"verb": "groupby", **fields})
    assert info.value.step == 1 and info.value.verb == "groupby"
    assert text in str(info.value)


def test_std_of_equal_values_is_exactly_zero() -> None:
    from loupe.engine import Engine
    from loupe.table import Column, Table

    engine = Engine()
    rows = [("a", 0.1)] * 3 + [("b", 1e300)] * 2 + [("c", 0.1), ("c", 0.2)]
    engine.load(Table("t", (Column("k", "text"), Column("x", "float")), rows))
    result = engine.run([{"verb": "groupby", "by": "k", "aggs": [{"fn": "std", "column": "x"}]}], "t")
    by_key = dict(result.rows)
    assert by_key["a"] == 0.0 and by_key["b"] == 0.0  # fsum(0.1 three times) / 3 is not 0.1
    assert by_key["c"] == pytest.approx(0.0707106781)
