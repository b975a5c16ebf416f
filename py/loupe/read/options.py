"""How to open a file: the choices the UI shows and the user may override, validated once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Literal, TypeAlias, cast

from loupe.errors import ReadError, did_you_mean
from loupe.table import COLUMN_TYPES, ColumnType

Ragged: TypeAlias = Literal["fail", "pad", "skip"]
TypeChoice: TypeAlias = Literal["infer", "text"] | Mapping[str, ColumnType]
_Check: TypeAlias = Callable[[str, object], object]

FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx", "sqlite")
DELIMITERS = (",", "\t", ";", "|")
MAX_BYTES = 1 << 30  # 1 GiB: more than a browser tab can hold as Python objects anyway
MAX_FIELD_BYTES = 10 << 20  # 10 MiB in a single cell means the file is not what it claims


@dataclass(frozen=True)
class ReadOptions:
    """Every choice a reader makes that the user can override; None means "detect it".

    >>> ReadOptions.from_mapping({"delimiter": ";", "types": {"zip": "text"}}).delimiter
    ';'
    """

    format: str | None = None  # csv tsv json jsonl xlsx sqlite; None: extension, then content
    delimiter: str | None = None  # one character; None: sniffed (comma, tab, semicolon, pipe)
    header: bool | None = None  # is row 1 the column names? None: sniffed
    encoding: str | None = None  # any Python codec name; None: BOM, UTF-8, then noted cp1252
    quotechar: str = '"'
    ragged: Ragged = "fail"  # rows with another field count: fail, pad with nulls, or skip
    # "infer", "text" (every column raw text) or {"col": type}. A value that does not fit a type
    # the user forced is a ReadError naming its row and column, never a silent null.
    types: TypeChoice = "infer"
    # Strings read as null. None: "", NA, N/A, null, None, NaN, - ... in typed columns only (a text
    # column keeps "NA": it may be Namibia). Given: exactly these, in every column.
    null_values: tuple[str, ...] | None = None
    decimal: Literal[".", ","] | None = None  # None: comma in semicolon/tab files, else point
    date_order: Literal["dmy", "mdy"] | None = None  # for 01/02/2024; None: decided by the data
    # {"polldate": "%m/%d/%y"}: read these columns with a strptime format (a misfit is a ReadError).
    date_formats: Mapping[str, str] | None = None
    sheet: str | None = None  # xlsx; None: the first sheet
    table: str | None = None  # sqlite; json: the array of records ("nodes"); None: the first / longest
    skip_bad_lines: bool = False  # jsonl: skip (and count) lines that are not JSON
    # The page's engine for this file: auto (DuckDB-WASM for a CSV of 100 MB or more), sqlite or duckdb.
    # The worker reads it (app/worker.js); readers ignore it.
    engine: Literal["auto", "sqlite", "duckdb"] = "auto"
    max_bytes: int = MAX_BYTES
    max_field_bytes: int = MAX_FIELD_BYTES

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> ReadOptions:
        """Validate a JSON object from the UI; a bad key or value raises ReadError naming it."""
        known = {f.name for f in fields(cls)}
        values: dict[str, object] = {}
        for key, value in raw.items():
            if key not in known:
                raise ReadError(
                    f"unknown open option {key!r}",
                    field=key,
                    hint=did_you_mean(key, known) or f"known options: {', '.join(sorted(known))}",
                )
            if value is None:
                continue
            values[key] = _CHECKS[key](key, value)
        return cls(**values)  # type: ignore[arg-type]


def coerce_options(options: ReadOptions | Mapping[str, object] | None) -> ReadOptions:
    """Accept options as given by Python callers (dataclass) or the UI (dict)."""
    if options is None:
        return ReadOptions()
    if isinstance(options, ReadOptions):
        return options
    return ReadOptions.from_mapping(options)


def _bad(key: str, value: object, expected: str) -> ReadError:
    return ReadError(f"open option {key!r} must be {expected}, not {value!r}", field=key)


def _choice(*allowed: str) -> _Check:
    def check(key: str, value: object) -> object:
        if value not in allowed:
            hint = did_you_mean(str(value), allowed)
            error = _bad(key, value, " or ".join(repr(a) for a in allowed))
            error.hint = hint
            raise error
        return value

    return check


def _string(key: str, value: object) -> object:
    if not isinstance(value, str):
        raise _bad(key, value, "a string")
    return value


def _char(key: str, value: object) -> object:
    if not isinstance(value, str) or len(value) != 1 or value in "\r\n":
        raise _bad(key, value, "a single character")
    return value


def _flag(key: str, value: object) -> object:
    if not isinstance(value, bool):
        raise _bad(key, value, "true or false")
    return value


def _size(key: str, value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _bad(key, value, "a positive whole number of bytes")
    return value


def _formats(key: str, value: object) -> object:
    if not isinstance(value, Mapping) or not all(
        isinstance(c, str) and isinstance(f, str) and "%" in f for c, f in value.items()
    ):
        raise _bad(key, value, 'an object like {"polldate": "%m/%d/%y"} (strptime formats)')
    return dict(value)


def _types(key: str, value: object) -> object:
    if value in ("infer", "text"):
        return value
    if not isinstance(value, Mapping):
        raise _bad(key, value, '"infer", "text" or an object like {"zip": "text"}')
    for column, kind in value.items():
        if not isinstance(column, str) or kind not in COLUMN_TYPES:
            error = _bad(key, {column: kind}, f"a column type ({', '.join(COLUMN_TYPES)})")
            error.column = str(column)
            error.hint = did_you_mean(str(kind), COLUMN_TYPES)
            raise error
    return dict(cast(Mapping[str, ColumnType], value))


def _null_values(key: str, value: object) -> object:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _bad(key, value, 'a list of strings like ["", "NA"]')
    return tuple(value)


_CHECKS: dict[str, _Check] = {
    "format": _choice(*FORMATS),
    "delimiter": _char,
    "header": _flag,
    "encoding": _string,
    "quotechar": _char,
    "ragged": _choice("fail", "pad", "skip"),
    "engine": _choice("auto", "sqlite", "duckdb"),
    "types": _types,
    "null_values": _null_values,
    "decimal": _choice(".", ","),
    "date_order": _choice("dmy", "mdy"),
    "date_formats": _formats,
    "sheet": _string,
    "table": _string,
    "skip_bad_lines": _flag,
    "max_bytes": _size,
    "max_field_bytes": _size,
}
