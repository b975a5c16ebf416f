"""loupe.document: validate once with a path for every error, round-trip, migrate, refuse newer versions.

RELIABILITY 12: a shared or saved document with an unknown verb, a newer version, a huge payload or
deep nesting is refused before any work, saying which.
"""

from __future__ import annotations

import copy
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loupe import api
from loupe.document import (
    MIGRATIONS,
    VERSION,
    Document,
    document_from_pipeline,
    is_document,
    parse_document,
)
from loupe.document.limits import MAX_CHARTS, MAX_SOURCES, MAX_STEPS, MAX_VALUES
from loupe.errors import SpecError
from loupe.render.gallery import gallery_specs
from loupe.verbs import REGISTRY

ROOT = Path(__file__).parents[1]

BASE: dict[str, Any] = {
    "loupe": "document",
    "version": 1,
    "title": "North, with managers",
    "sources": [
        {
            "id": "s1",
            "name": "sales.csv",
            "kind": "file",
            "size": 120,
            "sha256": "ab" * 32,
            "options": {"delimiter": ",", "types": {"zip": "text"}},
            "table": "sales",
        },
        {
            "id": "s2",
            "name": "managers.csv",
            "kind": "url",
            "url": "https://example.org/m.csv",
            "table": "managers",
        },
        {"id": "s3", "name": "sales.csv", "kind": "sample", "url": "sample/sales.csv", "table": "sample"},
    ],
    "tables": [
        {
            "name": "sales",
            "source": "s1",
            "steps": [
                {"verb": "filter", "column": "region", "op": "==", "value": "North"},
                {"verb": "join", "table": "managers", "on": ["region"]},
            ],
        },
        {"name": "managers", "source": "s2", "steps": []},
    ],
    "charts": [{"table": "sales", "spec": {"type": "bar", "x": "region", "y": "amount", "agg": "sum"}}],
    "view": {"theme": "dark", "table": "sales", "chart": 0, "sort": [{"column": "amount", "desc": True}]},
}
DELETE = object()


def patched(path: str, value: object) -> dict[str, Any]:
    """BASE with the value at `path` ("sources[1].kind") replaced, or deleted given DELETE."""
    doc = copy.deepcopy(BASE)
    keys: list[str | int] = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    target: Any = doc
    for key in keys[:-1]:
        target = target[key]
    if value is DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return doc


def error_of(obj: object) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_document(obj)
    return info.value


def test_a_valid_document_round_trips_exactly() -> None:
    doc = parse_document(BASE)
    assert doc.to_json() == BASE
    assert list(doc.to_json()) == list(BASE)  # the key order is the documented one
    assert parse_document(doc.to_json()) == doc
    active = doc.active
    assert active is not None and active.pipeline.source == "sales" and len(active.pipeline.steps) == 2
    assert doc.source_of(active).sha256 == "ab" * 32


def test_defaults_are_filled_in_and_the_result_is_a_fixed_point() -> None:
    bare = {"loupe": "document", "version": 1, "sources": [], "tables": []}
    out = parse_document(bare).to_json()
    assert out == {**bare, "charts": [], "view": {"theme": "light"}}
    assert parse_document(out).to_json() == out
    assert parse_document(patched("sources[0].sha256", "AB" * 32)).sources[0].sha256 == "ab" * 32


