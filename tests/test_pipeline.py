from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import SpecError
from loupe.pipeline import compile_pipeline, parse_pipeline
from loupe.table import Column

SCHEMAS = {
    "sales": (Column("region", "text"), Column("amount", "integer")),
    "other": (Column("x", "integer"),),
}


def test_bare_list_and_versioned_forms_agree() -> None:
    steps = [{"verb": "limit", "n": 5}]
    bare = parse_pipeline(steps)
    full = parse_pipeline({"version": 1, "source": "sales", "steps": steps})
    assert bare.source is None and full.source == "sales"
    assert bare.steps == full.steps
    assert parse_pipeline(full.to_spec()) == full


def test_one_statement_one_cte_per_step() -> None:
    p = parse_pipeline(
        [
            {"verb": "filter", "column": "amount", "op": ">", "value": 3},
            {"verb": "sort", "by": ["region"]},
        ]
    )
    q = compile_pipeline(p, SCHEMAS, "sales")
    assert q.sql.count(" AS (") == 2
    assert ";" not in q.sql
    assert q.params == {"p0": 3}
    assert q.columns == SCHEMAS["sales"]


def test_empty_pipeline_selects_the_table() -> None:
    q = compile_pipeline(parse_pipeline([]), SCHEMAS, "other")
    assert q.sql == 'SELECT "x" FROM "other"'


def test_schema_is_tracked_step_by_step() -> None:
    p = parse_pipeline(
        [
            {
                "verb": "groupby",
                "by": ["region"],
                "aggs": [{"fn": "sum", "column": "amount", "as": "total"}],
            },
            {"verb": "filter", "column": "amount", "op": ">", "value": 1},
        ]
    )
    with pytest.raises(SpecError) as info:
        compile_pipeline(p, SCHEMAS, "sales")
    assert info.value.step == 2 and info.value.column == "amount"


def test_source_resolution() -> None:
    p = parse_pipeline([])
    with pytest.raises(SpecError, match="which table"):
        compile_pipeline(p, SCHEMAS)
    assert compile_pipeline(p, {"only": (Column("a", "text"),)}).sql == 'SELECT "a" FROM "only"'
    with pytest.raises(SpecError, match='did you mean "sales"'):
        compile_pipeline(parse_pipeline({"source": "sale", "steps": []}), SCHEMAS)


BAD: list[tuple[Any, dict[str, Any]]] = [
    ("nope", {"field": "steps"}),
    ({"steps": [], "colour": 1}, {"field": "colour"}),
    ({"version": 2, "steps": []}, {"field": "version"}),
    ([{"verb": "limit", "n": 1}, 5], {"step": 2}),
    ([{"n": 1}], {"step": 1, "field": "verb"}),
    ([{"verb": "fitler"}], {"step": 1, "verb": "fitler", "hint": 'did you mean "filter"?'}),
    ([{"verb": "limit", "n": 1}, {"verb": "limit"}], {"step": 2, "verb": "limit", "field": "n"}),
]


@pytest.mark.parametrize(("spec", "expected"), BAD)
def test_parse_errors_are_located(spec: Any, expected: dict[str, Any]) -> None:
    with pytest.raises(SpecError) as info:
        parse_pipeline(spec)
    for key, value in expected.items():
        assert getattr(info.value, key) == value


def test_counting_skips_sorts_that_cannot_change_the_count() -> None:
    sort = {"verb": "sort", "by": ["amount"]}
    filt = {"verb": "filter", "column": "amount", "op": ">", "value": 3}
    q = compile_pipeline(parse_pipeline([sort, filt]), SCHEMAS, "sales")
    assert q.count_sql is not None and "ORDER BY" not in q.count_sql
    assert "ORDER BY" in q.sql
    limited = parse_pipeline([sort, {"verb": "limit", "n": 2}, filt])
    assert compile_pipeline(limited, SCHEMAS, "sales").count_sql is None


def test_internal_helper_names_are_reserved() -> None:
    p = parse_pipeline([{"verb": "derive", "as": "__loupe_seq__", "expr": "1"}])
    with pytest.raises(SpecError, match="reserved") as info:
        compile_pipeline(p, SCHEMAS, "sales")
    assert info.value.step == 1
