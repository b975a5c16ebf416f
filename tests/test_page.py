"""loupe.show's pure half (view) and its DOM builder, on CPython: what a PyScript page would show."""

from __future__ import annotations

from typing import Any

import pytest
from loupe.errors import LoupeError, SpecError
from loupe.page import SVG_NS, build_node, view

CSV = "region,revenue\nNorth,10\nSouth,5\nNorth,2.5\n"
BAR = {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}


def texts(tree: Any) -> list[str]:
    """Every text string in a tree, in document order."""
    if isinstance(tree, str):
        return [tree]
    return [text for child in tree[2:] for text in texts(child)]


def find(tree: Any, tag: str) -> list[Any]:
    if isinstance(tree, str):
        return []
    return ([tree] if tree[0] == tag else []) + [n for child in tree[2:] for n in find(child, tag)]


def test_csv_text_with_a_chart_shows_the_chart_of_its_sums() -> None:
    shown = view(CSV, chart=BAR)
    assert shown["row_count"] == 3 and shown["table"] is None
    assert [c["name"] for c in shown["columns"]] == ["region", "revenue"]
    chart = shown["chart"]
    assert chart[0] == "svg"
    assert len(find(chart, "rect")) >= 2
    words = " ".join(texts(chart))
    assert "North" in words and "South" in words and "12.5" in words


def test_records_without_a_chart_show_a_table_of_their_values() -> None:
    records = [{"city": "Oslo", "people": 709_000}, {"city": "Bergen", "people": 291_000}]
    shown = view(records)
    assert shown["chart"] is None and shown["row_count"] == 2
    cells = texts(find(shown["table"], "tbody")[0])
    assert "Oslo" in cells and "Bergen" in cells
    assert any("709" in cell for cell in cells)


def test_show_both_and_a_pipeline_apply_as_in_the_widget() -> None:
    steps = [{"verb": "filter", "column": "region", "op": "==", "value": "South"}]
    shown = view(CSV, chart=BAR, pipeline=steps, show="chart table")
    assert shown["row_count"] == 1
    assert "South" in texts(shown["table"]) and "North" not in texts(shown["table"])
    assert "North" not in " ".join(texts(shown["chart"]))


def test_a_chart_naming_a_missing_column_raises_with_a_hint() -> None:
    with pytest.raises(LoupeError) as caught:
        view(CSV, chart={"type": "bar", "x": "regoin", "y": "revenue", "agg": "sum"})
    assert "regoin" in str(caught.value)
    assert caught.value.hint and "region" in caught.value.hint


@pytest.mark.parametrize(
    ("data", "kwargs", "words"),
    [
        (42, {}, "CSV text, a file's bytes or a list of records"),
        (b"a,b\n1,2\n", {}, "filename"),
        (CSV, {"show": "picture"}, "show must be"),
        (CSV, {"show": "chart"}, "needs a chart"),
    ],
)
def test_bad_arguments_say_what_to_pass(data: Any, kwargs: dict[str, Any], words: str) -> None:
    with pytest.raises(SpecError, match=words):
        view(data, **kwargs)


def test_bytes_are_read_by_the_format_their_filename_names() -> None:
    shown = view(b"a\tb\n1\t2\n", filename="numbers.tsv")
    assert [c["name"] for c in shown["columns"]] == ["a", "b"]


class FakeNode:
    def __init__(self, tag: str, ns: str | None = None, text: str | None = None) -> None:
        self.tag, self.ns, self.text = tag, ns, text
        self.attrs: dict[str, str] = {}
        self.children: list[FakeNode] = []

    def setAttribute(self, name: str, value: str) -> None:
        self.attrs[name] = value

    def append(self, child: FakeNode) -> None:
        self.children.append(child)


class FakeDocument:
    def createElement(self, tag: str) -> FakeNode:
        return FakeNode(tag)

    def createElementNS(self, ns: str, tag: str) -> FakeNode:
        return FakeNode(tag, ns)

    def createTextNode(self, text: str) -> FakeNode:
        return FakeNode("#text", text=text)


def test_build_node_makes_svg_in_its_namespace_and_text_as_text_nodes() -> None:
    tree = ["div", {"class": "x"}, ["svg", {"width": 640.0, "x": 1.5}, ["text", {}, "<b>not markup</b>"]]]
    div = build_node(FakeDocument(), tree)
    assert (div.tag, div.ns, div.attrs) == ("div", None, {"class": "x"})
    svg = div.children[0]
    assert (svg.ns, svg.attrs) == (SVG_NS, {"width": "640", "x": "1.5"})
    text = svg.children[0]
    assert text.ns == SVG_NS and text.children[0].text == "<b>not markup</b>"
