"""Which format a file is: magic bytes, then the extension, then a look at the text."""

from __future__ import annotations

from loupe.errors import ReadError

EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".geojson": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SQLITE_MAGIC = b"SQLite format 3\x00"
_UNSUPPORTED = (  # magic -> what it is
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive (unzip it first)"),
    (b"PAR1", "a Parquet file"),
)


def detect_format(data: bytes, filename: str) -> str:
    """'csv', 'tsv', 'json', 'jsonl', 'xlsx' or 'sqlite'; magic bytes beat a misleading extension.

    >>> detect_format(b"SQLite format 3\\x00...", "export.csv"), detect_format(b"a,b", "x.tsv")
    ('sqlite', 'tsv')
    """
    if data.startswith(SQLITE_MAGIC):
        return "sqlite"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xlsx"  # the xlsx reader explains legacy .xls and encrypted workbooks
    for magic, what in _UNSUPPORTED:
        if data.startswith(magic):
            raise ReadError(
                f"this looks like {what}, not a table",
                hint="open a CSV, TSV, JSON, JSON Lines, Excel (.xlsx) or SQLite file",
            )
    lower = filename.lower()
    dot = lower.rfind(".")
    by_extension = EXTENSIONS.get(lower[dot:]) if dot >= 0 else None
    if by_extension in ("csv", "tsv", "json", "jsonl"):
        return by_extension
    if by_extension in ("xlsx", "sqlite"):
        what = "an Excel workbook" if by_extension == "xlsx" else "a SQLite database"
        raise ReadError(
            f"{filename!r} is named like {what} but its content is not one",
            hint="the file may be damaged or renamed; export it again",
        )
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] == b"<":  # websites export HTML tables (and Excel 2003 XML) named .xls
        raise ReadError(
            "this looks like an HTML or XML document, not a table file",
            hint="open it in a spreadsheet program and save it as .xlsx or CSV",
        )
    if head[:1] in (b"{", b"["):
        return "jsonl" if head[:1] == b"{" and _looks_like_lines(data) else "json"
    return "csv"


def _looks_like_lines(data: bytes) -> bool:
    """One {...} per line, not one object: line 1 ends with } and line 2 starts with {."""
    first, _, rest = data[:65536].partition(b"\n")
    return first.rstrip().endswith(b"}") and rest.lstrip().startswith(b"{")
