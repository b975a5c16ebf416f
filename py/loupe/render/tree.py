"""Element trees: `[tag, {attrs}, *children]` lists from a fixed allow-list, and their XML form.

Python renders tables and charts as these trees; the page turns them into DOM nodes with
`createElement` + `textContent`, and `to_xml` serialises them for a standalone SVG file. Nothing
built from data is ever parsed as markup: text is a child string, attribute names are allow-listed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, TypeAlias

# A node is `[tag, attrs, *children]`, each child a node or a text string. A plain list (not a
# class) because it crosses to JavaScript as JSON unchanged.
Node: TypeAlias = list[Any]
AttrValue: TypeAlias = str | int | float

# Word lists, sorted; app/tree.js mirrors them exactly (tests/test_app_tree.py checks).
HTML_TAGS: frozenset[str] = frozenset(
    """
    abbr b br button caption code col colgroup dd details div dl dt em figcaption figure footer
    header hr i label li mark ol p pre section small span strong sub summary sup table tbody td
    tfoot th thead tr ul
    """.split()  # noqa: SIM905 - a word list reads better than a column of quoted strings
)
SVG_TAGS: frozenset[str] = frozenset(
    """
    circle clipPath defs desc ellipse g line linearGradient mask path pattern polygon polyline
    rect stop svg text title tspan
    """.split()  # noqa: SIM905
)
TAGS: frozenset[str] = HTML_TAGS | SVG_TAGS

# No event handlers, no href/src/xlink:href, no style: colours and layout go through class names
# (themed by the page's CSS) and SVG presentation attributes.
ATTRIBUTES: frozenset[str] = frozenset(
    """
    abbr alignment-baseline class clip-path clipPathUnits colspan cx cy d dir disabled
    dominant-baseline dx dy fill fill-opacity fill-rule focusable font-family font-size
    font-style font-weight gradientUnits headers height hidden id lang lengthAdjust mask offset
    opacity paint-order patternUnits pointer-events points preserveAspectRatio r role rowspan
    rx ry scope shape-rendering stop-color stop-opacity stroke stroke-dasharray stroke-linecap
    stroke-linejoin stroke-opacity stroke-width tabindex text-anchor textLength title transform
    type vector-effect viewBox visibility width x x1 x2 y y1 y2
    """.split()  # noqa: SIM905
)
ATTRIBUTE_PREFIXES: frozenset[str] = frozenset({"aria-", "data-"})

_PREFIXED = re.compile(r"(aria|data)-[a-z][a-z0-9-]*\Z")
# Characters XML 1.0 cannot carry at all; data may still contain them (a NUL in a CSV cell).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SYSTEM_FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif'
)


def is_allowed_attribute(name: str) -> bool:
    """True when `name` may appear on a node: listed, or `aria-*` / `data-*` in lower case."""
    return name in ATTRIBUTES or _PREFIXED.match(name) is not None


def _attr_value(tag: str, name: str, value: object) -> AttrValue:
    kind = type(value)
    if kind is str or kind is int:  # the common cases first: this runs for every attribute
        return value  # type: ignore[return-value]
    if kind is float:
        assert isinstance(value, float)
        if not math.isfinite(value):
            raise ValueError(f"<{tag} {name}> is not a finite number: {value!r}")
        rounded = round(value, 2)
        # 12.0 -> 12 keeps the trees (and snapshots) small and stable.
        return int(rounded) if rounded.is_integer() else rounded
    if isinstance(value, bool):
        return "true" if value else "false"
    # Subclasses (IntEnum, StrEnum, numpy-like floats) become the plain type.
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        return _attr_value(tag, name, float(value))
    raise ValueError(f"<{tag} {name}> must be str, int or float, not {type(value).__name__}")


def h(tag: str, attrs: Mapping[str, object] | None = None, *children: Node | str | None) -> Node:
    """Build a node, checking the tag and attribute names; None attributes and children are dropped.

    >>> h("td", {"class": "num", "title": None}, "1,234")
    ['td', {'class': 'num'}, '1,234']
    """
    if tag not in TAGS:
        raise ValueError(f"tag <{tag}> is not in the element allow-list")
    clean: dict[str, AttrValue] = {}
    for name, value in (attrs or {}).items():
        if not is_allowed_attribute(name):
            raise ValueError(f"attribute {name!r} on <{tag}> is not in the attribute allow-list")
        if value is not None:
            clean[name] = _attr_value(tag, name, value)
    node: Node = [tag, clean]
    for child in children:
        if child is None:
            continue
        if not isinstance(child, str | list):
            raise ValueError(f"child of <{tag}> must be a node or text, not {type(child).__name__}")
        node.append(child)
    return node


def check(node: Node | str) -> None:
    """Raise ValueError unless `node` and all below it are what `h` would build (for trees written
    as literals on hot paths, such as table cells, and for tests)."""
    if isinstance(node, str):
        return
    tag, attrs, *children = node
    rebuilt = h(tag, attrs, *children)
    if rebuilt[1] != attrs or len(rebuilt) != len(node):
        raise ValueError(f"<{tag}> has attributes or children that h() would change: {attrs!r}")
    for child in children:
        check(child)


def text_of(node: Node | str) -> str:
    """All text inside a node, concatenated (for tests and aria labels)."""
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node[2:])


def find_all(node: Node, tag: str, class_name: str | None = None) -> list[Node]:
    """Every descendant (or the node itself) with this tag and, if given, this class."""
    found: list[Node] = []

    def visit(n: Node) -> None:
        classes = str(n[1].get("class", "")).split()
        if n[0] == tag and (class_name is None or class_name in classes):
            found.append(n)
        for child in n[2:]:
            if isinstance(child, list):
                visit(child)

    visit(node)
    return found


def _escape(text: str, quote: bool) -> str:
    text = _XML_INVALID.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _format_value(value: AttrValue) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_xml(node: Node | str) -> str:
    """Serialise a tree to XML text, escaping every text child and attribute value.

    >>> to_xml(h("text", {"x": 1.5}, "<b>&"))
    '<text x="1.5">&lt;b&gt;&amp;</text>'
    """
    if isinstance(node, str):
        return _escape(node, quote=False)
    tag, attrs, *children = node
    if tag not in TAGS:
        raise ValueError(f"tag <{tag}> is not in the element allow-list")
    parts = [f"<{tag}"]
    for name, value in attrs.items():
        if not is_allowed_attribute(name) and name != "xmlns":
            raise ValueError(f"attribute {name!r} on <{tag}> is not in the attribute allow-list")
        parts.append(f' {name}="{_escape(_format_value(value), quote=True)}"')
    if not children:
        return "".join(parts) + "/>"
    parts.append(">")
    parts.extend(to_xml(child) for child in children)
    parts.append(f"</{tag}>")
    return "".join(parts)


def svg_document(node: Node) -> str:
    """A standalone .svg file: XML declaration, SVG namespace, system font stack; never scripts."""
    if node[0] != "svg":
        raise ValueError(f"svg_document needs an <svg> root, not <{node[0]}>")
    attrs = {"xmlns": "http://www.w3.org/2000/svg", **node[1]}
    attrs.setdefault("font-family", SYSTEM_FONTS)
    root: Node = ["svg", attrs, *node[2:]]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + to_xml(root) + "\n"


# HTML elements that have no end tag; every other HTML element is written with one (`<div/>` in HTML is
# an open tag, so the XML form would nest what follows it).
_VOID = frozenset({"br", "col", "hr"})


def to_html(node: Node | str) -> str:
    """Serialise a tree as HTML for a standalone page: as to_xml, but HTML elements always get their end
    tag (none for br, col, hr) and an `<svg>` inside is written as XML (foreign content, self-closing).

    >>> to_html(h("div", {"class": "a"})), to_html(h("p", {}, "<&>", h("br")))
    ('<div class="a"></div>', '<p>&lt;&amp;&gt;<br></p>')
    """
    if isinstance(node, str):
        return _escape(node, quote=False)
    tag, attrs, *children = node
    if tag == "svg":
        return to_xml(node)
    if tag not in HTML_TAGS:
        raise ValueError(f"tag <{tag}> is not an HTML tag of the element allow-list")
    parts = [f"<{tag}"]
    for name, value in attrs.items():
        if not is_allowed_attribute(name):
            raise ValueError(f"attribute {name!r} on <{tag}> is not in the attribute allow-list")
        parts.append(f' {name}="{_escape(_format_value(value), quote=True)}"')
    parts.append(">")
    if tag in _VOID:
        return "".join(parts)
    parts.extend(to_html(child) for child in children)
    parts.append(f"</{tag}>")
    return "".join(parts)
