"""A form change to the updated chart: the time from changing a field of the chart form (its aggregate,
its x column, its time grain) or editing a step in its form (a filter's value) to the chart drawn again
(the page's ready signal with a new render, `data-loupe-renders`, plus one animation frame for the
paint), on the explorer with the benchmark's CSV.

    .venv/bin/python -m bench.form_change --rows 100000 --repeats 10

The change is made as a person makes it (a select's value and its change event, or the step form's
Update button); a case alternates between values, and the step edit types a new threshold each time so
no row count is reused. Run standalone it serves the worktree's dist/ (python build.py); bench/run.py
--only form runs it on bench/.dist.
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
from bench.make_data import ensure
from bench.serve import BenchServer

BAR = {"type": "bar", "x": "region", "y": "value", "agg": "sum"}
LINE = {"type": "line", "x": "date", "y": "value", "agg": "sum", "time_unit": "month"}
# (case, the chart it starts from, the select changed, the values it alternates between)
SELECTS = (
    ("y aggregate", BAR, "#chart-agg", ("mean", "max", "sum")),
    ("x column", BAR, "#chart-x", ("category", "region")),
    ("time grain", LINE, "#chart-time_unit", ("week", "quarter", "month")),
)
STEP_CASE = "step edit (filter value)"
CASES = (*[case for case, *_ in SELECTS], STEP_CASE)
# Change a select (or click a button) and resolve with the ms until a new render is ready, plus a frame.
TIMED = """([selector, value]) => new Promise((done, fail) => {
  const root = document.documentElement;
  const before = Number(root.dataset.loupeRenders || 0);
  const target = document.querySelector(selector);
  if (!target) { fail(new Error(`no ${selector} on the page`)); return; }
  const started = performance.now();
  const observer = new MutationObserver(() => {
    const state = root.dataset.loupeState;
    if (Number(root.dataset.loupeRenders || 0) <= before || (state !== "ready" && state !== "error")) return;
    observer.disconnect();
    const status = document.querySelector("#status")?.textContent ?? "error";
    if (state === "error") fail(new Error(status));
    else requestAnimationFrame(() => done(performance.now() - started));
  });
  observer.observe(root, { attributes: true, attributeFilter: ["data-loupe-renders", "data-loupe-state"] });
  if (value === null) target.click();
  else {
    target.value = value;
    target.dispatchEvent(new Event("change", { bubbles: true }));
  }
})"""


def edit_filter_value(page: Any, value: str) -> None:
    """Open step 1 in its form and type a new value; the timed part is the Update button."""
    page.locator("#steps li").nth(0).locator('[data-act="edit"]').click()
    page.wait_for_function("() => document.querySelector('#add-step-submit').textContent === 'Update step 1'")
    page.locator('#add-step-fields [data-field="value"] input').fill(value)


def summary(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(p90, 1),
        "max_ms": round(ordered[-1], 1),
        "count": len(ordered),
        "runs_ms": [round(t, 1) for t in times],
    }


def measure(
    playwright: Any, server: BenchServer, csv: Path, rows: int, repeats: int, log: Any
) -> dict[str, Any]:
    times: dict[str, list[float]] = {case: [] for case in CASES}
    browser = launch(playwright)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(RUN_TIMEOUT_MS)
        open_csv(page, server.url("index.html"), csv, rows)
        for case, chart, selector, values in SELECTS:
            apply_chart(page, chart)
            # One change untimed first: the first chart of a kind pays for code paths run once.
            page.evaluate(TIMED, [selector, values[-1]])
            for i in range(repeats):
                times[case].append(page.evaluate(TIMED, [selector, values[i % len(values)]]))
            log(f"form {rows:,} rows, {case}: median {statistics.median(times[case]):.0f} ms")
        apply_chart(page, BAR)
        page.select_option("#filter-column", "value")
        page.select_option("#filter-op", ">")
        page.fill("#filter-value", "10")
        act(page, lambda: page.click("#filter-form button[type=submit]"))
        for i in range(repeats + 1):
            edit_filter_value(page, str(20 + 7 * i))  # a new threshold each time: no count is reused
            ms = page.evaluate(TIMED, ["#add-step-submit", None])
            if i:  # the first is the warm-up, as above
                times[STEP_CASE].append(ms)
        log(f"form {rows:,} rows, {STEP_CASE}: median {statistics.median(times[STEP_CASE]):.0f} ms")
    finally:
        browser.close()
    return {case: summary(v) for case, v in times.items()}


def run(
    playwright: Any, server: BenchServer, paths: dict[int, Path], repeats: int, log: Any = print
) -> dict[str, Any]:
    """Every case at every size, in one fresh browser per size; the shape report.form_section reads."""
    return {
        "repeats": repeats,
        "sizes": {
            str(rows): measure(playwright, server, csv, rows, repeats, log) for rows, csv in paths.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, action="append", help="data sizes (default 100000)")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    paths = {n: ensure(n) for n in args.rows or [100_000]}
    # The worktree's own build (python build.py), not the benchmark's bench/.dist.
    with BenchServer(Path(__file__).resolve().parents[1] / "dist") as server, sync_playwright() as playwright:
        print(json.dumps(run(playwright, server, paths, args.repeats, log=print), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
