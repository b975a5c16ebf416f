from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


def test_each_steps_columns_are_reported() -> None:
    p = parse_pipeline(
        [
            {"verb": "derive", "as": "double", "expr": "amount * 2"},
            {"verb": "select", "columns": ["double"]},
            {"verb": "sort", "by": ["double"]},
        ]
    )
    q = compile_pipeline(p, SCHEMAS, "sales")
    assert [[c.name for c in cols] for cols in q.step_columns] == [
        ["region", "amount"],
        ["region", "amount", "double"],
        ["double"],
        ["double"],
    ]


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


# -- any step, however wrong, fails only with a LoupeError --------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.sampled_from(["amount", "region", "day", "x", "", "==", "sum", "2024-01-01", "1e999"]),
    st.text(max_size=8),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["column", "fn", "as", "desc", "left", "right"]), inner, max_size=3)
    ),
    max_leaves=8,
)


COLS = st.sampled_from(["region", "amount", "day", "x", "new"])
SORT_KEYS = st.lists(
    COLS | st.fixed_dictionaries({"column": COLS, "desc": st.booleans()}), min_size=1, max_size=2
)
PLAUSIBLE: dict[str, Any] = {
    "column": COLS,
    "columns": st.lists(COLS, min_size=1, max_size=2)
    | COLS
    | st.dictionaries(COLS, COLS | st.sampled_from(["float", "text", "date", "boolean"])),
    "by": st.lists(COLS, max_size=2) | SORT_KEYS,
    "rows": st.lists(COLS, max_size=2),
    "values": COLS,
    "as": COLS,
    "names_to": COLS,
    "values_to": COLS,
    "table": st.just("other"),
    "op": st.sampled_from(["==", "!=", "<", ">=", "contains", "in", "is_null", "startswith"]),
    "value": JSON_SCALARS | st.lists(JSON_SCALARS, max_size=3),
    "expr": st.sampled_from(
        [
            "amount > 3",
            "amount * 2",
            "lower(region)",
            "day > '2024-01-01'",
            "year(day) + amount",
            "region is None",
            "amount // 0",
            "x",
        ]
    ),
    "fn": st.sampled_from(
        [
            "count",
            "sum",
            "mean",
            "median",
            "std",
            "first",
            "last",
            "min",
            "count_distinct",
            "running_sum",
            "rank",
            "lag",
            "moving_mean",
            "share",
            "pct_change",
            "diff",
            "row_number",
        ]
    ),
    "aggs": st.lists(
        st.fixed_dictionaries(
            {"fn": st.sampled_from(["count", "sum", "median", "first", "max"]), "column": COLS}
        ),
        max_size=2,
    ),
    "order": SORT_KEYS,
    "n": st.integers(0, 4),
    "offset": st.integers(0, 3),
    "seed": st.integers(0, 5),
    "fraction": st.floats(0, 1),
    "to": st.sampled_from(["integer", "float", "text", "date", "datetime", "boolean"]),
    "method": st.sampled_from(["value", "previous", "next"]),
    "how": st.sampled_from(["inner", "left", "right", "full"]),
    "on": st.sampled_from([["x"], [{"left": "amount", "right": "x"}], ["amount"]]),
    "keys": st.lists(JSON_SCALARS, max_size=3),
}


@st.composite
def steps(draw: Any) -> dict[str, Any]:
    from loupe.verbs import REGISTRY

    verb = draw(st.sampled_from(sorted(REGISTRY)))
    names = sorted(REGISTRY[verb].fields)
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    fields = {
        name: draw(PLAUSIBLE.get(name, st.booleans()) if draw(st.integers(0, 9)) else JSON) for name in chosen
    }
    return {"verb": verb, **fields}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps(), min_size=1, max_size=3))
def test_random_steps_fail_only_with_loupe_errors(spec: list[dict[str, Any]]) -> None:
    from loupe.engine import Engine
    from loupe.errors import LoupeError, QueryError
    from loupe.table import Table

    engine = Engine()
    engine.load(
        Table(
            "sales",
            (*SCHEMAS["sales"], Column("day", "date")),
            [("North", 10, "2024-01-02"), (None, -3, None), ("South", 5, "2023-05-06")],
        )
    )
    engine.load(Table("other", (Column("x", "integer"), Column("amount", "float")), [(1, 2.5), (10, None)]))
    try:
        engine.run(spec, "sales")
    except QueryError as exc:  # SQLite refusing compiled SQL would be a bug in a verb
        raise AssertionError(f"compiled SQL failed: {exc}") from exc
    except LoupeError:
        pass


def test_a_disabled_step_is_checked_but_compiles_to_nothing() -> None:
    schemas = {"t": (Column("a", "integer"), Column("b", "text"))}
    on = [{"verb": "filter", "column": "a", "op": ">", "value": 1}, {"verb": "limit", "n": 5}]
    off = [{**on[0], "disabled": True}, on[1]]
    query = compile_pipeline(parse_pipeline(off), schemas, "t")
    assert "WHERE" not in query.sql and "LIMIT" in query.sql
    assert len(query.step_columns) == 3  # the source, then one entry per step, switched off or not
    assert parse_pipeline(off).to_spec()["steps"][0]["disabled"] is True  # kept, not dropped
    with pytest.raises(SpecError, match="unknown column") as found:
        compile_pipeline(parse_pipeline([{**on[0], "column": "nope"}, on[1]]), schemas, "t")
    assert found.value.step == 1
    with pytest.raises(SpecError, match="'disabled' must be true or false"):
        parse_pipeline([{**on[0], "disabled": "yes"}])
