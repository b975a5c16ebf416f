from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError

CASES: list[tuple[dict[str, Any], list[tuple[Any, int]]]] = [
    ({"n": 2, "order": [{"column": "amount", "desc": True}]}, [("East", 12), ("North", 10)]),
    (
        {"n": 1, "by": ["region"], "order": [{"column": "amount", "desc": True}]},
        [("East", 12), ("North", 10), ("South", 5), (None, 3)],
    ),
    (
        {"n": 2, "by": "region", "order": ["amount"]},
        [("East", 12), ("North", 7), ("North", 10), ("South", 5), (None, 3)],
    ),
    ({"n": 0, "order": ["amount"]}, []),
]


@pytest.mark.parametrize(("fields", "expected"), CASES)
def test_top_n(rows: Any, fields: dict[str, Any], expected: list[Any]) -> None:
    assert [(r[0], r[2]) for r in rows({"verb": "top_n", **fields})] == expected


@pytest.mark.parametrize("fields", [{"n": 2}, {"order": ["amount"]}, {"n": 1, "order": ["x"]}])
def test_bad_top_n(run: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "top_n", **fields})


def test_ties_keep_their_input_order_on_every_engine(make_engine: Any) -> None:
    # Every row ties on the order key: the first rows of each group, in input order, are the top ones
    # on every engine (a parallel engine would otherwise pick any tied rows).
    from loupe.table import Column, Table

    engine = make_engine()
    rows = [("ab"[i % 2], 1, i) for i in range(5000)]
    engine.load(Table("t", (Column("g", "text"), Column("v", "integer"), Column("i", "integer")), rows))
    top = engine.run([{"verb": "top_n", "n": 3, "by": ["g"], "order": ["v"]}], "t").rows
    assert top == [("a", 1, 0), ("a", 1, 2), ("a", 1, 4), ("b", 1, 1), ("b", 1, 3), ("b", 1, 5)]
