"""Hostile data in the page: markup in cells, headers, file names and errors stays text, script-like
links are not links, the SVG download is a real download, and a URL that gives no data file says why.
One page (one Pyodide boot) for the module; a canary `__pwned()` counts any script that runs."""

from __future__ import annotations

import io
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import App

CANARY = "() => { window.__pwnedCalls = 0; window.__pwned = () => { window.__pwnedCalls += 1; }; }"
# Every element of the page with an on* attribute, and the number of times the canary ran.
INJECTED = """() => ({
    handlers: [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on'))
            .map((a) => el.localName + ' ' + a.name)),
    calls: window.__pwnedCalls,
    links: document.querySelectorAll('#table a, #chart a, #columns a').length,
})"""
CELLS = [
    "<img src=x onerror=__pwned()>",
    "<svg onload=__pwned()>",
    "javascript:__pwned()",
    "data:text/html,<script>__pwned()</script>",
]


def arm(app: App) -> None:
    app.page.evaluate(CANARY)


def assert_nothing_ran(app: App) -> None:
    found = app.page.evaluate(INJECTED)
    assert found == {"handlers": [], "calls": 0, "links": 0}, found


def write(tmp_path: Path, fmt: str) -> Path:
    """A file of the given format whose `label` column holds CELLS."""
    path = tmp_path / f"hostile.{fmt}"
    rows = [(label, i + 1) for i, label in enumerate(CELLS)]
    if fmt == "csv":
        out = io.StringIO()
        out.write("label,n\n")
        for label, n in rows:
            out.write('"' + label.replace('"', '""') + f'",{n}\n')
        path.write_text(out.getvalue(), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps([{"label": label, "n": n} for label, n in rows]), encoding="utf-8")
    elif fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        book.active.append(["label", "n"])
        for row in rows:
            book.active.append(list(row))
        book.save(path)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE hostile (label TEXT, n INTEGER)")
        db.executemany("INSERT INTO hostile VALUES (?, ?)", rows)
        db.commit()
        db.close()
    return path


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "sqlite"])
def test_markup_and_script_links_in_cells_stay_text(app: App, tmp_path: Path, fmt: str) -> None:
    """RELIABILITY 1 and 6: in each format, markup in a cell is shown literally, nothing runs, no on*
    attribute reaches the DOM, and `javascript:` / `data:` values are not made links."""
    arm(app)
    app.act(lambda: app.page.set_input_files("#file-input", str(write(tmp_path, fmt))))
    assert app.column("label") == CELLS, app.status()
    app.page.locator("#table td", has_text="javascript:").first.click()
    assert_nothing_ran(app)


def test_markup_in_column_names_stays_text_everywhere(app: App, tmp_path: Path) -> None:
    """RELIABILITY 2: header names with markup are literal in the table header, the column pickers and
    the chart's axis titles."""
    script, bold = '"><script>__pwned()</script>', "<b>x"
    path = tmp_path / "headers.csv"
    quoted = '"' + script.replace('"', '""') + '"'
    path.write_text(f"{quoted},{bold},n\nNorth,a,1\nSouth,b,2\n", encoding="utf-8")
    arm(app)
    app.act(lambda: app.page.set_input_files("#file-input", str(path)))
    page = app.page
    assert app.column(script) == ["North", "South"]
    assert app.column(bold) == ["a", "b"]
    headers = page.locator("#table thead th").all_text_contents()
    assert any(script in text for text in headers) and any(bold in text for text in headers)
    for picker in ("#filter-column", "#sort-column", "#chart-x"):
        options = page.locator(f"{picker} option").all_text_contents()
        assert script in options and bold in options, (picker, options)
    app.act(lambda: page.select_option("#chart-x", script))
    chart_text = " ".join(page.locator("#chart svg text").all_text_contents())
    assert script in chart_text
    assert page.locator("#table b, #chart b, #columns b, #table script, #chart script").count() == 0
    assert_nothing_ran(app)


def test_a_file_name_with_markup_is_text_and_export_names_are_safe(app: App, tmp_path: Path) -> None:
    """RELIABILITY 3: the dropped file's name is shown literally (the name field, the document's title
    in the Recent list) and the export's default file name is sanitised for the file system."""
    name = "<img src=x onerror=__pwned()>.csv"
    path = tmp_path / name
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    arm(app)
    app.act(lambda: app.page.set_input_files("#file-input", str(path)))
    page = app.page
    assert page.locator("#dataset-name").inner_text() == name
    # The document takes the file's name as its title: the Recent list shows it once saved.
    page.wait_for_function(
        "(name) => [...document.querySelectorAll('#recent option')].some((o) => o.text.startsWith(name))",
        arg=name,
    )
    page.click("#export-menu")
    with page.expect_download() as info:
        page.click("#export-csv")
    saved = info.value.suggested_filename
    assert saved.endswith(".csv") and not set(saved) & set('<>:"/\\|?*'), saved
    assert_nothing_ran(app)


def test_an_error_naming_a_markup_column_shows_it_as_text(app: App) -> None:
    """RELIABILITY 5: a step on a missing column `<img onerror>`: the message repeats it literally."""
    app.show_sample()
    arm(app)
    page = app.page
    page.fill("#step-json", json.dumps({"verb": "filter", "column": CELLS[0], "op": "==", "value": 1}))
    app.act(lambda: page.click("#step-form button[type=submit]"))
    assert f'unknown column "{CELLS[0]}"' in app.status()
    assert page.locator("#status img, #steps img").count() == 0
    assert page.locator("#table tbody tr").count() > 0  # the data stays
    assert_nothing_ran(app)


