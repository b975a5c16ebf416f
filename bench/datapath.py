"""The data path: the same workload (pages/workload.json) in Loupe's worker, DuckDB-WASM, Arquero and
natively, with each engine's answers checked against the others.

Every browser engine runs in a freshly launched Chromium with one page, so the renderer process's peak
resident memory (VmHWM in /proc, found through CDP SystemInfo.getProcessInfo) belongs to that engine
alone: dedicated workers (Loupe's, DuckDB's) live in their page's renderer process. Boot is excluded
from the timings (start-up is measured separately); the CSV is already in memory as an ArrayBuffer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import compare
from bench.browser import BOOT_TIMEOUT_MS, executable, peak_rss_mib
from bench.serve import ROOT, BenchServer
from tests.e2e.browser import FLAGS

BROWSER_ENGINES = ("loupe", "loupe_duckdb", "duckdb", "arquero")
RUN_TIMEOUT_MS = 600_000


def launch(playwright: Any) -> Any:
    options: dict[str, Any] = {"args": FLAGS, "headless": True}
    path = executable()
    if path:
        options["executable_path"] = path
    return playwright.chromium.launch(**options)


def renderer_peak_mib(browser: Any) -> float | None:
    """The largest VmHWM among the browser's renderer processes (one page open: that page's)."""
    session = browser.new_browser_cdp_session()
    try:
        processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        session.detach()
    peaks = [peak_rss_mib(int(p["id"])) for p in processes if p.get("type") == "renderer"]
    clean = [p for p in peaks if p is not None]
    return max(clean) if clean else None


def run_browser_engine(playwright: Any, server: BenchServer, engine: str, csv: Path) -> dict[str, Any]:
    browser = launch(playwright)
    try:
        page = browser.new_page()
        page.goto(server.url(f"bench/engines.html?engine={engine}"))
        page.wait_for_function(
            "() => document.documentElement.dataset.benchState !== 'booting'",
            timeout=BOOT_TIMEOUT_MS,
            polling=100,
        )
        if page.get_attribute("html", "data-bench-state") != "ready":
            raise RuntimeError(f"{engine} did not boot: {page.inner_text('#status')}")
        page.set_default_timeout(RUN_TIMEOUT_MS)
        result: dict[str, Any] = page.evaluate(
            "(url) => window.bench.run(url)", server.url(f"data/{csv.name}")
        )
        result["boot_ms"] = page.evaluate("window.bench.bootMs")
        result["peak_mib"] = renderer_peak_mib(browser)
    finally:
        browser.close()
    answers = result["answers"]
    for name, answer in answers.items():
        if "tree" in answer:
            answers[name] = compare.from_table_tree(answer["tree"])
    return result


def run_native(csv: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "native.py"), str(csv)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout))


def run(
    playwright: Any,
    server: BenchServer,
    paths: dict[int, Path],
    engines: list[str],
    runs: int,
    log: Any = print,
) -> dict[str, Any]:
    """{rows: {"engines": {engine: {"steps": {step: [ms per run]}, "total": [...], "peak_mib": [...]}},
    "check": {...}}}; engines interleave within each run so machine noise hits them alike."""
    out: dict[str, Any] = {}
    for rows, csv in sorted(paths.items()):
        sized: dict[str, Any] = {
            name: {"steps": {}, "total": [], "peak_mib": [], "boot_ms": []} for name in engines
        }
        answers: dict[str, dict[str, Any]] = {}
        for index in range(runs):
            for engine in engines:
                try:
                    result = (
                        run_native(csv)
                        if engine == "native"
                        else run_browser_engine(playwright, server, engine, csv)
                    )
                except Exception as error:  # one engine failing must not lose the others' numbers
                    log(f"data {rows:,} run {index + 1}: {engine} FAILED: {error}")
                    sized[engine].setdefault("errors", []).append(str(error)[:500])
                    continue
                for step, ms in result["steps"].items():
                    sized[engine]["steps"].setdefault(step, []).append(ms)
                sized[engine]["total"].append(result["total"])
                sized[engine]["peak_mib"].append(result.get("peak_mib"))
                sized[engine]["boot_ms"].append(result.get("boot_ms"))
                answers.setdefault(engine, result["answers"])
                steps = ", ".join(f"{k} {v:.0f}" for k, v in result["steps"].items())
                log(
                    f"data {rows:,} run {index + 1}/{runs} {engine}: "
                    f"total {result['total']:.0f} ms ({steps}); peak {result.get('peak_mib') or 0:.0f} MiB"
                )
        reference = "duckdb" if "duckdb" in answers else next(iter(answers), "")
        check = compare.check(answers, reference)
        log(f"data {rows:,}: answers {'agree' if check['ok'] else 'DISAGREE'} ({check['compared']} compared)")
        for problem in check["mismatches"]:
            log(f"  {problem}")
        out[str(rows)] = {"engines": sized, "check": check}
    return out
