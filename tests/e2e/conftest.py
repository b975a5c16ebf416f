"""Fixtures for the browser flows: dist/ served on a free localhost port, one Chromium per session,
one page (one Pyodide boot) per test module, and helpers that wait on the app's ready signal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import build
from tests.e2e.browser import launch

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
BOOT_TIMEOUT_MS = 120_000  # a cold Pyodide boot on a loaded 2-core CI machine
ACTION_TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """Serve dist/ (built on demand) exactly as `python build.py serve` does."""
    if not (DIST / "build.json").exists():
        build.build()
    server = build.serve_in_background(DIST)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


class App:
    """A page of the app plus the waits the tests need: on the ready signal, never on a sleep."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        page.context.on("request", lambda request: self.requests.append(request.url))

    def open(self, path: str = "") -> App:
        self.page.goto(self.base_url + path)
        self.wait_ready(timeout=BOOT_TIMEOUT_MS)
        return self

    def fresh(self, path: str = "") -> App:
        """A first visit again: forget the documents this browser saved, then open (the sample shows)."""
        self.page.evaluate(
            """async () => {
                localStorage.clear();
                await new Promise((done) => {
                    const request = indexedDB.deleteDatabase('loupe');
                    request.onsuccess = request.onerror = request.onblocked = done;
                });
            }"""
        )
        return self.open(path)

    def show_sample(self) -> None:
        """Back to the freshly opened sample (a test before may have opened another file)."""
        if self.page.locator("#row-count").inner_text() != "4,631 rows" or self.page.locator("#steps li").count():
            self.fresh()

    def renders(self) -> int:
        return int(self.page.get_attribute("html", "data-loupe-renders") or 0)

    def wait_ready(self, after: int | None = None, timeout: int = ACTION_TIMEOUT_MS) -> None:
        """Wait until the page is idle (ready or showing an error) and has rendered more than `after`."""
        count = 0 if after is None else after
        self.page.wait_for_function(
            """(count) => {
                const root = document.documentElement;
                const state = root.dataset.loupeState;
                const renders = Number(root.dataset.loupeRenders || 0);
                return (state === 'ready' || state === 'error') && renders > count;
            }""",
            arg=count,
            timeout=timeout,
        )

    def act(self, action: Any) -> None:
        """Do something that triggers a request, then wait for its render."""
        before = self.renders()
        action()
        self.wait_ready(after=before)

    def column(self, name: str) -> list[str]:
        """The visible cells of one column of the data table, by header name."""
        return self.page.evaluate(
            """(name) => {
                const headers = [...document.querySelectorAll('#table thead th')];
                const index = headers.findIndex((th) => th.dataset.column === name);
                if (index < 0) return null;
                const rows = [...document.querySelectorAll('#table tbody tr')];
                return rows.map((tr) => tr.children[index].textContent);
            }""",
            name,
        )

    def status(self) -> str:
        return self.page.locator("#status").inner_text() if self.page.is_visible("#status") else ""


# Most flows test a normal boot; tests/e2e/test_snapshot.py turns start-up snapshots on.
NO_SNAPSHOTS = "globalThis.LOUPE_SNAPSHOTS = false;"


@pytest.fixture(scope="module")
def app(browser: Any, base_url: str) -> Iterator[App]:
    context = browser.new_context()
    context.add_init_script(NO_SNAPSHOTS)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield App(page, base_url).open()
    context.close()
