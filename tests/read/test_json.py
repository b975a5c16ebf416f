"""JSON and JSON Lines: where the records are, flattening, typed columns, bad lines."""

from __future__ import annotations

import json

import pytest
from loupe.errors import ReadError
from loupe.read import read_bytes
from loupe.table import Table


def read_json(document: object, filename: str = "x.json", **options: object) -> Table:
    return read_bytes(json.dumps(document).encode(), filename, options=options)


@pytest.mark.parametrize(
    ("document", "names", "rows", "note"),
    [
        ([{"a": 1}, {"a": 2, "b": "x"}], ["a", "b"], [(1, None), (2, "x")], None),
        (
            {"meta": {"count": 2}, "results": [{"a": 1}, {"a": 2}]},
            ["a"],
            [(1,), (2,)],
            'records found under "results"',
        ),
        (
            {"data": {"items": [{"a": 1}]}},
            ["a"],
            [(1,)],
            'records found under "data.items"',
        ),
        ({"a": 1, "b": "x"}, ["a", "b"], [(1, "x")], "the JSON holds one object: read as one row"),
        (
            {"u1": {"age": 3}, "u2": {"age": 4}},
            ["key", "age"],
            [("u1", 3), ("u2", 4)],
            'records are the values of the top-level object; their keys are in "key"',
        ),
        ([["x", "y"], [1, 2], [3, 4]], ["x", "y"], [(1, 2), (3, 4)], "first array is the header"),
        ([1, 2, 3], ["value"], [(1,), (2,), (3,)], None),
    ],
)
def test_where_the_records_are(
    document: object, names: list[str], rows: list[tuple[object, ...]], note: str | None
) -> None:
    table = read_json(document)
    assert table.column_names == names
    assert table.rows == rows
    if note:
        assert note in table.notes


def test_nested_objects_flatten_and_lists_stay_json() -> None:
    table = read_bytes(
        b'[{"id": 1, "user": {"name": "Ann", "geo": {"lat": 1.5}}, "tags": ["a", "b"]}]', "x.json"
    )
    assert table.column_names == ["id", "user.name", "user.geo.lat", "tags"]
    assert table.rows == [(1, "Ann", 1.5, '["a","b"]')]


@pytest.mark.parametrize(
    ("values", "kind", "out"),
    [
        ([1, 2, None], "integer", [1, 2, None]),
        ([1, 2.5], "float", [1.0, 2.5]),
        ([True, False, None], "boolean", [True, False, None]),
        (["2024-01-02", None], "date", ["2024-01-02", None]),
        (
            ["2024-01-02T10:00:00", "2024-01-02"],
            "datetime",
            ["2024-01-02T10:00:00", "2024-01-02T00:00:00"],
        ),
        (["007", "12"], "text", ["007", "12"]),  # quoted digits were quoted on purpose
        ([1, "x"], "text", ["1", "x"]),
        ([True, 1], "text", ["true", "1"]),
        ([2**70, 1], "text", [str(2**70), "1"]),
        ([10**400, 1.5], "text", [str(10**400), "1.5"]),
        (["", "a"], "text", [None, "a"]),
    ],
)
def test_column_types(values: list[object], kind: str, out: list[object]) -> None:
    table = read_json([{"v": v} for v in values])
    assert table.columns[0].type == kind
    assert [r[0] for r in table.rows] == out


def test_integers_too_long_for_int_stay_exact_text() -> None:
    digits = "9" * 5000
    table = read_bytes(f'[{{"v": {digits}}}, {{"v": 1}}]'.encode(), "x.json")
    assert table.rows == [(digits,), ("1",)]
    assert read_bytes(f'{{"v": {digits}}}\n'.encode(), "x.jsonl").rows == [(digits,)]


def test_nan_and_infinity_read_as_null() -> None:
    table = read_bytes(b'[{"v": 1.5}, {"v": NaN}, {"v": Infinity}, {"v": -Infinity}]', "x.json")
    assert table.rows == [(1.5,), (None,), (None,), (None,)]
    assert 'column "v": 3 NaN or infinite values read as null' in table.notes


def test_mixed_column_is_noted() -> None:
    table = read_json([{"v": 1}, {"v": "x"}])
    assert 'column "v": mixed values (number and text) read as text' in table.notes


def test_forced_type() -> None:
    table = read_json([{"v": "1"}, {"v": "2"}], types={"v": "integer"})
    assert table.rows == [(1,), (2,)]


