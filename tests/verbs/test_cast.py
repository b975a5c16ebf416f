from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from loupe.errors import SpecError
from loupe.pipeline import parse_pipeline
from loupe.table import Column, Table

MIXED = Table(
    "mixed",
    (Column("s", "text"), Column("n", "float"), Column("b", "boolean")),
    [
        ("42", 1.0, True),
        (" 7 ", 2.9, False),
        ("3.5", -2.5, None),
        ("yes", None, True),
        ("2024-05-06", 0.0, False),
        ("abc", 1e30, None),
        (None, 3.0, True),
    ],
)

CASES: list[tuple[str, str, list[Any]]] = [
    ("s", "integer", [42, 7, 3, None, None, None, None]),
    ("s", "float", [42.0, 7.0, 3.5, None, None, None, None]),
    ("s", "boolean", [None, None, None, True, None, None, None]),
    ("s", "date", [None, None, None, None, "2024-05-06", None, None]),
    ("s", "datetime", [None, None, None, None, "2024-05-06T00:00:00", None, None]),
    ("n", "integer", [1, 2, -2, None, 0, None, 3]),
    ("n", "text", ["1.0", "2.9", "-2.5", None, "0.0", "1.0e+30", "3.0"]),
    ("n", "boolean", [True, None, None, None, False, None, None]),
    ("n", "date", [None] * 7),
    ("b", "text", ["true", "false", None, "true", "false", None, "true"]),
    ("b", "integer", [1, 0, None, 1, 0, None, 1]),
]


@pytest.mark.parametrize(("column", "to", "expected"), CASES)
def test_cast(make_engine: Callable[[], Any], column: str, to: str, expected: list[Any]) -> None:
    engine = make_engine()
    engine.load(MIXED)
    result = engine.run([{"verb": "cast", "column": column, "to": to}], "mixed")
    index = result.column_names.index(column)
    assert result.columns[index].type == to
    assert [r[index] for r in result.rows] == expected


def test_cast_several_with_aliases(engine: Any) -> None:
    result = engine.run([{"verb": "cast", "columns": {"amount": "float", "price": "int"}}], "sales")
    assert [c.type for c in result.columns[2:4]] == ["float", "integer"]
    assert result.rows[0][2:4] == (10.0, 1)


@pytest.mark.parametrize(
    "step",
    [
        {"column": "amount", "to": "money"},
        {"column": "amount"},
        {"columns": {}},
        {"column": "amout", "to": "text"},
    ],
)
def test_bad_cast(run: Any, step: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "cast", **step})


POLLS = Table(
    "polls",
    (Column("polldate", "text"), Column("price", "text")),
    [("10/13/98", "$1,200"), ("13/45/98", "12%"), ("1/2/16", "€ 3,50"), (None, "n/a"), ("soon", "(5)")],
)


@pytest.fixture
def polls(make_engine: Callable[[], Any]) -> Any:
    engine = make_engine()
    engine.load(POLLS)
    return engine


@pytest.mark.parametrize(
    ("step", "values"),
    [
        ({"to": "date", "format": "%m/%d/%y"}, ["1998-10-13", None, "2016-01-02", None, None]),
        (
            {"to": "datetime", "format": "%m/%d/%y"},
            ["1998-10-13T00:00:00", None, "2016-01-02T00:00:00", None, None],
        ),
        ({"to": "date"}, ["1998-10-13", None, "2016-01-02", None, None]),  # 10/13/98 settles the order
    ],
)
def test_cast_text_to_dates_with_a_format(polls: Any, step: dict[str, Any], values: list[Any]) -> None:
    result = polls.run([{"verb": "cast", "column": "polldate", **step}], "polls")
    assert [r[0] for r in result.rows] == values


def test_values_a_cast_cannot_convert_are_counted_in_a_note(polls: Any) -> None:
    engine = polls
    steps = [
        {"verb": "limit", "n": 10},
        {"verb": "cast", "column": "polldate", "to": "date", "format": "%m/%d/%y"},
    ]
    query = engine.compile(parse_pipeline(steps))
    assert query.notes == (
        'step 2 (cast): 2 values of "polldate" could not be read as date and became null: '
        "'13/45/98' (row 2), 'soon' (row 5)",
    )
    clean = engine.compile(parse_pipeline([{"verb": "cast", "column": "price", "to": "text"}]))
    assert clean.notes == ()


