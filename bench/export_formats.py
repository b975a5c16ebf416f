"""Export time natively: the sample table repeated to N rows (default 100,000), written in each data
format, spreadsheet-safe (formula guard, floats at 15 digits) and raw; with openpyxl installed, also the
XLSX writer Loupe used before loupe.write_xlsx, for comparison.

    PYTHONPATH=py .venv/bin/python -m bench.export_formats [ROWS]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time

from loupe.engine import Engine
from loupe.export import FORMATS, write_file
from loupe.read import read_bytes
from loupe.sample import sample_csv


def main(count: int) -> None:
    header, *body = sample_csv().encode().splitlines()
    rows = (body * (count // len(body) + 1))[:count]
    engine = Engine()
    engine.load(read_bytes(b"\n".join([header, *rows]), "sales.csv"))
    result = engine.execute(engine.query("sales"))
    print(f"{len(result.rows):,} rows, {len(result.columns)} columns")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in FORMATS:
            for safe in (True, False):
                path = os.path.join(folder, f"out.{fmt}")
                start = time.perf_counter()
                write_file(path, result.columns, result.rows, fmt=fmt, safe=safe)
                took = time.perf_counter() - start
                size = os.path.getsize(path) / 1e6
                print(f"{fmt:6} {'safe' if safe else 'raw':4} {took:6.2f} s {size:6.1f} MB")
    try:
        from openpyxl import Workbook
    except ImportError:
        return
    start = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("sales")
    sheet.append([c.name for c in result.columns])
    for row in result.rows:
        sheet.append(list(row))
    book.save(io.BytesIO())
    print(f"xlsx via openpyxl (the writer before): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
