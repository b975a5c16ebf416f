"""Export rows (CSV, TSV, JSON, JSON Lines, XLSX) and pipelines (JSON, SQL; as Python: loupe.python_code).

Every writer is spreadsheet-safe by default (`safe=False` writes raw):
- CSV and TSV: a text cell starting with = + - @ tab CR LF (or the full-width ＝ ＋ － ＠) gets a
  leading apostrophe so a spreadsheet shows it instead of running it as a formula, and so does each part
  after a separator (`a;=1+1` opened by a semicolon-locale spreadsheet is two cells). `unguard_formula`
  undoes the guard exactly. (XLSX stores text as text, never a formula, so it needs no guard.)
- every format: a float is written at 15 significant digits (`tidy_float`), so a sum of two-decimal
  values is 65364.71, not its float noise 65364.70999999997. Raw writes the float's full repr.
JSON never contains NaN or Infinity (they become null); integers beyond 2^53 are written as their exact
digits.

>>> from loupe.table import Column
>>> to_csv((Column("a", "text"), Column("n", "float")), [("=1+1", 0.1 + 0.2), (None, None)])
"a,n\\r\\n'=1+1,0.3\\r\\n,\\r\\n"
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING

from loupe.errors import LoupeError
from loupe.pipeline import Pipeline
from loupe.sql import Query
from loupe.table import Column, Value

if TYPE_CHECKING:
    from loupe.write_xlsx import XlsxValue

Rows = Iterable[Sequence[Value]]
FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx")
# A spreadsheet runs a cell that starts with one of these as a formula (some fold the full-width forms to
# ASCII first). Apostrophes already leading a risky part are guarded too, so the guard stays reversible.
_RISKY_AT = re.compile("'*[=+\\-@\t\r\n\uff1d\uff0b\uff0d\uff20]")
# Where a spreadsheet may start a new cell inside an unquoted field: the separators locales and import
# dialogs use. The guard goes at the start of the text and after each of these.
_BOUNDARY = re.compile("^|(?<=[,;\t|])")
_SEPARATOR = re.compile("[,;\t|]")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
}


class ExportError(LoupeError):
    """An export could not be written (unknown format, value a format cannot hold)."""

    code = "export"


def format_for(path: str) -> str:
    """The export format implied by a file name's extension."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in _EXTENSIONS:
        raise ExportError(
            f"cannot tell the output format from {os.path.basename(path)!r}",
            hint="use one of: " + ", ".join(sorted(_EXTENSIONS)),
        )
    return _EXTENSIONS[ext]


# Decimal digits every double carries through text and back (C's DBL_DIG; also what a spreadsheet shows).
SIGNIFICANT_DIGITS = 15


def tidy_float(value: float) -> float:
    """The float at 15 significant digits: arithmetic noise in the 16th and 17th digit goes, and any
    number the source wrote with at most 15 digits (every price, measure or count) comes out as written.

    >>> tidy_float(65364.70999999997), tidy_float(0.1 + 0.2), tidy_float(1 / 3), tidy_float(-0.0)
    (65364.71, 0.3, 0.333333333333333, -0.0)
    """
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(value) else value


