"""Loupe's benchmark: start-up, the data path against DuckDB-WASM, Arquero and native CPython, table
scrolling and peak memory, in headless Chromium on localhost. Writes bench/results/<date>.md/.json and
bench/results/latest.md.

    python3 bench/run.py                 # everything, 100k and 1M rows, 3 runs (about 20 minutes)
    python3 bench/run.py --quick         # 100k rows only, fewer start-up runs
    python3 bench/run.py --only startup  # one part: startup, data, scroll, open, widgets (repeatable)
    python3 bench/run.py --only open     # the explorer opening the 1M-row CSV: time, renderer peak memory
    python3 bench/run.py --only widgets  # dashboard.html's three widgets, cold and warm: times, bytes
    python3 bench/run.py --only form     # a chart-form or step-form change to the updated chart
    python3 bench/run.py --rows 100000 --runs 5 --no-build

See docs/benchmark.md for what each number means and how it is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def _run_in_the_project_venv() -> None:
    """`python3 bench/run.py` on a machine set up by tests/run: Playwright and the native engines live in
    .venv, not in the system Python, so the benchmark runs itself again with the venv's Python."""
    if importlib.util.find_spec("playwright") is not None:
        return
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parents[1].resolve():
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    raise SystemExit(
        "bench: Playwright is not installed; set up the project first: bash tests/run "
        '(or python3 -m venv .venv && .venv/bin/python -m pip install -e ".[dev]")'
    )


if __name__ == "__main__":
    _run_in_the_project_venv()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "py") not in sys.path:
    sys.path.insert(0, str(ROOT / "py"))

from bench import facts, report  # noqa: E402
from bench.serve import DIST, BenchServer  # noqa: E402

PARTS = ("startup", "data", "scroll", "open", "widgets", "form")
DEV_PACKAGES = ("pyodide", "@pyscript/core", "@duckdb/duckdb-wasm", "arquero", "apache-arrow", "flatbuffers")
RESULTS = ROOT / "bench" / "results"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def raise_priority(change: int) -> int:
    """Run (and let the browsers inherit) a higher priority, so other work on a shared machine disturbs
    the timings less; returns the niceness in force."""
    if change:
        try:
            os.nice(change)
        except OSError:
            log(f"could not change priority by {change} (not root?); timings may be noisier")
    return os.nice(0)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, action="append", help="data sizes (default 100000 and 1000000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument("--quick", action="store_true", help="100k rows only and 2 start-up runs")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts")
    parser.add_argument(
        "--form-repeats", type=int, help="changes per case in the form part (default 10, 5 with --quick)"
    )
    parser.add_argument(
        "--engines", default="loupe,loupe_duckdb,duckdb,arquero,native", help="comma-separated engines"
    )
    parser.add_argument("--no-build", action="store_true", help="serve the existing bench/.dist")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the report goes")
    parser.add_argument(
        "--nice",
        type=int,
        default=-10,
        help="scheduling priority for the run and the browsers it starts (negative needs root; 0 keeps it)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the report, write nothing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rows = args.rows or ([100_000] if args.quick else [100_000, 1_000_000])
    parts = args.only or list(PARTS)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    # Opening a file, the widgets and the forms need only the app's own Pyodide; the others need the peers.
    needed = DEV_PACKAGES if set(parts) - {"open", "widgets", "form"} else DEV_PACKAGES[:1]
    missing = [name for name in needed if not (ROOT / "node_modules" / name / "package.json").exists()]
    if missing:
        raise SystemExit(f"bench: missing npm packages {', '.join(missing)}; run `npm install` first")
    started = time.monotonic()
    niceness = raise_priority(args.nice)
    if not args.no_build or not (DIST / "build.json").exists():
        import build

        log("building the app into bench/.dist")
        build.build(DIST)

    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": facts.machine(),
        "versions": facts.versions(),
        "settings": {"rows": rows, "runs": args.runs, "parts": parts, "engines": engines, "nice": niceness},
    }
    with BenchServer(DIST) as server, sync_playwright() as playwright:
        results["versions"]["chromium"] = facts.chromium_version(playwright)
        if "startup" in parts:
            from bench import startup

            startup_runs = max(2, args.runs - 1) if args.quick else args.runs
            log(f"start-up: floor, PyScript and Loupe, {startup_runs} runs")
            results["startup"] = startup.run(playwright, server, startup_runs, log=log)
            from bench import make_data

            log(f"restore after a reload: the sample and a 100,000-row CSV, {startup_runs} runs")
            results["restore"] = startup.restore(
                playwright, server, make_data.ensure(100_000), startup_runs, log=log
            )
        if {"data", "scroll", "open", "form"} & set(parts):
            from bench import datapath, make_data

            paths = {n: make_data.ensure(n) for n in rows}
            if "data" in parts:
                results["data"] = datapath.run(playwright, server, paths, engines, args.runs, log=log)
            if "scroll" in parts:
                from bench import scroll

                results["scroll"] = scroll.run(playwright, server, paths[max(rows)], args.runs, log=log)
            if "open" in parts:
                from bench import opening

                log(f"open: the explorer opens the {max(rows):,}-row CSV, {args.runs} runs")
                results["open"] = opening.run(playwright, server, paths[max(rows)], args.runs, log=log)
            if "form" in parts:
                from bench import form_change

                repeats = args.form_repeats or (5 if args.quick else 10)
                log(f"form: a form change to the updated chart, {repeats} changes per case")
                results["form"] = form_change.run(playwright, server, paths, repeats, log=log)
        if "widgets" in parts:
            from bench import widgets

            log(f"widgets: dashboard.html's three widgets, cold and warm, {args.runs} runs")
            results["widgets"] = widgets.run(playwright, server, args.runs, log=log)
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    results["machine"]["load_after"] = facts.load_average()
    if args.no_write:
        print(report.markdown(results))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = results["date"][:16].replace(":", "")
    # The raw numbers first: a report that fails to render can be rendered again from them (report.py).
    (args.out / f"{stamp}.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    text = report.markdown(results)
    (args.out / f"{stamp}.md").write_text(text)
    (args.out / "latest.md").write_text(text)
    log(f"wrote {args.out / (stamp + '.md')} and latest.md in {results['elapsed_s']:.0f} s")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
