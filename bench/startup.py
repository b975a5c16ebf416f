"""Start-up: navigation to the first table for Loupe, the floor (bare Pyodide in a module worker) and a
PyScript page booting the same Pyodide; cold, warm (HTTP cache) and offline (service worker).

Each run and target uses two fresh on-disk profiles:
  A (service workers blocked): visit 1 = "cold_nosw", visit 2 in a relaunched browser = "warm" (the disk
    HTTP cache; the server sends Cache-Control: no-cache, so files are revalidated with cheap 304s).
    Loupe saves a start-up snapshot (Cache Storage) after a normal boot; the harness waits for it after
    each visit, as a user's visit would leave it, so "warm" and "offline" boot from it.
  B (service workers allowed): visit 1 = "cold" (a real first visit: Loupe's service worker precaches
    while the page boots); then the service worker takes over, the network goes away, a reload = "offline".
    The floor and PyScript pages get a generic cache-as-you-go worker (pages/cache-sw.js), filled by one
    online visit under its control before going offline.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.browser import BOOT_TIMEOUT_MS, first_table, persistent
from bench.serve import BenchServer


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    service_worker: str | None  # registered by the harness; None when the page registers its own
    snapshots: bool = False  # the page saves a start-up snapshot after a normal boot (Loupe does)


TARGETS = (
    Target("floor", "bench/floor.html", "bench/cache-sw.js"),
    Target("floor_main", "bench/floor-main.html", "bench/cache-sw.js"),
    Target("pyscript", "bench/pyscript.html", "bench/cache-sw.js"),
    Target("loupe", "", None, snapshots=True),
)


# Loupe's explorer says how its worker booted ("normal" or "snapshot") and its footer how long it took.
BOOT_FACTS = """() => {
    const root = document.documentElement;
    const text = document.querySelector("#runtime")?.textContent ?? "";
    const match = text.match(/started in ([0-9.]+) s/);
    return {boot: root.dataset.loupeBoot ?? null, boot_ms: match ? Number(match[1]) * 1000 : null};
}"""
SNAPSHOT_TIMEOUT_MS = 240_000
# The explorer paints a saved (or, on a first visit, build-time) view before Python is ready and marks
# when (ms since navigation start): loupeRestoredAt at that paint, loupeLiveAt when the live view
# replaced it. Read once the live view is up; None when the page painted nothing early.
PAINT_MARKS = """() => {
    const data = document.documentElement.dataset;
    const mark = (value) => (value === undefined ? null : Number(value));
    return {restored_at_ms: mark(data.loupeRestoredAt), live_at_ms: mark(data.loupeLiveAt)};
}"""
MARKS_SETTLED = """() => {
    const data = document.documentElement.dataset;
    return data.loupeRestoredAt === undefined || data.loupeLiveAt !== undefined;
}"""


def paint_marks(page: Any) -> dict[str, Any]:
    page.wait_for_function(MARKS_SETTLED, timeout=BOOT_TIMEOUT_MS, polling=50)
    marks: dict[str, Any] = page.evaluate(PAINT_MARKS)
    return marks


def visit(
    page: Any, server: BenchServer, url: str, target: Target, *, reload: bool = False
) -> dict[str, Any]:
    server.counter.reset()
    result = first_table(page, url, reload=reload)
    sent = server.counter.snapshot()
    result["bytes"] = sent["bytes"]
    result["requests"] = sent["requests"]
    result["not_modified"] = sent["not_modified"]
    if target.snapshots:
        result.update(paint_marks(page))
        result.update(page.evaluate(BOOT_FACTS))
        if result.get("boot") == "normal":
            # Let the page save its snapshot, as a user's visit would, so the next visit can use it.
            page.wait_for_function(
                "() => document.documentElement.dataset.loupeSnapshot !== undefined",
                timeout=SNAPSHOT_TIMEOUT_MS,
            )
            result["snapshot"] = page.get_attribute("html", "data-loupe-snapshot")
    return result


def wait_for_service_worker(page: Any, script: str | None) -> None:
    """Register the bench worker if the page has none of its own, and wait until it is active."""
    if script is not None:
        page.evaluate("(url) => navigator.serviceWorker.register(url, {scope: './'})", "/" + script)
    # For Loupe, "ready" means installed and activated: the install step precached every file.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")


def run_target(playwright: Any, server: BenchServer, target: Target, scratch: Path) -> dict[str, Any]:
    url = server.url(target.path)
    out: dict[str, Any] = {}

    profile_a = scratch / f"{target.name}-a"
    context = persistent(playwright, profile_a, service_workers="block")
    out["cold_nosw"] = visit(context.pages[0] if context.pages else context.new_page(), server, url, target)
    context.close()
    context = persistent(playwright, profile_a, service_workers="block")
    out["warm"] = visit(context.pages[0] if context.pages else context.new_page(), server, url, target)
    context.close()

    profile_b = scratch / f"{target.name}-b"
    context = persistent(playwright, profile_b)
    page = context.pages[0] if context.pages else context.new_page()
    out["cold"] = visit(page, server, url, target)
    server.counter.reset()
    wait_for_service_worker(page, target.service_worker)
    if target.service_worker is not None:
        first_table(page, url, reload=True)  # one visit under the worker's control fills its cache
    out["cold"]["bytes_after_sw"] = out["cold"]["bytes"] + server.counter.snapshot()["bytes"]
    context.set_offline(True)
    out["offline"] = visit(page, server, url, target, reload=True)
    context.close()
    shutil.rmtree(profile_a, ignore_errors=True)
    shutil.rmtree(profile_b, ignore_errors=True)
    return out


def run(playwright: Any, server: BenchServer, runs: int, log: Any = print) -> dict[str, list[dict[str, Any]]]:
    """All targets, `runs` times, interleaved so a slow moment of the machine hits every target alike."""
    results: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TARGETS}
    with tempfile.TemporaryDirectory(prefix="loupe-bench-") as tmp:
        for index in range(runs):
            for target in TARGETS:
                measured = run_target(playwright, server, target, Path(tmp))
                results[target.name].append(measured)
                log(
                    f"startup run {index + 1}/{runs} {target.name}: "
                    + ", ".join(f"{k} {v['first_table_ms'] / 1000:.2f}s" for k, v in measured.items())
                )
    return results


# Saved-document signal: the explorer counts its saves in data-loupe-saved.
SAVES = "() => Number(document.documentElement.dataset.loupeSaved || 0)"
SAVED_AFTER = "(n) => Number(document.documentElement.dataset.loupeSaved || 0) > n"
READY_WITH = """(name) => document.documentElement.dataset.loupeState === "ready"
    && document.querySelector("#dataset-name")?.textContent === name"""


def reload_marks(page: Any, server: BenchServer, url: str) -> dict[str, Any]:
    """Reload and measure the restore: the saved view's paint, the live view and the first table."""
    server.counter.reset()
    result = first_table(page, url, reload=True)
    result.update(paint_marks(page))
    result.update(page.evaluate(BOOT_FACTS))
    result["bytes"] = server.counter.snapshot()["bytes"]
    return result


