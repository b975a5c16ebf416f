from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.engine import Engine
from loupe.errors import ExprError, LoupeError
from loupe.expr import column_refs, compile_expr
from loupe.sql import Params, Query
from loupe.table import Column, Table

COLUMNS = (
    Column("region", "text"),
    Column("amount", "integer"),
    Column("price", "float"),
    Column("day", "date"),
    Column("paid", "boolean"),
    Column("unit price", "float"),
    Column("year", "integer"),
)
ROWS = [
    ("North", 10, 1.5, "2024-03-01", True, 2.0, 2020),
    ("südwest", -7, None, None, False, None, None),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    e = Engine()
    e.load(Table("t", COLUMNS, ROWS))
    return e


def evaluate(engine: Engine, text: str) -> tuple[str | None, list[Any]]:
    params = Params()
    compiled = compile_expr(text, COLUMNS, params)
    query = Query(f"SELECT {compiled.sql} FROM t", params.values, (Column("x", compiled.column_type),))
    return compiled.type, [r[0] for r in engine.execute(query).rows]


CASES: list[tuple[str, str | None, list[Any]]] = [
    ("amount + 1", "integer", [11, -6]),
    ("amount * price", "float", [15.0, None]),
    ("amount / 4", "float", [2.5, -1.75]),
    ("amount // 3", "integer", [3, -3]),
    ("amount % 3", "integer", [1, 2]),
    ("price % 1", "float", [0.5, None]),
    ("amount ** 2", "float", [100.0, 49.0]),
    ("amount / 0", "float", [None, None]),
    ("-amount", "integer", [-10, 7]),
    ("amount > 5", "boolean", [True, False]),
    ("amount > '5'", "boolean", [True, False]),
    ("0 < amount <= 10", "boolean", [True, False]),
    ("amount == 10 or paid", "boolean", [True, False]),
    ("not paid", "boolean", [False, True]),
    ("price != 1.5", "boolean", [False, True]),
    ("price == None", "boolean", [False, True]),
    ("price is None", "boolean", [False, True]),
    ("price is not None", "boolean", [True, False]),
    ("region in ['North', 'East']", "boolean", [True, False]),
    ("region not in ('North',)", "boolean", [False, True]),
    ("amount in (10, None)", "boolean", [True, False]),
    ("'or' in region", "boolean", [True, False]),
    ("region + '!'", "text", ["North!", "südwest!"]),
    ("upper(region)", "text", ["NORTH", "SÜDWEST"]),
    ("lower('ÄB')", "text", ["äb", "äb"]),
    ("len(region)", "integer", [5, 7]),
    ("substr(region, 2, 3)", "text", ["ort", "üdw"]),
    ("replace(region, 'o', '0')", "text", ["N0rth", "südwest"]),
    ("strip('  a ')", "text", ["a", "a"]),
    ("startswith(region, 'No')", "boolean", [True, False]),
    ("endswith(region, 'west')", "boolean", [False, True]),
    ("contains(region, 'dw')", "boolean", [False, True]),
    ("concat(region, '-', amount)", "text", ["North-10", "südwest--7"]),
    ("coalesce(price, 0)", "float", [1.5, 0]),
    ("amount if amount > 0 else 0", "integer", [10, 0]),
    ("'big' if amount > 5 else 'small'", "text", ["big", "small"]),
    ("round(price * 3.333, 1)", "float", [5.0, None]),
    ("abs(amount)", "integer", [10, 7]),
    ("floor(price)", "integer", [1, None]),
    ("ceil(price)", "integer", [2, None]),
    ("sqrt(amount)", "float", [pytest.approx(3.1622776601683795), None]),
    ("log(100, 10)", "float", [pytest.approx(2.0), pytest.approx(2.0)]),
    ("log10(1000)", "float", [pytest.approx(3.0), pytest.approx(3.0)]),
    ("exp(0)", "float", [1.0, 1.0]),
    ("pow(2, 3)", "float", [8.0, 8.0]),
    ("min(amount, 3)", "integer", [3, -7]),
    ("max(amount, 3)", "integer", [10, 3]),
    ("year(day)", "integer", [2024, None]),
    ("month(day)", "integer", [3, None]),
    ("day(day)", "integer", [1, None]),
    ("weekday(day)", "integer", [5, None]),
    ("day > '2024-01-01'", "boolean", [True, None]),
    ("add_days(day, 30)", "date", ["2024-03-31", None]),
    ("days_between('2024-01-01', day)", "float", [60.0, None]),
    ("date('2024-02-03T10:00:00')", "date", ["2024-02-03", "2024-02-03"]),
    ("int('42')", "integer", [42, 42]),
    ("int('x')", "integer", [None, None]),
    ("float('2.5')", "float", [2.5, 2.5]),
    ("str(amount)", "text", ["10", "-7"]),
    ('col("unit price") * 2', "float", [4.0, None]),
    ("year + 1", "integer", [2021, None]),
    ("None", None, [None, None]),
    ("True", "boolean", [True, True]),
    ("2 ** 10000", "float", [None, None]),
    ("12345678901234567890123 > 1", "boolean", [True, True]),
]


@pytest.mark.parametrize(("text", "kind", "expected"), CASES)
def test_expressions(engine: Engine, text: str, kind: str | None, expected: list[Any]) -> None:
    assert evaluate(engine, text) == (kind, expected)


BAD: list[tuple[str, str]] = [
    ("amont + 1", 'did you mean "amount"'),
    ("amount > 1" + "0" * 400, "too large"),
    ("__import__('os')", "unknown function"),
    ("region.upper()", "plain function calls"),
    ("region.x", "attribute access"),
    ("region[0]", "indexing"),
    ("lambda: 1", "lambda"),
    ("(x := 1)", "assignment"),
    ("f'{region}'", "f-string"),
    ("[c for c in region]", "comprehension"),
    ("amount +", "cannot read"),
    ("lower(region, 1)", "takes 1 arguments"),
    ("lower(x=region)", "keyword"),
    ("region - 1", "needs numbers"),
    ("region + 1", "cannot add text and a number"),
    ("sqrt(region)", "cannot take a text value"),
    ("year(region)", "year() cannot take a text value"),  # text is no date: an error, not nulls
    ("date('soon')", "date() cannot take a text value"),
    ("amount is 5", "only works with None"),
    ("day > 'soon'", "date"),
    ("amount ~ 1", "cannot read"),
    ("~amount", "not allowed"),
    ("col(region)", "col() takes one column name"),
    ("lower", "is a function"),
    ("region > 5", "cannot compare text with 5"),
    ("region > amount", "cannot compare text with a number"),
    ("amount == 'abc'", "not a number"),
    ("{'a': 1}", "a dict"),
    ("a\x00b", "cannot read"),
    ("(" * 300 + "1" + ")" * 300, "cannot read"),
    ("1" + "+1" * 20000, "longer than"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_rejected_expressions(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(text, COLUMNS, Params())
    assert message in str(info.value)
    assert info.value.hint or info.value.snippet


def test_deep_but_short_expression_is_refused_cleanly() -> None:
    with pytest.raises(LoupeError):
        compile_expr("-" * 9000 + "1", COLUMNS, Params())


def test_constants_are_parameters() -> None:
    params = Params()
    sql = compile_expr("region == 'x\"; DROP TABLE t; --'", COLUMNS, params).sql
    assert "DROP" not in sql and list(params.values.values()) == ['x"; DROP TABLE t; --']


def test_column_refs() -> None:
    assert column_refs('amount * 2 + col("unit price") + lower(region)') == {
        "amount",
        "unit price",
        "region",
    }
    assert column_refs("((") == set()
    assert column_refs("year(year) + day") == {"year", "day"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_raises_only_loupe_errors(text: str) -> None:
    with contextlib.suppress(LoupeError):
        compile_expr(text, COLUMNS, Params())


TOKENS = [
    "amount",
    "price",
    "region",
    "day",
    "paid",
    "(",
    ")",
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "<",
    "==",
    "!=",
    ">=",
    "and",
    "or",
    "not",
    "in",
    "is",
    "None",
    "if",
    "else",
    "0",
    "2.5",
    "'a'",
    "'2024-01-01'",
    ",",
    "[",
    "]",
    "lower(",
    "abs(",
    "year(",
    "coalesce(",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map(" ".join))
def test_expression_like_text_compiles_to_sql_that_runs(engine: Engine, text: str) -> None:
    # Refused up front is fine; what must not happen is SQL that SQLite rejects (a QueryError).
    with contextlib.suppress(ExprError):
        evaluate(engine, text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=8).filter(lambda s: "\x00" not in s), min_size=1, max_size=5))
def test_lower_and_upper_match_python(values: list[str]) -> None:
    engine = Engine()
    engine.load(Table("w", (Column("s", "text"),), [(v,) for v in values]))
    result = engine.run(
        [
            {"verb": "derive", "as": "lo", "expr": "lower(s)"},
            {"verb": "derive", "as": "up", "expr": "upper(s)"},
        ],
        "w",
    )
    assert [(r[1], r[2]) for r in result.rows] == [(v.lower(), v.upper()) for v in values]


def test_a_date_function_of_text_says_to_parse_it() -> None:
    with pytest.raises(ExprError) as info:
        compile_expr("year(region)", COLUMNS, Params())
    assert "parse_date" in (info.value.hint or "")


# RELIABILITY 15: what a Python expression would do to reach the page (import js, fetch, IndexedDB,
# Cache Storage, eval) is no Loupe expression: each is refused while compiling, before any SQL runs.
ESCAPES = [
    ("import js", "cannot read"),
    ("__import__('js').fetch('/')", "only plain function calls"),
    ("js.fetch('/')", "only plain function calls"),
    ("js.indexedDB.open('loupe')", "only plain function calls"),
    ("js.caches.keys()", "only plain function calls"),
    ("pyodide.code.run_js('1')", "only plain function calls"),
    ("eval('1')", "unknown function eval()"),
    ("open('/etc/passwd')", "unknown function open()"),
    ("getattr(region, '__class__')", "unknown function getattr()"),
    ("().__class__.__mro__", "attribute access"),
    ("js", 'unknown column "js"'),
]


@pytest.mark.parametrize(("text", "message"), ESCAPES, ids=[t for t, _ in ESCAPES])
def test_expressions_cannot_reach_python_or_the_browser(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(text, COLUMNS, Params())
    assert message in str(info.value)
