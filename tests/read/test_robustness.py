"""Whatever bytes arrive, reading either gives a Table or a ReadError: never another exception."""

from __future__ import annotations

import io
import sqlite3
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loupe.errors import ReadError
from loupe.read import read_bytes

FILENAMES = st.sampled_from(["x.csv", "x.tsv", "x.json", "x.jsonl", "x.xlsx", "x.sqlite", "x.txt", "x"])
# Text made of the characters that steer the readers, so the interesting paths are reached.
STEERING = st.text(alphabet=",;|\t\n\r\"'{}[]:0123456789.-+eE/ TtrufalsNA\\x\x00é", max_size=200)


def read_or_refuse(data: bytes, filename: str, options: dict[str, object]) -> None:
    try:
        table = read_bytes(data, filename, options=options)
    except ReadError as error:
        assert (error.message and error.hint is not None) or error.field is not None, error
        return
    assert len(table.column_names) == len(table.columns)
    assert all(len(row) == len(table.columns) for row in table.rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), FILENAMES)
def test_random_bytes(data: bytes, filename: str) -> None:
    read_or_refuse(data, filename, {})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    STEERING,
    FILENAMES,
    st.fixed_dictionaries(
        {},
        optional={
            "ragged": st.sampled_from(["fail", "pad", "skip"]),
            "header": st.booleans(),
            "types": st.sampled_from(["infer", "text"]),
            "skip_bad_lines": st.booleans(),
            "decimal": st.sampled_from([".", ","]),
        },
    ),
)
def test_steering_text(text: str, filename: str, options: dict[str, object]) -> None:
    read_or_refuse(text.encode("utf-8", "surrogatepass"), filename, options)


def _database() -> bytes:
    connection = sqlite3.connect(":memory:")
    connection.executescript(
        "CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y');"
        "CREATE VIEW v AS SELECT * FROM t;"
    )
    return connection.serialize()


def _workbook() -> bytes | None:
    try:
        import openpyxl
    except ImportError:
        return None
    workbook = openpyxl.Workbook()
    for row in (["a", "b", "c"], [1, 2.5, "x"], [2, None, "y"]):
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


DATABASE, WORKBOOK = _database(), _workbook()
FLIPS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4)


def flipped(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for at, value in flips:
        out[at % len(out)] = value
    return bytes(out)


@settings(max_examples=60, deadline=None)
@given(FLIPS)
def test_damaged_databases(flips: list[tuple[int, int]]) -> None:
    read_or_refuse(flipped(DATABASE, flips), "x.sqlite", {})


@pytest.mark.skipif(WORKBOOK is None, reason="openpyxl not installed")
@settings(max_examples=30, deadline=None)
@given(st.integers(0, 30), FLIPS)
def test_damaged_workbook_xml(member: int, flips: list[tuple[int, int]]) -> None:
    # Damage the XML inside a valid zip, so openpyxl's parsing is what gets tested.
    assert WORKBOOK is not None
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as src, zipfile.ZipFile(out, "w") as dst:
        items = src.infolist()
        for i, item in enumerate(items):
            content = src.read(item)
            dst.writestr(item.filename, flipped(content, flips) if i == member % len(items) else content)
    read_or_refuse(out.getvalue(), "x.xlsx", {})
