"""The Loupe document in the page, as a user meets it: a reload restores file, steps, chart and theme
(painted at once, then live); undo and redo walk every kind of change; a copied link opens elsewhere
and asks for the file; a link's URL source waits for consent; bad links open empty with their reason;
storage the browser cleared gives a clean start with a notice; New, Recent, export and import."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import BOOT_TIMEOUT_MS, NO_SNAPSHOTS, App

SAMPLE_SOURCE = {
    "id": "s1",
    "name": "sales.csv",
    "kind": "sample",
    "url": "sample/sales.csv",
    "table": "sales",
}
CSV = "city,kind,amount\nOslo,a,3\nBergen,b,5\nOslo,b,7\nTromso,a,1\n"


def link(document: object, fmt: int = 1) -> str:
    """The fragment app/share.js makes: deflate-raw of the JSON, base64url, behind 'loupe=1.'."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packer.compress(json.dumps(document).encode()) + packer.flush()
    return f"#loupe={fmt}." + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def document_with(sources: list[dict[str, Any]], steps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    first = sources[0]["table"]
    return {
        "loupe": "document",
        "version": 1,
        "sources": sources,
        "tables": [{"name": s["table"], "source": s["id"], "steps": steps or []} for s in sources],
        "charts": [{"table": first, "spec": {"type": "bar", "x": "city", "y": "amount", "agg": "sum"}}],
        "view": {"table": first, "chart": 0},
    }


@pytest.fixture
def cities(tmp_path: Path) -> Path:
    """A small CSV of cities, kinds and amounts."""
    path = tmp_path / "cities.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture
def fresh(browser: Any, base_url: str) -> Iterator[Any]:
    """A new browser profile for each test: nothing saved, no service worker."""
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(accept_downloads=True)
        context.add_init_script(NO_SNAPSHOTS)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return App(page, base_url)

    yield make
    for context in contexts:
        context.close()


# More saves than n, the last of them of the document on screen (not an earlier change's pending save).
SAVED_MORE_THAN = """(n) => {
    const marks = document.documentElement.dataset;
    return Number(marks.loupeSaved || 0) > n && marks.loupeUnsaved === undefined;
}"""
# When the saved (or built) view was painted, and when the live one replaced it (ms since navigation).
PAINT_MARKS = """() => {
    const marks = document.documentElement.dataset;
    return [Number(marks.loupeRestoredAt), Number(marks.loupeLiveAt)];
}"""


def saves(app: App) -> int:
    return int(app.page.get_attribute("html", "data-loupe-saved") or 0)


def wait_saved(app: App, after: int) -> None:
    app.page.wait_for_function(SAVED_MORE_THAN, arg=after)


def open_csv(app: App, path: Path) -> None:
    app.act(lambda: app.page.set_input_files("#file-input", str(path)))


def test_reload_restores_file_steps_chart_and_theme(fresh: Any, cities: Path) -> None:
    data = cities
    app = fresh().open()
    open_csv(app, data)
    app.add_filter("city", "==", "Oslo")
    app.act(lambda: app.page.select_option("#chart-type", "column"))
    before = saves(app)
    app.act(lambda: app.page.click("#theme"))
    wait_saved(app, before)
    theme = app.page.get_attribute("html", "data-theme")

    app.page.reload()
    app.wait_ready(timeout=BOOT_TIMEOUT_MS)
    page = app.page
    assert page.locator("#dataset-name").inner_text() == "cities.csv"
    assert app.column("city") == ["Oslo", "Oslo"]
    assert page.locator("#steps li").all_inner_texts()[0].startswith("Filter: city = ")
    assert page.locator("#chart-type").input_value() == "column"
    assert page.get_attribute("html", "data-theme") == theme
    # The saved view was painted before Python had replayed the document, then replaced by the live one.
    restored, live = page.evaluate(PAINT_MARKS)
    assert 0 < restored < live
    assert page.get_attribute("html", "data-loupe-restoring") is None


def test_first_visit_paints_the_built_sample_before_python_is_ready(fresh: Any) -> None:
    app = fresh().open()
    restored, live = app.page.evaluate(PAINT_MARKS)
    assert 0 < restored < live
    assert app.page.locator("#row-count").inner_text() == "4,631 rows"
    assert app.page.locator("#chart svg .bar").count() > 0


def test_undo_and_redo_walk_five_kinds_of_change(fresh: Any, cities: Path) -> None:
    data = cities
    app = fresh().open()
    page = app.page
    states: list[tuple[str, int, str, str | None]] = []

    def state() -> tuple[str, int, str, str | None]:
        return (
            page.locator("#dataset-name").inner_text(),
            page.locator("#steps li").count(),
            page.locator("#chart-type").input_value(),
            page.get_attribute("html", "data-theme"),
        )

    states.append(state())
    open_csv(app, data)  # 1: a source
    states.append(state())
    app.add_filter("kind", "==", "b")  # 2: a step
    states.append(state())
    app.act(lambda: page.click('#table th[data-column="amount"]'))  # 3: a sort from the header
    states.append(state())
    app.act(lambda: page.select_option("#chart-type", "line"))  # 4: the chart
    states.append(state())
    app.act(lambda: page.click("#theme"))  # 5: the view
    states.append(state())
    assert len(set(states)) == 6, states
    assert app.column("amount") == ["5", "7"]

    for expected in reversed(states[:-1]):
        app.act(lambda: page.click("#undo"))
        assert state() == expected
    assert page.is_disabled("#undo")
    assert app.page.locator("#row-count").inner_text() == "4,631 rows"
    for expected in states[1:3]:
        app.act(lambda: page.keyboard.press("Control+Shift+Z"))
        assert state() == expected
    app.act(lambda: page.keyboard.press("Control+y"))
    assert state() == states[3]
    app.act(lambda: page.keyboard.press("Control+z"))
    assert state() == states[2]
    # A new change after an undo drops the redo branch.
    app.add_filter("city", "==", "Oslo")
    assert page.is_disabled("#redo")
    assert app.column("city") == ["Oslo"]


def test_a_copied_link_opens_elsewhere_and_asks_for_the_file(
    fresh: Any, cities: Path, tmp_path: Path
) -> None:
    data = cities
    sender = fresh().open()
    open_csv(sender, data)
    sender.add_filter("amount", ">", "2")
    sender.page.click("#copy-link")
    sender.page.wait_for_function("() => !document.querySelector('#link-text').hidden")
    url = sender.page.input_value("#link-text")
    assert "#loupe=1." in url
    assert "Oslo" not in url and "Bergen" not in url  # the data never travels in the link
    assert len(url) < 2000

    receiver = fresh()
    receiver.page.goto(url)
    receiver.wait_ready(timeout=BOOT_TIMEOUT_MS)
    page = receiver.page
    assert page.locator('#needs [data-need="file"]').is_visible()
    assert "cities.csv" in page.locator("#needs").inner_text()
    assert page.locator("#steps li").count() == 1
    receiver.act(lambda: page.set_input_files("#file-input", str(data)))
    assert page.locator("#needs").is_hidden()
    assert receiver.column("amount") == ["3", "5", "7"]
    assert "not the same file" not in receiver.status()

    # Another file under the same name runs the steps too, with a warning.
    other = tmp_path / "other" / "cities.csv"
    other.parent.mkdir()
    other.write_text(CSV.replace("Tromso,a,1", "Tromso,a,9"), encoding="utf-8")
    third = fresh()
    third.page.goto(url)
    third.wait_ready(timeout=BOOT_TIMEOUT_MS)
    third.act(lambda: third.page.set_input_files("#file-input", str(other)))
    assert "not the same file" in third.status()
    assert third.column("amount") == ["3", "5", "7", "9"]


def test_a_link_with_a_url_source_waits_for_consent(fresh: Any, base_url: str) -> None:
    # RELIABILITY 14: a link's data URL (here a loopback address) is not fetched until the user agrees
    # to the host shown.
    url = base_url + "sample/sales.csv?from=link"  # a URL the service worker never precaches
    doc = document_with([{"id": "s1", "name": "sales.csv", "kind": "url", "url": url, "table": "sales"}])
    doc["charts"][0]["spec"] = {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}
    app = fresh()
    app.page.goto(base_url + link(doc))
    app.wait_ready(timeout=BOOT_TIMEOUT_MS)
    page = app.page
    consent = page.locator('#needs [data-need="consent"]')
    assert consent.is_visible()
    assert "127.0.0.1" in consent.inner_text()
    assert not any(request.endswith("?from=link") for request in app.requests)  # nothing fetched yet
    assert page.locator("#table tbody tr").count() == 0
    app.act(lambda: consent.locator("button").click())
    assert page.locator("#row-count").inner_text() == "4,631 rows"
    assert page.locator("#needs").is_hidden()


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        # RELIABILITY 12: a tampered, oversized, future-version link and one with an unknown verb.
        ("#loupe=1.AAAA-not-deflate", "damaged"),
        ("#loupe=1." + "A" * 70_000, "too large"),
        (link({"loupe": "document", "version": 99, "sources": [], "tables": []}), "newer version"),
        ("#loupe=7.abc", "newer version"),
        (
            link(document_with([SAMPLE_SOURCE], steps=[{"verb": "explode", "column": "region"}])),
            "explode",
        ),
    ],
    ids=["tampered", "oversized", "future-document", "future-link", "unknown-verb"],
)
def test_a_bad_link_opens_the_app_empty_with_its_reason(
    fresh: Any, base_url: str, fragment: str, message: str
) -> None:
    app = fresh()
    app.page.goto(base_url + fragment)
    app.wait_ready(timeout=BOOT_TIMEOUT_MS)
    assert message in app.status().lower()
    assert "could not be opened" in app.status()
    assert app.page.locator("#table tbody tr").count() == 0
    assert app.page.locator("#steps li").count() == 0


