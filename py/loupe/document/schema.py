"""The document's JSON Schema, built from the same registries the parser checks against.

`python -m loupe.document.schema > py/loupe/document.schema.json` regenerates the shipped file;
tests keep it equal to what this module builds and check the valid examples against it.
"""

from __future__ import annotations

import json
from typing import Any

from loupe.document.limits import MAX_CHARTS, MAX_SORT_KEYS, MAX_SOURCES, MAX_STEPS, MAX_TABLES
from loupe.document.model import VERSION
from loupe.document.parse import PANELS, THEMES
from loupe.document.sources import KINDS
from loupe.read.options import DELIMITERS, FORMATS
from loupe.render.spec import (
    AGGS,
    ALERT_OPS,
    MAX_ALERTS,
    MAX_HORIZON,
    MODES,
    SCALES,
    SORTS,
    TIME_GRAINS,
    TRENDS,
)
from loupe.render.spec import FORMATS as NUMBER_FORMATS
from loupe.spec_schema import BOOL, NAME, TEXT, step_schema
from loupe.table import COLUMN_TYPES
from loupe.verbs import REGISTRY

CHAR: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 1}
BYTES: dict[str, Any] = {"type": "integer", "minimum": 1}


def _whole(low: int, high: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high}


# The fields loupe.read.ReadOptions accepts (a test keeps the two in step).
OPTIONS: dict[str, Any] = {
    "format": {"enum": list(FORMATS)},
    "delimiter": {**CHAR, "examples": list(DELIMITERS)},
    "header": BOOL,
    "encoding": TEXT,
    "quotechar": CHAR,
    "ragged": {"enum": ["fail", "pad", "skip"]},
    "engine": {"enum": ["auto", "sqlite", "duckdb"], "description": "the page's engine for this file"},
    "types": {
        "oneOf": [
            {"enum": ["infer", "text"]},
            {"type": "object", "additionalProperties": {"enum": list(COLUMN_TYPES)}},
        ]
    },
    "null_values": {"type": "array", "items": TEXT},
    "decimal": {"enum": [".", ","]},
    "date_order": {"enum": ["dmy", "mdy"]},
    "date_formats": {
        "type": "object",
        "additionalProperties": TEXT,
        "description": "column -> strptime format",
    },
    "sheet": TEXT,
    "table": TEXT,
    "skip_bad_lines": BOOL,
    "max_bytes": BYTES,
    "max_field_bytes": BYTES,
}

BOUND: dict[str, Any] = {"oneOf": [{"type": "null"}, {"type": "number"}, NAME]}
ALERT_RULE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["op", "value"],
    "properties": {"op": {"enum": list(ALERT_OPS)}, "value": {"type": "number"}, "label": NAME},
}

# The fields loupe.render.spec.parse_chart accepts (a test keeps the two in step).
CHART: dict[str, Any] = {
    "type": {"enum": []},  # filled from the chart registry in chart_schema()
    **{name: NAME for name in ("x", "y", "color", "series", "size", "value", "currency", "locale")},
    **{name: NAME for name in ("title", "x_title", "y_title")},
    "agg": {"enum": list(AGGS)},
    "mode": {"enum": list(MODES)},
    "sort": {"enum": list(SORTS)},
    "scale": {"enum": list(SCALES)},
    "format": {"enum": list(NUMBER_FORMATS)},
    "time_unit": {"enum": list(TIME_GRAINS)},
    "limit": _whole(1, 1000),
    "bins": _whole(1, 500),
    "sample": _whole(100, 100_000),
    "labels": BOOL,
    "trend": {"enum": list(TRENDS)},
    "forecast": {
        "type": "object",
        "additionalProperties": False,
        "required": ["horizon"],
        "properties": {
            "horizon": _whole(1, MAX_HORIZON),
            "season": {"oneOf": [{"type": "null"}, _whole(1, MAX_HORIZON)]},
        },
    },
    "compare": {
        "type": "object",
        "additionalProperties": False,
        "required": ["before", "after"],
        "description": "changes: [start, end] ranges of `column` (null: open), or two filter expressions",
        "properties": {
            "column": NAME,
            **{
                side: {"oneOf": [TEXT, {"type": "array", "minItems": 2, "maxItems": 2, "items": BOUND}]}
                for side in ("before", "after")
            },
            "labels": {"type": "array", "minItems": 2, "maxItems": 2, "items": NAME},
        },
    },
    "alert": {
        "oneOf": [ALERT_RULE, {"type": "array", "minItems": 1, "maxItems": MAX_ALERTS, "items": ALERT_RULE}]
    },
}


