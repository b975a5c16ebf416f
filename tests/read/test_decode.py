"""Encodings: BOMs, UTF-16 with and without BOM, the noted Windows-1252 fallback, binaries refused."""

from __future__ import annotations

import pytest
from loupe.errors import ReadError
from loupe.read.decode import decode

TEXT = "name,city\nJosé,Zürich €\n"


@pytest.mark.parametrize(
    ("data", "codec", "label"),
    [
        (TEXT.encode("utf-8"), "utf-8", "UTF-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig", "UTF-8 with BOM"),
        (TEXT.encode("utf-16"), "utf-16", "UTF-16 LE with BOM"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16", "UTF-16 BE with BOM"),
        (TEXT.encode("utf-16-le"), "utf-16-le", "UTF-16 LE without BOM"),
        (TEXT.encode("utf-16-be"), "utf-16-be", "UTF-16 BE without BOM"),
        (TEXT.encode("utf-32"), "utf-32", "UTF-32 LE with BOM"),
        (TEXT.encode("cp1252"), "cp1252", "Windows-1252 (not UTF-8)"),
    ],
)
def test_detected(data: bytes, codec: str, label: str) -> None:
    decoded = decode(data)
    assert decoded.text == TEXT
    assert (decoded.encoding, decoded.label) == (codec, label)
    assert decoded.fallback == (codec == "cp1252")


def test_latin1_when_cp1252_cannot() -> None:
    decoded = decode(b"a\n\x81\xe9\n")  # 0x81 is undefined in cp1252
    assert decoded.encoding == "latin-1"
    assert decoded.text == "a\n\x81é\n"


def test_chosen_encoding() -> None:
    assert decode("é".encode("cp1252"), "cp1252").text == "é"
    assert decode(b"\xef\xbb\xbfa", "utf-8").text == "a"  # a BOM is never content


def test_chosen_encoding_that_does_not_fit_names_the_line() -> None:
    with pytest.raises(ReadError) as caught:
        decode(b"a\nb\n\xff\n", "utf-8")
    assert caught.value.row == 3
    assert "choose another encoding" in (caught.value.hint or "")


def test_unknown_encoding() -> None:
    with pytest.raises(ReadError, match="unknown encoding") as caught:
        decode(b"a", "utf-9")
    assert caught.value.field == "encoding"


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n\x00\x01\x02\x03",
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(ReadError, match="this does not look like a text table"):
        decode(data)


def test_one_bad_byte_in_utf8_is_replaced_and_located() -> None:  # RELIABILITY 21
    data = b"name\n" + "café\n".encode() * 1000 + b"caf\xe9\n"
    decoded = decode(data)
    assert decoded.encoding == "utf-8" and not decoded.fallback
    assert decoded.text.count("café") == 1000 and "caf\ufffd" in decoded.text
    assert decoded.label == "UTF-8, 1 invalid byte sequence shown as \ufffd, first at byte 6,008 (line 1,002)"


def test_a_file_really_in_cp1252_is_still_read_as_cp1252() -> None:
    decoded = decode("name\ncafé\n€ 3\n".encode("cp1252") + "naïve\n".encode())  # one UTF-8 word
    assert decoded.encoding == "cp1252" and decoded.text.startswith("name\ncafé\n€ 3")