INVALID = [
    # path, value, the error's field, a fragment of its message
    ("loupe", "pipeline", "loupe", "not a Loupe document: 'loupe' is 'pipeline'"),
    ("loupe", DELETE, "loupe", "missing field 'loupe'"),
    ("version", "1", "version", "must be a whole number from 1, not '1'"),
    ("version", 0, "version", "must be a whole number from 1, not 0"),
    ("title", 5, "title", "must be text"),
    ("colour", "red", "colour", "unknown field 'colour'"),
    ("charts", {}, "charts", "must be a list, not an object"),
    ("sources[1].kind", "files", "sources[1].kind", "unknown source kind 'files'"),
    ("sources[1].id", "s1", "sources[1].id", 'id "s1" is already used by sources[0]'),
    ("sources[1].table", "Sales", "sources[1].table", 'table "Sales" is already loaded by sources[0]'),
    ("sources[0].table", DELETE, "sources[0].table", "missing field 'table'"),
    ("sources[0].name", "", "sources[0].name", "must be non-empty text, not text"),
    ("sources[0].name", None, "sources[0].name", "must be non-empty text, not null"),
    ("sources[0].colour", 1, "sources[0].colour", "unknown field 'colour'"),
    ("sources[0].url", "https://example.org/a.csv", "sources[0].url", "a file source has no url"),
    ("sources[1].url", DELETE, "sources[1].url", "a url source needs a url"),
    ("sources[1].url", "javascript:alert(1)", "sources[1].url", "is not an http(s) address"),
    ("sources[1].url", "file:///etc/passwd", "sources[1].url", "is not an http(s) address"),
    ("sources[2].url", "https://evil.example/x.csv", "sources[2].url", "is not a path inside the app"),
    ("sources[2].url", "sample/../../secret.csv", "sources[2].url", "is not a path inside the app"),
    ("sources[0].size", -1, "sources[0].size", "must be a whole number of bytes, not -1"),
    ("sources[0].size", True, "sources[0].size", "must be a whole number of bytes, not True"),
    ("sources[0].sha256", "abc", "sources[0].sha256", "must be 64 hexadecimal digits"),
    ("sources[0].options", [], "sources[0].options", "must be an object, not a list"),
    ("sources[0].options.delimiter", ";;", "sources[0].options.delimiter", "must be a single character"),
    ("sources[0].options.delimeter", ";", "sources[0].options.delimeter", "unknown open option 'delimeter'"),
    ("sources[0].options.types", {"zip": "txt"}, "sources[0].options.types", "must be a column type"),
    ("tables[0].source", "s9", "tables[0].source", 'unknown source "s9"'),
    ("tables[1].name", "sales", "tables[1].name", 'table "sales" appears twice'),
    ("tables[0].steps", "limit", "tables[0].steps", "must be a list, not text"),
    (
        "tables[0].steps[0].verb",
        "fitler",
        "tables[0].steps[0].verb",
        "table \"sales\": unknown verb 'fitler'",
    ),
    ("tables[0].steps[0].op", "=~", "tables[0].steps[0].op", 'table "sales": '),
    (
        "tables[0].steps[1].table",
        "bosses",
        "tables[0].steps[1].table",
        'no source loads a table named "bosses"',
    ),
    ("tables[0].steps[1]", 5, "tables[0].steps[1]", 'table "sales": a step must be an object, not int'),
    ("charts[0].table", "sale", "charts[0].table", 'unknown table "sale"'),
    ("charts[0].spec", [], "charts[0].spec", "must be an object, not a list"),
    ("charts[0].spec.type", "pie", "charts[0].spec.type", "chart field 'type' has unknown value 'pie'"),
    ("charts[0].spec.colour", "x", "charts[0].spec.colour", "unknown chart field 'colour'"),
    ("charts[0].spec.agg", "total", "charts[0].spec.agg", "chart field 'agg' has unknown value 'total'"),
    ("view.theme", "blue", "view.theme", "unknown theme 'blue'"),
    ("view.panel", "chart", "view.panel", "unknown panel 'chart'"),
    ("view.table", "sale", "view.table", 'unknown table "sale"'),
    ("view.chart", 1, "view.chart", "chart 1 is not one of the document's 1 charts"),
    ("view.chart", True, "view.chart", "chart True is not one of the document's 1 charts"),
    ("view.sort", "amount", "view.sort", "must be a list, not text"),
    ("view.sort[0].desc", "yes", "view.sort[0].desc", "must be true or false, not 'yes'"),
    ("view.sort[0].column", DELETE, "view.sort[0].column", "missing field 'column'"),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "message"), INVALID, ids=[f"{c[0]}={c[1]!r}" for c in INVALID]
)
def test_invalid_documents_say_what_is_wrong_and_where(
    path: str, value: object, field: str, message: str
) -> None:
    error = error_of(patched(path, value))
    assert error.field == field
    assert message in error.message
    assert error.to_dict()["field"] == field  # what the page receives


