"""Table scrolling: a 100-row window at random offsets of a 1,000,000-row result, fetched through the
worker's "rows" method and painted with app/tree.js (pages/scroll.js), as the explorer pages through.
Each window is built and laid out a second time with no request: the browser's own cost of that table,
the floor under any window time. One case asks for 25 rows, what the explorer fetches for a 720 px view."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from bench.browser import BOOT_TIMEOUT_MS
from bench.datapath import RUN_TIMEOUT_MS, launch, renderer_peak_mib
from bench.serve import BenchServer

WINDOWS_PER_RUN = 10
WINDOW_ROWS = 100
EXPLORER_ROWS = 25  # VirtualTable.visibleRows for a 720 px scroller at 29 px per row
CASES = (
    {"name": "as read", "pipeline": [], "limit": WINDOW_ROWS},
    {"name": f"as read, {EXPLORER_ROWS} rows", "pipeline": [], "limit": EXPLORER_ROWS},
    {
        "name": "sorted by value",
        "pipeline": [{"verb": "sort", "by": [{"column": "value", "desc": True}]}],
        "limit": WINDOW_ROWS,
    },
    {
        "name": "filtered (North)",
        "pipeline": [{"verb": "filter", "column": "region", "op": "==", "value": "North"}],
        "limit": WINDOW_ROWS,
    },
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(
    windows: list[float], requests: list[float], first: list[float], paints: list[float], limit: int
) -> dict[str, Any]:
    return {
        "limit": limit,
        "paint_only_median_ms": statistics.median(paints),
        "count": len(windows),
        "median_ms": statistics.median(windows),
        "p90_ms": percentile(windows, 0.9),
        "max_ms": max(windows),
        "request_median_ms": statistics.median(requests),
        "request_p90_ms": percentile(requests, 0.9),
        "first_view_ms": statistics.median(first),
    }


def run(playwright: Any, server: BenchServer, csv: Path, runs: int, log: Any = print) -> dict[str, Any]:
    collected: dict[str, dict[str, list[float]]] = {}
    rows = 0
    peaks: list[float] = []
    opens: list[float] = []
    for index in range(runs):
        browser = launch(playwright)
        try:
            page = browser.new_page()
            page.goto(server.url("bench/scroll.html"))
            page.wait_for_function(
                "() => document.documentElement.dataset.benchState !== 'booting'", timeout=BOOT_TIMEOUT_MS
            )
            page.set_default_timeout(RUN_TIMEOUT_MS)
            result = page.evaluate(
                "([url, cases, count]) => window.bench.run(url, cases, count)",
                [server.url(f"data/{csv.name}"), list(CASES), WINDOWS_PER_RUN],
            )
            peak = renderer_peak_mib(browser)
            if peak:
                peaks.append(peak)
        finally:
            browser.close()
        rows = result["rows"]
        opens.append(result["open_ms"])
        for name, case in result["cases"].items():
            into = collected.setdefault(name, {"windows": [], "requests": [], "first": [], "paints": []})
            into["windows"] += case["windows"]
            into["requests"] += case["requests"]
            into["paints"] += case["paints"]
            into["first"].append(case["first_ms"])
            log(
                f"scroll run {index + 1}/{runs} {name}: first view {case['first_ms']:.0f} ms, "
                f"window median {statistics.median(case['windows']):.0f} ms"
            )
    limits = {case["name"]: case["limit"] for case in CASES}
    return {
        "rows": rows,
        "cases": {
            name: summary(c["windows"], c["requests"], c["first"], c["paints"], limits[name])
            for name, c in collected.items()
        },
        "peak_mib": max(peaks) if peaks else None,
        "open_ms": statistics.median(opens) if opens else None,
    }
