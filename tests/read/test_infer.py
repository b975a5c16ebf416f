"""Type inference on text cells: what each column becomes, and what the user is told."""

from __future__ import annotations

import pytest
from loupe.errors import ReadError
from loupe.read.infer import InferOptions, infer_column


def infer(cells: list[str | None], **options: object) -> tuple[str, list[object], list[str]]:
    result = infer_column("c", cells, InferOptions(**options))  # type: ignore[arg-type]
    return result.type, result.values, result.notes


@pytest.mark.parametrize(
    ("cells", "kind", "values"),
    [
        (["1", "22", "-3", "+4", " 5 "], "integer", [1, 22, -3, 4, 5]),
        (["0", "-0"], "integer", [0, 0]),
        (["1_000"], "text", ["1_000"]),  # Python syntax, not data
        (["١٢"], "text", ["١٢"]),  # Arabic-Indic digits stay text
        (["007", "12"], "text", ["007", "12"]),
        (["1.5", "2", "-.5", "1e-3", "3."], "float", [1.5, 2.0, -0.5, 0.001, 3.0]),
        (["00.5"], "text", ["00.5"]),
        (["inf", "1"], "text", ["inf", "1"]),
        (["1e999", "1"], "text", ["1e999", "1"]),
        (["1" * 5000], "text", ["1" * 5000]),  # beyond int()'s digit limit, and float's range
        (["TRUE", "false", "True"], "boolean", [True, False, True]),
        (["yes", "no"], "text", ["yes", "no"]),
        (["2024-02-29", "2023-12-31"], "date", ["2024-02-29", "2023-12-31"]),
        (["2023-02-29"], "text", ["2023-02-29"]),  # not a leap year
        (["31/12/2024", "01/02/2024"], "date", ["2024-12-31", "2024-02-01"]),
        (["12/31/2024", "01/02/2024"], "date", ["2024-12-31", "2024-01-02"]),
        (["31.12.2024", "1.2.2024"], "date", ["2024-12-31", "2024-02-01"]),
        (["13/12/2024", "12/13/2024"], "text", ["13/12/2024", "12/13/2024"]),
        (["2024-01-02T03:04:05"], "datetime", ["2024-01-02T03:04:05"]),
        (["2024-01-02 03:04"], "datetime", ["2024-01-02T03:04:00"]),
        (["2024-01-02T03:04:05.250Z"], "datetime", ["2024-01-02T03:04:05.250+00:00"]),
        (["2024-01-02 03:04:05+0130"], "datetime", ["2024-01-02T03:04:05+01:30"]),
        (["2024-01-02", "2024-01-03 10:00"], "datetime", ["2024-01-02T00:00:00", "2024-01-03T10:00:00"]),
        (["31/12/2024 23:59"], "datetime", ["2024-12-31T23:59:00"]),
        (["2024-01-02 25:00"], "text", ["2024-01-02 25:00"]),
        (["a\nb", "1"], "text", ["a\nb", "1"]),
        ([None, ""], "text", [None, None]),
    ],
)
def test_column_types(cells: list[str | None], kind: str, values: list[object]) -> None:
    got_kind, got_values, _ = infer(cells)
    assert (got_kind, got_values) == (kind, values)


def test_int64_edges() -> None:
    assert infer([str(2**63 - 1), str(-(2**63))])[:2] == ("integer", [2**63 - 1, -(2**63)])
    kind, values, notes = infer([str(2**63), "1"])
    assert (kind, values) == ("text", [str(2**63), "1"])
    assert notes == ['column "c": integers beyond the 64-bit range kept exact as text']


def test_integers_beyond_2_53_stay_exact() -> None:
    assert infer(["9007199254740993"])[1] == [9007199254740993]


def test_widening_happens_late_in_the_column() -> None:
    cells = ["1"] * 5000 + ["2.5"]
    kind, values, _ = infer(cells)  # type: ignore[arg-type]
    assert kind == "float"
    assert values[-1] == 2.5
    cells = ["1"] * 5000 + ["x"]
    assert infer(cells)[0] == "text"  # type: ignore[arg-type]


