"""The large-data engine (DuckDB-WASM, loaded by the worker only when used): the same pipeline and chart
answer the same on it as on SQLite in the same page; a small file's visit fetches none of its files; a
step it cannot run is refused, naming the step and the way out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import build
from tests.e2e.conftest import BOOT_TIMEOUT_MS, App, new_context

pytestmark = pytest.mark.skipif(
    not (build.DUCKDB_WASM_DIR / "package.json").exists(), reason="DuckDB-WASM not installed"
)

ROWS = [(i, ("North", "South", "East")[i % 3], "abcd"[i % 4], round((i * 37 % 101) * 1.25, 2), i % 7)
        for i in range(1, 2001)]  # fmt: skip
STEPS = [
    {"verb": "filter", "column": "quantity", "op": ">", "value": 1},
    {"verb": "derive", "as": "revenue", "expr": "value * quantity"},
    {"verb": "groupby", "by": ["region", "category"], "aggs": [
        {"fn": "count", "as": "n"}, {"fn": "sum", "column": "revenue", "as": "revenue"},
        {"fn": "mean", "column": "value", "as": "mean_value"}]},
    {"verb": "sort", "by": [{"column": "revenue", "desc": True}, {"column": "region"}]},
]  # fmt: skip


def write_csv(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    lines = ["id,region,category,value,quantity", *(",".join(map(str, row)) for row in ROWS)]
    path.write_text("\n".join(lines) + "\n")
    return path


def add_step(app: Any, step: dict[str, Any]) -> None:
    app.page.fill("#step-json", json.dumps(step))
    app.act(lambda: app.page.click("#step-submit"))


def answer(app: Any) -> dict[str, Any]:
    """What a user reads: the row count, every visible cell, and the chart's description."""
    page = app.page
    cells = page.evaluate(
        "() => [...document.querySelectorAll('#table tbody tr')]"
        ".map((tr) => [...tr.children].map((td) => td.textContent))"
    )
    desc = page.evaluate("() => document.querySelector('#chart svg desc')?.textContent ?? ''")
    return {"count": page.locator("#row-count").inner_text(), "cells": cells, "chart": desc}


def read_again_with(app: Any, engine: str) -> None:
    page = app.page
    page.evaluate("() => { document.querySelector('#read-options').open = true; }")
    page.select_option("#options-form select[name=engine]", engine)
    app.act(lambda: page.click("#options-form button[type=submit]"))


def large_files(app: Any) -> list[str]:
    return [url for url in app.requests if "/duckdb/" in url]


def test_a_small_file_visit_fetches_no_duckdb_file(app: Any, tmp_path: Path) -> None:
    app.requests.clear()
    app.fresh()
    app.act(lambda: app.page.set_input_files("#file-input", str(write_csv(tmp_path))))
    assert app.page.locator("#row-count").inner_text() == f"{len(ROWS):,} rows"
    assert large_files(app) == []


def test_duckdb_answers_the_pipeline_and_chart_as_sqlite(app: Any, tmp_path: Path) -> None:
    page = app.page
    app.fresh()
    app.act(lambda: page.set_input_files("#file-input", str(write_csv(tmp_path))))
    for step in STEPS:
        add_step(app, step)
    app.act(lambda: page.select_option("#chart-x", "region"))
    sqlite = answer(app)
    assert sqlite["count"] == "12 rows" and sqlite["chart"]
    assert large_files(app) == []

    read_again_with(app, "duckdb")
    assert page.get_attribute("html", "data-loupe-state") == "ready", app.status()
    duck = answer(app)
    assert large_files(app), "the DuckDB engine was not loaded"
    assert page.locator("#steps li").count() == len(STEPS)
    assert duck == sqlite

    # Back on SQLite: the same again (a new database, the file read by Loupe's reader).
    read_again_with(app, "sqlite")
    assert answer(app) == sqlite


def test_a_step_duckdb_cannot_run_is_refused_naming_it(app: Any, tmp_path: Path) -> None:
    page = app.page
    app.fresh()
    app.act(lambda: page.set_input_files("#file-input", str(write_csv(tmp_path))))
    read_again_with(app, "duckdb")
    add_step(app, {"verb": "derive", "as": "root", "expr": "sqrt(value)"})
    status = app.status()
    assert "step 1 needs Loupe's Python function for sqrt" in status
    assert "use the SQLite engine" in status


def test_after_first_use_the_engine_works_offline(browser: Any, base_url: str, tmp_path: Path) -> None:
    # Not precached at install; the service worker keeps each file the first time the worker loads it.
    context = new_context(browser)
    try:
        app = App(context.new_page(), base_url).open()
        app.page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=BOOT_TIMEOUT_MS
        )
        csv = write_csv(tmp_path)
        app.act(lambda: app.page.set_input_files("#file-input", str(csv)))
        read_again_with(app, "duckdb")
        online = answer(app)
        assert large_files(app) and online["count"] == f"{len(ROWS):,} rows"
        context.set_offline(True)
        app.page.reload()
        app.wait_ready(timeout=BOOT_TIMEOUT_MS)
        app.act(lambda: app.page.set_input_files("#file-input", str(csv)))
        read_again_with(app, "duckdb")
        assert app.page.get_attribute("html", "data-loupe-state") == "ready", app.status()
        assert answer(app)["cells"] == online["cells"]
    finally:
        context.close()
