from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loupe.errors import SpecError

from tests.verbs.conftest import ENGINES

# (step fields, expected amounts in input order)
CASES: list[tuple[dict[str, Any], list[int]]] = [
    ({"column": "region", "op": "==", "value": "North"}, [10, 7]),
    ({"column": "region", "value": "North"}, [10, 7]),
    ({"column": "region", "op": "!=", "value": "North"}, [5, 3, 12]),
    ({"column": "amount", "op": ">", "value": 5}, [10, 7, 12]),
    ({"column": "amount", "op": ">=", "value": "7"}, [10, 7, 12]),
    ({"column": "amount", "op": "<", "value": 5.5}, [5, 3]),
    ({"column": "amount", "op": "<=", "value": 5}, [5, 3]),
    ({"column": "price", "op": ">", "value": 1}, [10, 5, 12]),
    ({"column": "price", "op": "==", "value": "4"}, [12]),
    ({"column": "day", "op": "<", "value": "2024-01-02"}, [5, 12]),
    ({"column": "day", "op": ">=", "value": "2024-01-03"}, [10, 7]),
    ({"column": "paid", "op": "==", "value": True}, [10, 7]),
    ({"column": "paid", "op": "==", "value": "false"}, [5, 12]),
    ({"column": "product", "op": "contains", "value": "pp"}, [10, 3, 12]),
    ({"column": "product", "op": "contains", "value": "APP", "ignore_case": True}, [10, 3, 12]),
    ({"column": "product", "op": "startswith", "value": "Ap"}, [12]),
    ({"column": "product", "op": "endswith", "value": "ear"}, [5, 7]),
    ({"column": "product", "op": "endswith", "value": ""}, [10, 5, 7, 3, 12]),
    ({"column": "amount", "op": "contains", "value": "1"}, [10, 12]),
    ({"column": "region", "op": "in", "value": ["North", "East"]}, [10, 7, 12]),
    ({"column": "region", "op": "in", "value": ["East", None]}, [3, 12]),
    ({"column": "region", "op": "in", "value": []}, []),
    ({"column": "amount", "op": "in", "value": ["3", 5]}, [5, 3]),
    ({"column": "region", "op": "not_in", "value": ["North"]}, [5, 3, 12]),
    ({"column": "amount", "op": "between", "value": [5, 10]}, [10, 5, 7]),  # both ends kept
    ({"column": "amount", "op": "between", "value": ["5", 10]}, [10, 5, 7]),
    ({"column": "amount", "op": "between", "value": [5, 5]}, [5]),
    ({"column": "amount", "op": "between", "value": [7, None]}, [10, 7, 12]),  # an open end
    ({"column": "amount", "op": "between", "value": [None, 5]}, [5, 3]),
    ({"column": "amount", "op": "between", "value": [5, 10], "negate": True}, [3, 12]),
    ({"column": "price", "op": "between", "value": [1.5, 2.25]}, [10, 5]),  # a null price is outside
    ({"column": "price", "op": "between", "value": [1.5, 2.25], "negate": True}, [7, 3, 12]),
    ({"column": "day", "op": "between", "value": ["2024-01-01", "2024-01-31"]}, [10, 5]),
    ({"column": "region", "op": "is_null"}, [3]),
    ({"column": "region", "op": "not_null"}, [10, 5, 7, 12]),
    ({"column": "region", "op": "==", "value": None}, [3]),
    ({"column": "amount", "op": ">", "value": 5, "negate": True}, [5, 3]),
    ({"column": "price", "op": ">", "value": 1, "negate": True}, [7, 3]),
    ({"column": "region", "op": "==", "value": "north"}, []),
    ({"column": "amount", "op": ">", "value": 2**70}, []),
    ({"expr": "amount > 5 and region == 'North'"}, [10, 7]),
    ({"expr": "price is None or day < '2024-01-02'"}, [5, 7, 12]),
    ({"expr": "lower(product) in ('apple', 'apple pie')"}, [10, 3, 12]),
    ({"expr": "amount > 5", "negate": True}, [5, 3]),
]


@pytest.mark.parametrize(("fields", "expected"), CASES)
def test_filter_keeps_matching_rows(rows: Any, fields: dict[str, Any], expected: list[int]) -> None:
    got = rows({"verb": "filter", **fields})
    assert [r[2] for r in got] == expected


def test_values_are_parameters_not_sql(engine: Any) -> None:
    from loupe.pipeline import parse_pipeline

    evil = "x'); DROP TABLE sales; --"
    spec = [{"verb": "filter", "column": "region", "value": evil}]
    query = engine.compile(parse_pipeline(spec), "sales")
    assert evil not in query.sql
    assert evil in query.params.values()
    assert engine.execute(query).rows == []
    assert engine.count(engine.query("sales")) == 5


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"column": "amount", "op": ">", "value": "abc"}, "value", "not a number"),
    ({"column": "price", "op": ">", "value": 10**400}, "value", "too large"),
    ({"column": "day", "op": ">", "value": "Jan 3"}, "value", "date"),
    ({"column": "paid", "op": "==", "value": "maybe"}, "value", "true or false"),
    ({"column": "amont", "op": ">", "value": 1}, "column", 'did you mean "amount"'),
    ({"column": "amount", "op": "~", "value": 1}, "op", "one of"),
    ({"column": "amount", "op": ">"}, "value", "needs a value"),
    ({"column": "amount", "op": "in", "value": 3}, "value", "list"),
    ({"column": "amount", "op": ">", "value": [1]}, "value", "single value"),
    ({"column": "amount", "op": "between", "value": 5}, "value", "two values"),
    ({"column": "amount", "op": "between", "value": [1, 2, 3]}, "value", "two values"),
    ({"column": "amount", "op": "between", "value": [None, None]}, "value", "at least one end"),
    ({"column": "amount", "op": "between", "value": [[1], 5]}, "value", "single values"),
    ({"column": "amount", "op": "between", "value": [10, 5]}, "value", "above its high end"),
    ({"column": "amount", "op": "between", "value": ["abc", 5]}, "value", "not a number"),
    ({"column": "day", "op": "between", "value": ["2024-01-01", "soon"]}, "value", "date"),
    ({"column": "amount", "colour": "red"}, "colour", 'did you mean "column"'),
    ({"expr": "amount > 1", "column": "amount"}, "expr", "either"),
    ({"expr": "amount + 1"}, "expr", "must be true or false"),
    ({"expr": "  "}, "expr", "empty"),
]


