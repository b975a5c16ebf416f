"""The page's tree builder (app/tree.js) allows exactly what loupe.render.tree allows: one allow-list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from loupe.render import tree

TREE_JS = (Path(__file__).resolve().parents[1] / "app" / "tree.js").read_text(encoding="utf-8")


def js_set(name: str) -> set[str]:
    match = re.search(rf"export const {name} = new Set\(\[(.*?)\]\);", TREE_JS, re.S)
    assert match, f"{name} not found in app/tree.js"
    return set(re.findall(r'"([^"]+)"', match.group(1)))


@pytest.mark.parametrize(
    ("js_name", "python_set"),
    [("HTML_TAGS", tree.HTML_TAGS), ("SVG_TAGS", tree.SVG_TAGS), ("ATTRIBUTES", tree.ATTRIBUTES)],
)
def test_js_allow_list_matches_python(js_name: str, python_set: frozenset[str]) -> None:
    assert js_set(js_name) == set(python_set)


def test_no_event_handler_or_link_attribute_is_allowed_anywhere() -> None:
    for name in js_set("ATTRIBUTES"):
        assert not name.lower().startswith("on")
        assert name not in {"href", "src", "xlink:href", "style", "srcdoc", "action", "formaction"}
    assert "script" not in js_set("HTML_TAGS") | js_set("SVG_TAGS")
    assert "foreignObject" not in js_set("SVG_TAGS")
