"""Open a file straight into the engine: a large CSV is decoded slice by slice from the file,
typed from its first rows, then parsed, converted and inserted chunk by chunk, so neither its bytes,
its text nor its rows are ever all in memory at once.

The answer is exactly what `read_bytes` + `Engine.load` give: the first PREFIX records go through
the same detection and inference code, and each later chunk is converted the way those columns
were (`infer.convert_like`). Whenever a later record could change a decision (another field
count, a value that does not fit the column's type, a quote error), the load is rolled back and
the whole file is read the ordinary way.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import itertools
import os
from collections.abc import Iterator, Mapping

from loupe.engine import Engine
from loupe.read import check_size, read_bytes
from loupe.read.decode import Codec, Decoded, codec_for_head, decode
from loupe.read.delimited import Head, choose_delimiter, read_head, read_text
from loupe.read.detect import detect_format
from loupe.read.infer import SAMPLE, InferOptions, Inferred, Unlike, column_notes, convert_like, infer_column
from loupe.read.names import table_name
from loupe.read.options import ReadOptions, coerce_options
from loupe.read.slices import SlicedFile
from loupe.read.tabulate import infer_options
from loupe.table import Column, Table, TableInfo, Value

PREFIX = 50_000  # records typed together, as a whole file would be; smaller files take that path
# Records parsed, converted and inserted at a time: few enough to stay in the CPU cache (50k ran
# twice as slow, natively and in Pyodide; 1-2k is the sweet spot).
CHUNK = 2_000


class _Reread(Exception):
    """Something past the first records needs the whole file at once (never leaves this module)."""


def load_file(
    engine: Engine,
    source: str | bytes | SlicedFile,
    filename: str | None = None,
    *,
    name: str | None = None,
    options: ReadOptions | Mapping[str, object] | None = None,
    remove: bool = False,
) -> TableInfo:
    """Read a file (a path, its bytes with `filename`, or a SlicedFile) into `engine` as one table.

    Same table, notes and errors as `read_bytes` then `engine.load`, with far less memory for a
    large CSV or TSV: it is decoded and parsed slice by slice from the file, never held whole.
    Other formats are read whole. Without `name`, a database table or one of several sheets is
    named as itself, so two of them can be joined. `remove` deletes the file at `source` once read.
    """
    opts = coerce_options(options)
    file = source if isinstance(source, SlicedFile) else SlicedFile(source)
    if file.path is not None:
        filename = filename or os.path.basename(file.path)
    try:
        return _load(engine, file, filename or "", name, opts)
    finally:
        if remove and file.path is not None:
            os.remove(file.path)


def _load(engine: Engine, file: SlicedFile, filename: str, name: str | None, opts: ReadOptions) -> TableInfo:
    check_size(file.size, opts)
    head = file.head()
    fmt = opts.format or (detect_format(head, filename) if head else "csv")
    codec = codec_for_head(head, opts.encoding) if fmt in ("csv", "tsv") and head else None
    if codec is None:
        return _load_whole(engine, file, filename, name, opts)
    name = name or table_name(filename)
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived lists and tuples that never form cycles
    try:
        try:
            return _stream(engine, _texts(file.slices(), codec), codec, filename, name, opts)
        except _Reread:
            table = read_text(decode(file.read_all(), opts.encoding), filename, opts)
    finally:
        if collecting:
            gc.enable()
    table.name = name
    table.source.setdefault("format", fmt)
    table.source.setdefault("choices", [])
    return _load_table(engine, table)


def _load_whole(
    engine: Engine, file: SlicedFile, filename: str, name: str | None, opts: ReadOptions
) -> TableInfo:
    """Formats read from the whole file (SQLite, Excel, JSON) and text only the whole file decodes."""
    table = read_bytes(file.read_all(), filename, name=name, options=opts)
    part = table.source.get("table") or table.source.get("sheet")
    choices = table.source.get("choices")
    if name is None and part and isinstance(choices, list) and len(choices) > 1:
        table.name = str(part)
    return _load_table(engine, table)


def _texts(slices: Iterator[bytes], codec: Codec) -> Iterator[str]:
    """The file's text in pieces that end just after a "\n" (or at the end), decoded slice by slice;
    a slice `decode` would judge differently (a NUL, a bad byte) means the whole-file path."""
    decoder = codecs.getincrementaldecoder(codec.encoding)(errors="strict")
    pending: list[str] = []  # the unfinished line, in parts (a file with no "\n" is one line)
    try:
        for piece in slices:
            if codec.no_nul and b"\x00" in piece:
                raise _Reread
            text = decoder.decode(piece)
            cut = text.rfind("\n") + 1
            if cut:
                yield "".join([*pending, text[:cut]])
                pending = [text[cut:]]
            else:
                pending.append(text)
        pending.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise _Reread from None
    rest = "".join(pending)
    if rest:
        yield rest


def _load_table(engine: Engine, table: Table) -> TableInfo:
    engine.load(table)
    return table.info()


def _stream(
    engine: Engine, texts: Iterator[str], codec: Codec, filename: str, name: str, options: ReadOptions
) -> TableInfo:
    """Type the first records, insert them, then convert and insert the rest chunk by chunk."""
    first_text = next(texts, "")
    if not first_text.strip():
        raise _Reread  # empty, or blank for a whole slice: the whole-file path says which
    # The first piece stands for the whole text wherever only its start matters (sniffing, notes).
    decoded = Decoded(first_text, codec.encoding, codec.label)
    delimiter = choose_delimiter(first_text, filename, options)
    previous = csv.field_size_limit(options.max_field_bytes)
    try:
        records = _records(itertools.chain([first_text], texts), delimiter, options.quotechar)
        first = _take(records, max(PREFIX, SAMPLE))  # the sample must be the same as the whole file's
        if len(first) < max(PREFIX, SAMPLE) or all(len(r) == 1 for r in first):
            raise _Reread  # small or one-column (blank lines are cells there): the whole-file path
        head = read_head(first, decoded, delimiter, options, one_column=False)
        if set(map(len, first)) != {head.width}:  # C-level: no Python step per record
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


def _records(texts: Iterator[str], delimiter: str, quotechar: str) -> Iterator[list[str]]:
    """Records parsed strictly (a quote problem anywhere means the whole-file path reports it),
    from pieces of the text so no line list or wide copy of the whole text is ever made."""
    lines = itertools.chain.from_iterable(map(_slice_lines, texts))
    return csv.reader(lines, delimiter=delimiter, quotechar=quotechar, strict=True)


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
