"""Read a file into a typed Table: CSV/TSV, JSON, JSON Lines, Excel .xlsx and SQLite.

>>> table = read_bytes(b"id,when\\n1,2024-01-02\\n", "visits.csv")
>>> table.name, [(c.name, c.type) for c in table.columns], table.rows
('visits', [('id', 'integer'), ('when', 'date')], [(1, '2024-01-02')])
"""

from __future__ import annotations

import gc
import importlib
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from loupe.errors import ReadError
from loupe.read.detect import detect_format
from loupe.read.names import table_name
from loupe.read.options import ReadOptions, coerce_options
from loupe.table import Table

if TYPE_CHECKING:
    from loupe.read.stream import load_file

__all__ = ["ReadOptions", "load_file", "read_bytes", "read_file"]

Reader = Callable[[bytes, str, ReadOptions], Table]

# format -> "module:function"; imported on first use so start-up does not pay for openpyxl or json.
READERS: dict[str, str] = {
    "csv": "loupe.read.delimited:read_delimited",
    "tsv": "loupe.read.delimited:read_delimited",
    "json": "loupe.read.jsonfile:read_json",
    "jsonl": "loupe.read.jsonfile:read_json_lines",
    "xlsx": "loupe.read.xlsx:read_xlsx",
    "sqlite": "loupe.read.sqlite:read_sqlite",
}


def read_file(
    path: str,
    *,
    name: str | None = None,
    options: ReadOptions | Mapping[str, object] | None = None,
) -> Table:
    """Read the file at `path` (format from its extension and content) into a Table."""
    opts = coerce_options(options)
    try:
        check_size(os.path.getsize(path), opts)
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:  # missing, a directory, no permission...
        raise ReadError(f"cannot open {path!r}: {exc.strerror}", hint="check the path") from None
    return read_bytes(data, os.path.basename(path), name=name, options=opts)


def read_bytes(
    data: bytes,
    filename: str,
    *,
    name: str | None = None,
    options: ReadOptions | Mapping[str, object] | None = None,
) -> Table:
    """Read a file's bytes; `filename` gives the extension hint and the default table name."""
    opts = coerce_options(options)
    check_size(len(data), opts)
    if not data:
        raise ReadError("the file is empty", hint="open a file that has a header and some rows")
    fmt = opts.format or detect_format(data, filename)
    module_name, _, function = READERS[fmt].partition(":")
    reader: Reader = getattr(importlib.import_module(module_name), function)
    # Readers allocate millions of lists and tuples that never form cycles; pausing the cyclic
    # collector meanwhile makes a large read about twice as fast.
    collecting = gc.isenabled()
    gc.disable()
    try:
        table = reader(data, filename, opts)
    finally:
        if collecting:
            gc.enable()
    table.name = name or table_name(filename)
    table.source.setdefault("format", fmt)
    table.source.setdefault("choices", [])
    return table


def check_size(size: int, options: ReadOptions) -> None:
    """Refuse a file over the size limit before reading it."""
    if size > options.max_bytes:
        raise ReadError(
            f"the file is {size / 1e6:.0f} MB, over the {options.max_bytes / 1e6:.0f} MB limit",
            field="max_bytes",
            hint="open a smaller extract, or raise max_bytes if this device has the memory",
        )


def __getattr__(attribute: str) -> object:
    # load_file lives with the engine it fills; imported on first use (loupe.engine imports loupe.table).
    if attribute == "load_file":
        from loupe.read.stream import load_file

        return load_file
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")
