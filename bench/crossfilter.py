"""Cross-filtering: the time from a click on a bar to the table and every other chart showing the
selection (the page's `data-loupe-crossfilter` signal, plus one animation frame for the paint), on the
explorer with the benchmark's CSV and three charts of it (a bar per region in the chart form, cards for
rows per category and value per month).

    .venv/bin/python -m bench.crossfilter --rows 100000 --clicks 8

Cases: a bar of the chart in the form (the table and both cards filter), a bar of a card (the table,
the chart in the form and the other card filter), and Escape (everything back).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from bench.browser import act, apply_chart, open_csv
from bench.datapath import RUN_TIMEOUT_MS, launch
from bench.make_data import REGIONS, ensure
from bench.serve import BenchServer

CHARTS = (
    {"type": "bar", "x": "region", "y": "value", "agg": "sum"},
    {"type": "column", "x": "category", "agg": "count"},
    {"type": "line", "x": "date", "y": "value", "agg": "sum", "time_unit": "month"},
)
# Click (or press) in the page and resolve with the ms until the cross-filter signal and a frame.
TIMED = """([selector, key]) => new Promise((done) => {
  const root = document.documentElement;
  const before = root.dataset.loupeCrossfilter;
  const started = performance.now();
  const observer = new MutationObserver(() => {
    if (root.dataset.loupeCrossfilter === before) return;
    observer.disconnect();
    requestAnimationFrame(() => done(performance.now() - started));
  });
  observer.observe(root, { attributes: true, attributeFilter: ["data-loupe-crossfilter"] });
  if (key) document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
  else document.querySelector(selector).dispatchEvent(new MouseEvent("click", { bubbles: true }));
})"""


def run(rows: int, clicks: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    csv = ensure(rows)
    times: dict[str, list[float]] = {"bar in the form": [], "bar on a card": [], "Escape": []}
    # The worktree's own build (python build.py), not the benchmark's bench/.dist.
    with BenchServer(Path(__file__).resolve().parents[1] / "dist") as server, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(RUN_TIMEOUT_MS)
            open_csv(page, server.url("index.html"), csv, rows)
            apply_chart(page, CHARTS[0])
            for spec in CHARTS[1:]:
                act(page, lambda: page.click("#add-chart"))
                apply_chart(page, spec)
            act(page, lambda: page.locator("#chart-list [data-chart]").first.click())
            page.wait_for_function("() => document.querySelectorAll('#dashboard svg').length === 2")
            for i in range(clicks):
                region = REGIONS[i % 5]
                bar = f"#chart svg .bar[data-select*='\"{region}\"']"
                times["bar in the form"].append(page.evaluate(TIMED, [bar, None]))
                times["Escape"].append(page.evaluate(TIMED, [None, "Escape"]))
                card = f"#dashboard .dash-card:first-child svg .bar:nth-of-type({1 + i % 10})"
                times["bar on a card"].append(page.evaluate(TIMED, [card, None]))
                times["Escape"].append(page.evaluate(TIMED, [None, "Escape"]))
        finally:
            browser.close()
    return {
        name: {"median_ms": round(statistics.median(v)), "max_ms": round(max(v)), "count": len(v)}
        for name, v in times.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--clicks", type=int, default=8)
    args = parser.parse_args(argv)
    print(json.dumps({"rows": args.rows, "cases": run(args.rows, args.clicks)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
