from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"n": 2}, [10, 5]),
        ({"n": 2, "offset": 3}, [3, 12]),
        ({"n": 0}, []),
        ({"n": 99}, [10, 5, 7, 3, 12]),
    ],
)
def test_limit(rows: Any, fields: dict[str, Any], expected: list[int]) -> None:
    assert [r[2] for r in rows({"verb": "limit", **fields})] == expected


@pytest.mark.parametrize(
    "fields", [{}, {"n": -1}, {"n": "5"}, {"n": 1.5}, {"n": 2, "offset": -2}, {"n": True}]
)
def test_bad_limit(run: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(SpecError) as info:
        run({"verb": "limit", **fields})
    assert info.value.step == 1 and info.value.field in ("n", "offset")