def test_storage_cleared_by_the_browser_gives_a_clean_start_with_a_notice(fresh: Any) -> None:
    # RELIABILITY 47: saved work existed (the mark is set) but the database is gone.
    app = fresh().open()
    before = saves(app)
    app.act(lambda: app.page.click("#theme"))
    wait_saved(app, before)
    app.page.evaluate(
        """() => new Promise((done) => {
            const request = indexedDB.deleteDatabase('loupe');
            request.onsuccess = request.onerror = request.onblocked = done;
            localStorage.removeItem('loupe-current');
            history.replaceState(null, '', location.pathname);
        })"""
    )
    app.page.reload()
    app.wait_ready(timeout=BOOT_TIMEOUT_MS)
    assert "removed by the browser" in app.status()
    assert app.page.locator("#row-count").inner_text() == "4,631 rows"


def test_new_recent_export_and_import(fresh: Any, cities: Path, tmp_path: Path) -> None:
    data = cities
    app = fresh().open()
    page = app.page
    open_csv(app, data)
    before = saves(app)
    app.add_filter("kind", "==", "a")
    wait_saved(app, before)
    with page.expect_download() as download_info:
        page.click("#export-doc")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name.endswith(".loupe.json")
    exported = json.loads(saved.read_text())
    assert exported["tables"][-1]["steps"] == [{"verb": "filter", "column": "kind", "op": "==", "value": "a"}]

    app.act(lambda: page.click("#new-doc"))
    assert page.locator("#table tbody tr").count() == 0
    assert page.locator("#steps li").count() == 0
    options = page.locator("#recent option").all_inner_texts()
    assert any(text.startswith("cities.csv") for text in options)

    value = page.eval_on_selector(
        "#recent", "(s) => [...s.options].find((o) => o.text.startsWith('cities.csv')).value"
    )
    app.act(lambda: page.select_option("#recent", value))
    assert app.column("city") == ["Oslo", "Tromso"]

    app.act(lambda: page.click("#new-doc"))
    app.act(lambda: page.set_input_files("#import-doc", str(saved)))
    assert app.column("city") == ["Oslo", "Tromso"]  # the file's bytes were saved in this browser
    assert page.locator("#steps li").count() == 1


