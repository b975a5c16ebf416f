"""Delimited text (CSV, TSV, semicolon, pipe) to a typed Table, saying what was detected."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from loupe.errors import ReadError
from loupe.read.decode import decode
from loupe.read.dialect import DELIMITER_NAMES, sniff_delimiter, sniff_header
from loupe.read.names import column_names, default_names
from loupe.read.options import ReadOptions
from loupe.read.tabulate import build_table, check_width
from loupe.table import Table

RAGGED_HINT = 'choose ragged="pad" or "skip" in the open options'


def parse_rows(
    text: str,
    delimiter: str = ",",
    quotechar: str = '"',
    max_field: int = 10 << 20,
) -> list[list[str]]:
    """Every non-blank record as raw strings, exactly as written (quotes removed, nothing inferred).

    >>> parse_rows("a,b\\n1,'x, y'\\n", quotechar="'")
    [['a', 'b'], ['1', 'x, y']]
    """
    reader = _reader(text, delimiter, quotechar)
    previous = csv.field_size_limit(max_field)
    try:
        return list(filter(None, reader))
    except csv.Error as exc:
        raise ReadError(
            f"cannot split the file into fields: {exc}",
            row=reader.line_num,
            hint=_csv_error_hint(str(exc)),
        ) from None
    finally:
        csv.field_size_limit(previous)


def read_delimited(data: bytes, filename: str, options: ReadOptions) -> Table:
    """Decode, sniff, split, check widths, infer types; every detection is noted and overridable."""
    decoded = decode(data, options.encoding)
    text = decoded.text
    if not text.strip():
        raise ReadError("the file is empty", hint="open a file that has a header and some rows")
    delimiter = options.delimiter or sniff_delimiter(text, filename, options.quotechar)
    records = parse_rows(text, delimiter, options.quotechar, options.max_field_bytes)
    if not records:
        raise ReadError("the file is empty", hint="open a file that has a header and some rows")
    header = options.header if options.header is not None else sniff_header(records[:200])
    notes = [
        f"encoding: {decoded.label}",
        f"delimiter: {DELIMITER_NAMES.get(delimiter, repr(delimiter))}",
    ]
    if decoded.fallback:
        notes[0] += "; if characters look wrong, choose another encoding"
    notes.append("first row is the header" if header else "no header row: columns numbered")

    raw_names = records[0] if header else []
    rows = records[1:] if header else records
    start = 2 if header else 1
    line_of = _line_finder(text, delimiter, options.quotechar)
    width = len(records[0])
    rows, width, ragged_notes = _fix_ragged(rows, width, options, lambda i: line_of(i + start - 1))
    notes.extend(ragged_notes)
    check_width(width)
    if header:
        names, name_notes = column_names([*raw_names, *[""] * (width - len(raw_names))])
        notes.extend(name_notes)
    else:
        names = default_names(width)
    source: dict[str, object] = {
        "format": "tsv" if delimiter == "\t" else "csv",
        "delimiter": delimiter,
        "header": header,
        "encoding": decoded.encoding,
        "quotechar": options.quotechar,
    }
    return build_table(
        names,
        rows,
        options,
        notes=notes,
        source=source,
        decimal_comma=_decimal_comma(options, delimiter),
        row_of=lambda i: line_of(i + start - 1),
    )


def _reader(text: str, delimiter: str, quotechar: str) -> Any:
    # newline="" keeps \r\n inside quoted fields and accepts \n, \r\n and \r line ends alike.
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quotechar)


def _decimal_comma(options: ReadOptions, delimiter: str) -> bool:
    if options.decimal is not None:
        return options.decimal == ","
    return delimiter != ","  # "1,5" in a semicolon or tab file is a decimal comma


def _fix_ragged(
    rows: list[list[str]], width: int, options: ReadOptions, line_of: Callable[[int], int]
) -> tuple[list[list[str]], int, list[str]]:
    """Rows whose field count differs from the first row: fail (default), pad, or skip; noted."""
    if set(map(len, rows)) <= {width}:
        return rows, width, []
    bad = [i for i, r in enumerate(rows) if len(r) != width]
    first = bad[0]
    count = len(bad)
    where = f"first at line {line_of(first)}"
    if options.ragged == "fail":
        plural = "rows have" if count > 1 else "row has"
        raise ReadError(
            f"{count} {plural} a different number of fields than the first row ({width}); "
            f"line {line_of(first)} has {len(rows[first])}",
            row=line_of(first),
            hint=RAGGED_HINT,
        )
    if options.ragged == "skip":
        kept = [r for r in rows if len(r) == width]
        return kept, width, [f"{count} ragged row{'s' if count > 1 else ''} skipped ({where})"]
    longest = max(width, *(len(rows[i]) for i in bad))
    for i in bad:
        rows[i] = rows[i] + [""] * (longest - len(rows[i]))
    notes = [f"{count} ragged row{'s' if count > 1 else ''} padded ({where})"]
    if longest > width:
        notes.append(f"{longest - width} column(s) added for rows longer than the first row")
    for i, r in enumerate(rows):
        if len(r) < longest:
            rows[i] = r + [""] * (longest - len(r))
    return rows, longest, notes


def _line_finder(text: str, delimiter: str, quotechar: str) -> Callable[[int], int]:
    """Map a record index (blank lines skipped) to its 1-based first line; computed on first use."""
    starts: list[int] = []

    def line_of(index: int) -> int:
        if not starts:
            reader = _reader(text, delimiter, quotechar)
            previous = 0
            try:
                for record in reader:
                    if record:
                        starts.append(previous + 1)
                    previous = reader.line_num
            except csv.Error:
                pass
        return starts[index] if 0 <= index < len(starts) else index + 1

    return line_of


def _csv_error_hint(message: str) -> str:
    if "field larger" in message:
        return "a field exceeds the size limit: check the quote character or raise max_field_bytes"
    return "check the delimiter and quote character in the open options"
