from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import ExprError, SpecError

CASES: list[tuple[str, str, list[Any]]] = [
    ("amount * 2", "integer", [20, 10, 14, 6, 24]),
    ("amount * price", "float", [15.0, 11.25, None, 1.5, 48.0]),
    ("upper(region)", "text", ["NORTH", "SOUTH", "NORTH", None, "EAST"]),
    ("amount > 6", "boolean", [True, False, True, False, True]),
    ("year(day)", "integer", [2024, 2024, 2024, None, 2023]),
    ("'big' if amount >= 10 else 'small'", "text", ["big", "small", "small", "small", "big"]),
]


@pytest.mark.parametrize(("expr", "kind", "values"), CASES)
def test_derive_adds_a_typed_column(engine: Any, expr: str, kind: str, values: list[Any]) -> None:
    result = engine.run([{"verb": "derive", "as": "new", "expr": expr}], "sales")
    assert result.column_names[-1] == "new"
    assert result.columns[-1].type == kind
    assert [r[-1] for r in result.rows] == values


def test_derive_replaces_a_column_in_place(engine: Any) -> None:
    result = engine.run([{"verb": "derive", "as": "amount", "expr": "amount / 2"}], "sales")
    assert result.column_names[2] == "amount" and result.columns[2].type == "float"
    assert [r[2] for r in result.rows] == [5.0, 2.5, 3.5, 1.5, 6.0]


def test_later_steps_see_the_new_column(rows: Any) -> None:
    got = rows(
        {"verb": "derive", "as": "double", "expr": "amount * 2"},
        {"verb": "filter", "expr": "double > 15"},
        {"verb": "select", "columns": ["double"]},
    )
    assert got == [(20,), (24,)]


def test_expression_errors_name_the_step(run: Any) -> None:
    with pytest.raises(ExprError) as info:
        run({"verb": "limit", "n": 3}, {"verb": "derive", "as": "x", "expr": "amont * 2"})
    err = info.value
    assert (err.step, err.verb, err.field) == (2, "derive", "expr")
    assert 'did you mean "amount"' in str(err)


@pytest.mark.parametrize(
    "step", [{"expr": "1"}, {"as": "x"}, {"as": "x", "expr": " "}, {"as": "", "expr": "1"}]
)
def test_bad_derive(run: Any, step: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "derive", **step})