def test_the_svg_download_is_a_download_of_safe_svg(app: App, browser: Any, tmp_path: Path) -> None:
    """RELIABILITY 8: Download SVG uses an <a download> click, not a navigation to blob:; the file is
    well-formed SVG of the chart's labels; opened on its own in a tab, it runs nothing."""
    arm(app)
    app.act(lambda: app.page.set_input_files("#file-input", str(write(tmp_path, "csv"))))
    page = app.page
    app.act(lambda: page.select_option("#chart-x", "label"))
    page.evaluate(
        """() => {
            window.__clicks = [];
            const click = HTMLAnchorElement.prototype.click;
            HTMLAnchorElement.prototype.click = function () {
                window.__clicks.push({download: this.download, scheme: new URL(this.href).protocol});
                return click.call(this);
            };
        }"""
    )
    address = page.url
    page.click("#export-menu")
    with page.expect_download() as info:
        page.click("#export-svg")
    download = info.value
    assert page.evaluate("() => window.__clicks") == [
        {"download": download.suggested_filename, "scheme": "blob:"}
    ]
    assert download.suggested_filename.endswith(".svg")
    assert page.url == address  # no navigation
    text = Path(download.path()).read_text(encoding="utf-8")
    root = ET.fromstring(text.split("\n", 1)[1])
    assert "".join(root.itertext()).count("<svg onload=__pwned()>") >= 1
    svg = tmp_path / "chart.svg"
    svg.write_text(text, encoding="utf-8")
    tab = browser.new_context()  # a plain tab, as a user's "open in new tab"
    try:
        opened = tab.new_page()
        dialogs: list[str] = []
        opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        opened.goto(svg.as_uri())
        assert opened.evaluate("() => document.documentElement.localName") == "svg"
        active = opened.evaluate(
            """() => [...document.querySelectorAll('*')].filter((el) =>
                ['script', 'foreignObject', 'a', 'iframe'].includes(el.localName)
                || [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length"""
        )
        assert active == 0
        assert dialogs == []
    finally:
        tab.close()
    assert_nothing_ran(app)


def test_a_url_that_gives_no_data_file_says_why_and_the_data_stays(app: App) -> None:
    """RELIABILITY 19: a 404 gives the status, an HTML page (a login or error page) says so; the
    table on screen is kept."""
    app.show_sample()
    page = app.page
    before = app.column("region")
    for url, expected in (
        (app.base_url + "sample/missing.csv", "could not fetch missing.csv: the server at 127.0.0.1"),
        (app.base_url + "?next=data.csv", "got an HTML page, not a CSV or other data file"),
    ):
        page.fill("#url-input", url)
        app.act(lambda: page.click("#url-form button[type=submit]"))
        assert expected in app.status(), app.status()
        assert app.column("region") == before
        if "missing" in url:
            assert "answered 404" in app.status()


def test_a_url_that_stalls_can_be_cancelled_and_the_data_stays(app: App) -> None:
    """RELIABILITY 19: a server that never answers: the busy line offers Cancel, which brings back the
    table on screen (before the 30 s after which the worker gives up by itself)."""
    app.show_sample()
    page = app.page
    before = app.column("region")
    stalled: list[Any] = []

    def hold(route: Any) -> None:  # never answered
        stalled.append(route)

    page.context.route("**/stall.csv", hold)
    try:
        page.fill("#url-input", app.base_url + "stall.csv")
        page.click("#url-form button[type=submit]")
        busy = page.locator(".busy:not([hidden])")
        busy.wait_for()
        assert stalled, "the request was not held"
        assert "stall.csv" in busy.inner_text()
        page.click("[data-busy-cancel]")
        page.wait_for_function(
            """() => document.documentElement.dataset.loupeState === 'ready'
                     && !document.querySelector('.busy:not([hidden])')"""
        )
        assert app.status() == "Cancelled; the previous view is back"
        assert app.column("region") == before
    finally:
        page.context.unroute("**/stall.csv", hold)


def test_a_url_that_never_answers_times_out_with_what_to_do(app: App) -> None:
    """Issue 10: a server silent for the timeout (30 s; here 1 s through the root's data-loupe-url-timeout)
    is given up on with a message that says so and what to do; the table on screen is kept."""
    app.show_sample()
    page = app.page
    before = app.column("region")
    stalled: list[Any] = []

    def hold(route: Any) -> None:  # never answered
        stalled.append(route)

    page.context.route("**/silent.csv", hold)
    page.evaluate("() => { document.documentElement.dataset.loupeUrlTimeout = '1'; }")
    try:
        page.fill("#url-input", app.base_url + "silent.csv")
        page.click("#url-form button[type=submit]")
        page.wait_for_function(
            """() => document.querySelector('#status')?.textContent.includes('did not answer')
                     && document.documentElement.dataset.loupeState === 'ready'
                     && !document.querySelector('.busy:not([hidden])')"""
        )
        assert stalled, "the request was not held"
        host = app.base_url.split("/")[2]
        assert app.status() == (
            f"silent.csv: the server at {host} did not answer in 1 s. "
            "Hint: try again, or download the file and drop it here instead"
        )
        assert app.column("region") == before
    finally:
        page.evaluate("() => { delete document.documentElement.dataset.loupeUrlTimeout; }")
        page.context.unroute("**/silent.csv", hold)
