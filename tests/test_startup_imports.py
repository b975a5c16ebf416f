"""What the worker imports at start-up (`import loupe._bridge`, and the first table's requests) stays
what a small file needs: exports, the report, XLSX writing, documents, joins and the forecasting modules
load when a request needs them. In Pyodide each module costs the page's first visit (the XLSX writer's
xml.sax alone pulled in urllib.request, http.client and email: more than the rest of Loupe together).
Module names, never time, so it cannot flake."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PY = Path(__file__).resolve().parents[1] / "py"
SAMPLE_CHART = {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}

# The explorer's first requests on the sample, in the order it sends them.
FIRST_TABLE = f"""
import json, sys
import loupe._bridge as bridge
from loupe.sample import sample_csv
path = sys.argv[1]
open(path, "w", encoding="utf-8", newline="").write(sample_csv())
chart = {SAMPLE_CHART!r}
for method, params in [
    ("verbs", {{}}),
    ("chart_form", {{}}),
    ("open", {{"session": "s", "path": path, "filename": "sales.csv"}}),
    ("view", {{"session": "s", "table": "sales", "pipeline": [], "chart": chart, "offset": 0, "limit": 25,
              "theme": "light", "width": 900, "locale": "en-US"}}),
    ("step_counts", {{"session": "s", "table": "sales", "pipeline": []}}),
    ("rows", {{"session": "s", "table": "sales", "pipeline": [], "offset": 0, "limit": 25, "chart": chart,
              "sketches": True}}),
]:
    reply = json.loads(bridge.call(method, json.dumps(params)))
    assert reply["ok"], (method, reply)
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every module loaded once the sample's first table and its rows are answered, in a fresh Python."""
    path = tmp_path_factory.mktemp("startup") / "sales.csv"
    done = subprocess.run(
        [sys.executable, "-c", FIRST_TABLE, str(path)],
        env={"PYTHONPATH": str(PY)},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout))


@pytest.mark.parametrize(
    ("module", "needed_by"),
    [
        ("loupe.service.exports", "an export or the Python code"),
        ("loupe.service.joins", "a join's preview"),
        ("loupe.write_xlsx", "an XLSX export"),
        ("xml.sax.saxutils", "an XLSX export"),
        ("urllib.request", "nothing in the page"),
        ("http.client", "nothing in the page"),
        ("email", "nothing in the page"),
        ("loupe.report", "the HTML report"),
        ("loupe.python_code", "the Python code export"),
        ("loupe.document", "a document from a link or file, and exports"),
        ("loupe.insight.forecast", "a chart's forecast"),
        ("loupe.insight.trend", "a chart's trend"),
        ("loupe.insight.loess", "a chart's LOESS trend"),
        ("statistics", "trends, forecasts and outlier flags"),
        ("difflib", "a did-you-mean hint"),
        ("loupe.duckdb_wasm", "a large file"),
        ("loupe.duckdb_sql", "a large file"),
        ("loupe.spark_engine", "the command line's Spark engine"),
    ],
)
def test_the_first_table_does_not_import(imported: set[str], module: str, needed_by: str) -> None:
    assert module not in imported, f"a small file's first table imports {module}; only {needed_by} needs it"


def test_the_first_table_imports_what_it_uses(imported: set[str]) -> None:
    # The probe itself is real: the modules a small file's table is read and drawn with are there.
    for module in ("loupe.read.delimited", "loupe.render.chart", "loupe.render.table", "loupe.profile"):
        assert module in imported
