"""A standalone HTML report of a document: per table, its steps in words, its charts as inline SVG and
its first rows; a title and the date. The page has no script and loads nothing (a CSP meta says so),
so it opens offline and with JavaScript off.

The shell (head, headings, the fixed style sheet) is this module's own text; everything from data is an
element tree (render.table, render.chart) or a text serialised by render.tree.to_html, which escapes
every text and attribute and refuses a tag or attribute outside the page's allow-list.

>>> html = report_html("Sales <2024>", [ReportTable("sales", ["Keep 5 rows"], [], [], 0, [])],
...                    made=dt.datetime(2024, 5, 1, 12, 0))
>>> "<h1>Sales &lt;2024&gt;</h1>" in html, "<script" in html
(True, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from loupe.render.table import render_table
from loupe.render.tree import SYSTEM_FONTS, Node, h, to_html
from loupe.table import Column, Value

REPORT_ROWS = 50  # rows of each table the report shows: a glance, not the data (that is an export)
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_STYLE = """
body { font-family: FONTS; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d232a; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; }
h3 { font-size: 1rem; } .made, .small { color: #5b6672; font-size: 0.85rem; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: 600; margin-bottom: 0.3rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #d8dde3; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; } .null { color: #8a949e; }
.table-scroll { overflow-x: auto; }
""".replace("FONTS", SYSTEM_FONTS)


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: its name, steps in words, first rows (of `total`), charts (a title and
    an svg tree each, or a paragraph tree saying why that chart could not be drawn)."""

    name: str
    steps: Sequence[str]
    columns: Sequence[Column]
    rows: Sequence[Sequence[Value]]
    total: int
    charts: Sequence[tuple[str, Node]]


def _section(table: ReportTable, locale: str) -> str:
    parts = [f"<section><h2>{to_html(table.name)}</h2><h3>Steps</h3>"]
    if table.steps:
        parts.append(to_html(h("ol", {}, *(h("li", {}, text) for text in table.steps))))
    else:
        parts.append(to_html(h("p", {"class": "small"}, "No steps: the data as read.")))
    for title, chart in table.charts:  # an svg tree, or a paragraph saying why it could not be drawn
        if chart[0] == "svg":
            chart = ["svg", {"font-family": SYSTEM_FONTS, **chart[1]}, *chart[2:]]
        parts.append(to_html(h("figure", {}, h("figcaption", {}, title), chart)))
    shown = len(table.rows)
    what = (
        f"All {table.total:,} rows"
        if shown == table.total
        else f"The first {shown:,} of {table.total:,} rows"
    )
    parts.append(f"<h3>{to_html(what)}</h3>")
    if table.columns:
        grid = render_table(table.columns, table.rows, total=table.total, locale=locale)
        parts.append(to_html(h("div", {"class": "table-scroll"}, grid)))
    parts.append("</section>")
    return "".join(parts)


def report_html(
    title: str, tables: Sequence[ReportTable], *, made: dt.datetime, locale: str = "en-US"
) -> str:
    """The report as one HTML file: no scripts, nothing fetched, every text escaped."""
    when = made.strftime("%Y-%m-%d %H:%M")
    head = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="Loupe">\n<title>{to_html(title)}</title>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
    )
    made_line = to_html(h("p", {"class": "made"}, f"Made with Loupe on {when}."))
    body = [f"<header><h1>{to_html(title)}</h1>{made_line}</header>\n"]
    body.extend(_section(table, locale) + "\n" for table in tables)
    return head + "<main>\n" + "".join(body) + "</main>\n</body>\n</html>\n"
