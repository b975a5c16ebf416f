"""Opening a big file in the explorer: the benchmark CSV chosen through the file input, as a user
would, in a freshly launched Chromium with one page; the time to its table and the renderer's peak
memory (the page and its Python worker share that process).

The peak is VmHWM (peak resident set) of the renderer from /proc, read once the explorer is ready on
the sample (the boot's peak) and again once the file's table is on screen; the open's own cost is the
second number, since the boot's peak is always under it.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bench.browser import BOOT_TIMEOUT_MS, current_rss_mib, executable, peak_rss_mib
from bench.serve import BenchServer
from tests.e2e.browser import FLAGS

READY = "() => document.documentElement.dataset.loupeState === 'ready'"
READY_WITH = """(name) => document.documentElement.dataset.loupeState === "ready"
    && document.querySelector("#dataset-name")?.textContent === name
    && document.querySelector("#table tbody tr") !== null"""


def renderer_pids(browser: Any) -> list[int]:
    session = browser.new_browser_cdp_session()
    try:
        processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        session.detach()
    return [int(p["id"]) for p in processes if p.get("type") == "renderer"]


def memory(browser: Any) -> dict[str, float | None]:
    """Peak and current resident memory of the largest renderer (one page open: the explorer's)."""
    pids = renderer_pids(browser)
    peaks = [(peak_rss_mib(pid), pid) for pid in pids]
    known = [(peak, pid) for peak, pid in peaks if peak is not None]
    if not known:
        return {"peak_mib": None, "rss_mib": None}
    peak, pid = max(known)
    return {"peak_mib": round(peak, 1), "rss_mib": current_rss_mib(pid)}


def open_once(playwright: Any, server: BenchServer, csv: Path) -> dict[str, Any]:
    options: dict[str, Any] = {"args": FLAGS, "headless": True}
    path = executable()
    if path:
        options["executable_path"] = path
    browser = playwright.chromium.launch(**options)
    try:
        # No service worker: its precache would run beside the open and add its own memory.
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        page.goto(server.url(""))
        page.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS, polling=100)
        booted = memory(browser)
        started = time.monotonic()
        page.set_input_files("#file-input", str(csv))
        page.wait_for_function(READY_WITH, arg=csv.name, timeout=BOOT_TIMEOUT_MS * 3, polling=100)
        seconds = time.monotonic() - started
        opened = memory(browser)
        rows = page.inner_text("#row-count")
    finally:
        browser.close()
    return {
        "open_s": round(seconds, 2),
        "rows": rows,
        "boot_peak_mib": booted["peak_mib"],
        "peak_mib": opened["peak_mib"],
        "rss_after_mib": opened["rss_mib"],
    }


def run(playwright: Any, server: BenchServer, csv: Path, runs: int, log: Any = print) -> dict[str, Any]:
    """The open `runs` times, each in a fresh browser; medians, with every run's numbers kept."""
    measured = []
    for index in range(runs):
        result = open_once(playwright, server, csv)
        measured.append(result)
        log(
            f"open run {index + 1}/{runs} {csv.name}: {result['open_s']:.1f} s, {result['rows']}, "
            f"renderer peak {result['peak_mib']} MiB (after boot {result['boot_peak_mib']} MiB)"
        )

    def median(key: str) -> float | None:
        values = [r[key] for r in measured if r.get(key) is not None]
        return round(statistics.median(values), 1) if values else None

    return {
        "file": csv.name,
        "file_mib": round(csv.stat().st_size / 2**20, 1),
        "runs": measured,
        "open_s": median("open_s"),
        "peak_mib": median("peak_mib"),
        "boot_peak_mib": median("boot_peak_mib"),
        "rss_after_mib": median("rss_after_mib"),
    }