@pytest.mark.parametrize(
    ("path", "value", "hint"),
    [
        ("sources[1].kind", "files", 'did you mean "file"?'),
        ("tables[0].steps[0].verb", "fitler", 'did you mean "filter"?'),
        ("charts[0].table", "sale", 'did you mean "sales"?'),
        ("view.chart", 3, "use 0 to 0, or leave it out"),
        ("sources[0].kinds", "file", 'did you mean "kind"?'),
    ],
)
def test_hints_name_the_fix(path: str, value: object, hint: str) -> None:
    assert error_of(patched(path, value)).hint == hint


def test_an_unknown_verb_names_the_table_and_the_step() -> None:
    error = error_of(patched("tables[0].steps[1].verb", "joni"))
    assert (error.step, error.verb, error.field) == (2, "joni", "tables[0].steps[1].verb")
    assert str(error).startswith(
        "table \"sales\": unknown verb 'joni' (step 2 (joni), field 'tables[0].steps[1].verb')"
    )


def test_a_view_chart_without_charts_says_there_are_none() -> None:
    doc = patched("charts", [])
    assert error_of(doc).hint == "leave it out: the document has no charts"


def test_a_newer_version_is_refused_not_guessed() -> None:
    error = error_of(patched("version", 2))
    assert error.message == "made by a newer version of Loupe (document version 2; this Loupe reads up to 1)"
    assert error.field == "version"
    # Refused on the version alone: fields this Loupe does not know cannot make it a different error.
    assert error_of({**BASE, "version": 7, "layers": []}).message.startswith("made by a newer version")


def test_not_a_document_at_all() -> None:
    assert error_of("hello").message == "a document must be an object, not text"
    assert error_of(5).message == "a document must be an object, not int"
    assert not is_document(BASE["tables"]) and is_document(BASE) and not is_document("document")


def nested(depth: int) -> list[Any]:
    value: list[Any] = [1]
    for _ in range(depth):
        value = [value]
    return value


def filter_in(values: object) -> list[dict[str, Any]]:
    return [{"verb": "filter", "column": "a", "op": "in", "value": values}]


# RELIABILITY 12: limits are checked before any step or chart is parsed.
LIMITS = [
    (
        patched("sources", [dict(BASE["sources"][0], id=f"s{i}", table=f"t{i}") for i in range(65)]),
        "sources",
        f"has 65 entries, over the limit of {MAX_SOURCES}",
    ),
    (
        patched("tables[1].steps", [{"verb": "limit", "n": 1}] * (MAX_STEPS + 1)),
        "tables[1].steps",
        f"has {MAX_STEPS + 1} entries, over the limit of {MAX_STEPS}",
    ),
    (
        patched("charts", [BASE["charts"][0]] * (MAX_CHARTS + 1)),
        "charts",
        f"has {MAX_CHARTS + 1} entries, over the limit of {MAX_CHARTS}",
    ),
    (patched("tables[1].steps", filter_in(nested(30))), None, "the document is nested deeper than 32 levels"),
    (nested(100_000), None, "the document is nested deeper than 32 levels"),
    (
        patched("tables[1].steps", filter_in(list(range(MAX_VALUES)))),
        None,
        "the document holds more than 200,000 values",
    ),
    (patched("title", "x" * 100_001), None, "the document holds a text of 100,001 characters, over 100,000"),
    (
        patched("sources[0].name", "x" * 1001),
        "sources[0].name",
        "is 1001 characters long, over the limit of 1000",
    ),
]


@pytest.mark.parametrize(("doc", "field", "message"), LIMITS)
def test_limits_refuse_oversized_documents(doc: Any, field: str | None, message: str) -> None:
    error = error_of(doc)
    assert (error.field, error.message) == (field, message)


