"""Numbers as people write them: thousands separators, decimal commas, currency and percent signs."""

from __future__ import annotations

import pytest
from loupe.read import read_bytes
from loupe.read.infer import InferOptions, infer_column

NUMBERS = [
    # (cells, decimal mark of the file, values, note; None: no note)
    (
        ["1.234,50", "99,95", "1.000"],
        "either",
        [1234.5, 99.95, 1000.0],
        "thousands separators (1.234) removed",
    ),
    (["1.234,50", "7"], ",", [1234.5, 7.0], "decimal comma read as a decimal point"),
    (["$1,200", "$5.50", "($3)"], ".", [1200.0, 5.5, -3.0], '"$" stripped, read as numbers'),
    (["12%", "3.5%", "-1%"], ".", [12.0, 3.5, -1.0], '"%" stripped (12% is 12), read as numbers'),
    (["€ 3,50", "€ 1.234,00"], "either", [3.5, 1234.0], '"€" stripped, read as numbers with a decimal comma'),
    (["3,50 €", "12 €"], ".", [3.5, 12.0], '"€" stripped, read as numbers with a decimal comma'),
    (["USD 1,200", "USD 7"], ".", [1200.0, 7.0], '"USD" stripped, read as numbers'),
    (["$1,200", "$35.50"], "either", [1200.0, 35.5], '"$" stripped, read as numbers'),  # 35.50 settles it
]


@pytest.mark.parametrize(("cells", "decimal", "values", "note"), NUMBERS, ids=[n[0][0] for n in NUMBERS])
def test_numbers_with_separators_and_signs(
    cells: list[str], decimal: str, values: list[float], note: str
) -> None:
    column = infer_column("x", cells, InferOptions(decimal=decimal))
    assert (column.type, column.values) == ("float", values)
    assert any(note in n for n in column.notes), column.notes


@pytest.mark.parametrize(
    ("cells", "decimal", "why"),
    [
        (["$1", "€2"], ".", "amounts with different signs ($, €) kept as text"),
        (["$1", "2"], ".", None),  # a sign on some values only
        (["3.500"], ",", None),  # no decimal comma: 3.5 or 3500?
        (["1.234,50"], ".", None),  # a comma file: the decimal mark is a point
        (["$1,23,4"], ".", None),
        (["$1,234.5", "$1.234,5"], ".", None),  # both decimal marks in one column
        (["$1,200", "$2,500"], "either", None),  # a tab file: 1.2 or 1200? nothing in the column says
    ],
)
def test_what_stays_text(cells: list[str], decimal: str, why: str | None) -> None:
    column = infer_column("x", cells, InferOptions(decimal=decimal))
    assert (column.type, column.values) == ("text", cells)
    assert column.notes == ([f'column "x": {why}'] if why else [])


def test_a_semicolon_file_with_decimal_commas_reads_grouped_numbers() -> None:
    table = read_bytes("Kunde;Betrag;Preis\nA;1.234,50;€ 3,50\nB;99,95;€ 12,00\n".encode(), "eu.csv")
    assert [c.type for c in table.columns] == ["text", "float", "float"]
    assert [r[1:] for r in table.rows] == [(1234.5, 3.5), (99.95, 12.0)]
    assert table.source["decimal"] == ","
    assert any("€" in n for n in table.notes)