def test_storage_that_refuses_gives_an_unsaved_session_with_a_message(browser: Any, base_url: str) -> None:
    # RELIABILITY 46/47 for documents: a browser that refuses IndexedDB (a private window, a full disk).
    context = browser.new_context()
    context.add_init_script(NO_SNAPSHOTS)
    context.add_init_script(
        "indexedDB.open = () => { throw new DOMException('storage is full', 'QuotaExceededError'); };"
    )
    try:
        app = App(context.new_page(), base_url).open()
        note = app.page.locator("#storage-note").inner_text()
        assert "not being saved" in note
        assert "storage is full" in note
        app.add_filter("region", "==", "North")  # the page keeps working, unsaved
        assert set(app.column("region")) == {"North"}
        assert app.page.locator("#steps li").count() == 1
        assert app.page.locator("#storage-note").is_visible()
    finally:
        context.close()


def test_steps_can_be_edited_switched_off_moved_duplicated_and_removed(fresh: Any, cities: Path) -> None:
    data = cities
    app = fresh().open()
    page = app.page
    open_csv(app, data)
    app.add_filter("kind", "==", "b")
    page.fill("#step-json", '{"verb": "limit", "n": 1}')
    app.act(lambda: page.click("#step-submit"))
    assert app.column("city") == ["Bergen"]
    steps = page.locator("#steps li")

    app.act(lambda: steps.nth(0).locator('[data-act="toggle"]').click())  # the filter off: all rows, one kept
    assert app.column("city") == ["Oslo"]
    assert "off" in (steps.nth(0).get_attribute("class") or "")
    app.act(lambda: steps.nth(0).locator('[data-act="toggle"]').click())
    assert app.column("city") == ["Bergen"]

    steps.nth(1).focus()  # the limit above the filter, by keyboard: the first row, then the filter
    app.act(lambda: page.keyboard.press("Alt+ArrowUp"))
    assert steps.nth(0).inner_text().startswith("First 1 row")
    assert app.column("city") == []
    assert page.evaluate("() => document.activeElement.dataset.index") == "0"

    steps.nth(0).locator('[data-act="edit"]').click()  # in its form: the number of rows
    page.wait_for_function("() => document.querySelector('#add-step-submit').textContent === 'Update step 1'")
    page.get_by_label("Rows", exact=True).fill("3")
    app.act(lambda: page.click("#add-step-submit"))
    assert steps.count() == 2
    assert app.column("city") == ["Bergen", "Oslo"]

    app.act(lambda: steps.nth(1).locator('[data-act="duplicate"]').click())
    assert steps.count() == 3
    app.act(lambda: steps.nth(0).locator('[data-act="remove"]').click())
    assert steps.count() == 2
    assert app.column("city") == ["Bergen", "Oslo"]
    app.act(lambda: page.click("#undo"))
    assert steps.count() == 3