def test_a_huge_document_is_refused_quickly() -> None:
    huge = patched(
        "tables[1].steps", [{"verb": "filter", "column": "a", "op": "in", "value": [1] * 5_000_000}]
    )
    start = time.perf_counter()
    assert "more than 200,000 values" in error_of(huge).message
    assert time.perf_counter() - start < 0.5


def test_a_bare_pipeline_migrates_into_a_document() -> None:
    steps = [{"verb": "limit", "n": 5}]
    doc = parse_document(steps)
    assert doc.to_json() == {
        "loupe": "document",
        "version": VERSION,
        "sources": [{"id": "s1", "name": "data", "kind": "file", "table": "data"}],
        "tables": [{"name": "data", "source": "s1", "steps": steps}],
        "charts": [],
        "view": {"theme": "light", "table": "data"},
    }
    versioned = {
        "version": 1,
        "source": "orders",
        "steps": [{"verb": "join", "table": "customers", "on": ["customer_id"]}, *steps],
    }
    out = parse_document(versioned).to_json()
    assert [(s["id"], s["table"]) for s in out["sources"]] == [("s1", "orders"), ("s2", "customers")]
    assert out["tables"][0]["steps"] == versioned["steps"] and out["view"]["table"] == "orders"
    assert parse_document(out).to_json() == out
    named = document_from_pipeline(steps, filename="Sales 2024.csv")
    assert named["sources"][0] == {
        "id": "s1",
        "name": "Sales 2024.csv",
        "kind": "file",
        "table": "sales_2024",
    }


def test_a_bare_pipelines_errors_keep_naming_the_step() -> None:
    error = error_of([{"verb": "limit", "n": 1}, {"verb": "nope"}])
    assert (error.step, error.field, error.message) == (2, "verb", "unknown verb 'nope'")
    assert error_of({"version": 2, "steps": []}).message == "unsupported pipeline version 2"


def test_every_older_version_has_a_migration_to_the_next() -> None:
    assert sorted(MIGRATIONS) == list(range(VERSION))
    for version, migrate in MIGRATIONS.items():
        assert migrate([])["version"] == version + 1


def test_the_api_validates_and_normalizes() -> None:
    reply = api.handle("document", {"document": {**BASE, "charts": [], "view": {"table": "sales"}}})
    assert reply["ok"]
    assert reply["result"] == {
        "document": {**BASE, "charts": [], "view": {"theme": "light", "table": "sales"}},
        "errors": [],
    }
    bad = api.handle("document", {"document": patched("sources[1].kind", "files")})
    assert not bad["ok"]
    error = bad["error"]
    assert (error["code"], error["field"], error["hint"]) == (
        "spec",
        "sources[1].kind",
        'did you mean "file"?',
    )
    newer = api.handle("document", {"document": patched("version", 3)})["error"]
    assert newer["text"].startswith("made by a newer version of Loupe (document version 3;")
    assert api.handle("document", {})["error"]["message"] == "a document must be an object, not NoneType"


def test_the_sample_document_is_what_a_first_visit_shows() -> None:
    from loupe.read import read_bytes
    from loupe.render.chart import validate_chart
    from loupe.render.chart_form import default_chart
    from loupe.sample import sample_csv, sample_document

    doc = parse_document(sample_document())
    assert doc.to_json() == sample_document()
    source = doc.sources[0]
    assert (source.kind, source.url) == ("sample", "sample/sales.csv")
    table = read_bytes(sample_csv().encode(), source.url or "")
    assert source.table == table.name == doc.tables[0].name
    # The chart the page draws first for a new table: Python's default for the sample's columns.
    assert doc.charts[0].spec == default_chart(table.columns)
    spec = validate_chart(doc.charts[0].spec, table.columns)
    assert (spec.type, spec.x, spec.y, spec.agg) == ("bar", "region", "revenue", "sum")
    assert doc.view.chart == 0 and doc.active is doc.tables[0]


def test_docstring_examples_run() -> None:
    import doctest

    from loupe import document
    from loupe.document import limits, migrate, model

    for module in (document, limits, migrate, model):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0


