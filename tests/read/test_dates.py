"""Dates as text: day/month order decided by the data; ISO output; the calendar is checked."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.errors import ReadError
from loupe.read import read_bytes
from loupe.read.dates import date_order, datetimes, iso_dates, local_dates
from loupe.read.infer import InferOptions, infer_column


@pytest.mark.parametrize(
    ("values", "order", "guess"),
    [
        (["01/02/2024", "13/02/2024"], "dmy", False),
        (["01/02/2024", "01/13/2024"], "mdy", False),
        (["01/02/2024"], "mdy", True),
        (["01.02.2024"], "dmy", True),
        (["13/13/2024"], None, False),
    ],
)
def test_date_order_is_decided_by_the_data(values: list[str], order: str | None, guess: bool) -> None:
    got, why = date_order(values)
    assert got == order
    assert (why is not None) is guess


@pytest.mark.parametrize(
    ("values", "order", "out"),
    [
        (["31/12/2024", "1/2/2024"], None, ["2024-12-31", "2024-02-01"]),
        (["01/02/2024"], "dmy", ["2024-02-01"]),
        (["01/02/2024"], "mdy", ["2024-01-02"]),
        (["01-02-2024"], None, ["2024-02-01"]),
    ],
)
def test_local_dates(values: list[str], order: str | None, out: list[str]) -> None:
    assert local_dates(values, order) == out


@pytest.mark.parametrize(
    ("values", "out"),
    [
        (["2024-01-02T03:04:05"], ["2024-01-02T03:04:05"]),
        (["2024-01-02 03:04"], ["2024-01-02T03:04:00"]),
        (["2024-01-02T03:04:05.5Z"], ["2024-01-02T03:04:05.5+00:00"]),
        (["2024-01-02 03:04:05 +0200"], ["2024-01-02T03:04:05+02:00"]),
        (["13/01/2024 08:00"], ["2024-01-13T08:00:00"]),
        (["2024-01-02"], ["2024-01-02T00:00:00"]),
        (["1/13/2024 9:05"], ["2024-01-13T09:05:00"]),
        (["1/13/2024 9:05 PM", "1/14/2024 12:00 AM"], ["2024-01-13T21:05:00", "2024-01-14T00:00:00"]),
        (["2024-01-02 12:30:15pm"], ["2024-01-02T12:30:15"]),
    ],
)
def test_datetimes(values: list[str], out: list[str]) -> None:
    assert datetimes(values, None) == out


@pytest.mark.parametrize(
    "call",
    [
        lambda: iso_dates(["2023-02-29"]),
        lambda: local_dates(["31/02/2024"], None),
        lambda: local_dates(["13/13/2024"], None),
        lambda: datetimes(["2024-01-02 24:00"], None),
        lambda: datetimes(["2024-01-02T24:00:00"], None),
        lambda: datetimes(["2024-01-02 13:00 PM"], None),
    ],
)
def test_impossible_dates_raise(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


# Each form real files write, as a column holds it consistently: (cells, date_order, type, values, note).
FORMS = [
    (["2014-7-1", "2014-12-25"], None, "date", ["2014-07-01", "2014-12-25"], "YYYY-M-D"),
    (["2014/07/01", "2014/12/25"], None, "date", ["2014-07-01", "2014-12-25"], "YYYY/MM/DD"),
    (["10/13/98", "1/2/05"], None, "date", ["1998-10-13", "2005-01-02"], "M/D/YY"),
    (["13/10/98", "1/2/05"], None, "date", ["1998-10-13", "2005-02-01"], "D/M/YY"),
    (["01/02/98"], "dmy", "date", ["1998-02-01"], "DD/MM/YY"),
    (["12/31/1999", "1/1/2000"], None, "date", ["1999-12-31", "2000-01-01"], "M/D/YYYY"),
    (["31-12-1999"], None, "date", ["1999-12-31"], "D-M-YYYY"),
    (
        ["Jan 1 2000", "Mar 1 2010", "Sep 1 2009"],
        None,
        "date",
        ["2000-01-01", "2010-03-01", "2009-09-01"],
        "Mon D YYYY",
    ),
    (["Jan 1, 2000", "Dec 25, 2001"], None, "date", ["2000-01-01", "2001-12-25"], "Mon D, YYYY"),
    (["January 1, 2000", "september 30, 2001"], None, "date", ["2000-01-01", "2001-09-30"], "Month D, YYYY"),
    (["1 January 2000", "25 Dec 2001"], None, "date", ["2000-01-01", "2001-12-25"], "D Month YYYY"),
    (["Jun-12-1998"], None, "date", ["1998-06-12"], "Mon-D-YYYY"),
    (["Sept 3 2001", "Jan 1st, 2000"], None, "date", ["2001-09-03", "2000-01-01"], "Mon D YYYY"),
    (["June 3 2001"], None, "date", ["2001-06-03"], "Month D YYYY"),
    (["12-Jun-98", "1-Jan-00"], None, "date", ["1998-06-12", "2000-01-01"], "D-Mon-YY"),
    (["2014-07", "2014-08"], None, "date", ["2014-07-01", "2014-08-01"], "YYYY-MM (the first of the month)"),
    (
        ["2014-7-1 9:05", "2014-7-2 10:30"],
        None,
        "datetime",
        ["2014-07-01T09:05:00", "2014-07-02T10:30:00"],
        "YYYY-M-D H:MM",
    ),
    (
        ["10/13/98 9:05 PM", "10/14/98 12:00 AM"],
        None,
        "datetime",
        ["1998-10-13T21:05:00", "1998-10-14T00:00:00"],
        "M/D/YY h:MM AM/PM",
    ),
    (["Jan 1, 2000 10:00:30 a.m."], None, "datetime", ["2000-01-01T10:00:30"], "Mon D, YYYY h:MM:SS AM/PM"),
    (
        ["Sat, 01 Jan 2000 10:00:00 +0000"],
        None,
        "datetime",
        ["2000-01-01T10:00:00+00:00"],
        "D Mon YYYY H:MM:SS +zone",
    ),
    (["2000/1/1T10:00Z"], None, "datetime", ["2000-01-01T10:00:00+00:00"], "YYYY/M/D H:MM +zone"),
]


@pytest.mark.parametrize(("cells", "order", "kind", "values", "shown"), FORMS, ids=[f[0][0] for f in FORMS])
def test_date_forms_are_read_and_named_in_the_notes(
    cells: list[str], order: str | None, kind: str, values: list[str], shown: str
) -> None:
    column = infer_column("d", cells, InferOptions(date_order=order))
    assert (column.type, column.values) == (kind, values)
    assert column.notes[0].startswith(f'column "d": read as {shown}')


@pytest.mark.parametrize(
    "cells",
    [
        ["2010-11", "2011-12", "2012-13"],  # month 13: not months
        ["2010-11", "2011-12"],  # seasons, years 2010/11 and 2011/12
        ["1.2.10", "1.3.12"],  # version numbers, not dates with two-digit years
        ["Foo 1 2000"],
        ["Feb 30 2000"],
        ["10/13/98", "13/10/98"],  # both orders in one column
    ],
)
def test_what_is_not_a_date_stays_text(cells: list[str]) -> None:
    assert infer_column("d", cells, InferOptions()).type == "text"


def test_ambiguous_order_is_a_guess_said_in_the_note() -> None:
    column = infer_column("polldate", ["01/02/98", "03/04/98"], InferOptions())
    assert column.values == ["1998-01-02", "1998-03-04"]
    ambiguous = 'dates like 01/02/98 are ambiguous (set date_order "dmy" to change)'
    assert column.notes == [f'column "polldate": read as MM/DD/YY; {ambiguous}']


@pytest.mark.parametrize(("year", "full"), [("00", 2000), ("68", 2068), ("69", 1969), ("98", 1998)])
def test_two_digit_years_pivot_like_percent_y(year: str, full: int) -> None:  # documented in docs/pipeline.md
    assert local_dates([f"1/2/{year}"], "mdy") == [f"{full}-01-02"]
    assert datetime.strptime(f"1/2/{year}", "%m/%d/%y").year == full


# Hypothesis: any date printed in any supported form reads back as the same date. The order-ambiguous
# forms are read with the order they were printed in; two-digit years within the pivot's century.
PRINTERS = [
    ("%Y-%m-%d", None),
    ("{Y}-{m}-{d}", None),
    ("%Y/%m/%d", None),
    ("%m/%d/%Y", "mdy"),
    ("%d/%m/%Y", "dmy"),
    ("{m}/{d}/%y", "mdy"),
    ("%d.%m.%Y", "dmy"),
    ("%b {d} %Y", None),
    ("%b %d, %Y", None),
    ("%B {d}, %Y", None),
    ("{d} %B %Y", None),
    ("%d-%b-%y", None),
    ("%b-%d-%Y", None),
    ("%a, %d %b %Y", None),
]


def _print(day: date, form: str) -> str:
    return day.strftime(form.format(Y=day.year, m=day.month, d=day.day))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31)), min_size=1, max_size=5),
    st.sampled_from(PRINTERS),
)
def test_any_date_printed_in_a_supported_form_reads_back(
    days: list[date], printer: tuple[str, str | None]
) -> None:
    form, order = printer
    column = infer_column("d", [_print(d, form) for d in days], InferOptions(date_order=order))
    assert (column.type, column.values) == ("date", [d.isoformat() for d in days])


def test_a_date_format_chosen_in_the_open_options_rereads_the_column() -> None:
    data = b"polldate,n\n01/02/98,1\n03/04/98,2\n"
    guessed = read_bytes(data, "p.csv")
    assert [r[0] for r in guessed.rows] == ["1998-01-02", "1998-03-04"]  # month first, said in the notes
    chosen = read_bytes(data, "p.csv", options={"date_formats": {"polldate": "%d/%m/%y"}})
    assert (chosen.columns[0].type, [r[0] for r in chosen.rows]) == ("date", ["1998-02-01", "1998-04-03"])
    assert 'column "polldate": read as %d/%m/%y (as chosen)' in chosen.notes
    timed = read_bytes(
        b"t\n01/02/98 9:05 PM\n", "t.csv", options={"date_formats": {"t": "%d/%m/%y %I:%M %p"}}
    )
    assert (timed.columns[0].type, timed.rows[0][0]) == ("datetime", "1998-02-01T21:05:00")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"date_formats": {"polldate": "%Y-%m-%d"}}, "value '01/02/98' is not a date written as %Y-%m-%d"),
        ({"date_formats": {"when": "%d/%m/%y"}}, 'names unknown column "when"'),
        ({"date_formats": {"polldate": "dd/mm/yy"}}, "strptime formats"),
    ],
)
def test_a_chosen_date_format_that_does_not_fit_is_an_error(options: dict[str, object], message: str) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(b"polldate,n\n01/02/98,1\n", "p.csv", options=options)
    assert message in str(info.value)


def test_the_order_named_in_the_note_is_the_one_the_whole_column_was_read_with() -> None:
    cells = ["01/02/98"] * 1500 + ["25/12/98"]  # the deciding value is past the sample
    column = infer_column("d", cells, InferOptions())
    assert column.values[0] == "1998-02-01" and column.values[-1] == "1998-12-25"
    assert column.notes == ['column "d": read as DD/MM/YY']


TIME_PRINTERS = [
    ("%Y-%m-%d %H:%M:%S", None),
    ("%Y-%m-%dT%H:%M:%S", None),
    ("{m}/{d}/%Y %I:%M:%S %p", "mdy"),
    ("%d.%m.%Y %H:%M:%S", "dmy"),
    ("%b %d, %Y %I:%M:%S %p", None),
    ("%d %B %Y %H:%M:%S", None),
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.datetimes(min_value=datetime(1969, 1, 1), max_value=datetime(2068, 12, 31)), min_size=1, max_size=5
    ),
    st.sampled_from(TIME_PRINTERS),
)
def test_any_datetime_printed_in_a_supported_form_reads_back(
    stamps: list[datetime], printer: tuple[str, str | None]
) -> None:
    form, order = printer
    stamps = [s.replace(microsecond=0) for s in stamps]
    cells = [s.strftime(form.format(m=s.month, d=s.day)) for s in stamps]
    column = infer_column("t", cells, InferOptions(date_order=order))
    assert (column.type, column.values) == ("datetime", [s.isoformat() for s in stamps])
