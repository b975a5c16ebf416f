"""Rendering: element trees for tables and SVG charts, plus their scales, ticks and formats."""

from loupe.render.chart import (
    CHART_TYPES,
    chart_stats_steps,
    chart_steps,
    chart_table,
    chart_types,
    render_chart,
    validate_chart,
)
from loupe.render.table import render_table
from loupe.render.tree import Node, h, svg_document, to_xml

__all__ = [
    "CHART_TYPES",
    "Node",
    "chart_stats_steps",
    "chart_steps",
    "chart_table",
    "chart_types",
    "h",
    "render_chart",
    "render_table",
    "svg_document",
    "to_xml",
    "validate_chart",
]
