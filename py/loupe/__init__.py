"""Loupe: look closely at your data, in the browser, with Python.

The public API, for scripts and the command line. Names load on first use (PEP 562), so `import loupe`
stays cheap in the browser, where start-up time matters.

    >>> import loupe
    >>> engine = loupe.Engine()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loupe.lazy import lazy_attributes

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "Column": "loupe.table",
    "Document": "loupe.document",
    "Engine": "loupe.engine",
    "ExprError": "loupe.errors",
    "LoupeError": "loupe.errors",
    "Pipeline": "loupe.pipeline",
    "Query": "loupe.sql",
    "QueryError": "loupe.errors",
    "ReadError": "loupe.errors",
    "ReadOptions": "loupe.read",
    "Result": "loupe.engine",
    "SpecError": "loupe.errors",
    "Table": "loupe.table",
    "compile_pipeline": "loupe.pipeline",
    "document_schema": "loupe.document",
    "handle": "loupe.api",
    "parse_document": "loupe.document",
    "parse_pipeline": "loupe.pipeline",
    "profile_column": "loupe.profile",
    "profile_table": "loupe.profile",
    "read_bytes": "loupe.read",
    "read_file": "loupe.read",
    "render_chart": "loupe.render.chart",
    "render_table": "loupe.render.table",
    "show": "loupe.page",
    "svg_document": "loupe.render.tree",
    "write_file": "loupe.export",
}

__all__ = [
    "Column",
    "Document",
    "Engine",
    "ExprError",
    "LoupeError",
    "Pipeline",
    "Query",
    "QueryError",
    "ReadError",
    "ReadOptions",
    "Result",
    "SpecError",
    "Table",
    "__version__",
    "compile_pipeline",
    "document_schema",
    "handle",
    "parse_document",
    "parse_pipeline",
    "profile_column",
    "profile_table",
    "read_bytes",
    "read_file",
    "render_chart",
    "render_table",
    "show",
    "svg_document",
    "write_file",
]

if TYPE_CHECKING:
    from loupe.api import handle
    from loupe.document import Document, document_schema, parse_document
    from loupe.engine import Engine, Result
    from loupe.errors import ExprError, LoupeError, QueryError, ReadError, SpecError
    from loupe.export import write_file
    from loupe.page import show
    from loupe.pipeline import Pipeline, compile_pipeline, parse_pipeline
    from loupe.profile import profile_column, profile_table
    from loupe.read import ReadOptions, read_bytes, read_file
    from loupe.render.chart import render_chart
    from loupe.render.table import render_table
    from loupe.render.tree import svg_document
    from loupe.sql import Query
    from loupe.table import Column, Table


__getattr__ = lazy_attributes(__name__, _EXPORTS)
