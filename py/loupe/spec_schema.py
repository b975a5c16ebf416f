"""The JSON Schema of pipeline specs, derived from the verb registry's field records (loupe.verbs.form).

`python -m loupe.spec_schema > py/loupe/pipeline.schema.json` regenerates the shipped file; a
test keeps file, registry and docs in step.
"""

from __future__ import annotations

import json
from typing import Any

from loupe.pipeline import VERSION
from loupe.verbs import REGISTRY
from loupe.verbs.form import BOOL, NAME, TEXT

__all__ = ["BOOL", "NAME", "TEXT", "json_schema", "render", "step_schema"]


def step_schema(name: str) -> dict[str, Any]:
    """The schema of one verb's step object, with each field's description."""
    verb = REGISTRY[name]
    required = [f.name for f in verb.fields.values() if f.required]
    properties: dict[str, Any] = {
        "verb": {"const": name},
        "disabled": {"type": "boolean", "description": "true switches the step off (it is kept and checked)"},
    }
    for field in verb.fields.values():
        properties[field.name] = field.schema()
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
