"""Bytes to text: find the encoding (BOM, UTF-8, UTF-16, noted cp1252 fallback); refuse binaries."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from loupe.errors import ReadError

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE with BOM"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE with BOM"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE with BOM"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE with BOM"),
)
_NOT_TEXT = "this does not look like a text table"
# C0 control characters that never appear in text tables (tab, LF, CR, FF are fine).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True)
class Decoded:
    """Text plus how it was decoded: `encoding` is a codec name, `label` a phrase for the notes."""

    text: str
    encoding: str
    label: str
    fallback: bool = False


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a text table; with `encoding` None, detect it and say how.

    >>> decode(b"\\xef\\xbb\\xbfa,b\\n").label
    'UTF-8 with BOM'
    """
    if encoding is not None:
        return _decode_as(data, encoding)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, codec, label), codec, label)
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        codec, label = utf16
        return Decoded(_strict(data, codec, label), codec, label)
    if b"\x00" in data:
        raise ReadError(
            _NOT_TEXT,
            hint="it contains NUL bytes: open a CSV, TSV, JSON, Excel or SQLite file",
            snippet=_first_bad(data, b"\x00"),
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "UTF-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    if _control_ratio(data) > 0.01:
        raise ReadError(_NOT_TEXT, hint="it is neither UTF-8 text nor a known table format")
    try:
        return Decoded(data.decode("cp1252"), "cp1252", "Windows-1252 (not UTF-8)", fallback=True)
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        return Decoded(data.decode("latin-1"), "latin-1", "Latin-1 (not UTF-8)", fallback=True)


@dataclass(frozen=True)
class Codec:
    """How a file that starts with a given head decodes, as `decode` would decide for the whole file,
    provided every later slice decodes strictly (and, where `no_nul`, holds no NUL byte)."""

    encoding: str
    label: str
    no_nul: bool = False


def codec_for_head(head: bytes, encoding: str | None = None) -> Codec | None:
    """The codec `decode` picks, judged from the head alone; None when only the whole file can tell
    (NUL bytes, text that is not UTF-8: `decode` then explains or falls back).

    >>> codec_for_head(b"\\xef\\xbb\\xbfa,b\\n").label, codec_for_head(b"a,b\\n").no_nul
    ('UTF-8 with BOM', True)
    """
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            return None  # `decode` says which encodings exist
        return Codec("utf-8-sig" if info.name == "utf-8" else info.name, f"{encoding} (as chosen)")
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            return Codec(codec, label)
    utf16 = _bomless_utf16(head)
    if utf16 is not None:
        return Codec(*utf16)
    if b"\x00" in head:
        return None
    return Codec("utf-8", "UTF-8", no_nul=True)


SHOWN = 3  # bad sequences located in the note


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes (more good non-ASCII characters than bad sequences): decoded with
    U+FFFD for each bad sequence, the first few located by byte offset and line; else None (the
    file is in another encoding, whose bytes are seldom valid UTF-8)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    if good <= bad:
        return None
    places: list[str] = []
    at = 0
    while len(places) < SHOWN:
        try:
            data[at:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            offset = at + exc.start
            line = data.count(b"\n", 0, offset) + 1
            places.append(f"byte {offset:,} (line {line:,})")
            at += exc.end
    more = f", first at {', '.join(places)}" if places else ""
    what = f"{bad:,} invalid byte sequence{'s' if bad != 1 else ''}"
    return Decoded(text, "utf-8", f"UTF-8, {what} shown as \ufffd{more}")


def _decode_as(data: bytes, encoding: str) -> Decoded:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ReadError(
            f"unknown encoding {encoding!r}",
            field="encoding",
            hint='try "utf-8", "utf-16", "cp1252" or "latin-1"',
        ) from None
    codec = "utf-8-sig" if info.name == "utf-8" else info.name  # a BOM is never content
    return Decoded(_strict(data, codec, encoding), codec, f"{encoding} (as chosen)")


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(
            f"the file is not valid {label}",
            row=line,
            snippet=repr(data[max(0, exc.start - 10) : exc.end + 10])[2:-1],
            hint="choose another encoding in the open options (e.g. cp1252 or latin-1)",
        ) from None


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    half = len(head) // 2
    if odd.count(0) > 0.4 * half and even.count(0) == 0:
        return "utf-16-le", "UTF-16 LE without BOM"
    if even.count(0) > 0.4 * half and odd.count(0) == 0:
        return "utf-16-be", "UTF-16 BE without BOM"
    return None


def _control_ratio(data: bytes) -> float:
    head = data[:65536]
    if not head:
        return 0.0
    return (len(head) - len(head.translate(None, _CONTROL))) / len(head)


def _first_bad(data: bytes, byte: bytes) -> str:
    at = data.find(byte)
    return repr(data[max(0, at - 8) : at + 8])[2:-1]
