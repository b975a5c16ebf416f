"""Delimited text (CSV, TSV, semicolon, pipe) to a typed Table, saying what was detected."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loupe.errors import ReadError
from loupe.read.decode import Decoded, decode
from loupe.read.dialect import DELIMITER_NAMES, sniff_delimiter, sniff_header, sniff_preamble
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
    *,
    keep_blank: bool = False,
) -> list[list[str]]:
    """Every record as raw strings, exactly as written (quotes removed, nothing inferred).

    Blank lines are skipped unless `keep_blank` (in a one-column file they are empty cells); leading
    and trailing blank lines are dropped either way. A quote left open to the end of the file is an
    error, not one giant field.

    >>> parse_rows("a,b\\n1,'x, y'\\n", quotechar="'")
    [['a', 'b'], ['1', 'x, y']]
    """
    previous = csv.field_size_limit(max_field)
    try:
        try:
            records = _parse(text, delimiter, quotechar, strict=True)
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise _unclosed(text, delimiter, quotechar) from None
            if "field larger" in str(exc):
                raise _too_large(text, delimiter, quotechar, max_field) from None
            # Tolerate stray quotes inside fields (1,"x"y,2), as spreadsheets do.
            records = _parse(text, delimiter, quotechar, strict=False)
    finally:
        csv.field_size_limit(previous)
    if not keep_blank:
        return list(filter(None, records))
    while records and not records[-1]:
        records.pop()
    first = next((i for i, r in enumerate(records) if r), len(records))
    return [r or [""] for r in records[first:]]


def _parse(text: str, delimiter: str, quotechar: str, *, strict: bool) -> list[list[str]]:
    return list(_reader(text, delimiter, quotechar, strict=strict))


def _unclosed(text: str, delimiter: str, quotechar: str) -> ReadError:
    starts = _record_starts(text, delimiter, quotechar)
    line = starts[-1] if starts else 1
    lines = text.splitlines()
    return ReadError(
        f"a quoted field starting at line {line} is never closed",
        row=line,
        snippet=lines[line - 1][:80] if line <= len(lines) else None,
        hint="add the missing closing quote, or choose another quote character",
    )


def _too_large(text: str, delimiter: str, quotechar: str, limit: int) -> ReadError:
    """A field over the limit; when its quote is never closed, say so at the line the record starts
    (where the quote opened), not where the limit tripped 10 MB later."""
    reader = _reader(text, delimiter, quotechar)
    ended = 0  # the last line of the last whole record
    try:
        for _ in reader:
            ended = reader.line_num
    except csv.Error:
        pass
    start = _offset_of_line(text, ended + 1)
    if text.count(quotechar, start) % 2:  # an odd number of quotes from there on: one never closes
        line, at = ended + 1, start
        while at < len(text) and text[at] in "\r\n":  # blank lines before the record
            line += text[at] == "\n"
            at += 1
        return ReadError(
            f"a quoted field starting at line {line} is never closed",
            row=line,
            snippet=text[at : at + 80].split("\n")[0],
            hint="add the missing closing quote, or choose another quote character",
        )
    return ReadError(
        f"a field is larger than {f'{limit >> 20} MB' if limit >= 1 << 20 else f'{limit} characters'}",
        row=reader.line_num,
        hint="check the quote character and delimiter, or raise max_field_bytes",
    )


def _offset_of_line(text: str, line: int) -> int:
    """Where 1-based `line` starts (a slow pass, for messages only)."""
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return len(text)
    return at


def read_delimited(data: bytes, filename: str, options: ReadOptions) -> Table:
    """Decode, sniff, split, check widths, infer types; every detection is noted and overridable."""
    return read_text(decode(data, options.encoding), filename, options)


def read_text(decoded: Decoded, filename: str, options: ReadOptions) -> Table:
    """`read_delimited` after decoding: the whole file's records at once."""
    text = decoded.text
    delimiter = choose_delimiter(text, filename, options)
    records = parse_rows(text, delimiter, options.quotechar, options.max_field_bytes)
    if not records:
        raise ReadError("the file is empty", hint="open a file that has a header and some rows")
    one_column = all(len(r) == 1 for r in records)
    if one_column:  # a blank line is then an empty cell, not a gap
        records = parse_rows(text, delimiter, options.quotechar, options.max_field_bytes, keep_blank=True)
    head = read_head(records, decoded, delimiter, options, one_column=one_column)
    rows = records
    del records  # build_table empties `rows` after transposing; nothing else may hold them
    line_of = _line_finder(text, delimiter, options.quotechar, keep_blank=one_column)
    rows, width, ragged_notes = _fix_ragged(rows, head.width, options, lambda i: line_of(i + head.start - 1))
    head.notes.extend(ragged_notes)
    names = head.names(width)
    return build_table(
        names,
        rows,
        options,
        notes=head.notes,
        source=head.source,
        decimal=head.decimal,
        row_of=lambda i: line_of(i + head.start - 1),
    )


def choose_delimiter(text: str, filename: str, options: ReadOptions) -> str:
    """The chosen or sniffed delimiter; an empty file is an error."""
    if not text.strip():
        raise ReadError("the file is empty", hint="open a file that has a header and some rows")
    return options.delimiter or sniff_delimiter(
        text, filename, options.quotechar, tab_first=options.format == "tsv"
    )


