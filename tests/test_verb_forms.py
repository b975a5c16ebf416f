"""Each verb is one record (loupe.verbs.form): its fields drive the schema, the page's form and the
sentence a step reads as. These tests hold every registered verb, so a new verb is checked unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.engine import Engine
from loupe.errors import SpecError
from loupe.pipeline import parse_pipeline, parse_step
from loupe.spec_schema import json_schema
from loupe.table import Column, Table
from loupe.verbs import REGISTRY
from loupe.verbs.form import KINDS

EXAMPLES: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[1] / "public" / "step-examples.json").read_text(encoding="utf-8")
)


def sentence(raw: dict[str, Any]) -> str:
    step = parse_step(raw, 1)
    return str(REGISTRY[step.verb].describe(step.spec))


@pytest.mark.parametrize("verb", list(REGISTRY))
def test_every_verb_has_a_form_record(verb: str) -> None:
    form = REGISTRY[verb].form()
    assert form["verb"] == verb and form["label"] and form["example"]["verb"] == verb
    assert [f["name"] for f in form["fields"]] == list(REGISTRY[verb].fields)
    for field in form["fields"]:
        assert field["kind"] in KINDS and field["label"] and field["help"], field
        if field["kind"] == "choice":
            assert field["choices"], field
    json.dumps(form)  # it crosses the worker boundary


@pytest.mark.parametrize("verb", list(REGISTRY))
def test_a_required_field_left_out_is_named(verb: str) -> None:
    example = dict(REGISTRY[verb].example)
    for field in (f for f in REGISTRY[verb].fields.values() if f.required):
        with pytest.raises(SpecError) as info:
            parse_step({k: v for k, v in example.items() if k != field.name}, 1)
        assert info.value.field == field.name


@pytest.mark.parametrize("verb", list(REGISTRY))
def test_every_example_reads_as_a_sentence_naming_its_columns(verb: str) -> None:
    for example in (dict(REGISTRY[verb].example), EXAMPLES[verb]):
        text = sentence(example)
        assert text and '"verb"' not in text and "{" not in text, text  # words, not JSON
        for field in REGISTRY[verb].fields.values():
            named = example.get(field.name)
            if field.kind in ("column", "columns") and named is not None:
                for name in [named] if isinstance(named, str) else named:
                    assert name in text, (name, text)
        # A switched-off step reads the same; the page marks it.
        assert sentence({**example, "disabled": True}) == text


SENTENCES: list[tuple[dict[str, Any], str]] = [
    (
        {
            "verb": "groupby",
            "by": ["region", "product"],
            "aggs": [{"fn": "sum", "column": "revenue"}, {"fn": "count"}],
        },
        "Group by region, product: sum of revenue, count",
    ),
    (
        {"verb": "groupby", "aggs": [{"fn": "mean", "column": "x", "as": "avg"}]},
        "Summarise: mean of x as avg",
    ),
    ({"verb": "filter", "column": "region", "op": "==", "value": "North"}, "Filter: region = North"),
    ({"verb": "filter", "column": "units", "op": ">=", "value": 5}, "Filter: units ≥ 5"),
    (
        {"verb": "filter", "column": "region", "op": "not_in", "value": ["A", "B"]},
        "Filter: not (region is one of A, B)",
    ),
    ({"verb": "filter", "column": "discount", "op": "is_null"}, "Filter: discount is empty"),
    (
        {"verb": "filter", "column": "units", "op": "between", "value": [3, 5]},
        "Filter: units between 3 and 5",
    ),
    (
        {"verb": "filter", "column": "date", "op": "between", "value": ["2024-02-01", None]},
        "Filter: date ≥ 2024-02-01",
    ),
    ({"verb": "filter", "column": "units", "op": "between", "value": [None, 5]}, "Filter: units ≤ 5"),
    ({"verb": "filter", "expr": "units > 3"}, "Filter: units > 3"),
    (
        {"verb": "sort", "by": [{"column": "revenue", "desc": True}, "region"]},
        "Sort by revenue descending, region",
    ),
    ({"verb": "derive", "as": "net", "expr": "revenue - cost"}, "New column net = revenue - cost"),
    ({"verb": "limit", "n": 10, "offset": 20}, "First 10 rows after skipping 20"),
    ({"verb": "limit", "n": 1}, "First 1 row"),
    ({"verb": "rename", "columns": {"amt": "amount"}}, "Rename: amt to amount"),
    ({"verb": "fill_nulls", "column": "discount", "value": 0}, "Fill empty discount with 0"),
    ({"verb": "fill_nulls", "columns": ["x"], "method": "previous"}, "Fill empty x with the previous value"),
    ({"verb": "join", "table": "t", "on": [{"left": "id", "right": "cid"}]}, "Join t (inner) on id = cid"),
    ({"verb": "top_n", "n": 3, "order": [{"column": "x", "desc": True}]}, "Top 3 by x descending"),
    ({"verb": "sample", "fraction": 0.25}, "Random sample: 25 % of rows (seed 0)"),
    ({"verb": "distinct"}, "Remove duplicates"),
]


@pytest.mark.parametrize(("raw", "text"), SENTENCES)
def test_a_step_reads_in_words(raw: dict[str, Any], text: str) -> None:
    assert sentence(raw) == text


def test_the_derived_schema_validates_every_page_example() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    assert set(EXAMPLES) == set(REGISTRY)
    for example in EXAMPLES.values():
        validator.validate([example])
    with pytest.raises(jsonschema.ValidationError):
        validator.validate([{**EXAMPLES["groupby"], "aggs": [{"fn": "total_of"}]}])


def test_api_verbs_gives_the_forms_and_the_steps_in_words() -> None:
    steps = [
        EXAMPLES["filter"],
        {**EXAMPLES["sort"], "disabled": True},
        {"verb": "limit", "n": "ten"},
    ]
    reply = api.handle("verbs", {"steps": steps})
    assert reply["ok"], reply
    result = reply["result"]
    assert [v["verb"] for v in result["verbs"]] == list(REGISTRY)
    assert result["steps_text"][:2] == [sentence(EXAMPLES["filter"]), sentence(EXAMPLES["sort"])]
    assert result["steps_text"][2] is None  # running it says why, at step 3's field
    assert api.handle("verbs", {})["result"]["steps_text"] == []


@pytest.mark.parametrize("fn", REGISTRY["groupby"].fields["aggs"].choices)
def test_the_aggregates_a_form_offers_number_columns_for_are_those_that_need_one(fn: str) -> None:
    engine = Engine()
    engine.load(Table("t", (Column("name", "text"), Column("n", "integer")), [("a", 1), ("b", 2)]))
    step = {"verb": "groupby", "aggs": [{"fn": fn, "column": "name"}]}
    if fn in REGISTRY["groupby"].fields["aggs"].numeric:
        with pytest.raises(SpecError, match="needs a number column"):
            engine.compile(parse_pipeline([step]), source="t")
    else:
        engine.compile(parse_pipeline([step]), source="t")