def _json_value(value: Value | dt.date | dt.time | bytes, safe: bool = True) -> Value:
    """A value JSON holds exactly: NaN and ±Infinity become null, dates and times ISO text, bytes hex
    (as the SQLite reader shows a BLOB); integers of any size stay exact digits; floats tidied if safe."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return tidy_float(value) if safe else value
    if isinstance(value, dt.date | dt.time):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _text(value: Value, safe: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        text = repr(value)
        # Fifteen characters hold at most 15 digits: already tidy (the usual price or measure).
        return text if not safe or len(text) <= SIGNIFICANT_DIGITS else repr(tidy_float(value))
    if isinstance(value, int):
        return str(value)
    return guard_formula(value) if safe else value


def guard_formula(text: str) -> str:
    """Text a spreadsheet shows as text: an apostrophe before each part that would start a formula.

    >>> guard_formula("=1+1"), guard_formula("a;=1+1"), guard_formula("-x"), guard_formula("a-b")
    ("'=1+1", "a;'=1+1", "'-x", 'a-b')
    """
    return _BOUNDARY.sub(lambda m: "'" if _RISKY_AT.match(text, m.start()) else "", text)


def unguard_formula(text: str) -> str:
    """The text guard_formula was given: `unguard_formula(guard_formula(s)) == s` for every string.

    >>> unguard_formula("a;'=1+1"), unguard_formula("'tis")
    ('a;=1+1', "'tis")
    """
    starts = [0, *(m.end() for m in _SEPARATOR.finditer(text))]
    guards = [i for i in starts if text.startswith("'", i) and _RISKY_AT.match(text, i + 1)]
    if not guards:
        return text
    pieces, last = [], 0
    for i in guards:
        pieces.append(text[last:i])
        last = i + 1
    pieces.append(text[last:])
    return "".join(pieces)


# Characters no common file system takes in a name (Windows is the strictest), and control characters.
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)


def file_name(stem: str, suffix: str, *, fallback: str = "export", limit: int = 100) -> str:
    """A download name built from data (a table or file name) that every file system accepts: unsafe
    characters become "_", no leading or trailing dots or spaces, no reserved device names.

    >>> file_name('<img src=x onerror="alert(1)">', ".csv"), file_name("../../etc/passwd", ".json")
    ('_img src=x onerror=_alert(1)_.csv', '_.._etc_passwd.json')
    """
    name = _UNSAFE_NAME.sub("_", stem).strip(" .")[:limit].strip(" .")
    if not name or name.lower().split(".")[0] in _RESERVED_NAMES:
        name = f"{fallback}_{name}" if name else fallback
    return name + suffix


# -- rows -----------------------------------------------------------------------------------------


def write_csv(
    out: IO[str],
    columns: Sequence[Column],
    rows: Rows,
    *,
    safe: bool = True,
    delimiter: str = ",",
    bom: bool = False,
) -> None:
    """Write a header and rows as CSV (RFC 4180 quoting, CRLF line ends); `bom` starts the text with a
    UTF-8 byte order mark, which Excel needs to read UTF-8 rather than the system's code page."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_text(c.name, safe) for c in columns])
    for row in rows:
        writer.writerow([_text(v, safe) for v in row])


def to_csv(
    columns: Sequence[Column], rows: Rows, *, safe: bool = True, delimiter: str = ",", bom: bool = False
) -> str:
    """CSV text; see write_csv."""
    buffer = io.StringIO()
    write_csv(buffer, columns, rows, safe=safe, delimiter=delimiter, bom=bom)
    return buffer.getvalue()


def write_jsonl(out: IO[str], columns: Sequence[Column], rows: Rows, *, safe: bool = True) -> None:
    """One JSON object per line, keys in column order."""
    names = [c.name for c in columns]
    for row in rows:
        record = {n: _json_value(v, safe) for n, v in zip(names, row, strict=True)}
        out.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")