def test_case_clash_in_keys_is_renamed() -> None:
    table = read_json([{"Name": "a", "name": "b"}])
    assert table.column_names == ["Name", "name_2"]


# RELIABILITY 29 (deep nesting), 30
@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Refused before parsing: this depth overflows the WebAssembly stack inside json.loads.
        (b"[" * 100_000 + b"]" * 100_000, "the JSON is nested too deep"),
        (b"[" * 100_000 + b"}", "the JSON is nested too deep"),  # malformed, but parsed down first
        (b'[{"a": 1},', "the file is not valid JSON"),
        (b"42", "the JSON holds a single value, not a table"),
        (b"[]", "the JSON holds no records"),
    ],
    ids=["deep", "deep-malformed", "truncated", "scalar", "empty"],
)
def test_json_errors(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_bytes(data, "x.json")


def test_json_lines() -> None:
    table = read_bytes(b'{"a": 1}\n\n{"a": 2, "b": {"c": true}}\n', "x.jsonl")
    assert table.source["format"] == "jsonl"
    assert table.column_names == ["a", "b.c"]
    assert table.rows == [(1, None), (2, True)]


def test_json_lines_bad_line_is_reported_by_number() -> None:
    data = b'{"a": 1}\n{"a": 2}\n{"a": \n{"a": 4}\n'
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "x.ndjson")
    assert caught.value.row == 3
    assert "skip_bad_lines" in str(caught.value)
    table = read_bytes(data, "x.ndjson", options={"skip_bad_lines": True})
    assert table.rows == [(1,), (2,), (4,)]
    assert "1 bad line skipped (first at line 3)" in table.notes


def test_json_lines_detected_without_extension() -> None:
    table = read_bytes(b'{"a": 1}\n{"a": 2}\n', "download")
    assert table.source["format"] == "jsonl"
    assert table.rows == [(1,), (2,)]


def test_deep_but_allowed_nesting_and_brackets_in_strings() -> None:
    deep = "[" * 400 + "1" + "]" * 400
    assert read_bytes(f'[{{"a": {deep}, "s": "{"[" * 5000}"}}]'.encode(), "x.json").row_count == 1


def test_json_lines_too_deep_line_is_a_bad_line() -> None:
    data = b'{"a": 1}\n' + b"[" * 5000 + b"]" * 5000 + b'\n{"a": 3}\n'
    with pytest.raises(ReadError, match="line 2 is not valid JSON: nested too deep"):
        read_bytes(data, "x.jsonl")
    assert read_bytes(data, "x.jsonl", options={"skip_bad_lines": True}).rows == [(1,), (3,)]


GRAPH = json.dumps(
    {"nodes": [{"id": i} for i in range(3)], "links": [{"source": i, "target": i + 1} for i in range(5)]}
).encode()


def test_several_arrays_the_note_names_every_one_left_out() -> None:  # RELIABILITY 30
    table = read_bytes(GRAPH, "graph.json")
    assert [c.name for c in table.columns] == ["source", "target"]
    assert (
        'records found under "links"; left out: "nodes" (3 records) (choose another in the open options)'
        in (table.notes)
    )
    assert (table.source["table"], table.source["choices"]) == ("links", ["nodes", "links"])


def test_the_open_options_pick_another_array() -> None:
    table = read_bytes(GRAPH, "graph.json", options={"table": "nodes"})
    assert [c.name for c in table.columns] == ["id"] and len(table.rows) == 3
    with pytest.raises(ReadError) as info:
        read_bytes(GRAPH, "graph.json", options={"table": "edges"})
    assert '"nodes", "links"' in (info.value.hint or "")


def test_deep_nesting_is_refused_and_the_interpreter_reads_on() -> None:
    """RELIABILITY 29: `[` x 100,000 is refused by the depth pre-check with the limit named; the same
    interpreter then reads a file (in Pyodide, where json.loads would overflow the stack, too)."""
    with pytest.raises(ReadError) as caught:
        read_bytes(b"[" * 100_000, "deep.json")
    assert str(caught.value).startswith("the JSON is nested too deep")
    assert any(ch.isdigit() for ch in str(caught.value) + (caught.value.hint or ""))  # names the limit
    assert read_bytes(b'[{"a": 1}, {"a": 2}]', "after.json").rows == [(1,), (2,)]
