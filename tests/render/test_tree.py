"""Element trees: the allow-lists hold, text stays text, XML output is escaped and well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from loupe.render.tree import (
    ATTRIBUTES,
    HTML_TAGS,
    SVG_TAGS,
    check,
    find_all,
    h,
    svg_document,
    text_of,
    to_xml,
)


def test_h_builds_a_list_tree_and_drops_none() -> None:
    assert h("td", {"class": "num", "title": None}, "1", None, h("span")) == [
        "td",
        {"class": "num"},
        "1",
        ["span", {}],
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.23456, 1.23), (2.0, 2), (7, 7), (True, "true"), ("a", "a"), (-0.004, 0)],
)
def test_attribute_values_are_normalised(value: object, expected: object) -> None:
    assert h("rect", {"x": value})[1]["x"] == expected


@pytest.mark.parametrize("tag", ["script", "iframe", "foreignObject", "a", "img", "style", "object"])
def test_dangerous_tags_are_refused(tag: str) -> None:
    with pytest.raises(ValueError, match="allow-list"):
        h(tag)


@pytest.mark.parametrize(
    "name",
    ["onclick", "onload", "href", "xlink:href", "src", "style", "formaction", "data-X", "aria"],
)
def test_dangerous_attributes_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="allow-list"):
        h("rect", {name: "x"})


@pytest.mark.parametrize(
    "node",
    [
        ["td", {}, ["script", {}, "x"]],
        ["td", {"onclick": "x"}, "1"],
        ["rect", {"x": 1.23456}],
        ["td", {}, None],
        ["td", {"title": None}],
        ["td", {}, 3],
    ],
)
def test_check_refuses_literal_trees_that_h_would_refuse_or_change(node: list[object]) -> None:
    with pytest.raises(ValueError):
        check(node)


def test_check_accepts_what_h_builds() -> None:
    check(h("tr", {"data-row": 3}, h("td", {"class": "num"}, "1"), "text"))


def test_aria_and_data_prefixes_are_allowed() -> None:
    assert h("th", {"aria-sort": "ascending", "data-column": "a"})[1] == {
        "aria-sort": "ascending",
        "data-column": "a",
    }


def test_non_finite_numbers_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="finite"):
        h("rect", {"x": float("nan")})


def test_allow_lists_are_disjoint_from_dangerous_names() -> None:
    assert not {"script", "style", "iframe", "a", "foreignObject"} & (HTML_TAGS | SVG_TAGS)
    assert not {a for a in ATTRIBUTES if a.startswith("on") or a in ("href", "src", "style")}


def test_to_xml_escapes_text_and_attributes() -> None:
    node = h("text", {"data-label": '"><script>'}, "<b>Tom & Jerry</b>")
    xml = to_xml(node)
    assert xml == ('<text data-label="&quot;&gt;&lt;script&gt;">&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</text>')
    parsed = ET.fromstring(xml)
    assert parsed.text == "<b>Tom & Jerry</b>"
    assert parsed.get("data-label") == '"><script>'


def test_to_xml_replaces_characters_xml_cannot_hold() -> None:
    assert to_xml(h("text", {}, "a\x00b\x1bc")) == "<text>a\ufffdb\ufffdc</text>"


def test_to_xml_refuses_hand_built_bad_nodes() -> None:
    with pytest.raises(ValueError):
        to_xml(["script", {}, "alert(1)"])
    with pytest.raises(ValueError):
        to_xml(["rect", {"onclick": "x"}])


def test_svg_document_is_standalone_and_parses() -> None:
    doc = svg_document(h("svg", {"viewBox": "0 0 10 10"}, h("title", {}, "T & U")))
    assert doc.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    root = ET.fromstring(doc.split("\n", 1)[1])
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "sans-serif" in (root.get("font-family") or "")
    assert "<script" not in doc


def test_svg_document_needs_an_svg_root() -> None:
    with pytest.raises(ValueError, match="svg"):
        svg_document(h("div"))


def test_text_of_and_find_all() -> None:
    tree = h("g", {}, h("text", {"class": "a b"}, "x"), h("text", {"class": "c"}, "y"))
    assert text_of(tree) == "xy"
    assert [text_of(n) for n in find_all(tree, "text", "b")] == ["x"]