@pytest.mark.parametrize(("fields", "field", "text"), BAD)
def test_bad_filters_name_step_and_field(run: Any, fields: dict[str, Any], field: str, text: str) -> None:
    with pytest.raises(SpecError) as info:
        run({"verb": "limit", "n": 10}, {"verb": "filter", **fields})
    err = info.value
    assert (err.step, err.verb, err.field) == (2, "filter", field)
    assert text in str(err)
    assert str(err).startswith(err.message)


TEXTS = st.text(alphabet="aAbBßSsKkİiı%_\\ÄäéÉ ﬁfI\u212a", max_size=6)


CASES = (
    st.lists(TEXTS, min_size=1, max_size=6),
    TEXTS.filter(bool),
    st.sampled_from(["contains", "startswith", "endswith"]),
)


@pytest.mark.parametrize("make_engine", ENGINES[:2], indirect=True)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(*CASES)
def test_ignore_case_matches_python_casefold(
    make_engine: Callable[[], Any], values: list[str], needle: str, op: str
) -> None:
    ignore_case_matches_casefold(make_engine, values, needle, op)


# Spark (ß and ligatures folded by Python's casefold in a UDF) on fewer cases: each is a Spark query.
@pytest.mark.parametrize("make_engine", ENGINES[2:], indirect=True)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(*CASES)
def test_ignore_case_matches_python_casefold_on_spark(
    make_engine: Callable[[], Any], values: list[str], needle: str, op: str
) -> None:
    ignore_case_matches_casefold(make_engine, values, needle, op)


def ignore_case_matches_casefold(
    make_engine: Callable[[], Any], values: list[str], needle: str, op: str
) -> None:
    from loupe.table import Column, Table

    engine = make_engine()
    engine.load(Table("t", (Column("s", "text"),), [(v,) for v in values]))
    step = {"verb": "filter", "column": "s", "op": op, "value": needle, "ignore_case": True}
    got = [r[0] for r in engine.run([step], "t").rows]
    test = {"contains": str.__contains__, "startswith": str.startswith, "endswith": str.endswith}[op]
    assert got == [v for v in values if test(v.casefold(), needle.casefold())]


KINDS = {
    "integer": st.integers(-(2**63), 2**63 - 1),
    "float": st.floats(allow_nan=False, allow_infinity=False),
    "text": st.text(max_size=4),
    "boolean": st.booleans(),
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_a_long_in_list_keeps_the_same_rows_as_a_short_one(kind: str, data: Any) -> None:
    # A list longer than LONG_IN goes to SQLite as one JSON parameter: the same rows, exact values.
    from loupe.engine import Engine
    from loupe.table import Column, Table
    from loupe.verbs.filter import LONG_IN

    values = data.draw(st.lists(st.one_of(st.none(), KINDS[kind]), min_size=1, max_size=8))
    wanted = data.draw(st.lists(st.one_of(st.none(), st.sampled_from(values), KINDS[kind]), max_size=4))
    engine = Engine()
    engine.load(Table("t", (Column("v", kind),), [(v,) for v in values]))
    long = (wanted * (LONG_IN // max(len(wanted), 1) + 1)) or [None]
    wanted = wanted or [None]
    for negate in (False, True):
        short_rows = engine.run(
            [{"verb": "filter", "column": "v", "op": "in", "value": wanted, "negate": negate}], "t"
        )
        long_rows = engine.run(
            [{"verb": "filter", "column": "v", "op": "in", "value": long, "negate": negate}], "t"
        )
        assert long_rows.rows == short_rows.rows
        expected = [(v,) for v in values if (v in wanted) != negate]
        assert short_rows.rows == expected


def test_an_in_list_of_200000_values_takes_linear_time() -> None:
    # Named parameters cost SQLite a scan each: 200,000 of them took minutes before (see LONG_IN).
    import time

    from loupe.engine import Engine
    from loupe.table import Column, Table

    engine = Engine()
    engine.load(
        Table("t", (Column("id", "integer"), Column("s", "text")), [(i, f"v{i}") for i in range(300_000)])
    )
    for column, values in (
        ("id", list(range(0, 400_000, 2))),
        ("s", [f"v{i}" for i in range(0, 400_000, 2)]),
    ):
        started = time.perf_counter()
        result = engine.run([{"verb": "filter", "column": column, "op": "in", "value": values}], "t")
        assert len(result.rows) == 150_000
        assert time.perf_counter() - started < 20  # about 1-2 s; the quadratic way took minutes
