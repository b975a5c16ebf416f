"""Fixtures for the browser flows: dist/ served on a free localhost port, one Chromium per session,
one page (one Pyodide boot) per test module, and helpers that wait on the app's ready signal.

Every flow runs under the production Content-Security-Policy (build.CSP, Trusted Types included) and
fails on any violation: pages record `securitypolicyviolation` events (checked by App.wait_ready), and
the server's report-uri collects the reports of every context, workers and service worker included
(checked after each test). An App also fails on any request that leaves the origin (RELIABILITY 16)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


# Most flows test a normal boot; tests/e2e/test_snapshot.py turns start-up snapshots on.
NO_SNAPSHOTS = "globalThis.LOUPE_SNAPSHOTS = false;"
# Run in every page before its scripts: keep each CSP violation where App can read it.
RECORD_VIOLATIONS = """
window.__loupeViolations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__loupeViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`
    + ` (${event.sample})`), true);
"""
CSP_REPORTS: list[dict[str, object]] = []  # filled by the server: reports from every context


def violations(reports: list[dict[str, object]]) -> list[str]:
    return [
        f"{r.get('effective-directive')} blocked {r.get('blocked-uri')} in {r.get('document-uri')} "
        f"at {r.get('source-file')}:{r.get('line-number')} ({r.get('script-sample')})"
        for r in reports
    ]


def take_reports(match: str, timeout_s: float = 10.0) -> list[dict[str, object]]:
    """Wait for and remove the CSP reports whose script sample contains `match` (a test that provokes a
    violation on purpose); reports arrive asynchronously, shortly after the violation."""
    deadline = time.monotonic() + timeout_s
    while True:
        taken = [report for report in CSP_REPORTS if match in str(report.get("script-sample", ""))]
        if taken or time.monotonic() > deadline:
            for report in taken:
                CSP_REPORTS.remove(report)
            return taken
        time.sleep(0.1)


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """Serve dist/ (built on demand) as `python build.py serve` does, plus a report-uri for violations."""
    if not (DIST / "build.json").exists():
        build.build()
    server = build.serve_in_background(DIST, reports=CSP_REPORTS)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


OFF_MACHINE: list[str] = []  # requests any context made to a host other than this machine's servers


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """After each browser test: no CSP violation was reported by any page, worker or service worker, and
    no context reached beyond the local test servers (App checks the stricter same-origin rule)."""
    yield
    if CSP_REPORTS:
        found = violations(CSP_REPORTS)
        CSP_REPORTS.clear()
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(found))
    if OFF_MACHINE:
        found = OFF_MACHINE[:]
        OFF_MACHINE.clear()
        pytest.fail(f"requests off the machine: {found}")


def record_off_machine(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("blob", "data") and parts.hostname not in ("127.0.0.1", "localhost"):
        OFF_MACHINE.append(url)


def new_context(browser: Any, *, snapshots: bool = False) -> Any:
    """A browser context whose pages record CSP violations (and make no start-up snapshots unless asked)."""
    context = browser.new_context()
    context.on("request", lambda request: record_off_machine(request.url))
    context.add_init_script(RECORD_VIOLATIONS)
    if not snapshots:
        context.add_init_script(NO_SNAPSHOTS)
    return context


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
        self.origin = base_url.rstrip("/")
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
        page = self.page
        if page.locator("#row-count").inner_text() != "4,631 rows" or page.locator("#steps li").count():
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
        self.assert_clean()

    def assert_clean(self) -> None:
        """No CSP violation in the page so far, and no request has left the origin."""
        found = self.page.evaluate("() => window.__loupeViolations ?? []")
        assert not found, f"Content-Security-Policy violations: {found}"
        outside = [url for url in self.requests if not url.startswith((self.origin + "/", "blob:", "data:"))]
        assert not outside, f"requests off the origin: {outside}"

    def take_violations(self) -> list[str]:
        """The page's recorded violations, cleared (for a test that provokes one on purpose)."""
        return self.page.evaluate("() => window.__loupeViolations.splice(0)")

    def act(self, action: Any) -> None:
        """Do something that triggers a request, then wait for its render."""
        before = self.renders()
        action()
        self.wait_ready(after=before)

    def add_filter(self, column: str, op: str, value: str) -> None:
        """Add a filter step through the page's Filter form and wait for its render."""
        self.page.select_option("#filter-column", column)
        self.page.select_option("#filter-op", op)
        self.page.fill("#filter-value", value)
        self.act(lambda: self.page.click("#filter-form button[type=submit]"))

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


@pytest.fixture(scope="module")
def app(browser: Any, base_url: str) -> Iterator[App]:
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield App(page, base_url).open()
    context.close()
