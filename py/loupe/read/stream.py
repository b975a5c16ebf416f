"""Open a file straight into the engine: a large CSV is typed from its first rows, then parsed,
converted and inserted chunk by chunk, so its rows are never all in memory at once.

The answer is exactly what `read_bytes` + `Engine.load` give: the first PREFIX records go through
the same detection and inference code, and each later chunk is converted the way those columns
were (`infer.convert_like`). Whenever a later record could change a decision (another field
count, a value that does not fit the column's type, a quote error), the load is rolled back and
the whole file is read the ordinary way.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import os
from collections.abc import Iterator, Mapping

from loupe.engine import Engine
from loupe.errors import ReadError
from loupe.progress import report
from loupe.read import check_size, read_bytes
from loupe.read.decode import Decoded, decode
from loupe.read.delimited import Head, choose_delimiter, read_head, read_text
from loupe.read.detect import detect_format
from loupe.read.infer import SAMPLE, InferOptions, Inferred, Unlike, column_notes, convert_like, infer_column
from loupe.read.names import table_name
from loupe.read.options import ReadOptions, coerce_options
from loupe.read.tabulate import infer_options
from loupe.table import Column, Table, TableInfo, Value

PREFIX = 50_000  # records typed together, as a whole file would be; smaller files take that path
# Records parsed, converted and inserted at a time: few enough to stay in the CPU cache (50k ran
# twice as slow, natively and in Pyodide; 1-2k is the sweet spot).
CHUNK = 2_000
TEXT_CHUNK = 1 << 16  # characters handed to the CSV parser at a time


class _Reread(Exception):
    """Something past the first records needs the whole file at once (never leaves this module)."""


def load_file(
    engine: Engine,
    source: str | bytes,
    filename: str | None = None,
    *,
    name: str | None = None,
    options: ReadOptions | Mapping[str, object] | None = None,
    remove: bool = False,
) -> TableInfo:
    """Read a file (a path, or its bytes with `filename`) and load it into `engine` as one table.

    Same table, notes and errors as `read_bytes` then `engine.load`, with far less memory for a
    large CSV or TSV; other formats take that path. Without `name`, a database table or one of
    several sheets is named as itself, so two of them can be joined. `remove` deletes the file at
    `source` once read (a staged upload: no second copy in memory while loading).
    """
    opts = coerce_options(options)
    if isinstance(source, str):
        filename = filename or os.path.basename(source)
        try:
            data = _read_path(source, opts)
        finally:
            if remove:
                os.remove(source)
    else:
        data = source
    filename = filename or ""
    fmt = opts.format or (detect_format(data, filename) if data else "csv")
    if fmt not in ("csv", "tsv") or not data or len(data) > opts.max_bytes:
        table = read_bytes(data, filename, name=name, options=opts)
        part = table.source.get("table") or table.source.get("sheet")
        choices = table.source.get("choices")
        if name is None and part and isinstance(choices, list) and len(choices) > 1:
            table.name = str(part)
        return _load_table(engine, table)
    decoded = decode(data, opts.encoding)
    del data, source  # the text is all we need from here on
    name = name or table_name(filename)
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived lists and tuples that never form cycles
    try:
        try:
            return _stream(engine, decoded, filename, name, opts)
        except _Reread:
            table = read_text(decoded, filename, opts)
    finally:
        if collecting:
            gc.enable()
    table.name = name
    table.source.setdefault("format", fmt)
    table.source.setdefault("choices", [])
    return _load_table(engine, table)


def _read_path(path: str, options: ReadOptions) -> bytes:
    try:
        check_size(os.path.getsize(path), options)
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:  # missing, a directory, no permission...
        raise ReadError(f"cannot open {path!r}: {exc.strerror}", hint="check the path") from None


def _load_table(engine: Engine, table: Table) -> TableInfo:
    engine.load(table)
    return table.info()


def _stream(engine: Engine, decoded: Decoded, filename: str, name: str, options: ReadOptions) -> TableInfo:
    """Type the first records, insert them, then convert and insert the rest chunk by chunk."""
    delimiter = choose_delimiter(decoded.text, filename, options)
    previous = csv.field_size_limit(options.max_field_bytes)
    try:
        records = _records(decoded.text, delimiter, options.quotechar)
        first = _take(records, max(PREFIX, SAMPLE))  # the sample must be the same as the whole file's
        if len(first) < max(PREFIX, SAMPLE) or all(len(r) == 1 for r in first):
            raise _Reread  # small or one-column (blank lines are cells there): the whole-file path
        head = read_head(first, decoded, delimiter, options, one_column=False)
        if any(len(r) != head.width for r in first):
            raise _Reread  # ragged rows: the whole file decides how to report or fix them
        names = head.names(head.width)
        infer = infer_options(names, options, decimal=head.decimal)
        cells = list(zip(*first, strict=True))
        del first
        inferred = [infer_column(n, cells[j], infer) for j, n in enumerate(names)]
        del cells
        if any(i.plan is None for i in inferred):
            raise _Reread
        columns = tuple(Column(n, i.type) for n, i in zip(names, inferred, strict=True))
        count = [len(inferred[0].values)]
        batches = _batches(records, head, inferred, infer, count)
        engine.load_columns(name, columns, batches)
    finally:
        csv.field_size_limit(previous)
    return _info(name, columns, count[0], head, names, inferred, infer)


def _batches(
    records: Iterator[list[str]], head: Head, inferred: list[Inferred], infer: InferOptions, count: list[int]
) -> Iterator[list[list[Value]]]:
    """Columns to insert: the typed first records, then each later chunk converted alike."""
    first = [i.values for i in inferred]
    for i in inferred:
        i.values = []  # the engine holds them now; keep one copy
    yield first
    del first
    raw_width = head.width + 1 if head.trailing == "rows" else head.width
    while True:
        chunk = _take(records, CHUNK)
        if not chunk:
            return
        try:
            cells = list(zip(*chunk, strict=True))
        except ValueError:  # ragged rows: the whole file decides how to report or fix them
            raise _Reread from None
        del chunk
        if len(cells) != raw_width:
            raise _Reread
        if head.trailing == "rows" and any(cells.pop()):
            raise _Reread  # that last field was not empty everywhere after all
        try:
            values = [convert_like(i, c, infer) for i, c in zip(inferred, cells, strict=True)]
        except Unlike:
            raise _Reread from None
        del cells
        count[0] += len(values[0])
        yield values


def _info(
    name: str,
    columns: tuple[Column, ...],
    count: int,
    head: Head,
    names: list[str],
    inferred: list[Inferred],
    infer: InferOptions,
) -> TableInfo:
    """The notes and source `build_table` would have written for the whole file."""
    notes = head.notes
    comma = False
    for n, i in zip(names, inferred, strict=True):
        if not isinstance(i.plan, str) and i.plan is not None:
            notes.extend(column_notes(n, i.plan, i.markers, i.comma, [], infer))
        comma = comma or i.decimal_comma
    source = head.source
    source["decimal"] = "," if comma or head.decimal == "," else "."
    source["types"] = {c.name: c.type for c in columns}
    source.setdefault("choices", [])
    return TableInfo(name, columns, count, notes, source)


def _records(text: str, delimiter: str, quotechar: str) -> Iterator[list[str]]:
    """Records parsed strictly (a quote problem anywhere means the whole-file path reports it),
    from small slices of the text so no line list or wide copy of the whole text is ever made."""
    lines = itertools.chain.from_iterable(map(_slice_lines, _slices(text)))
    return csv.reader(lines, delimiter=delimiter, quotechar=quotechar, strict=True)


def _slices(text: str) -> Iterator[str]:
    """The text in ~TEXT_CHUNK pieces, each ending just after a "\n" (or at the end)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + TEXT_CHUNK) + 1 or len(text)
        yield text[start:end]
        report("reading", end / len(text))  # the page's busy line shows it as a percentage
        start = end


def _slice_lines(piece: str) -> io.StringIO:
    # newline="" splits lines as read_text's parser does: a piece ending in "\n" ends a line there.
    return io.StringIO(piece, newline="")


def _take(records: Iterator[list[str]], count: int) -> list[list[str]]:
    """The next `count` records, blank lines skipped as `parse_rows` does."""
    taken: list[list[str]] = []
    try:
        while len(taken) < count:
            batch = list(itertools.islice(records, count - len(taken)))
            if not batch:
                break
            taken.extend(filter(None, batch))
    except csv.Error:
        raise _Reread from None
    return taken
