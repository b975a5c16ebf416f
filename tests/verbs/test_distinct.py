from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError


def test_distinct_rows_keep_their_first_occurrence_in_order(rows: Any) -> None:
    got = rows({"verb": "select", "columns": ["region"]}, {"verb": "distinct"})
    assert got == [("North",), ("South",), (None,), ("East",)]
    got = rows({"verb": "select", "columns": ["region", "paid"]}, {"verb": "distinct"})
    assert got == [("North", True), ("South", False), (None, None), ("East", False)]
    got = rows(
        {"verb": "sort", "by": ["amount"]}, {"verb": "select", "columns": ["region"]}, {"verb": "distinct"}
    )
    assert got == [(None,), ("South",), ("North",), ("East",)]


def test_distinct_on_columns_keeps_first_row_in_order(rows: Any) -> None:
    got = rows({"verb": "distinct", "columns": ["region"]})
    assert [(r[0], r[2]) for r in got] == [("North", 10), ("South", 5), (None, 3), ("East", 12)]
    got = rows({"verb": "sort", "by": ["amount"]}, {"verb": "distinct", "columns": "region"})
    assert [(r[0], r[2]) for r in got] == [(None, 3), ("South", 5), ("North", 7), ("East", 12)]


@pytest.mark.parametrize(
    "fields", [{"columns": ["nope"]}, {"columns": ["region", "region"]}, {"by": ["region"]}]
)
def test_bad_distinct(run: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "distinct", **fields})