def write_json(out: IO[str], columns: Sequence[Column], rows: Rows, *, safe: bool = True) -> None:
    """A JSON array of objects, one per row, written row by row (no whole-table string)."""
    names = [c.name for c in columns]
    out.write("[")
    for i, row in enumerate(rows):
        record = {n: _json_value(v, safe) for n, v in zip(names, row, strict=True)}
        out.write(("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False, allow_nan=False))
    out.write("\n]\n")


def to_json(columns: Sequence[Column], rows: Rows, *, safe: bool = True) -> str:
    buffer = io.StringIO()
    write_json(buffer, columns, rows, safe=safe)
    return buffer.getvalue()


def to_jsonl(columns: Sequence[Column], rows: Rows, *, safe: bool = True) -> str:
    buffer = io.StringIO()
    write_jsonl(buffer, columns, rows, safe=safe)
    return buffer.getvalue()


def _xlsx_value(value: Value, column: Column, safe: bool) -> XlsxValue:
    """A cell value for the workbook: text of a date or datetime column as that date (a spreadsheet
    date, sortable), floats tidied if safe, NaN and infinities empty."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return tidy_float(value) if safe else value
    if isinstance(value, str):
        try:
            if column.type == "date":
                return dt.date.fromisoformat(value)
            if column.type == "datetime":
                return dt.datetime.fromisoformat(value).replace(tzinfo=None)
        except ValueError:
            pass
    return value


def to_xlsx(columns: Sequence[Column], rows: Rows, *, sheet: str = "data", safe: bool = True) -> bytes:
    """An .xlsx workbook with one sheet (loupe.write_xlsx); text is always text, never a formula."""
    # Imported here: its xml.sax pulls in urllib.request, http.client and email, ~40 % of the worker's
    # start-up imports in Pyodide, for a format few exports use.
    from loupe.write_xlsx import workbook

    header = [c.name for c in columns]
    cells = ([_xlsx_value(v, c, safe) for v, c in zip(row, columns, strict=True)] for row in rows)
    return workbook(sheet, header, cells)


def write_file(
    path: str,
    columns: Sequence[Column],
    rows: Rows,
    *,
    fmt: str | None = None,
    safe: bool = True,
    bom: bool = False,
) -> str:
    """Write rows to `path` in `fmt` (default: from the extension); returns the format used. `safe`
    (the default) guards formulas in CSV and TSV and tidies floats; `bom` starts a CSV or TSV with one."""
    kind = fmt or format_for(path)
    if kind not in FORMATS:
        raise ExportError(f"unknown export format {kind!r}", hint="one of: " + ", ".join(FORMATS))
    if kind == "xlsx":
        name = os.path.splitext(os.path.basename(path))[0]
        data = to_xlsx(columns, rows, sheet=name, safe=safe)
        with open(path, "wb") as handle:
            handle.write(data)
        return kind
    with open(path, "w", encoding="utf-8", newline="") as out:
        if kind in ("csv", "tsv"):
            write_csv(out, columns, rows, safe=safe, delimiter="," if kind == "csv" else "\t", bom=bom)
        elif kind == "json":
            write_json(out, columns, rows, safe=safe)
        else:
            write_jsonl(out, columns, rows, safe=safe)
    return kind


# -- pipelines ------------------------------------------------------------------------------------


def pipeline_json(pipeline: Pipeline) -> str:
    """The pipeline as its versioned JSON spec (parse_pipeline reads it back)."""
    return json.dumps(pipeline.to_spec(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def sql_literal(value: Value) -> str:
    """A value written as a SQL literal, for showing a query to a person (never executed here)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "NULL"
    return "'" + value.replace("'", "''") + "'"


# Quoted identifiers and string literals are matched whole so a column named ":p0" stays intact.
_TOKENS = re.compile(r""""(?:[^"]|"")*"|'(?:[^']|'')*'|:(p\d+)\b""")


def pipeline_sql(query: Query) -> str:
    """The compiled query as one readable SQLite statement with the parameters written in."""

    def literal(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None or name not in query.params:
            return match.group(0)
        return sql_literal(query.params[name])

    body = _TOKENS.sub(literal, query.sql)
    return (
        "-- Loupe pipeline as SQLite SQL. Functions named loupe_* are Loupe's own\n"
        "-- (median, std, first/last, math); other databases need equivalents.\n" + body + ";\n"
    )


def rows_of(columns: Sequence[Column], rows: Iterable[Sequence[Value]]) -> list[dict[str, Value]]:
    """Rows as JSON-safe dicts keyed by column name."""
    names = [c.name for c in columns]
    return [{n: _json_value(v) for n, v in zip(names, r, strict=True)} for r in rows]
