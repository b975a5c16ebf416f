"""A verb's fields as data: one record per field, from which the JSON Schema, the allowed-field
check in parse and the page's generated form are all derived (like arquero's createVerb).

    FIELDS = fields(Field("column", "column", "Column", "the column to test", required=True))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from loupe.table import COLUMN_TYPES, ColumnType

# What a field holds, which decides its JSON Schema and the form control the page draws for it.
Kind = Literal[
    "column",  # one input column (of `types`, if given)
    "columns",  # a list of input columns
    "aggs",  # a list of {"fn", "column", "as"}
    "sort",  # sort keys: names or {"column", "desc"}
    "expr",  # an expression over the columns
    "name",  # a new column's name
    "text",  # free text (e.g. a date format)
    "value",  # one value, typed by a column's type
    "values",  # one value, or a list of them (filter's "in")
    "value_list",  # a list of values (pivot keys)
    "integer",
    "number",
    "choice",  # one of `choices`
    "bool",
    "rename",  # {"old": "new"}
    "types",  # {"column": "type"}
    "table",  # another loaded table's name
    "join_keys",  # names or {"left", "right"}
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

NAME: dict[str, Any] = {"type": "string", "minLength": 1}
NAMES: dict[str, Any] = {"oneOf": [NAME, {"type": "array", "items": NAME}]}
SCALAR: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}
BOOL: dict[str, Any] = {"type": "boolean"}
TEXT: dict[str, Any] = {"type": "string"}
SORT_KEY: dict[str, Any] = {
    "type": "object",
    "required": ["column"],
    "additionalProperties": False,
    "properties": {"column": NAME, "desc": BOOL},
}
JOIN_KEY: dict[str, Any] = {
    "type": "object",
    "required": ["left", "right"],
    "additionalProperties": False,
    "properties": {"left": NAME, "right": NAME},
}


def _either(one: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [one, {"type": "array", "items": item}]}


@dataclass(frozen=True)
class Field:
    """One field of a verb's step: its kind, the label and help a person reads, and its constraints."""

    name: str
    kind: Kind
    label: str
    help: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    types: tuple[ColumnType, ...] = ()  # column kinds: the column types that fit (empty: any)
    numeric: tuple[str, ...] = ()  # aggs: the functions that need a number column (sum, mean ...)
    minimum: float | None = None
    maximum: float | None = None

    def schema(self) -> dict[str, Any]:
        """This field's JSON Schema, with its help as the description."""
        return {**self._type_schema(), "description": self.help}

    def _type_schema(self) -> dict[str, Any]:
        kind = self.kind
        if kind in ("column", "name", "table"):
            return dict(NAME)
        if kind == "columns":
            return dict(NAMES)
        if kind == "aggs":
            agg = {
                "type": "object",
                "required": ["fn"],
                "additionalProperties": False,
                "properties": {"fn": {"enum": list(self.choices)}, "column": NAME, "as": NAME},
            }
            return {"type": "array", "items": agg}
        if kind == "sort":
            return {"oneOf": [NAME, {"type": "array", "items": {"oneOf": [NAME, SORT_KEY]}}]}
        if kind == "join_keys":
            key = {"oneOf": [NAME, JOIN_KEY]}
            return _either(key, key)
        if kind in ("expr", "text"):
            return {"type": "string", "minLength": 1} if self.minimum else dict(TEXT)
        if kind == "value":
            return dict(SCALAR)
        if kind == "values":
            return _either(SCALAR, SCALAR)
        if kind == "value_list":
            return {"type": "array", "items": SCALAR}
        if kind in ("integer", "number"):
            out: dict[str, Any] = {"type": kind}
            if self.minimum is not None:
                out["minimum"] = int(self.minimum) if kind == "integer" else self.minimum
            if self.maximum is not None:
                out["maximum"] = self.maximum
            return out
        if kind == "choice":
            return {"enum": list(self.choices)}
        if kind == "bool":
            return dict(BOOL)
        if kind == "rename":
            return {"type": "object", "additionalProperties": NAME, "minProperties": 1}
        assert kind == "types", kind
        return {"type": "object", "additionalProperties": {"enum": list(COLUMN_TYPES)}}

    def form(self) -> dict[str, Any]:
        """What the page needs to draw this field's control (JSON-able)."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "label": self.label, "help": self.help}
        out["required"] = self.required
        if self.default is not None:
            out["default"] = self.default
        if self.choices:
            out["choices"] = list(self.choices)
        if self.types:
            out["types"] = list(self.types)
        if self.numeric:
            out["numeric"] = list(self.numeric)
        return out


def fields(*records: Field) -> Mapping[str, Field]:
    """A verb's fields by name, in order (iterating gives the names, as parse's allowed list)."""
    return {f.name: f for f in records}


def listing(items: Iterable[str]) -> str:
    """Names as a person lists them: "region, product"."""
    return ", ".join(items)


def value_text(value: object) -> str:
    """A value as the step list shows it: text as is, "empty" for null, a list comma-separated."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return listing(value_text(v) for v in value)
    return str(value)


__all__ = [
    "BOOL",
    "KINDS",
    "NAME",
    "NAMES",
    "SCALAR",
    "TEXT",
    "Field",
    "Kind",
    "fields",
    "listing",
    "value_text",
]
