"""Keep the verb registry, docs/pipeline.md and pipeline.schema.json in step."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from loupe.errors import SpecError
from loupe.expr_functions import FUNCTIONS
from loupe.pipeline import parse_pipeline
from loupe.spec_schema import render
from loupe.verbs import REGISTRY

ROOT = Path(__file__).parents[1]
DOCS = (ROOT / "docs" / "pipeline.md").read_text(encoding="utf-8")


def section(verb: str) -> str:
    match = re.search(rf"^### `{verb}`\n(.*?)(?=^##)", DOCS, re.S | re.M)
    assert match, f"docs/pipeline.md has no section for {verb}"
    return match.group(1)


@pytest.mark.parametrize("verb", list(REGISTRY))
def test_every_verb_and_field_is_documented(verb: str) -> None:
    text = section(verb)
    for field in REGISTRY[verb].fields:
        assert f"`{field}`" in text, f"{verb}.{field} is not documented"


@pytest.mark.parametrize("verb", list(REGISTRY))
def test_documented_fields_are_exactly_the_accepted_ones(verb: str) -> None:
    documented = set(REGISTRY[verb].fields)
    with pytest.raises(SpecError) as info:
        parse_pipeline([{"verb": verb, "\x01": 1}])
    assert info.value.hint is not None
    accepted = set(info.value.hint.removeprefix("allowed fields: ").split(", "))
    assert accepted == documented


@pytest.mark.parametrize("verb", list(REGISTRY))
def test_examples_are_valid(verb: str) -> None:
    parse_pipeline([dict(REGISTRY[verb].example)])


def test_json_blocks_in_the_docs_parse() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOCS, re.S)
    assert len(blocks) > len(REGISTRY)
    for block in blocks:
        spec: Any = json.loads(block)
        parse_pipeline([spec] if isinstance(spec, dict) and "verb" in spec else spec)


def test_schema_file_is_up_to_date() -> None:
    shipped = (ROOT / "py" / "loupe" / "pipeline.schema.json").read_text(encoding="utf-8")
    assert shipped == render(), "run: python -m loupe.spec_schema > py/loupe/pipeline.schema.json"
    assert set(json.loads(shipped)["$defs"]) == set(REGISTRY)


def test_every_expression_function_is_documented() -> None:
    for name in FUNCTIONS:
        assert f"| `{name}` |" in DOCS


def test_examples_validate_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "py" / "loupe" / "pipeline.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for verb in REGISTRY.values():
        validator.validate([dict(verb.example)])
        validator.validate({"version": 1, "source": "t", "steps": [dict(verb.example)]})
    for bad in (
        [{"verb": "limit"}],
        [{"verb": "limit", "n": -1}],
        [{"verb": "nope"}],
        [{"verb": "sort", "by": [{"desc": True}]}],
        {"version": 2, "steps": []},
        [{"verb": "filter", "column": "a", "colour": 1}],
    ):
        assert not validator.is_valid(bad)
        with pytest.raises(SpecError):
            parse_pipeline(bad)


@pytest.mark.parametrize(
    "module",
    [
        "loupe.sql",
        "loupe.engine",
        "loupe.pipeline",
        "loupe.expr",
        "loupe.profile",
        "loupe.export",
        "loupe.verbs.values",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0
