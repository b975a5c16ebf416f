"""CSV/TSV reading: the csv-spectrum acid test, detection, errors a user would see."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from loupe.engine import Engine
from loupe.errors import ReadError
from loupe.read import ReadOptions, load_file, read_bytes
from loupe.read.delimited import parse_rows

# The shared conformance data sits beside the checkout (../shared), also when mounted in Pyodide.
SPECTRUM = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "csv-spectrum"
SPECTRUM_NAMES = sorted(p.stem for p in (SPECTRUM / "csvs").glob("*.csv"))


def spectrum_bytes(name: str) -> bytes:
    data = (SPECTRUM / "csvs" / f"{name}.csv").read_bytes()
    # The checkout lost the CRLF endings of the *_crlf files; restore the upstream bytes.
    if name.endswith("_crlf") and b"\r\n" not in data:
        data = data.replace(b"\n", b"\r\n")
    return data


@pytest.mark.skipif(not SPECTRUM.exists(), reason="conformance data not present")
@pytest.mark.parametrize("name", SPECTRUM_NAMES)
def test_csv_spectrum_raw_records(name: str) -> None:
    expected = json.loads((SPECTRUM / "json" / f"{name}.json").read_text(encoding="utf-8"))
    header, *rows = parse_rows(spectrum_bytes(name).decode("utf-8"))
    assert [dict(zip(header, row, strict=True)) for row in rows] == expected


@pytest.mark.skipif(not SPECTRUM.exists(), reason="conformance data not present")
@pytest.mark.parametrize("name", SPECTRUM_NAMES)
def test_csv_spectrum_text_mode(name: str) -> None:
    expected = json.loads((SPECTRUM / "json" / f"{name}.json").read_text(encoding="utf-8"))
    table = read_bytes(spectrum_bytes(name), f"{name}.csv", options={"types": "text"})
    got = [dict(zip(table.column_names, row, strict=True)) for row in table.rows]
    # Text mode reads empty cells as null; the spectrum writes them as "".
    assert [{k: "" if v is None else v for k, v in r.items()} for r in got] == expected
    assert all(c.type == "text" for c in table.columns)


# RELIABILITY 23: a ;-delimited file named .csv, a single column: no wrong delimiter applied.
@pytest.mark.parametrize(
    ("data", "filename", "delimiter"),
    [
        (b"a,b,c\n1,2,3\n", "x.csv", ","),
        (b"a\tb\tc\n1\t2\t3\n", "x.csv", "\t"),
        (b"a;b;c\n1,5;2;3\n", "x.csv", ";"),
        (b"a|b|c\n1|2|3\n", "x.txt", "|"),
        (b"a,b\tc\n1,2\t3\n", "x.tsv", "\t"),  # the extension breaks the tie
        (b'name,note\n"Doe, J","a; b; c"\n', "x.csv", ","),
        (b"only\n1\n2\n", "x.csv", ","),
    ],
)
def test_delimiter_detection(data: bytes, filename: str, delimiter: str) -> None:
    table = read_bytes(data, filename)
    assert table.source["delimiter"] == delimiter


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (b"Sales report\n\nday;amount\n2024-01-01;5\n2024-01-02;6\n", "2 lines above the table skipped"),
        (b"Account:;123\nday;amount;fee;note\n2024-01-01;5;1;x\n2024-01-02;6;1;y\n", None),
    ],
)
def test_title_lines_above_the_table(data: bytes, note: str | None) -> None:
    table = read_bytes(data, "x.csv")
    assert table.column_names[:2] == ["day", "amount"]
    assert table.rows[0][:2] == ("2024-01-01", 5)
    assert any("above the table skipped" in n for n in table.notes)
    if note:
        assert note in table.notes


def test_title_lines_do_not_hide_a_short_header() -> None:
    # A header narrower than the rows is ragged, not a title: it must not silently vanish.
    with pytest.raises(ReadError, match="different number of fields"):
        read_bytes(b"a,b,c\n1,2,3,4\n5,6,7,8\n9,10,11,12\n", "x.csv")


def test_tsv_format_option_prefers_tab() -> None:
    data = b"a,b\tc\n1,2\t3\n"
    assert read_bytes(data, "download", options={"format": "tsv"}).source["delimiter"] == "\t"
    assert read_bytes(data, "download").source["delimiter"] == ","


def test_detection_is_reported_and_overridable() -> None:
    """RELIABILITY 23: what was detected is said in the notes (the page shows them beside the open
    options) and one option overrides it, also in a tiny two-line file."""
    table = read_bytes(b"a;b\n1;2\n", "x.csv")
    assert "delimiter: semicolon" in table.notes
    forced = read_bytes(b"a;b\n1;2\n", "x.csv", options={"delimiter": ","})
    assert forced.column_names == ["a;b"]
    assert forced.rows == [("1;2",)]


@pytest.mark.parametrize(
    ("data", "header", "names"),
    [
        (b"id,name\n1,Ann\n2,Bob\n", True, ["id", "name"]),
        (b"1,Ann\n2,Bob\n", False, ["column_1", "column_2"]),
        (b"name,city\nAnn,Oslo\n", True, ["name", "city"]),
        (b"2024-01-01,5\n2024-01-02,6\n", False, ["column_1", "column_2"]),
        (b"when,amount\n2024-01-01,5\n", True, ["when", "amount"]),
        (b"a,b,c\n", True, ["a", "b", "c"]),
        (b"1,2,x\n", False, ["column_1", "column_2", "column_3"]),
    ],
)
def test_header_detection(data: bytes, header: bool, names: list[str]) -> None:
    table = read_bytes(data, "x.csv")
    assert table.source["header"] is header
    assert table.column_names == names


def test_header_override() -> None:
    table = read_bytes(b"id,name\n1,Ann\n", "x.csv", options=ReadOptions(header=False))
    assert table.column_names == ["column_1", "column_2"]
    assert table.rows[0] == ("id", "name")


# RELIABILITY 20 (and 21): a BOM never leaks into the first column name.
@pytest.mark.parametrize(
    ("data", "encoding", "note"),
    [
        (b"\xef\xbb\xbfname\nJos\xc3\xa9\n", "utf-8-sig", "encoding: UTF-8 with BOM"),
        (b"name\nJos\xc3\xa9\n", "utf-8", "encoding: UTF-8"),
        ("name\nJosé\n".encode("utf-16"), "utf-16", "encoding: UTF-16 LE with BOM"),
    ],
)
def test_encodings(data: bytes, encoding: str, note: str) -> None:
    table = read_bytes(data, "x.csv")
    assert table.column_names == ["name"]  # a BOM never leaks into the first name
    assert table.rows == [("José",)]
    assert table.source["encoding"] == encoding
    assert note in table.notes


# RELIABILITY 22: every line end, also inside quoted fields.
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_line_endings(newline: bytes) -> None:
    data = newline.join([b"a,b", b'1,"x' + newline + b'y"', b"2,z", b""])
    table = read_bytes(data, "x.csv")
    assert table.rows == [(1, "x" + newline.decode() + "y"), (2, "z")]


def test_mixed_line_endings() -> None:
    table = read_bytes(b"a,b\r\n1,x\n2,y\r3,z\r\n", "x.csv")
    assert table.rows == [(1, "x"), (2, "y"), (3, "z")]


@pytest.mark.parametrize(
    ("cells", "kind", "values"),
    [
        (["1", "-2", "", "30"], "integer", [1, -2, None, 30]),
        (["1", "2.5", "1e3"], "float", [1.0, 2.5, 1000.0]),
        (["2024-01-31", "2023-12-01"], "date", ["2024-01-31", "2023-12-01"]),
        (["2024-02-30"], "text", ["2024-02-30"]),  # looks like a date but is none
        (["02134", "10001"], "text", ["02134", "10001"]),  # ZIP codes keep their zeros
        (["007", "1.5"], "text", ["007", "1.5"]),
        (["Ann", "", "Bob"], "text", ["Ann", None, "Bob"]),
        (["1", "NA", "3"], "integer", [1, None, 3]),
        (["NA", "US"], "text", ["NA", "US"]),  # "NA" is Namibia in a text column
        (["true", "FALSE"], "boolean", [True, False]),
        (["9223372036854775807"], "integer", [9223372036854775807]),
        (["9223372036854775808", "1"], "text", ["9223372036854775808", "1"]),
    ],
)
def test_type_inference(cells: list[str], kind: str, values: list[object]) -> None:
    data = ("x\n" + "\n".join(f'"{c}"' for c in cells) + "\n").encode()
    table = read_bytes(data, "x.csv", options={"header": True})
    assert table.columns[0].type == kind
    assert [r[0] for r in table.rows] == values


@pytest.mark.parametrize(
    ("data", "message", "row"),
    [
        (b"", "the file is empty", None),
        (b"\n\n  \n", "the file is empty", None),
        (b"a,b\x00c\n", "this does not look like a text table", None),  # RELIABILITY 28
        (b"a,b\n1,2\n3,4,5\n6,7\n8\n", "2 rows have a different number of fields", 3),  # RELIABILITY 24
    ],
)
def test_errors(data: bytes, message: str, row: int | None) -> None:
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "x.csv")
    assert message in str(caught.value)
    assert caught.value.row == row
    assert caught.value.hint


def test_ragged_error_counts_lines_not_records() -> None:
    with pytest.raises(ReadError) as caught:
        read_bytes(b'a,b\n"multi\nline",2\n\n3,4,5\n', "x.csv")
    assert caught.value.row == 5
    assert 'ragged="pad"' in str(caught.value)


def test_ragged_pad_and_skip() -> None:
    """RELIABILITY 24: ragged rows are padded or skipped on request, and the note says how many and
    where the first was (failing, the default, is test_errors)."""
    data = b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n"
    padded = read_bytes(data, "x.csv", options={"ragged": "pad"})
    assert padded.column_names == ["a", "b", "c", "column_4"]
    assert padded.rows == [(1, 2, 3, None), (4, 5, None, None), (6, 7, 8, 9)]
    assert "2 ragged rows padded (first at line 3)" in padded.notes
    skipped = read_bytes(data, "x.csv", options={"ragged": "skip"})
    assert skipped.rows == [(1, 2, 3)]
    assert "2 ragged rows skipped (first at line 3)" in skipped.notes


def test_table_name_from_file_name() -> None:
    assert read_bytes(b"a\n1\n", "sales.csv").name == "sales"
    assert read_bytes(b"a\n1\n", "sales.csv", name="s").name == "s"


def test_too_many_columns() -> None:  # RELIABILITY 27
    data = (",".join(f"c{i}" for i in range(2001)) + "\n").encode()
    with pytest.raises(ReadError, match="2001 columns; at most 2000"):
        read_bytes(data, "x.csv")


def test_field_over_the_limit() -> None:  # RELIABILITY 27
    data = b'a,b\n1,2\n3,"' + b"x" * 500 + b'"\n'
    with pytest.raises(ReadError, match="larger than 100 characters") as caught:
        read_bytes(data, "x.csv", options={"max_field_bytes": 100})
    assert caught.value.row == 3


def test_unclosed_quote_is_an_error_not_a_giant_field() -> None:
    with pytest.raises(ReadError, match="starting at line 3 is never closed") as caught:
        read_bytes(b'a,b\n1,2\n3,"oops\n4,5\n6,7\n', "x.csv")
    assert caught.value.row == 3


def test_stray_quotes_are_tolerated() -> None:
    assert read_bytes(b'a,b\n1,5"\n2,"x"y\n', "x.csv").rows == [(1, '5"'), (2, "xy")]


def test_one_column_keeps_empty_cells() -> None:
    table = read_bytes(b"\nname\nAnn\n\nBob\n\n\n", "x.csv")
    assert table.rows == [("Ann",), (None,), ("Bob",)]


def test_blank_lines_between_rows_are_skipped() -> None:
    assert read_bytes(b"a,b\n\n1,2\n\n3,4\n", "x.csv").rows == [(1, 2), (3, 4)]


def test_cp1252_fallback_is_noted() -> None:
    table = read_bytes("name\nZürich\n".encode("cp1252"), "x.csv")
    assert table.rows == [("Zürich",)]
    assert any("Windows-1252" in note and "choose another encoding" in note for note in table.notes)


def test_read_file(tmp_path: Path) -> None:
    from loupe.read import read_file

    path = tmp_path / "Orders 2024.tsv"
    path.write_bytes(b"id\tqty\n1\t2\n")
    table = read_file(str(path))
    assert (table.name, table.source["format"], table.rows) == ("orders_2024", "tsv", [(1, 2)])
    with pytest.raises(ReadError, match="cannot open"):
        read_file(str(tmp_path / "missing.csv"))
    with pytest.raises(ReadError, match="cannot open"):
        read_file(str(tmp_path))


def test_source_is_json_able() -> None:
    table = read_bytes(b"a;b\n1,5;x\n", "x.csv")
    assert json.loads(json.dumps(table.source)) == {
        "format": "csv",
        "delimiter": ";",
        "header": True,
        "encoding": "utf-8",
        "quotechar": '"',
        "decimal": ",",
        "types": {"a": "float", "b": "text"},
        "choices": [],
    }


@pytest.mark.parametrize(
    "data",
    [
        b"a,b,c,d\n1,2.5,2024-01-02,true\nNA,,2024-01-03 10:00,false\n",
        b"a;b;c\n1,5;31.12.2024;007\n2;01.02.2024;x\n",
        b"when,n\n01/02/2024,9223372036854775808\n03/04/2024,1\n",
        b'n,x\n"1,234",12\n5,"1,000.5"\n',
    ],
)
def test_detected_types_sent_back_read_the_same(data: bytes) -> None:
    # The UI sends the detected types back as overrides when the user edits one of them.
    first = read_bytes(data, "x.csv")
    again = read_bytes(data, "x.csv", options={"types": first.source["types"]})
    assert (again.rows, again.source["types"]) == (first.rows, first.source["types"])


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (b"a,b\n1,2,\n3,4,\n", "an empty field after the last column on every row was ignored"),
        (b"a,b,\n1,2\n3,4\n", "an empty field after the last header name was ignored"),
    ],
)
def test_trailing_delimiters_are_not_ragged(data: bytes, note: str) -> None:
    table = read_bytes(data, "x.csv")
    assert table.column_names == ["a", "b"]
    assert table.rows == [(1, 2), (3, 4)]
    assert note in table.notes


def test_prose_with_semicolons_stays_one_column() -> None:
    table = read_bytes(b"note\nhello; world\nfoo; bar\n", "x.csv")
    assert table.column_names == ["note"]
    assert table.rows == [("hello; world",), ("foo; bar",)]


@pytest.mark.parametrize(
    "when",
    ["10/13/98", "1998 Q3"],  # a date Loupe reads, and a period it does not: the header is found alike
)
def test_header_is_found_whatever_the_date_columns_type(when: str) -> None:
    rows = "".join(f'"{i}","{when}","ABC"\n' for i in range(1, 6))
    table = read_bytes(f'"","polldate","pollster"\n{rows}'.encode(), "polls.csv")
    assert [c.name for c in table.columns][1:] == ["polldate", "pollster"]
    assert len(table.rows) == 5


def test_dates_as_real_files_write_them_sort_and_compare_as_dates() -> None:
    data = b"polldate,latest\n10/13/98,Jan 1 2000\n1/2/16,Mar 1 2010\n12/30/15,Sep 1 2009\n"
    table = read_bytes(data, "polls.csv")
    assert [(c.name, c.type) for c in table.columns] == [("polldate", "date"), ("latest", "date")]
    assert max(r[1] for r in table.rows) == "2010-03-01"
    assert [r[0] >= "2016-01-01" for r in table.rows] == [False, True, False]
    assert 'column "polldate": read as M/D/YY' in table.notes


@pytest.mark.parametrize("blank", ["", "\n\n"])
def test_unclosed_quote_is_reported_where_it_opened_not_at_the_field_limit(
    blank: str,
) -> None:  # RELIABILITY 25
    data = f'a,b\n1,x\n{blank}2,"open here\n'.encode() + b"more text, no quote\n" * 60000 + b"3,y\n"
    with pytest.raises(ReadError) as info:
        read_bytes(data, "x.csv", options={"max_field_bytes": 1 << 20})
    line = 3 + blank.count("\n")
    assert str(info.value).startswith(f"a quoted field starting at line {line} is never closed")
    assert info.value.row == line


def test_a_bom_file_is_queryable_by_its_first_column_name() -> None:
    """RELIABILITY 20: a UTF-8 BOM CSV, read whole or streamed into the engine, has a column `id`
    (not `\\ufeffid`) that a filter step finds by name."""
    data = "\ufeffid,name\n1,Ann\n2,Bob\n".encode()
    whole = Engine()
    whole.load(read_bytes(data, "bom.csv"))
    streamed = Engine()
    load_file(streamed, data, "bom.csv")
    for engine in (whole, streamed):
        assert [c.name for c in engine.schema("bom")] == ["id", "name"]
        assert engine.run([{"verb": "filter", "column": "id", "op": "==", "value": 2}], "bom").rows == [
            (2, "Bob")
        ]


# RELIABILITY 22: mixed CRLF/LF/CR line ends and quoted fields holding line ends and doubled quotes.
@pytest.mark.parametrize(
    "data",
    [
        b'a,b\r\n1,"x\r\ny"\n2,"say ""hi"""\r3,"multi\nline\rend"\r\n4,last',
        b'id,note\n1,"""quoted"" start"\r\n2,"a,b"\r3,plain\n4,"end ""q"""\r\n',
        b'k,v\r1,"\r\n"\r2,""""\n3,"\n\n"\r\n',
    ],
)
def test_rows_match_the_reference_parser(data: bytes) -> None:
    """Whole and streamed reads give the rows Python's csv module reads with newline="" (the
    reference parser), as many and with the same text."""
    reference = list(csv.reader(io.StringIO(data.decode(), newline="")))
    header, expected = reference[0], [tuple(row) for row in reference[1:]]
    table = read_bytes(data, "x.csv", options={"types": "text"})
    assert table.column_names == header
    assert table.rows == expected
    engine = Engine()
    info = load_file(engine, data, "x.csv", options={"types": "text"})
    assert info.row_count == len(expected)
    assert engine.execute(engine.query(info.name)).rows == expected


