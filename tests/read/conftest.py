"""Binary fixtures built on the fly: small workbooks and databases, never committed."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest


@pytest.fixture
def make_xlsx() -> Callable[..., bytes]:
    """Build a workbook: make_xlsx({"Sheet": [[...], ...]}) -> bytes."""
    openpyxl = pytest.importorskip("openpyxl")

    def make(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    return make


@pytest.fixture
def make_sqlite(tmp_path: Path) -> Callable[[str], bytes]:
    """Build a database from a SQL script and return its bytes."""

    def make(script: str) -> bytes:
        path = tmp_path / "fixture.sqlite"
        path.unlink(missing_ok=True)
        connection = sqlite3.connect(path)
        connection.executescript(script)
        connection.commit()
        connection.close()
        return path.read_bytes()

    return make
