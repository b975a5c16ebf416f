from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.errors import SpecError

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


@settings(max_examples=300, deadline=None)
@given(
    st.lists(TEXTS, min_size=1, max_size=6),
    TEXTS.filter(bool),
    st.sampled_from(["contains", "startswith", "endswith"]),
)
def test_ignore_case_matches_python_casefold(values: list[str], needle: str, op: str) -> None:
    from loupe.engine import Engine
    from loupe.table import Column, Table

    engine = Engine()
    engine.load(Table("t", (Column("s", "text"),), [(v,) for v in values]))
    step = {"verb": "filter", "column": "s", "op": op, "value": needle, "ignore_case": True}
    got = [r[0] for r in engine.run([step], "t").rows]
    test = {"contains": str.__contains__, "startswith": str.startswith, "endswith": str.endswith}[op]
    assert got == [v for v in values if test(v.casefold(), needle.casefold())]