def test_null_markers_in_typed_and_text_columns() -> None:
    kind, values, notes = infer(["1", "NA", "N/A", "null", ""])
    assert (kind, values) == ("integer", [1, None, None, None, None])
    assert notes == ["column \"c\": 'N/A', 'NA', 'null' read as null"]
    assert infer(["NA", "None", "", "x"])[:2] == ("text", ["NA", "None", None, "x"])


def test_user_null_values_apply_everywhere() -> None:
    nulls = frozenset({"?", ""})
    assert infer(["1", "?"], null_values=nulls)[:2] == ("integer", [1, None])
    assert infer(["NA", "?"], null_values=nulls)[:2] == ("text", ["NA", None])
    assert infer(["1", "-999"], null_values=frozenset({"-999"}))[:2] == ("integer", [1, None])


def test_decimal_comma() -> None:
    kind, values, notes = infer(["1,5", "2", "-0,25"], decimal=",")
    assert (kind, values) == ("float", [1.5, 2.0, -0.25])
    assert notes == ['column "c": decimal comma read as a decimal point']
    assert infer(["1,5"])[:2] == ("text", ["1,5"])
    assert infer(["3.500"], decimal=",")[:2] == ("text", ["3.500"])  # a thousands point, maybe


@pytest.mark.parametrize(
    ("cells", "kind", "values"),
    [
        (["1,234", "999", "-12,345,678"], "integer", [1234, 999, -12345678]),
        (["1,234.50", "0.5", "12"], "float", [1234.5, 0.5, 12.0]),
        (["1,23", "1,234"], "text", ["1,23", "1,234"]),
        (["01,234"], "text", ["01,234"]),
    ],
)
def test_thousands_separators(cells: list[str], kind: str, values: list[object]) -> None:
    got_kind, got_values, notes = infer(cells)
    assert (got_kind, got_values) == (kind, values)
    if kind != "text":
        assert notes == ['column "c": thousands separators (1,234) removed']


def test_either_decimal_mark_tries_the_point_first() -> None:
    assert infer(["3.5", "12"], decimal="either")[:2] == ("float", [3.5, 12.0])
    assert infer(["3,5", "12"], decimal="either")[:2] == ("float", [3.5, 12.0])
    assert infer(["3,5", "1.5"], decimal="either")[:2] == ("text", ["3,5", "1.5"])


def test_ambiguous_dates_are_noted_and_overridable() -> None:
    _, values, notes = infer(["01/02/2024", "03/04/2024"])
    assert values == ["2024-01-02", "2024-03-04"]
    assert "ambiguous" in notes[0] and "date_order" in notes[0]
    assert infer(["01/02/2024"], date_order="dmy")[1:] == (["2024-02-01"], ['column "c": read as DD/MM/YYYY'])


def test_forced_types() -> None:
    assert infer(["007", "1"], forced={"c": "integer"})[:2] == ("integer", [7, 1])
    assert infer(["1", "2"], forced={"c": "float"})[:2] == ("float", [1.0, 2.0])
    assert infer(["1", "2"], forced={"c": "text"})[:2] == ("text", ["1", "2"])
    assert infer(["2024-01-02"], forced={"c": "datetime"})[:2] == ("datetime", ["2024-01-02T00:00:00"])


def test_forced_type_misfit_is_an_error_naming_row_and_column() -> None:
    # A value that does not fit the chosen type is an error, never a silent null.
    options = InferOptions(forced={"c": "integer"}, row_of=lambda i: i + 2)
    with pytest.raises(ReadError) as caught:
        infer_column("c", ["1", "2", "x3"], options)
    error = caught.value
    assert (error.row, error.column, error.snippet) == (4, "c", "x3")
    assert "choose another type" in (error.hint or "")


def test_text_mode_keeps_everything() -> None:
    assert infer(["1", "NA", ""], infer=False)[:2] == ("text", ["1", "NA", None])
