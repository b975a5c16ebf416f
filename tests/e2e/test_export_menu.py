"""The Export menu (app/export-menu.js): every format downloads from it, the CSV opens again as the same
table, the HTML report shows its charts with JavaScript off, and the menu works from the keyboard alone."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

ITEMS = [
    # item, file name ending, a check of the bytes
    ("csv", ".csv", lambda b: b.decode().startswith("date,region")),
    ("tsv", ".tsv", lambda b: b.decode().startswith("date\tregion")),
    ("xlsx", ".xlsx", lambda b: "xl/worksheets/sheet1.xml" in zipfile.ZipFile(io.BytesIO(b)).namelist()),
    ("json", ".json", lambda b: len(json.loads(b)) == 4631),
    ("jsonl", ".jsonl", lambda b: len(b.splitlines()) == 4631),
    ("svg", ".svg", lambda b: b"<svg" in b and b"<script" not in b),
    ("png", ".png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("pipeline", ".pipeline.json", lambda b: json.loads(b)["source"] == "sales"),
    ("sql", ".sql", lambda b: b"SELECT" in b.upper()),
    ("python", ".py", lambda b: b"import loupe" in b and b'read_file("sales.csv"' in b),
    ("document", ".loupe.json", lambda b: json.loads(b)["loupe"] == "document"),
    ("report", ".report.html", lambda b: b.count(b"<svg") == 1 and b"<script" not in b),
]


def export(app: Any, item: str, *options: str) -> Any:
    """Pick `item` in the Export menu (after ticking `options`) and return the download."""
    page = app.page
    page.click("#export-menu")
    for option in options:
        page.click(f"#export-{option}")
        assert page.get_attribute(f"#export-{option}", "aria-checked") == "true"
    with page.expect_download() as info:
        page.click(f"#export-{item}")
    return info.value


@pytest.mark.parametrize(("item", "ending", "looks_right"), ITEMS, ids=[i[0] for i in ITEMS])
def test_each_format_downloads_from_the_menu(app: Any, item: str, ending: str, looks_right: Any) -> None:
    app.show_sample()
    download = export(app, item)
    assert download.suggested_filename.endswith(ending), download.suggested_filename
    assert looks_right(Path(download.path()).read_bytes())
    assert app.page.is_hidden("#export-items")
    app.assert_clean()


def test_the_raw_and_bom_options_change_the_csv(app: Any) -> None:
    app.show_sample()
    text = Path(export(app, "csv", "raw", "bom").path()).read_bytes()
    assert text.startswith(b"\xef\xbb\xbfdate,region")
    app.page.click("#export-menu")  # the options stay as ticked while the page is open; untick them
    app.page.click("#export-raw")
    app.page.click("#export-bom")
    with app.page.expect_download() as info:
        app.page.click("#export-csv")
    assert Path(info.value.path()).read_bytes().startswith(b"date,region")


def test_the_exported_csv_opens_again_as_the_same_table(app: Any, tmp_path: Path) -> None:
    app.show_sample()
    app.add_filter("region", "==", "North")
    shown = {name: app.column(name) for name in ("date", "region", "revenue")}
    count = app.page.locator("#row-count").inner_text()
    saved = tmp_path / "north.csv"
    export(app, "csv").save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert {row["region"] for row in rows} == {"North"}
    app.act(lambda: app.page.set_input_files("#file-input", str(saved)))
    assert app.page.locator("#dataset-name").inner_text() == "north.csv"
    assert app.page.locator("#steps li").count() == 0
    assert app.page.locator("#row-count").inner_text() == count
    assert {name: app.column(name) for name in shown} == shown


def test_the_report_shows_its_charts_with_javascript_off(app: Any, browser: Any, tmp_path: Path) -> None:
    app.show_sample()
    saved = tmp_path / "sales.report.html"
    export(app, "report").save_as(saved)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(saved.as_uri())
        assert page.locator("h1").inner_text() == "sales.csv"
        chart = page.locator("figure svg")
        assert chart.count() == 1
        box = chart.first.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 150
        assert page.locator("figure svg rect").count() >= 4  # the bars, drawn
        assert page.locator("table tbody tr").count() == 50
        assert page.locator("script").count() == 0
        assert requests == [saved.as_uri()]  # it loads nothing but itself
    finally:
        context.close()


def focused(app: Any) -> str:
    return str(app.page.evaluate("() => document.activeElement?.id ?? ''"))


def test_the_menu_works_from_the_keyboard(app: Any) -> None:
    app.show_sample()
    page = app.page
    page.focus("#export-menu")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#export-menu", "aria-expanded") == "true"
    assert focused(app) == "export-csv"
    page.keyboard.press("ArrowDown")
    assert focused(app) == "export-tsv"
    page.keyboard.press("End")
    assert focused(app) == "export-report"
    page.keyboard.press("ArrowDown")  # wraps around
    assert focused(app) == "export-csv"
    page.keyboard.press("ArrowUp")
    assert focused(app) == "export-report"
    page.keyboard.press("Escape")
    assert page.is_hidden("#export-items")
    assert page.get_attribute("#export-menu", "aria-expanded") == "false"
    assert focused(app) == "export-menu"
    page.keyboard.press("Enter")  # a button: Enter opens it as a click does
    assert focused(app) == "export-csv"
    page.keyboard.press("p")  # type-ahead: the next item starting with the letter
    assert focused(app) == "export-pipeline"
    page.keyboard.press("d")
    assert focused(app) == "export-document"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(app) == "export-xlsx"
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "sales.xlsx"
    assert focused(app) == "export-menu"
    assert page.is_hidden("#export-items")
