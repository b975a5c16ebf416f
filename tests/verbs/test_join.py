from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError

BASE = [{"verb": "select", "columns": ["region", "amount"]}]
NAMES = ["region", "amount", "manager", "amount_right"]

CASES: list[tuple[dict[str, Any], list[tuple[Any, ...]]]] = [
    (
        {"how": "inner"},
        [("North", 10, "Ann", 1), ("North", 10, "Cid", 3), ("North", 7, "Ann", 1), ("North", 7, "Cid", 3)],
    ),
    (
        {"how": "left"},
        [
            ("North", 10, "Ann", 1),
            ("North", 10, "Cid", 3),
            ("South", 5, None, None),
            ("North", 7, "Ann", 1),
            ("North", 7, "Cid", 3),
            (None, 3, None, None),
            ("East", 12, None, None),
        ],
    ),
    (
        {"how": "right"},
        [
            ("North", 10, "Ann", 1),
            ("North", 10, "Cid", 3),
            ("North", 7, "Ann", 1),
            ("North", 7, "Cid", 3),
            ("West", None, "Bob", 2),
            (None, None, "Nul", 4),
        ],
    ),
    (
        {"how": "full"},
        [
            ("North", 10, "Ann", 1),
            ("North", 10, "Cid", 3),
            ("South", 5, None, None),
            ("North", 7, "Ann", 1),
            ("North", 7, "Cid", 3),
            (None, 3, None, None),
            ("East", 12, None, None),
            ("West", None, "Bob", 2),
            (None, None, "Nul", 4),
        ],
    ),
]


@pytest.mark.parametrize(("fields", "expected"), CASES)
def test_join(run: Any, fields: dict[str, Any], expected: list[Any]) -> None:
    names, rows = run(*BASE, {"verb": "join", "table": "regions", "on": ["region"], **fields})
    assert names == NAMES
    assert rows == expected


def test_join_on_differently_named_keys_keeps_both(run: Any) -> None:
    names, rows = run(
        {"verb": "select", "columns": ["product", "amount"]},
        {"verb": "join", "table": "regions", "on": [{"left": "amount", "right": "amount"}], "suffix": " (r)"},
        {"verb": "rename", "columns": {"amount": "a"}},
    )
    assert names == ["product", "a", "region", "manager"]
    assert rows == [("apple", 3, "North", "Cid")]


def test_join_several_keys_and_self_join(run: Any) -> None:
    _, rows = run(
        {"verb": "join", "table": "sales", "on": ["region", "product"]},
        {"verb": "select", "columns": ["region", "product", "amount", "amount_right"]},
    )
    assert rows == [
        ("North", "apple", 10, 10),
        ("South", "pear", 5, 5),
        ("North", "pear", 7, 7),
        ("East", "Apple pie", 12, 12),
    ]


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"table": "regons", "on": ["region"]}, 'did you mean "regions"'),
        ({"table": "regions", "on": ["product"]}, 'unknown column "product" in table'),
        ({"table": "regions", "on": [{"left": "region", "right": "amount"}]}, "cannot match"),
        ({"table": "regions", "on": []}, "list the key"),
        ({"table": "regions", "on": ["region"], "how": "outer"}, "unknown how"),
    ],
)
def test_bad_join(run: Any, fields: dict[str, Any], text: str) -> None:
    with pytest.raises(SpecError, match=text) as info:
        run({"verb": "join", **fields})
    assert info.value.step == 1