def chart_schema() -> dict[str, Any]:
    from loupe.render.chart import CHART_TYPES

    return {
        "type": "object",
        "required": ["type"],
        "additionalProperties": False,
        "properties": {**CHART, "type": {"enum": sorted(CHART_TYPES)}},
        "examples": [{"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}],
    }


def _object(properties: dict[str, Any], required: list[str], **more: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
        **more,
    }


def _source() -> dict[str, Any]:
    properties = {
        "id": {**NAME, "maxLength": 100},
        "name": {**NAME, "description": "the file name, or what the page shows for the source"},
        "kind": {"enum": list(KINDS)},
        "url": {**NAME, "description": "url: an http(s) address; sample: a path inside the app"},
        "size": {"type": "integer", "minimum": 0, "description": "bytes"},
        "sha256": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
        "options": {"type": "object", "additionalProperties": False, "properties": OPTIONS},
        "part": {**NAME, "description": "the chosen sheet (xlsx) or table (SQLite)"},
        "table": {**NAME, "description": "the loaded table's name, the one steps refer to"},
    }
    file_has_no_url = {
        "if": {"properties": {"kind": {"const": "file"}}},
        "then": {"not": {"required": ["url"]}},
        "else": {"required": ["url"]},
    }
    return _object(properties, ["id", "name", "kind", "table"], allOf=[file_has_no_url])


def document_schema() -> dict[str, Any]:
    """The whole document schema (draft 2020-12); references and ranges are the parser's to check."""
    steps = {
        "type": "array",
        "maxItems": MAX_STEPS,
        "items": {"oneOf": [{"$ref": f"#/$defs/{n}"} for n in REGISTRY]},
    }
    table = _object({"name": NAME, "source": NAME, "steps": steps}, ["name", "source"])
    chart = _object({"table": NAME, "spec": {"$ref": "#/$defs/chart_spec"}}, ["table", "spec"])
    sort_key = _object({"column": NAME, "desc": BOOL}, ["column"])
    view = _object(
        {
            "theme": {"enum": list(THEMES)},
            "table": NAME,
            "chart": {"type": "integer", "minimum": 0, "description": "an index into charts"},
            "sort": {"type": "array", "maxItems": MAX_SORT_KEYS, "items": sort_key},
            "panel": {"enum": list(PANELS), "description": "the panel a phone-sized screen shows"},
        },
        [],
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://loupe.invalid/document.schema.json",
        "title": "Loupe document",
        "description": "Everything a user made: sources, each table's steps, charts and the view.",
        **_object(
            {
                "loupe": {"const": "document"},
                "version": {"const": VERSION},
                "title": TEXT,
                "sources": {"type": "array", "maxItems": MAX_SOURCES, "items": {"$ref": "#/$defs/source"}},
                "tables": {"type": "array", "maxItems": MAX_TABLES, "items": table},
                "charts": {"type": "array", "maxItems": MAX_CHARTS, "items": chart},
                "view": view,
            },
            ["loupe", "version", "sources", "tables"],
        ),
        "$defs": {"source": _source(), "chart_spec": chart_schema(), **{n: step_schema(n) for n in REGISTRY}},
    }


def render() -> str:
    return json.dumps(document_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