def test_a_cast_without_format_hints_at_one(polls: Any) -> None:
    query = polls.compile(parse_pipeline([{"verb": "cast", "column": "polldate", "to": "date"}]))
    assert query.notes[0].startswith('step 1 (cast): 2 values of "polldate"')
    assert "'13/45/98' (row 2)" in query.notes[0] and 'give a "format"' in query.notes[0]


@pytest.mark.parametrize(
    ("cells", "values"),
    [
        (["13/10/98", "10/13/98"], [None, None]),  # the rows contradict each other: no order is right
        (["01/02/98", "03/04/98"], [None, None]),  # nothing settles the order: a format must
        (["01/02/98", "25/12/98"], ["1998-02-01", "1998-12-25"]),
        (["Jan 2, 1998", "1998-03-04"], ["1998-01-02", "1998-03-04"]),
    ],
)
def test_a_cast_without_format_reads_the_whole_column_in_one_day_order(
    make_engine: Callable[[], Any], cells: list[str], values: list[str | None]
) -> None:
    engine = make_engine()
    engine.load(Table("t", (Column("d", "text"),), [(c,) for c in cells]))
    assert [r[0] for r in engine.run([{"verb": "cast", "column": "d", "to": "date"}], "t").rows] == values


def test_strict_cast_fails_at_the_step_with_the_first_values(polls: Any) -> None:
    step = {"verb": "cast", "column": "polldate", "to": "date", "format": "%m/%d/%y", "strict": True}
    with pytest.raises(SpecError) as info:
        polls.run([step], "polls")
    assert info.value.step == 1 and info.value.column == "polldate"
    assert "2 values of \"polldate\" cannot be read as date: '13/45/98' (row 2), 'soon' (row 5)" in str(
        info.value
    )


@pytest.mark.parametrize(
    ("expr", "values"),
    [
        ("parse_date(polldate, '%m/%d/%y')", ["1998-10-13", None, "2016-01-02", None, None]),
        ("year(parse_date(polldate, '%m/%d/%y'))", [1998, None, 2016, None, None]),
        (
            "parse_datetime(polldate, '%m/%d/%y')",
            ["1998-10-13T00:00:00", None, "2016-01-02T00:00:00", None, None],
        ),
        ("parse_date(polldate)", [None] * 5),  # 10/13/98 alone: a format says which is the month
        ("parse_date('Jan 2, 1998')", ["1998-01-02"] * 5),
        ("parse_number(price)", [1200.0, 12.0, 3.5, None, -5.0]),
        ("parse_number('1.234,50')", [1234.5] * 5),
        ("parse_number('1,5', ',')", [1.5] * 5),
    ],
)
def test_parse_functions(polls: Any, expr: str, values: list[Any]) -> None:
    result = polls.run([{"verb": "derive", "as": "x", "expr": expr}], "polls")
    assert [r[-1] for r in result.rows] == values


@pytest.mark.parametrize("step", [{"format": "mm/dd/yy"}, {"to": "float", "format": "%d"}, {"strict": "yes"}])
def test_bad_format_or_strict(polls: Any, step: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        polls.run([{"verb": "cast", "column": "polldate", "to": "date", **step}], "polls")


def test_a_parse_in_derive_notes_what_it_could_not_read(polls: Any) -> None:
    derive = {"verb": "derive", "as": "d", "expr": "parse_date(polldate, '%m/%d/%y')"}
    query = polls.compile(parse_pipeline([derive]))
    assert query.notes == (
        "step 1 (derive): 2 values of polldate could not be read by parse_date() and became null: "
        "'13/45/98' (row 2), 'soon' (row 5)",
    )
    number = {"verb": "derive", "as": "p", "expr": "parse_number(price)"}
    assert "'n/a' (row 4)" in polls.compile(parse_pipeline([number])).notes[0]
