from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError

CASES: list[tuple[Any, list[int]]] = [
    ([{"column": "amount"}], [3, 5, 7, 10, 12]),
    ([{"column": "amount", "desc": True}], [12, 10, 7, 5, 3]),
    ("amount", [3, 5, 7, 10, 12]),
    ([{"column": "price"}], [3, 10, 5, 12, 7]),  # null last
    ([{"column": "price", "desc": True}], [12, 5, 10, 3, 7]),  # null last also descending
    ([{"column": "region"}, {"column": "amount", "desc": True}], [12, 10, 7, 5, 3]),
    (["product", "amount"], [12, 3, 10, 5, 7]),
    ([{"column": "day"}], [12, 5, 10, 7, 3]),
]


@pytest.mark.parametrize(("by", "expected"), CASES)
def test_sort_orders_rows(rows: Any, by: Any, expected: list[int]) -> None:
    assert [r[2] for r in rows({"verb": "sort", "by": by})] == expected


def test_sort_order_survives_later_steps(rows: Any) -> None:
    got = rows(
        {"verb": "sort", "by": [{"column": "amount", "desc": True}]},
        {"verb": "filter", "column": "amount", "op": ">", "value": 4},
        {"verb": "limit", "n": 3},
    )
    assert [r[2] for r in got] == [12, 10, 7]


@pytest.mark.parametrize(
    ("by", "text"),
    [
        ([], "non-empty"),
        ([{"column": "amout"}], 'did you mean "amount"'),
        ([{"desc": True}], "column"),
        ([{"column": "amount", "desc": "yes"}], "true or false"),
    ],
)
def test_bad_sort(run: Any, by: Any, text: str) -> None:
    with pytest.raises(SpecError) as info:
        run({"verb": "sort", "by": by})
    assert info.value.step == 1 and info.value.verb == "sort"
    assert text in str(info.value)


def test_sort_is_stable(engine: Any) -> None:
    from loupe.table import Column, Table

    rows = [(i, "ab"[i * 7 % 3 % 2]) for i in range(2000)]
    engine.load(Table("s", (Column("i", "integer"), Column("g", "text")), rows))
    for desc in (False, True):
        got = engine.run([{"verb": "sort", "by": [{"column": "g", "desc": desc}]}], "s").rows
        assert got == sorted(rows, key=lambda r: r[1], reverse=desc)
