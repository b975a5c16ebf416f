"""Headless Chromium for the benchmark: persistent profiles (so the HTTP cache works like a real
browser's), the first-table probe every start-up page is measured with, and the renderer's memory.

The executable and flags are the e2e tests' (tests/e2e/browser.py): Playwright's own Chromium when it is
installed, else the system one.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from tests.e2e.browser import FLAGS, system_chromium

BOOT_TIMEOUT_MS = 180_000

# Runs before any page script: records performance.now() (milliseconds since navigation start) the first
# time the page is ready and a table row is in the DOM. Every start-up page (Loupe, floor, PyScript)
# signals readiness the same way, so the one probe measures them all.
FIRST_TABLE_PROBE = """
(() => {
  const check = () => {
    if (window.__firstTable !== undefined) return;
    const root = document.documentElement;
    const state = root && root.dataset.loupeState;
    if (state === "error") window.__firstTable = -1;
    else if (state === "ready" && document.querySelector("#table tbody tr")) {
      window.__firstTable = performance.now();
    }
    if (window.__firstTable !== undefined) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();
"""


def executable() -> str | None:
    """None means Playwright's bundled Chromium; otherwise the system Chromium's path."""
    if os.environ.get("LOUPE_CHROMIUM"):
        return os.environ["LOUPE_CHROMIUM"]
    bundled = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    if bundled.is_dir() and any(bundled.glob("chromium-*")):
        return None
    return system_chromium()


def persistent(playwright: Any, profile: Path, *, service_workers: str = "allow") -> Any:
    """A browser context on an on-disk profile: a second context on the same profile sees a warm cache."""
    options: dict[str, Any] = {"args": FLAGS, "headless": True, "service_workers": service_workers}
    path = executable()
    if path:
        options["executable_path"] = path
    context = playwright.chromium.launch_persistent_context(str(profile), **options)
    context.add_init_script(FIRST_TABLE_PROBE)
    return context


def first_table(page: Any, url: str, *, reload: bool = False) -> dict[str, Any]:
    """Navigate (or reload) and wait for the first table; returns ms since navigation and paint times."""
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__firstTable !== undefined", timeout=BOOT_TIMEOUT_MS, polling=50)
    result: dict[str, Any] = page.evaluate(
        """() => {
            const entries = performance.getEntriesByType("paint");
            const paint = Object.fromEntries(entries.map((e) => [e.name, e.startTime]));
            return {first_table_ms: window.__firstTable, first_paint_ms: paint["first-paint"] ?? null,
                    first_contentful_paint_ms: paint["first-contentful-paint"] ?? null};
        }"""
    )
    if result["first_table_ms"] < 0:
        raise RuntimeError(f"{url} reported an error instead of a table: {page.inner_text('body')[:300]}")
    return result


def browser_pid(context: Any) -> int | None:
    """The browser process id, from the CDP SystemInfo domain (None when unavailable)."""
    info = process_info(context)
    for process in info:
        if process.get("type") == "browser":
            return int(process["id"])
    return None


def process_info(context: Any) -> list[dict[str, Any]]:
    """Chromium's own process list (type, id, cpuTime) through a browser-level CDP session."""
    browser = context.browser
    if browser is None:
        return []
    session = browser.new_browser_cdp_session()
    try:
        return list(session.send("SystemInfo.getProcessInfo")["processInfo"])
    finally:
        session.detach()


def renderer_pids(context: Any) -> list[int]:
    return [int(p["id"]) for p in process_info(context) if p.get("type") == "renderer"]


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM (peak resident set) of a process from /proc, in MiB; None if the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


def current_rss_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


# -- the explorer, driven the way its users change it (bench/crossfilter.py, bench/form_change.py) ----


def wait_ready(page: Any, after: int) -> None:
    """Until the explorer is ready with more renders than `after` (the signal a change is drawn)."""
    page.wait_for_function(
        """(n) => document.documentElement.dataset.loupeState === 'ready'
            && Number(document.documentElement.dataset.loupeRenders || 0) > n""",
        arg=after,
    )


def act(page: Any, action: Any) -> None:
    """Do `action` and wait for the render it causes."""
    before = int(page.get_attribute("html", "data-loupe-renders") or 0)
    action()
    wait_ready(page, before)


def apply_chart(page: Any, spec: dict[str, Any]) -> None:
    """Show `spec` through the Chart as JSON box, as a user pasting one would."""
    if not page.locator("#chart-json").is_visible():
        page.click(".chart-json summary")
    page.fill("#chart-json", json.dumps(spec))
    act(page, lambda: page.click("#chart-json-form button[type=submit]"))


def open_csv(page: Any, url: str, csv: Path, rows: int) -> None:
    """Load the explorer at `url` and open `csv` from the file input, until its `rows` are counted."""
    page.goto(url)
    page.wait_for_function(
        "() => document.documentElement.dataset.loupeState === 'ready'", timeout=BOOT_TIMEOUT_MS
    )
    act(page, lambda: page.set_input_files("#file-input", str(csv)))
    page.wait_for_function(
        "(n) => document.querySelector('#row-count').textContent.startsWith(n)", arg=f"{rows:,}"
    )
