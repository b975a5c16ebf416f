from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError
from loupe.pipeline import compile_pipeline, parse_pipeline
from loupe.table import Column, Table

from tests.verbs.conftest import SALES

CASES: list[tuple[dict[str, Any], list[str], list[tuple[Any, ...]]]] = [
    (
        {"rows": ["region"], "columns": "product", "values": "amount"},
        ["region", "Apple pie", "apple", "pear"],
        [("East", 12, None, None), ("North", None, 10, 7), ("South", None, None, 5), (None, None, 3, None)],
    ),
    (
        {"rows": "product", "columns": "paid"},
        ["product", "false", "true", "null"],
        [("Apple pie", 1, 0, 0), ("apple", 0, 1, 1), ("pear", 1, 1, 0)],
    ),
    (
        {"columns": "region", "values": "price", "fn": "mean"},
        ["East", "North", "South", "null"],
        [(4.0, 1.5, 2.25, 0.5)],
    ),
    (
        {
            "rows": ["product"],
            "columns": "region",
            "values": "amount",
            "fn": "first",
            "keys": ["North", "Mars"],
        },
        ["product", "North", "Mars"],
        [("Apple pie", None, None), ("apple", 10, None), ("pear", 7, None)],
    ),
    (
        {"rows": ["region"], "columns": "amount", "values": "product", "fn": "count", "keys": [10, "12"]},
        ["region", "10", "12"],
        [("East", 0, 1), ("North", 1, 0), ("South", 0, 0), (None, 0, 0)],
    ),
]


@pytest.mark.parametrize(("fields", "names", "expected"), CASES)
def test_pivot(run: Any, fields: dict[str, Any], names: list[str], expected: list[Any]) -> None:
    got_names, got = run({"verb": "pivot", **fields})
    assert got_names == names
    assert got == expected


def test_pivot_types(engine: Any) -> None:
    result = engine.run(
        [{"verb": "pivot", "rows": ["region"], "columns": "product", "values": "price", "fn": "max"}], "sales"
    )
    assert [c.type for c in result.columns] == ["text", "float", "float", "float"]


def test_pivot_without_lookup_needs_keys() -> None:
    spec = parse_pipeline([{"verb": "pivot", "columns": "region"}])
    with pytest.raises(SpecError, match="list the values"):
        compile_pipeline(spec, {"sales": SALES.columns}, "sales")


def test_pivot_refuses_too_many_columns(engine: Any) -> None:
    from loupe.table import Column, Table

    engine.load(Table("wide", (Column("k", "integer"),), [(i,) for i in range(500)]))
    with pytest.raises(SpecError, match="more than 200") as info:
        engine.run([{"verb": "pivot", "columns": "k"}], "wide")
    assert info.value.step == 1 and info.value.field == "columns"


@pytest.mark.parametrize(
    "fields",
    [
        {"rows": ["region"]},
        {"columns": "nope"},
        {"columns": "region", "fn": "sum"},
        {"columns": "region", "values": "product", "fn": "sum"},
        {"columns": "amount", "keys": ["x"]},
    ],
)
def test_bad_pivot(run: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "pivot", **fields})


NOISY = Table(
    "noisy",
    (Column("shop", "text"), Column("kind", "text"), Column("price", "float"), Column("units", "integer")),
    [
        (
            [None, "a", "b", "c"][i % 4],
            [None, "x", "y", "z", ""][(i * 7) % 5],
            None if i % 11 == 0 else (i * 0.1 + 1 / (i + 3)) * (-1) ** i,
            None if i % 13 == 0 else i % 17,
        )
        for i in range(600)
    ],
)


AGGREGATES = ["sum", "mean", "min", "max", "count", "count_distinct", "median", "std", "first", "last"]


@pytest.mark.parametrize(
    ("fn", "values"), [(fn, v) for fn in AGGREGATES for v in ("price", "units")] + [("count", None)]
)
def test_each_cell_is_the_group_by_of_its_keys_rows(make_engine: Any, fn: str, values: str | None) -> None:
    """A pivot cell is exactly what filtering to its key and grouping gives: the same rows, in the same
    order (float sums to the last bit), a count of no rows 0 and any other aggregate of none null."""
    engine = make_engine()
    engine.load(NOISY)
    step: dict[str, Any] = {"verb": "pivot", "rows": ["shop"], "columns": "kind", "fn": fn}
    if values is not None:
        step["values"] = values
    pivoted = engine.run([step], "noisy")
    shops = [row[0] for row in pivoted.rows]
    agg: dict[str, Any] = {"fn": fn, "as": "cell"} | ({"column": values} if values else {})
    for key, name in [(None, "null"), ("", "(empty)"), ("x", "x"), ("y", "y"), ("z", "z")]:
        keep = (
            {"verb": "filter", "column": "kind", "op": "is_null"}
            if key is None
            else {"verb": "filter", "column": "kind", "op": "==", "value": key}
        )
        grouped = engine.run([keep, {"verb": "groupby", "by": ["shop"], "aggs": [agg]}], "noisy")
        by_shop = {row[0]: row[1] for row in grouped.rows}
        column = pivoted.column_names.index(name)
        expected = [by_shop.get(shop, 0 if fn in ("count", "count_distinct") else None) for shop in shops]
        assert [row[column] for row in pivoted.rows] == expected, (fn, values, name)
