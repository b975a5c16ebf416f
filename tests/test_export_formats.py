"""Each data format's bytes for one small table: a formula-looking cell, a two-decimal sum with float
noise, unicode, nulls; safe (the default) against raw; a BOM on and off; the XLSX read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from loupe.engine import Engine
from loupe.export import tidy_float, to_csv, to_xlsx, write_file
from loupe.read import read_bytes
from loupe.table import Column, Table, Value
from loupe.write_xlsx import column_letters, sheet_name, workbook

PRICES = [(12345.67,), (23456.78,), (29562.26,)]


def total_of_prices() -> float:
    """The prices summed by the engine (SQLite's sum): 65364.70999999999, float noise included."""
    engine = Engine()
    engine.load(Table("t", (Column("price", "float"),), PRICES))
    result = engine.run([{"verb": "groupby", "by": [], "aggs": [{"column": "price", "fn": "sum"}]}], "t")
    return float(result.rows[0][0])  # type: ignore[arg-type]


TOTAL = total_of_prices()
COLUMNS = (Column("name", "text"), Column("total", "float"), Column("n", "integer"))
ROWS: list[tuple[Value, ...]] = [
    ("=SUM(A1)", TOTAL, 1),
    ("Zürich ☃", 0.1 + 0.2, None),
    (None, None, 3),
]


def test_the_sum_has_float_noise_to_remove() -> None:
    assert repr(TOTAL) == "65364.70999999999"  # what the test is about: the engine's sum is noisy
    assert tidy_float(TOTAL) == 65364.71


# format, safe, bom -> the exact text of the file
WRITTEN = [
    (
        "csv",
        True,
        False,
        "name,total,n\r\n'=SUM(A1),65364.71,1\r\nZürich ☃,0.3,\r\n,,3\r\n",
    ),
    (
        "csv",
        False,
        False,
        "name,total,n\r\n=SUM(A1),65364.70999999999,1\r\nZürich ☃,0.30000000000000004,\r\n,,3\r\n",
    ),
    (
        "csv",
        True,
        True,
        "\ufeffname,total,n\r\n'=SUM(A1),65364.71,1\r\nZürich ☃,0.3,\r\n,,3\r\n",
    ),
    (
        "tsv",
        True,
        False,
        "name\ttotal\tn\r\n'=SUM(A1)\t65364.71\t1\r\nZürich ☃\t0.3\t\r\n\t\t3\r\n",
    ),
    (
        "json",
        True,
        False,
        '[\n{"name": "=SUM(A1)", "total": 65364.71, "n": 1},\n{"name": "Zürich ☃", "total": 0.3, "n": null},'
        '\n{"name": null, "total": null, "n": 3}\n]\n',
    ),
    (
        "json",
        False,
        False,
        '[\n{"name": "=SUM(A1)", "total": 65364.70999999999, "n": 1},\n'
        '{"name": "Zürich ☃", "total": 0.30000000000000004, "n": null},'
        '\n{"name": null, "total": null, "n": 3}\n]\n',
    ),
    (
        "jsonl",
        True,
        False,
        '{"name": "=SUM(A1)", "total": 65364.71, "n": 1}\n{"name": "Zürich ☃", "total": 0.3, "n": null}\n'
        '{"name": null, "total": null, "n": 3}\n',
    ),
]


@pytest.mark.parametrize(
    ("fmt", "safe", "bom", "text"), WRITTEN, ids=[f"{w[0]}-{w[1]}-{w[2]}" for w in WRITTEN]
)
def test_each_format_writes_these_bytes(tmp_path: Path, fmt: str, safe: bool, bom: bool, text: str) -> None:
    path = tmp_path / f"out.{fmt}"
    assert write_file(str(path), COLUMNS, ROWS, safe=safe, bom=bom) == fmt
    assert path.read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_or_without_a_bom_reimports_to_the_same_table(bom: bool) -> None:
    text = to_csv(COLUMNS, ROWS, safe=False, bom=bom)
    assert text.startswith("\ufeff") is bom
    back = read_bytes(text.encode("utf-8"), "t.csv")
    assert back.column_names == ["name", "total", "n"]
    assert back.rows == [tuple(r) for r in ROWS]


def test_the_safe_csv_reimports_to_the_tidy_numbers() -> None:
    back = read_bytes(to_csv(COLUMNS, ROWS).encode(), "t.csv")
    assert [r[1] for r in back.rows] == [65364.71, 0.3, None]
    assert next(csv.reader(io.StringIO(to_csv(COLUMNS, ROWS).splitlines()[1]))) == [
        "'=SUM(A1)",
        "65364.71",
        "1",
    ]


XLSX_COLUMNS = (
    *COLUMNS,
    Column("ok", "boolean"),
    Column("day", "date"),
    Column("big", "integer"),
)
XLSX_ROWS: list[tuple[Value, ...]] = [
    (*ROWS[0], True, "2024-02-29", 2**53 + 1),
    (*ROWS[1], False, None, -5),
    (*ROWS[2], None, "2024-03-01", None),
]


@pytest.mark.parametrize(
    ("safe", "totals"),
    [(True, [65364.71, 0.3, None]), (False, [TOTAL, 0.1 + 0.2, None])],
    ids=["safe", "raw"],
)
def test_xlsx_reads_back_through_loupes_reader(safe: bool, totals: list[float | None]) -> None:
    table = read_bytes(to_xlsx(XLSX_COLUMNS, XLSX_ROWS, safe=safe), "t.xlsx")
    assert table.column_names == ["name", "total", "n", "ok", "day", "big"]
    columns = list(zip(*table.rows, strict=True))
    assert columns[0] == ("=SUM(A1)", "Zürich ☃", None)  # text stays text, never a formula
    assert list(columns[1]) == totals
    assert columns[2] == (1, None, 3)
    assert columns[3] == (True, False, None)
    assert [str(d)[:10] if d else d for d in columns[4]] == ["2024-02-29", None, "2024-03-01"]
    assert columns[5] == (str(2**53 + 1), "-5", None)  # past 2^53 as digits: the column reads as text


def test_xlsx_opens_in_openpyxl_with_types_and_no_formula() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(XLSX_COLUMNS, XLSX_ROWS, sheet="a/b:c")))
    sheet = book.active
    assert sheet.title == "abc"
    assert sheet["A2"].value == "=SUM(A1)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 65364.71
    assert sheet["D2"].value is True
    assert sheet["E2"].value == dt.datetime(2024, 2, 29) and sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["A1"].font.b is True
    assert sheet["C3"].value is None


def test_xlsx_text_with_characters_xml_cannot_carry_is_still_a_valid_workbook() -> None:
    data = workbook("s", ["a<b>&\"'"], [["nul\x00 and \ud800 surrogate"], [dt.datetime(2024, 1, 2, 3, 4, 5)]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "a&lt;b&gt;&amp;\"'" in sheet and "nul\ufffd and \ufffd surrogate" in sheet
    table = read_bytes(data, "s.xlsx")
    assert table.column_names == ["a<b>&\"'"]


@pytest.mark.parametrize(
    ("name", "safe"), [("data", "data"), ("a[1]?", "a1"), ("x" * 40, "x" * 31), ("'q'", "q")]
)
def test_sheet_names(name: str, safe: str) -> None:
    assert sheet_name(name) == safe


def test_column_letters_run_past_z() -> None:
    assert [column_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