def restore_run(playwright: Any, server: BenchServer, csv_path: Path, scratch: Path) -> dict[str, Any]:
    """One fresh profile (service workers blocked: the HTTP cache and the saved document, no precache):
    the sample's first visit, a reload; then the CSV opened through the file input, saved, a reload."""
    profile = scratch / "restore"
    context = persistent(playwright, profile, service_workers="block")
    page = context.pages[0] if context.pages else context.new_page()
    url = server.url("")
    out: dict[str, Any] = {"first_visit": first_table(page, url)}
    out["first_visit"].update(paint_marks(page))
    # As a user's visit would leave it: the start-up snapshot saved, so both reloads boot from it.
    page.wait_for_function(
        "() => document.documentElement.dataset.loupeSnapshot !== undefined", timeout=SNAPSHOT_TIMEOUT_MS
    )
    out["sample"] = reload_marks(page, server, url)
    before = page.evaluate(SAVES)
    page.set_input_files("#file-input", str(csv_path))
    page.wait_for_function(READY_WITH, arg=csv_path.name, timeout=BOOT_TIMEOUT_MS, polling=50)
    page.wait_for_function(SAVED_AFTER, arg=before, timeout=BOOT_TIMEOUT_MS, polling=100)
    # The save right after opening may come before the file's view is on screen (then it holds no view
    # to repaint); as a user keeps working, a change or two (the theme, and back) saves the live view.
    for _ in range(2):
        before = page.evaluate(SAVES)
        page.click("#theme")
        page.wait_for_function(SAVED_AFTER, arg=before, timeout=BOOT_TIMEOUT_MS, polling=100)
    out["csv"] = reload_marks(page, server, url)
    out["csv"]["file_bytes"] = csv_path.stat().st_size
    if page.evaluate("() => document.querySelector('#dataset-name')?.textContent") != csv_path.name:
        raise RuntimeError(f"the reload did not restore {csv_path.name}")
    context.close()
    shutil.rmtree(profile, ignore_errors=True)
    return out


def restore(
    playwright: Any, server: BenchServer, csv_path: Path, runs: int, log: Any = print
) -> list[dict[str, Any]]:
    """The restore after a reload, `runs` times, each in a fresh profile."""
    results = []
    with tempfile.TemporaryDirectory(prefix="loupe-bench-restore-") as tmp:
        for index in range(runs):
            measured = restore_run(playwright, server, csv_path, Path(tmp))
            results.append(measured)
            log(
                f"restore run {index + 1}/{runs}: "
                + ", ".join(
                    f"{case} painted {v['restored_at_ms']} ms, live {v['live_at_ms']} ms"
                    for case, v in measured.items()
                )
            )
    return results
