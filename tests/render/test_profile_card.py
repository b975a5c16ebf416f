"""The profile card: stats in reading order, percentiles, a histogram with a tooltip per bin, top values."""

from __future__ import annotations

from typing import Any

from loupe.render.profile import render_profile, sketch_values
from loupe.render.tree import to_xml


def texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    return [t for child in node[2:] for t in texts(child)]


PROFILE = {
    "name": "<cm>",
    "type": "integer",
    "count": 4,
    "nulls": 1,
    "distinct": 3,
    "min": 170,
    "max": 190,
    "mean": 180.0,
    "quantiles": {"0.25": 175, "0.5": 180},
    "histogram": [{"low": 170, "high": 180, "count": 1}, {"low": 180, "high": 190, "count": 2}],
    "top": [{"value": 170, "count": 1}],
}


def test_stats_are_labelled_in_reading_order_with_percentiles() -> None:
    words = texts(render_profile(PROFILE))
    assert words[:2] == ["<cm>", " "]
    assert words.index("rows") < words.index("nulls") < words.index("mean") < words.index("p25")
    assert "180" in words


def test_histogram_bars_scale_to_the_largest_bin_and_name_their_range() -> None:
    xml = to_xml(render_profile(PROFILE))
    assert "170 – 180: 1" in xml
    assert 'height="48"' in xml  # the tallest bin fills the sketch
    assert "&lt;cm&gt;" in xml  # the column name is text, never markup


def test_sketch_uses_histogram_else_top_values() -> None:
    assert sketch_values(PROFILE) == [1.0, 2.0]
    assert sketch_values({"top": [{"count": 5}, {"count": 2}]}) == [5.0, 2.0]
    assert sketch_values({}) == []
