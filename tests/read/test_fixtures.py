"""Small real-world shaped files in tests/data: what a user opening them would see."""

from __future__ import annotations

from pathlib import Path

import pytest
from loupe.read import read_file

DATA = Path(__file__).resolve().parents[1] / "data"

CASES = [
    (
        # A German Excel export: Windows-1252, semicolons, decimal comma, day-first dates, CRLF.
        "eu_semicolon_cp1252.csv",
        [("Kunde", "text"), ("Betrag", "float"), ("Datum", "date"), ("PLZ", "text"), ("Bezahlt", "text")],
        ("Müller GmbH", 1234.5, "2024-12-31", "01067", "ja"),
        [
            "encoding: Windows-1252 (not UTF-8); if characters look wrong, choose another encoding",
            "delimiter: semicolon",
            'column "Betrag": decimal comma read as a decimal point',
        ],
    ),
    (
        # Excel's "Unicode Text": UTF-16 LE with BOM, tabs, .txt extension.
        "excel_unicode_text.txt",
        [("Region", "text"), ("Units", "integer"), ("Price", "float"), ("Shipped", "datetime")],
        ("North", 12, 3.5, "2024-01-05T14:30:00"),
        ["encoding: UTF-16 LE with BOM", "delimiter: tab"],
    ),
    (
        # An API response: records under a key, nested objects, lists, a null object.
        "api_response.json",
        [
            ("id", "integer"),
            ("name", "text"),
            ("address.city", "text"),
            ("address.zip", "text"),
            ("tags", "text"),
            ("score", "float"),
            ("active", "boolean"),
            ("joined", "date"),
        ],
        (1, "Ann", "Oslo", "0150", '["a","b"]', 9.5, True, "2023-04-01"),
        ['records found under "results"'],
    ),
    (
        "events.jsonl",
        [("ts", "datetime"), ("level", "text"), ("msg", "text"), ("ms", "integer")],
        ("2024-05-01T10:00:00+00:00", "info", "started", None),
        ["encoding: UTF-8"],
    ),
]


@pytest.mark.parametrize(("filename", "columns", "first", "notes"), CASES, ids=[c[0] for c in CASES])
def test_fixture(
    filename: str, columns: list[tuple[str, str]], first: tuple[object, ...], notes: list[str]
) -> None:
    table = read_file(str(DATA / filename))
    assert [(c.name, c.type) for c in table.columns] == columns
    assert table.rows[0] == first
    for note in notes:
        assert note in table.notes
