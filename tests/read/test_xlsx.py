"""Excel workbooks: typed cells, sheets, and the files that must be refused clearly."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from loupe.errors import ReadError
from loupe.read import read_bytes
from loupe.read.xlsx import check_zip

MakeXlsx = Callable[..., bytes]


def test_typed_cells(make_xlsx: MakeXlsx) -> None:
    data = make_xlsx(
        {
            "Sales": [
                ["day", "units", "price", "name", "paid", "at", "opens"],
                [datetime(2024, 1, 2), 3, 1.5, "Ann", True, datetime(2024, 1, 2, 9, 30), time(9)],
                [date(2024, 1, 3), 4, 2, None, False, None, None],
            ]
        }
    )
    table = read_bytes(data, "Book 1.xlsx")
    assert table.name == "book_1"
    assert [(c.name, c.type) for c in table.columns] == [
        ("day", "date"),
        ("units", "integer"),
        ("price", "float"),
        ("name", "text"),
        ("paid", "boolean"),
        ("at", "datetime"),
        ("opens", "text"),
    ]
    assert table.rows == [
        ("2024-01-02", 3, 1.5, "Ann", True, "2024-01-02T09:30:00", "09:00:00"),
        ("2024-01-03", 4, 2.0, None, False, None, None),
    ]
    assert table.source["format"] == "xlsx"


def test_sheets_are_choices(make_xlsx: MakeXlsx) -> None:
    data = make_xlsx({"First": [["a"], [1]], "Second": [["b"], ["x"]]})
    first = read_bytes(data, "b.xlsx")
    assert first.source["choices"] == ["First", "Second"]
    assert first.source["sheet"] == "First"
    second = read_bytes(data, "b.xlsx", options={"sheet": "Second"})
    assert second.rows == [("x",)]
    with pytest.raises(ReadError, match='did you mean "Second"'):
        read_bytes(data, "b.xlsx", options={"sheet": "second"})


def test_title_above_the_table(make_xlsx: MakeXlsx) -> None:
    data = make_xlsx(
        {"S": [["Sales 2024"], [], ["day", "units"], [date(2024, 1, 2), 3], [date(2024, 1, 3), 4]]}
    )
    table = read_bytes(data, "b.xlsx")
    assert table.column_names == ["day", "units"]
    assert table.rows == [("2024-01-02", 3), ("2024-01-03", 4)]
    assert "2 rows above the table skipped" in table.notes


def test_blank_rows_and_trailing_cells_are_dropped(make_xlsx: MakeXlsx) -> None:
    data = make_xlsx({"S": [["a", "b", None], [1, 2], [None, None], [3, 4, None]]})
    table = read_bytes(data, "b.xlsx")
    assert table.column_names == ["a", "b"]
    assert table.rows == [(1, 2), (3, 4)]


def test_formula_errors_read_as_null(make_xlsx: MakeXlsx) -> None:
    data = make_xlsx({"S": [["v"], [1], ["#DIV/0!"], [3]]})
    table = read_bytes(data, "b.xlsx")
    assert table.columns[0].type == "integer"
    assert table.rows == [(1,), (None,), (3,)]
    assert any("formula error" in note for note in table.notes)


def test_macros_are_noted_not_run(make_xlsx: MakeXlsx) -> None:
    plain = make_xlsx({"S": [["v"], [1]]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 16)
    table = read_bytes(out.getvalue(), "b.xlsm")
    assert table.rows == [(1,)]
    assert any("macros" in note and "not run" in note for note in table.notes)


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_zip_bomb_refused_by_declared_size() -> None:  # RELIABILITY 31
    bomb = zip_of({"xl/workbook.xml": b"<x/>", "xl/big.xml": b"\x00" * (3 << 20)})
    with pytest.raises(ReadError, match="zip bomb"):
        check_zip(bomb, limit=1 << 20)


def test_zip_bomb_refused_when_declared_sizes_lie() -> None:  # RELIABILITY 31
    bomb = bytearray(zip_of({"xl/workbook.xml": b"<x/>", "xl/big.xml": b"\x00" * (3 << 20)}))
    # Rewrite the central directory's uncompressed size of every member to 1 byte: zipfile stops
    # at the declared size, so the lie surfaces as a CRC failure, never as unbounded output.
    at = bomb.find(b"PK\x01\x02")
    while at >= 0:
        bomb[at + 24 : at + 28] = (1).to_bytes(4, "little")
        at = bomb.find(b"PK\x01\x02", at + 4)
    with pytest.raises(ReadError, match="damaged: Bad CRC"):
        check_zip(bytes(bomb), limit=1 << 20)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Excel 97-2003"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "password-protected",
        ),
        (zip_of({"word/document.xml": b"<x/>"}), "Word document"),
        (zip_of({"content.xml": b"<x/>", "mimetype": b"x"}), "OpenDocument"),
        (b"PK\x03\x04 truncated", "damaged"),
        (b"<html>not a workbook</html>", "named like an Excel workbook"),
    ],
)
def test_refused_files(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message) as caught:
        read_bytes(data, "book.xlsx")
    assert caught.value.hint


def test_detected_types_sent_back_unchanged_read_the_same(make_xlsx: MakeXlsx) -> None:
    # The UI sends the detected types back as overrides when the user edits one of them.
    data = make_xlsx({"S": [["day", "n", "x"], [datetime(2024, 1, 2), 1, 1.5], [date(2024, 1, 3), 2, 2]]})
    first = read_bytes(data, "b.xlsx")
    again = read_bytes(data, "b.xlsx", options={"types": first.source["types"]})
    assert again.rows == first.rows
    assert again.source["types"] == first.source["types"]


def test_formula_cells_without_a_saved_value_are_noted(make_xlsx: MakeXlsx) -> None:  # RELIABILITY 33
    data = make_xlsx({"S": [["a", "b"], [1, "=A2*2"], [2, "=A3*2"]]})  # openpyxl saves no values
    table = read_bytes(data, "f.xlsx")
    assert table.rows == [(1, None), (2, None)]
    assert (
        "2 formula cells without a saved value (first at B2) read as empty; "
        "open and save the workbook in Excel to compute them"
    ) in table.notes
    assert not any("formula" in n for n in read_bytes(make_xlsx({"S": [["a"], [1]]}), "p.xlsx").notes)


# RELIABILITY 32 (billion laughs: entities that expand) and 33 (a clear message for each bad workbook).
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_unsafe_xml_is_refused_by_name(make_xlsx: MakeXlsx, part: str) -> None:
    plain = make_xlsx({"S": [["v"], [1]]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == part:
                entities = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                declared = body.startswith(b"<?xml")
                body = body.replace(b"?>", b"?>" + entities, 1) if declared else entities + body
            dst.writestr(item, body)
    with pytest.raises(ReadError) as info:
        read_bytes(out.getvalue(), "evil.xlsx")
    assert str(info.value).startswith("the workbook contains unsafe XML (entity expansion) and was not read")


# RELIABILITY 32: an external entity (XXE) that would read a local file or reach a server.
@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://127.0.0.1:9/x"])
def test_external_entities_are_refused_not_fetched(make_xlsx: MakeXlsx, target: str) -> None:
    plain = make_xlsx({"S": [["v"], [1]]})
    out = io.BytesIO()
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == part:
                entity = f'<!DOCTYPE x [<!ENTITY e SYSTEM "{target}">]>'.encode()
                declared = body.startswith(b"<?xml")
                body = body.replace(b"?>", b"?>" + entity, 1) if declared else entity + body
                body = body.replace(b"<v>1</v>", b"<v>&e;</v>")
            dst.writestr(item, body)
    with pytest.raises(ReadError) as info:
        read_bytes(out.getvalue(), "xxe.xlsx")
    assert str(info.value).startswith("the workbook contains unsafe XML")
