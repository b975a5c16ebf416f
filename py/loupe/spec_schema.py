"""The JSON Schema of pipeline specs, built from the verb registry plus each field's JSON type.

`python -m loupe.spec_schema > py/loupe/pipeline.schema.json` regenerates the shipped file; a
test keeps file, registry and docs in step.
"""

from __future__ import annotations

import json
from typing import Any

from loupe.pipeline import VERSION
from loupe.table import COLUMN_TYPES
from loupe.verbs import REGISTRY
from loupe.verbs.aggregates import FUNCTIONS as AGG_FUNCTIONS
from loupe.verbs.filter import OPS
from loupe.verbs.window import FUNCTIONS as WINDOW_FUNCTIONS

NAME: dict[str, Any] = {"type": "string", "minLength": 1}
NAMES: dict[str, Any] = {"oneOf": [NAME, {"type": "array", "items": NAME}]}
SCALAR: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}
COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
BOOL: dict[str, Any] = {"type": "boolean"}
TEXT: dict[str, Any] = {"type": "string"}
SORT_KEYS: dict[str, Any] = {
    "oneOf": [
        NAME,
        {
            "type": "array",
            "items": {
                "oneOf": [
                    NAME,
                    {
                        "type": "object",
                        "required": ["column"],
                        "additionalProperties": False,
                        "properties": {"column": NAME, "desc": BOOL},
                    },
                ]
            },
        },
    ]
}
AGG: dict[str, Any] = {
    "type": "object",
    "required": ["fn"],
    "additionalProperties": False,
    "properties": {"fn": {"enum": list(AGG_FUNCTIONS)}, "column": NAME, "as": NAME},
}
NAME_MAP: dict[str, Any] = {"type": "object", "additionalProperties": NAME, "minProperties": 1}
KEY: dict[str, Any] = {
    "oneOf": [
        NAME,
        {
            "type": "object",
            "required": ["left", "right"],
            "additionalProperties": False,
            "properties": {"left": NAME, "right": NAME},
        },
    ]
}

# verb -> (field -> JSON schema, required fields)
FIELDS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "select": ({"columns": NAMES}, ("columns",)),
    "drop": ({"columns": NAMES}, ("columns",)),
    "reorder": ({"columns": NAMES}, ("columns",)),
    "rename": ({"columns": NAME_MAP}, ("columns",)),
    "filter": (
        {
            "column": NAME,
            "op": {"enum": [*OPS, "not_in"]},
            "value": {"oneOf": [SCALAR, {"type": "array", "items": SCALAR}]},
            "expr": TEXT,
            "ignore_case": BOOL,
            "negate": BOOL,
        },
        (),
    ),
    "derive": ({"as": NAME, "expr": TEXT}, ("as", "expr")),
    "cast": (
        {
            "column": NAME,
            "to": {"enum": list(COLUMN_TYPES)},
            "columns": {"type": "object", "additionalProperties": {"enum": list(COLUMN_TYPES)}},
            "format": {"type": "string", "minLength": 1},
            "strict": {"type": "boolean"},
        },
        (),
    ),
    "fill_nulls": (
        {
            "columns": NAMES,
            "column": NAME,
            "method": {"enum": ["value", "previous", "next"]},
            "value": SCALAR,
        },
        (),
    ),
    "sort": ({"by": SORT_KEYS}, ("by",)),
    "limit": ({"n": COUNT, "offset": COUNT}, ("n",)),
    "sample": (
        {"n": COUNT, "fraction": {"type": "number", "minimum": 0, "maximum": 1}, "seed": {"type": "integer"}},
        (),
    ),
    "distinct": ({"columns": NAMES}, ()),
    "groupby": ({"by": NAMES, "aggs": {"type": "array", "items": AGG}}, ()),
    "pivot": (
        {
            "rows": NAMES,
            "columns": NAME,
            "values": NAME,
            "fn": {"enum": list(AGG_FUNCTIONS)},
            "keys": {"type": "array", "items": SCALAR},
        },
        ("columns",),
    ),
    "unpivot": ({"columns": NAMES, "names_to": NAME, "values_to": NAME, "drop_nulls": BOOL}, ("columns",)),
    "join": (
        {
            "table": NAME,
            "on": {"oneOf": [KEY, {"type": "array", "items": KEY}]},
            "how": {"enum": ["inner", "left", "right", "full"]},
            "suffix": NAME,
        },
        ("table", "on"),
    ),
    "window": (
        {
            "fn": {"enum": list(WINDOW_FUNCTIONS)},
            "column": NAME,
            "as": NAME,
            "by": NAMES,
            "order": SORT_KEYS,
            "n": {"type": "integer", "minimum": 1},
        },
        ("fn",),
    ),
    "top_n": ({"n": COUNT, "order": SORT_KEYS, "by": NAMES}, ("n", "order")),
}


def step_schema(name: str) -> dict[str, Any]:
    """The schema of one verb's step object, with each field's description."""
    verb = REGISTRY[name]
    types, required = FIELDS[name]
    properties: dict[str, Any] = {
        "verb": {"const": name},
        "disabled": {"type": "boolean", "description": "true switches the step off (it is kept and checked)"},
    }
    for field, description in verb.fields.items():
        properties[field] = {**types[field], "description": description}
    return {
        "type": "object",
        "title": name,
        "description": verb.summary,
        "required": ["verb", *required],
        "additionalProperties": False,
        "properties": properties,
        "examples": [dict(verb.example)],
    }


def json_schema() -> dict[str, Any]:
    """The whole pipeline spec schema (draft 2020-12)."""
    steps = {"type": "array", "items": {"oneOf": [{"$ref": f"#/$defs/{n}"} for n in REGISTRY]}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://loupe.invalid/pipeline.schema.json",
        "title": "Loupe pipeline",
        "description": "A versioned list of steps; a bare list of steps is accepted too.",
        "oneOf": [
            {
                "type": "object",
                "required": ["steps"],
                "additionalProperties": False,
                "properties": {"version": {"const": VERSION}, "source": NAME, "steps": steps},
            },
            steps,
        ],
        "$defs": {n: step_schema(n) for n in REGISTRY},
    }


def render() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
