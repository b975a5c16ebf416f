"""Format detection: extension first for text formats, magic bytes always win, odd files named."""

from __future__ import annotations

import pytest
from loupe.errors import ReadError
from loupe.read.detect import detect_format


@pytest.mark.parametrize(
    ("data", "filename", "fmt"),
    [
        (b"a,b\n", "x.csv", "csv"),
        (b"a\tb\n", "x.TSV", "tsv"),
        (b"a\tb\n", "x.tab", "tsv"),
        (b"[1]", "x.json", "json"),
        (b'{"a": 1}\n', "x.ndjson", "jsonl"),
        (b"SQLite format 3\x00rest", "x.csv", "sqlite"),
        (b"PK\x03\x04rest", "x", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "x.xls", "xlsx"),
        (b'  [{"a": 1}]', "download", "json"),
        (b'{"a": 1}\n{"a": 2}\n', "download", "jsonl"),
        (b'{\n  "a": 1\n}', "download", "json"),
        (b"\xef\xbb\xbf[1]", "download", "json"),
        (b"a,b\n", "download", "csv"),
        (b"a,b\n", "x.txt", "csv"),
    ],
)
def test_detect(data: bytes, filename: str, fmt: str) -> None:
    assert detect_format(data, filename) == fmt


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4", "a PDF document"),
        (b"\x89PNG\r\n", "a PNG image"),
        (b"\x1f\x8b\x08", "gzip"),
        (b"PAR1", "Parquet"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "HTML or XML"),
        (b'\xef\xbb\xbf<?xml version="1.0"?><Workbook/>', "HTML or XML"),
    ],
)
def test_unsupported_binaries_are_named(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        detect_format(data, "report.xls")