# --- the JSON Schema -------------------------------------------------------------------------------


def test_the_schema_file_is_up_to_date() -> None:
    from loupe.document.schema import render

    shipped = (ROOT / "py" / "loupe" / "document.schema.json").read_text(encoding="utf-8")
    assert shipped == render(), "run: python -m loupe.document.schema > py/loupe/document.schema.json"


def test_the_schema_knows_the_same_fields_as_the_parsers() -> None:
    from dataclasses import fields

    from loupe.document.schema import CHART, OPTIONS, document_schema
    from loupe.read.options import ReadOptions
    from loupe.render.spec import _FIELDS

    assert set(OPTIONS) == {f.name for f in fields(ReadOptions)}
    assert set(CHART) == set(_FIELDS)
    assert set(document_schema()["$defs"]) == {"source", "chart_spec", *REGISTRY}


VALID_EXAMPLES = [
    BASE,
    {"loupe": "document", "version": 1, "sources": [], "tables": []},
    patched("view", {}),
    patched("charts", [{"table": "sales", "spec": spec} for spec in gallery_specs()]),
    patched("tables[1].steps", [dict(v.example) for v in REGISTRY.values() if v.name != "join"]),
]


def test_valid_examples_validate_under_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from loupe.sample import sample_document

    validator = jsonschema.Draft202012Validator(
        json.loads((ROOT / "py/loupe/document.schema.json").read_text())
    )
    for example in [
        *VALID_EXAMPLES,
        sample_document(),
        parse_document([{"verb": "limit", "n": 1}]).to_json(),
    ]:
        parse_document(example)
        validator.validate(example)


def test_structurally_invalid_documents_fail_the_schema_too() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(
        json.loads((ROOT / "py/loupe/document.schema.json").read_text())
    )
    structural = [
        case for case in INVALID if not case[3].startswith(("unknown source", "unknown table", "no source"))
    ]
    structural = [c for c in structural if "already" not in c[3] and "appears twice" not in c[3]]
    structural = [c for c in structural if c[2] not in ("view.chart", "sources[2].url", "sources[1].url")]
    for path, value, _, _ in structural:
        assert not validator.is_valid(patched(path, value)), path
    assert not validator.is_valid(patched("version", 2))


