"""The bundled sample is deterministic and worth looking at: dates, numbers, categories and a few nulls."""

from __future__ import annotations

import csv
import io

from loupe.sample import COLUMNS, REGIONS, sample_csv


def test_same_seed_gives_identical_text_and_another_seed_does_not() -> None:
    assert sample_csv() == sample_csv()
    assert sample_csv(seed=1) != sample_csv()


def test_sample_has_two_years_of_rows_with_every_region_and_some_gaps() -> None:
    rows = list(csv.DictReader(io.StringIO(sample_csv())))
    assert tuple(rows[0]) == COLUMNS
    assert 3000 < len(rows) < 8000
    assert rows[0]["date"] == "2023-01-01"
    assert rows[-1]["date"] == "2024-12-31"
    assert {row["region"] for row in rows} == set(REGIONS)
    assert any(row["discount"] == "" for row in rows)
    assert any(row["channel"] == "" for row in rows)
    assert all(float(row["revenue"]) > 0 for row in rows)
