"""The HTML report of a document: steps in words, charts as inline SVG, first rows; no scripts, nothing
fetched, only the element allow-list's tags and attributes in its body, every text escaped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.cli import main
from loupe.render.tree import ATTRIBUTES, TAGS
from loupe.report import POLICY, REPORT_ROWS
from loupe.sample import sample_csv, sample_document

from tests.test_api import SAMPLE, call

HOSTILE = '<img src=x onerror="alert(1)"> & </style><script>alert(2)</script>'
# The report's own shell around the trees: fixed by loupe.report, never from data.
# The parser lower-cases names (viewBox is viewbox), as a browser's HTML parser does.
ALLOWED = {name.lower() for name in ATTRIBUTES} | {"xmlns"}
SHELL = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def document(title: str = "Sales review") -> dict[str, Any]:
    doc = sample_document()
    doc["title"] = title
    doc["tables"][0]["steps"] = [
        {"verb": "filter", "column": "region", "op": "==", "value": "North"},
        {"verb": "limit", "n": 5, "disabled": True},
    ]
    doc["charts"].append(
        {"table": "sales", "spec": {"type": "line", "x": "date", "y": "units", "title": HOSTILE}}
    )
    doc["charts"].append({"table": "sales", "spec": {"type": "bar", "x": "region", "y": "no_such_column"}})
    return doc


@pytest.fixture
def sales(tmp_path: Path) -> Iterator[str]:
    path = tmp_path / "sales.csv"
    path.write_text(sample_csv(), encoding="utf-8")
    session = f"r-{tmp_path.name}"
    call("open", session=session, path=str(path), filename="sales.csv")
    yield session
    api.handle("close", {"session": session})


def report_of(session: str, tmp_path: Path, doc: dict[str, Any]) -> str:
    path = tmp_path / "report.html"
    result = call("export", session=session, format="report", document=doc, path=str(path))
    assert result["filename"] == "sales.report.html" and result["mime"] == "text/html"
    return path.read_text(encoding="utf-8")


def test_the_report_shows_steps_charts_and_first_rows(sales: str, tmp_path: Path) -> None:
    html = report_of(sales, tmp_path, document())
    found = parsed(html)
    text = " ".join(found.text)
    assert "<h1>Sales review</h1>" in html
    assert "Made with Loupe on" in text
    assert "Keep rows where region = North" in text or "region" in text  # step 1 in words
    assert "(switched off)" in text  # step 2, off, still listed
    charts = [attrs for tag, attrs in found.tags if tag == "svg"]
    assert len(charts) == 2  # the bar chart and the line chart; the third says why it is missing
    assert "This chart could not be drawn" in text and "no_such_column" in text
    north = sum(1 for row in SAMPLE if row["region"] == "North")
    assert f"The first {REPORT_ROWS:,} of {north:,} rows" in text
    assert sum(1 for tag, _ in found.tags if tag == "tr") == REPORT_ROWS + 1  # the header row and the rows


def test_the_report_runs_nothing_fetches_nothing_and_keeps_to_the_allow_list(
    sales: str, tmp_path: Path
) -> None:
    html = report_of(sales, tmp_path, document(title=HOSTILE))
    found = parsed(html)
    assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in html
    assert "default-src 'none'" in POLICY and "script-src" not in POLICY
    assert [tag for tag, _ in found.tags if tag not in {t.lower() for t in TAGS} | SHELL] == []
    assert sum(1 for tag, _ in found.tags if tag in ("script", "img", "style")) == 1  # the one fixed <style>
    for tag, attrs in found.tags:
        if tag in SHELL:
            continue
        odd = [n for n in attrs if n not in ALLOWED and not n.startswith(("aria-", "data-"))]
        assert odd == [], tag
    assert HOSTILE in " ".join(found.text)  # the title and the chart title are shown as text
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_without_a_document_the_report_is_of_the_shown_table(sales: str, tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    pipeline = [{"verb": "limit", "n": 3}]
    call(
        "export",
        session=sales,
        format="report",
        pipeline=pipeline,
        chart={"type": "bar", "x": "region"},
        path=str(path),
    )
    found = parsed(path.read_text(encoding="utf-8"))
    assert "All 3 rows" in " ".join(found.text)
    assert [tag for tag, _ in found.tags].count("svg") == 1


def test_a_report_needs_a_loaded_table(sales: str, tmp_path: Path) -> None:
    doc = document()
    doc["sources"][0]["table"] = "elsewhere"
    reply = api.handle(
        "export", {"session": sales, "format": "report", "document": doc, "path": str(tmp_path / "r.html")}
    )
    assert not reply["ok"] and "none of the document's tables is loaded" in reply["error"]["text"]


@pytest.mark.skipif(sys.platform == "emscripten", reason="the command line is not run in the page")
def test_the_command_line_writes_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    data = tmp_path / "sales.csv"
    data.write_text(sample_csv(), encoding="utf-8")
    doc = tmp_path / "sales.loupe.json"
    doc.write_text(json.dumps(document()), encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(data), str(doc), "-o", str(out)]) == 0
    found = parsed(out.read_text(encoding="utf-8"))
    assert [tag for tag, _ in found.tags].count("svg") == 2
    assert "report.html" in capsys.readouterr().err
