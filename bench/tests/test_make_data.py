"""The benchmark's CSV must be the same bytes every time and exercise the CSV quoting rules."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bench.make_data import CATEGORIES, HEADER, REGIONS, write


def test_same_bytes_for_the_same_row_count(tmp_path: Path) -> None:
    first = write(500, tmp_path / "a.csv").read_bytes()
    second = write(500, tmp_path / "b.csv").read_bytes()
    assert first == second


def test_columns_values_and_quoting(tmp_path: Path) -> None:
    text = write(300, tmp_path / "orders.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    body = rows[1:]
    assert [int(r[0]) for r in body] == list(range(1, 301))
    assert all(r[3] in CATEGORIES and r[4] in REGIONS for r in body)
    assert all(0 <= float(r[1]) <= 1000 and 1 <= int(r[2]) <= 20 for r in body)
    notes = [r[6] for r in body]
    assert any("," in n for n in notes) and any('"' in n for n in notes) and "" in notes
    assert '""rush""' in text  # quotes inside a field are doubled, so a naive split would break
