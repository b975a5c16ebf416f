"""Properties: whatever Python's csv module writes, the reader gives back unchanged (raw mode)."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.read import read_bytes
from loupe.read.delimited import parse_rows

# Any Unicode except NUL and lone surrogates (which cannot be encoded as UTF-8 at all).
cells = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda width: st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=8)
)


def write(rows: list[list[str]], delimiter: str = ",", lineterminator: str = "\r\n") -> str:
    out = io.StringIO(newline="")
    # With a bare "\n" terminator csv leaves a lone "\r" unquoted (ambiguous even to csv itself),
    # so that case quotes every field.
    quoting = csv.QUOTE_MINIMAL if lineterminator == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(tables, st.sampled_from([",", "\t", ";", "|"]), st.sampled_from(["\r\n", "\n"]))
def test_parse_rows_round_trips(rows: list[list[str]], delimiter: str, end: str) -> None:
    assert parse_rows(write(rows, delimiter, end), delimiter) == rows


@settings(max_examples=100, deadline=None)
@given(tables)
def test_read_bytes_text_mode_round_trips(rows: list[list[str]]) -> None:
    header = [f"c{i}" for i in range(len(rows[0]))]
    data = write([header, *rows]).encode("utf-8")
    table = read_bytes(data, "x.csv", options={"types": "text", "delimiter": ",", "header": True})
    # csv writes a lone empty cell as "" (not a blank line), so even one-column tables survive.
    expected = [tuple(None if c == "" else c for c in r) for r in rows]
    assert table.column_names == header
    assert table.rows == expected