# --- property: parse and to_json agree on every valid document -------------------------------------

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
STEPS = [dict(v.example) for v in REGISTRY.values() if v.name != "join"]
OPTION_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "delimiter": st.sampled_from([",", ";", "\t", "|"]),
        "header": st.booleans(),
        "types": st.sampled_from(["infer", "text"]),
        "sheet": NAMES,
        "null_values": st.lists(st.text(max_size=3), max_size=3),
    },
)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    loaded = draw(st.lists(NAMES, max_size=4, unique=True))
    sources = []
    for i, table in enumerate(loaded):
        kind = draw(st.sampled_from(["file", "url", "sample"]))
        source: dict[str, Any] = {
            "id": f"s{i + 1}",
            "name": draw(st.text(min_size=1, max_size=12)),
            "kind": kind,
        }
        if kind == "url":
            source["url"] = f"https://example.org/{table}.csv"
        elif kind == "sample":
            source["url"] = f"sample/{table}.csv"
        for key, values in (
            ("size", st.integers(0, 2**40)),
            ("sha256", st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
            ("options", OPTION_VALUES),
            ("part", NAMES),
        ):
            if draw(st.booleans()):
                source[key] = draw(values)
        sources.append({**source, "table": table})
    tables = []
    for name in draw(st.lists(NAMES, max_size=len(sources), unique=True)):
        steps = draw(st.lists(st.sampled_from(STEPS), max_size=4))
        if draw(st.booleans()):
            steps.append({"verb": "join", "table": draw(st.sampled_from(loaded)), "on": ["id"]})
        tables.append({"name": name, "source": draw(st.sampled_from(sources))["id"], "steps": steps})
    names = [t["name"] for t in tables]
    charts = [
        {"table": draw(st.sampled_from(names)), "spec": draw(st.sampled_from(gallery_specs()))}
        for _ in range(draw(st.integers(0, 3) if names else st.just(0)))
    ]
    view: dict[str, Any] = {"theme": draw(st.sampled_from(["light", "dark"]))}
    if names and draw(st.booleans()):
        view["table"] = draw(st.sampled_from(names))
    if charts and draw(st.booleans()):
        view["chart"] = draw(st.integers(0, len(charts) - 1))
    if draw(st.booleans()):
        view["panel"] = draw(st.sampled_from(["view", "steps"]))
    if draw(st.booleans()):
        view["sort"] = [
            {"column": c, "desc": d} for c, d in draw(st.lists(st.tuples(NAMES, st.booleans()), max_size=3))
        ]
    doc: dict[str, Any] = {"loupe": "document", "version": 1}
    if draw(st.booleans()):
        doc["title"] = draw(st.text(max_size=20))
    return {**doc, "sources": sources, "tables": tables, "charts": charts, "view": view}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_to_json_of_parse_is_a_fixed_point(raw: dict[str, Any]) -> None:
    doc = parse_document(raw)
    out = doc.to_json()
    assert out == raw  # generated in normalized form: nothing lost, nothing added
    assert json.loads(json.dumps(out)) == out
    again = parse_document(out)
    assert again == doc and again.to_json() == out
    assert isinstance(doc, Document)


# --- docs/document.md stays true ---------------------------------------------------------------------

DOCS = (ROOT / "docs" / "document.md").read_text(encoding="utf-8")


def test_the_json_examples_in_the_docs_are_valid_documents() -> None:
    from loupe.sample import sample_document

    blocks = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", DOCS, re.S)]
    assert blocks[0] == sample_document()
    for block in blocks:
        assert parse_document(block).to_json() == parse_document(parse_document(block).to_json()).to_json()


def test_the_documented_errors_are_the_real_ones() -> None:
    three_steps = patched("tables[0].steps", [{"verb": "limit", "n": 1}] * 2 + [{"verb": "fitler"}])
    two_charts = patched("charts", BASE["charts"] * 2)
    for doc in (
        patched("sources[1].kind", "files"),
        three_steps,
        patched("charts[0].spec.agg", "total"),
        patched("view.chart", 3) | {"charts": two_charts["charts"]},
    ):
        error = error_of(doc)
        line = f"{error.field}: {error.message}. Hint: {error.hint}"
        assert line[:60] in DOCS, line


def test_the_documented_limits_are_the_enforced_ones() -> None:
    from loupe.document import limits

    section = DOCS[DOCS.index("## Limits") : DOCS.index("## Versions")].replace("\n", " ")
    for name in ("MAX_SOURCES", "MAX_TABLES", "MAX_CHARTS", "MAX_STEPS", "MAX_SORT_KEYS", "MAX_DEPTH"):
        assert f" {getattr(limits, name)} " in section, name
    assert f"{limits.MAX_VALUES:,} values" in section and f"{limits.MAX_TEXT:,} characters" in section


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
PATHS = sorted(
    {case[0] for case in INVALID if case[1] is not DELETE}
    | {"tables[0].steps[0].value", "tables[0].steps[1].on", "charts[0].spec.limit", "charts[0].spec.labels"}
    | {"sources[0].options.null_values", "sources[0].options.max_bytes", "view", "tables[1]", "sources"}
)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(PATHS), JSON)
def test_any_value_anywhere_is_accepted_or_refused_with_a_spec_error(path: str, value: object) -> None:
    """A link can carry anything: the only failure is a SpecError with a message, never a crash."""
    try:
        doc = parse_document(patched(path, value))
    except SpecError as error:
        assert error.message and str(error)
    else:
        assert parse_document(doc.to_json()) == doc


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_value_is_a_document_or_a_spec_error(value: object) -> None:
    try:
        parse_document(value)
    except SpecError as error:
        assert error.message