def test_a_million_columns_are_refused_before_any_work() -> None:
    """RELIABILITY 27: the width is checked as soon as the first record is split, before header
    sniffing, names or SQL: whole and streamed reads give the limit, not a ragged-row error."""
    header = ",".join(f"c{i}" for i in range(1_000_000))
    for data in ((header + "\n1\n").encode(), (header + "\n" + ",".join("1" * 1_000_000) + "\n").encode()):
        with pytest.raises(ReadError, match="the file has 1000000 columns; at most 2000 are supported"):
            read_bytes(data, "wide.csv")
        with pytest.raises(ReadError, match="the file has 1000000 columns; at most 2000 are supported"):
            load_file(Engine(), data, "wide.csv")


def test_a_nul_byte_deep_in_the_file_is_refused_with_where_it_is() -> None:
    """RELIABILITY 28 (policy: refused): a NUL inside a field of line 5002 gives a ReadError with the
    bytes around it, never csv's own error, whether the file is read whole or streamed."""
    data = b"a,b\n" + b"1,2\n" * 5000 + b"3,x\x00y\n4,5\n"
    for read in (lambda: read_bytes(data, "nul.csv"), lambda: load_file(Engine(), data, "nul.csv")):
        with pytest.raises(ReadError) as caught:
            read()
        assert str(caught.value).startswith("this does not look like a text table")
        assert caught.value.hint == "it contains NUL bytes: open a CSV, TSV, JSON, Excel or SQLite file"
        assert caught.value.snippet is not None and r"3,x\x00y" in caught.value.snippet  # shown escaped