@dataclass
class Head:
    """What the first records decide: notes so far, header names, row width, the table's source."""

    notes: list[str]
    raw_names: list[str]
    header: bool
    width: int  # fields in a data row, after dropping an empty trailing field
    trailing: str | None  # "rows": every data row ends in an empty extra field; "header": the header
    start: int  # the line number of the first data record if there are no multi-line records
    source: dict[str, object]
    decimal: str

    def names(self, width: int) -> list[str]:
        """Column names for rows `width` fields wide (wider than the header if rows were padded)."""
        check_width(width)
        if not self.header:
            return default_names(width)
        names, notes = column_names([*self.raw_names, *[""] * (width - len(self.raw_names))])
        self.notes.extend(notes)
        return names


def read_head(
    records: list[list[str]], decoded: Decoded, delimiter: str, options: ReadOptions, *, one_column: bool
) -> Head:
    """Drop title lines and the header from `records` (in place) and note what was detected."""
    notes = [
        f"encoding: {decoded.label}",
        f"delimiter: {DELIMITER_NAMES.get(delimiter, repr(delimiter))}",
    ]
    if decoded.fallback:
        notes[0] += "; if characters look wrong, choose another encoding"
    skipped = sniff_preamble(records)
    if skipped:
        first_line = _line_finder(decoded.text, delimiter, options.quotechar)(skipped)
        notes.append(f"{first_line - 1} line{'s' if first_line > 2 else ''} above the table skipped")
        del records[:skipped]
    # Before anything looks at every field (header sniffing, names, SQL): a million-column file is
    # refused here in a moment, not after minutes of work (RELIABILITY 27).
    check_width(len(records[0]))
    header = options.header if options.header is not None else sniff_header(records[:200])
    notes.append("first row is the header" if header else "no header row: columns numbered")
    trailing = _trailing_delimiters(records, header)
    if trailing:
        notes.append(TRAILING_NOTES[trailing])
    width = len(records[0])
    raw_names = records.pop(0) if header else []  # pop, not a slice: one list of rows, not two
    source: dict[str, object] = {
        "format": "tsv" if delimiter == "\t" else "csv",
        "delimiter": delimiter,
        "header": header,
        "encoding": decoded.encoding,
        "quotechar": options.quotechar,
    }
    decimal = options.decimal or ("either" if delimiter != "," else ".")
    start = (2 if header else 1) + skipped
    return Head(notes, raw_names, header, width, trailing, start, source, decimal)


def _reader(text: str, delimiter: str, quotechar: str, *, strict: bool = False) -> Any:
    # newline="" keeps \r\n inside quoted fields and accepts \n, \r\n and \r line ends alike.
    stream = io.StringIO(text, newline="")
    return csv.reader(stream, delimiter=delimiter, quotechar=quotechar, strict=strict)


TRAILING_NOTES = {
    "rows": "an empty field after the last column on every row was ignored",
    "header": "an empty field after the last header name was ignored",
}


def _trailing_delimiters(records: list[list[str]], header: bool) -> str | None:
    """Drop the empty last field that some exporters add to every data row ("1,2,3," under "a,b,c"),
    or to the header only ("a,b,c," over "1,2,3"): harmless, but it would make every row ragged."""
    if len(records) < 2:
        return None
    first, rest = records[0], records[1:]
    width = len(first)
    if all(len(r) == width + 1 and r[-1] == "" for r in rest):
        for r in rest:
            r.pop()
        return "rows"
    if header and first[-1].strip() == "" and all(len(r) == width - 1 for r in rest):
        first.pop()
        return "header"
    return None


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
    for i, r in enumerate(rows):  # empty cells read as null
        if len(r) < longest:
            rows[i] = r + [""] * (longest - len(r))
    notes = [f"{count} ragged row{'s' if count > 1 else ''} padded ({where})"]
    if longest > width:
        notes.append(f"{longest - width} column(s) added for rows longer than the first row")
    return rows, longest, notes


def _line_finder(
    text: str, delimiter: str, quotechar: str, *, keep_blank: bool = False
) -> Callable[[int], int]:
    """Map a record index (as parse_rows counts) to its 1-based first line, computed on first use."""
    starts: list[int] = []

    def line_of(index: int) -> int:
        if not starts:
            starts.extend(_record_starts(text, delimiter, quotechar, keep_blank=keep_blank))
        return starts[index] if 0 <= index < len(starts) else index + 1

    return line_of


def _record_starts(text: str, delimiter: str, quotechar: str, *, keep_blank: bool = False) -> list[int]:
    """The first line of every record parse_rows keeps (a slow pass, for messages only)."""
    reader = _reader(text, delimiter, quotechar)
    starts: list[int] = []
    last_kept = 0
    previous = 0
    try:
        for record in reader:
            if record or (keep_blank and starts):
                starts.append(previous + 1)
            if record:
                last_kept = len(starts)
            previous = reader.line_num
    except csv.Error:
        pass
    return starts[:last_kept]