def test_keyboard_sort_paste_and_the_sql_of_the_pipeline(app: Any) -> None:
    page = app.page
    app.show_sample()
    header = page.locator('#table th[data-column="units"]')
    header.focus()
    app.act(lambda: page.keyboard.press("Enter"))
    units = [int(text.replace(",", "")) for text in app.column("units")]
    assert units == sorted(units)
    assert page.evaluate("() => document.activeElement.dataset.column") == "units"
    app.act(lambda: page.keyboard.press(" "))
    units = [int(text.replace(",", "")) for text in app.column("units")]
    assert units == sorted(units, reverse=True)
    page.eval_on_selector("#pipeline-sql", "(el) => { el.closest('details').open = true; }")
    assert 'ORDER BY "units" DESC' in page.inner_text("#pipeline-sql")
    assert ":p" not in page.inner_text("#pipeline-sql")  # values are written in

    page.focus("#open-file")  # reachable with Tab: a real button
    assert page.evaluate("() => document.activeElement.id") == "open-file"

    page.locator("h1.logo").click()
    app.act(
        lambda: page.evaluate(
            """() => {
                const data = new DataTransfer();
                data.setData('text/plain', 'fruit\\tcount\\napple\\t3\\npear\\t5');
                const paste = new ClipboardEvent('paste', {clipboardData: data, bubbles: true});
                document.body.dispatchEvent(paste);
            }"""
        )
    )
    assert page.locator("#dataset-name").inner_text() == "pasted.tsv"
    assert app.column("fruit") == ["apple", "pear"]


def test_a_file_opens_from_a_web_address(app: Any) -> None:
    page = app.page
    page.fill("#url-input", "ftp://example.invalid/data.csv")
    page.click("#url-form button[type=submit]")
    assert "https://" in app.status()
    page.fill("#url-input", app.base_url + "sample/sales.csv?via=url-box")
    app.act(lambda: page.click("#url-form button[type=submit]"))
    assert page.locator("#row-count").inner_text() == "4,631 rows"
    assert page.locator("#dataset-name").inner_text() == "sales.csv"


def test_step_notes_and_date_formats_from_the_reading_options(app: Any, tmp_path: Path) -> None:
    page = app.page
    data = tmp_path / "polls.csv"
    data.write_text("when,n\n10/13/98,1\nsoon,2\n", encoding="utf-8")
    app.act(lambda: page.set_input_files("#file-input", str(data)))
    page.fill("#step-json", '{"verb": "cast", "column": "when", "to": "date", "format": "%m/%d/%y"}')
    app.act(lambda: page.click("#step-submit"))
    assert app.column("when") == ["1998-10-13", "null"]
    notes = page.locator("#step-notes").inner_text()
    assert "step 1 (cast)" in notes and "'soon' (row 2)" in notes

    dates = tmp_path / "dates.csv"
    dates.write_text("when,n\n01/02/03,1\n12/11/10,2\n", encoding="utf-8")
    app.act(lambda: page.set_input_files("#file-input", str(dates)))
    page.eval_on_selector("#read-options", "(el) => { el.open = true; }")
    page.fill("#options-form textarea[name=date_formats]", '{"when": "%d/%m/%y"}')
    app.act(lambda: page.click("#options-form button[type=submit]"))
    assert app.column("when") == ["2003-02-01", "2010-11-12"]
    assert page.locator("#step-notes").is_hidden()
