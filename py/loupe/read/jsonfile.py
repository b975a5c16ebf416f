"""JSON and JSON Lines to a Table: find the records, flatten nested objects to dotted names.

Lists inside a record stay as JSON text (one cell), so a row never multiplies; objects nested deeper
than MAX_FLATTEN levels stay as JSON text too.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterable
from itertools import accumulate
from typing import Any, NamedTuple

from loupe.errors import ReadError
from loupe.read.decode import decode
from loupe.read.names import column_names
from loupe.read.options import ReadOptions
from loupe.read.tabulate import build_typed_table, check_width
from loupe.read.typed import Cell
from loupe.table import Table

MAX_FLATTEN = 16
_NESTED = frozenset({dict, list})
# json.loads recurses in C; in WebAssembly a few thousand levels overflow the stack and kill the
# runtime (no RecursionError), so deeper documents are refused before parsing.
MAX_DEPTH = 512
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_SIGNS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # as signed bytes: +1 +1 -1 -1
SEARCH_DEPTH = 3  # how deep to look for the record array inside a top-level object
_DEEP_HINT = "the JSON is nested deeper than a table can show; export a flatter shape"


def read_json(data: bytes, filename: str, options: ReadOptions) -> Table:
    """A JSON array of records, or an object holding one (found and noted), as a Table."""
    decoded = decode(data, options.encoding)
    document = _loads(decoded.text)
    notes = [f"encoding: {decoded.label}"]
    found = find_records(document, options.table)
    if found.where:
        notes.append(found.where)
    source: dict[str, object] = {"format": "json", "encoding": decoded.encoding}
    if len(found.arrays) > 1:  # the open options offer the others, as the tables of a database
        source["table"], source["choices"] = found.path, found.arrays
    return _records_table(found.records, options, notes, source)


def read_json_lines(data: bytes, filename: str, options: ReadOptions) -> Table:
    """One JSON object per line; a bad line fails with its number, or is skipped if asked."""
    decoded = decode(data, options.encoding)
    records: list[object] = []
    lines: list[int] = []
    bad: list[int] = []
    for number, line in enumerate(decoded.text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            check_depth(line)
            record = loads(line)
        except (ValueError, RecursionError, ReadError) as exc:
            if not options.skip_bad_lines:
                raise ReadError(
                    f"line {number} is not valid JSON: {_reason(exc)}",
                    row=number,
                    snippet=line[:80],
                    hint="fix the line, or choose skip_bad_lines in the open options",
                ) from None
            bad.append(number)
            continue
        records.append(record)
        lines.append(number)
    notes = [f"encoding: {decoded.label}"]
    if bad:
        plural = "s" if len(bad) > 1 else ""
        notes.append(f"{len(bad)} bad line{plural} skipped (first at line {bad[0]})")
    source: dict[str, object] = {"format": "jsonl", "encoding": decoded.encoding}
    return _records_table(records, options, notes, source, row_of=lambda i: lines[i])


class Found(NamedTuple):
    records: list[object]
    where: str | None  # for the notes
    path: str | None = None  # the array read, when it is under a key
    arrays: list[str] = []  # noqa: RUF012  # every array of records (a NamedTuple default is never mutated)


def find_records(document: object, chosen: str | None = None) -> Found:
    """The list of records in a document, a note saying where it was found if not at the top, and
    the paths of every array of records (the one read and those left out, named in the note).

    >>> find_records({"meta": {"n": 2}, "data": {"items": [{"a": 1}, {"a": 2}]}}).where
    'records found under "data.items"'
    """
    if isinstance(document, list):
        return Found(document, None)
    if not isinstance(document, dict):
        raise ReadError(
            "the JSON holds a single value, not a table",
            hint="open a JSON array of objects, or an object holding one",
        )
    arrays = _arrays(document, "", SEARCH_DEPTH)
    if chosen is not None and chosen not in arrays:
        raise ReadError(
            f"the JSON has no array of records at {chosen!r}",
            field="table",
            hint="arrays of records: " + (", ".join(f'"{p}"' for p in arrays) or "none"),
        )
    if arrays:
        path = chosen or max(arrays, key=lambda p: len(arrays[p]))  # the longest; the first of equals
        where = f'records found under "{path}"'
        others = [f'"{p}" ({len(arrays[p]):,} records)' for p in arrays if p != path]
        if others:
            where += f"; left out: {', '.join(others)} (choose another in the open options)"
        return Found(arrays[path], where, path, list(arrays))
    values = list(document.values())
    if len(values) > 1 and all(isinstance(v, dict) for v in values):
        keyed: list[object] = [{"key": k, **v} for k, v in document.items()]
        return Found(keyed, 'records are the values of the top-level object; their keys are in "key"')
    return Found([document], "the JSON holds one object: read as one row")


def _arrays(obj: dict[str, Any], prefix: str, depth: int) -> dict[str, list[object]]:
    """Every non-empty array of objects under `obj` by its dotted path (up to `depth` levels)."""
    found: dict[str, list[object]] = {}
    for key, value in obj.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value[:100]):
            found[path] = value
        elif isinstance(value, dict) and depth > 1:
            found.update(_arrays(value, path, depth - 1))
    return found


def _records_table(
    records: list[object],
    options: ReadOptions,
    notes: list[str],
    source: dict[str, object],
    row_of: Any = None,
) -> Table:
    if not records:
        raise ReadError("the JSON holds no records", hint="open a JSON array with some objects")
    if all(isinstance(r, list) for r in records):
        raw_names, flat = _from_arrays(records, notes)  # type: ignore[arg-type]
    else:
        raw_names, flat = _from_objects(records)
    raw_names = _without_null_parents(raw_names, flat)
    check_width(len(raw_names))
    names, name_notes = column_names(raw_names)
    notes.extend(name_notes)
    columns: list[list[Cell]] = [[r.get(k) for r in flat] for k in raw_names]
    flat.clear()
    return build_typed_table(
        names, columns, options, notes=notes, source=source, row_of=row_of or (lambda i: i + 1)
    )


def _without_null_parents(keys: list[str], flat: list[dict[str, Cell]]) -> list[str]:
    """Drop "address" when it is only ever null and "address.city" exists: a missing object, not a
    column of its own."""
    parents = {key.rsplit(".", 1)[0] for key in keys if "." in key}
    empty = {k for k in keys if k in parents and all(r.get(k) is None for r in flat)}
    return [k for k in keys if k not in empty]


def _from_objects(records: Iterable[object]) -> tuple[list[str], list[dict[str, Cell]]]:
    keys: dict[str, None] = {}  # insertion-ordered union of all keys
    flat: list[dict[str, Cell]] = []
    for record in records:
        row: dict[str, Cell]
        if not isinstance(record, dict):
            row = {"value": _cell(record)}
        elif _NESTED.isdisjoint(map(type, record.values())):
            row = record  # already flat: the common case, checked at C speed, no copy
        else:
            row = {}
            _flatten(record, "", row, 0)
        if not keys.keys() >= row.keys():
            keys.update(dict.fromkeys(row))
        flat.append(row)
    return list(keys), flat


def _from_arrays(records: list[list[object]], notes: list[str]) -> tuple[list[str], list[dict[str, Cell]]]:
    """An array of arrays: the first one names the columns if it is all distinct strings."""
    first = records[0]
    strings = all(isinstance(c, str) for c in first)
    header = len(records) > 1 and strings and len(set(first)) == len(first)
    width = max(len(r) for r in records)
    names = [str(c) for c in first] if header else []
    names += [f"column_{i + 1}" for i in range(len(names), width)]
    body = records[1:] if header else records
    notes.append("first array is the header" if header else "arrays read as rows")
    return names, [{names[i]: _cell(v) for i, v in enumerate(r)} for r in body]


def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, Cell], depth: int) -> None:
    for key, value in obj.items():
        name = prefix + key
        kind = type(value)
        if kind is dict and value and depth < MAX_FLATTEN:
            _flatten(value, name + ".", out, depth + 1)
        elif kind is dict or kind is list:
            out[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        else:
            out[name] = value


def _cell(value: object) -> Cell:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value  # type: ignore[return-value]


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than `limit` without recursing: strip the strings, keep the
    brackets as +1/-1 and take the deepest running sum, which is how deep the parser would go,
    also into a malformed document like "[[[[...}" that it would only reject at the bottom."""
    if text.count("[") + text.count("{") <= limit:
        return  # the common small case: cannot be that deep
    brackets = _STRING.sub("", text).encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    if max(accumulate(array("b", brackets.translate(_SIGNS))), default=0) > limit:
        raise ReadError(f"the JSON is nested too deep (over {limit} levels)", hint=_DEEP_HINT)


def loads(text: str) -> object:
    """json.loads that keeps integers too long for int() (over 4300 digits) as their text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        return json.loads(text, parse_int=_long_int)


def _long_int(digits: str) -> int | str:
    return int(digits) if len(digits) < 4000 else digits


def _loads(text: str) -> object:
    check_depth(text)
    try:
        return loads(text)
    except RecursionError:
        raise ReadError("the JSON is nested too deep", hint=_DEEP_HINT) from None
    except json.JSONDecodeError as exc:
        raise ReadError(
            f"the file is not valid JSON: {exc.msg}",
            row=exc.lineno,
            snippet=exc.doc[max(0, exc.pos - 20) : exc.pos + 20],
            hint="check the file is complete; JSON Lines files should end in .jsonl",
        ) from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, RecursionError | ReadError):
        return "nested too deep"
    return exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
