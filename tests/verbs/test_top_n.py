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
