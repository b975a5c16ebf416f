"""A changes chart (what changed between two periods) and alert rules next to a plain bar chart, at 100k rows.

    .venv/bin/python bench/changes.py            # 100,000 rows of bench/data/orders-100000.csv
    .venv/bin/python bench/changes.py --rows 1000000

For each case: the chart's SQL (the chart steps after loading) and the render; "total" is both.
Medians of --repeat runs, in milliseconds of this process's CPU time (SQLite runs in-process, so the
query counts too), as bench/insight.py measures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "py"), str(Path(__file__).resolve().parents[1])]

from loupe.engine import Engine  # noqa: E402
from loupe.read import load_file  # noqa: E402
from loupe.render.chart import chart_steps, render_chart  # noqa: E402

from bench.make_data import ensure  # noqa: E402

YEARS = {"column": "date", "before": ["2021-01-01", "2021-12-31"], "after": ["2022-01-01", "2022-12-31"]}
CASES: list[tuple[str, dict[str, Any]]] = [
    ("bar, sum by region (8)", {"type": "bar", "x": "region", "y": "value"}),
    ("changes, region, 2021 vs 2022", {"type": "changes", "x": "region", "y": "value", "compare": YEARS}),
    (
        "changes, category (50: top 10 + other)",
        {"type": "changes", "x": "category", "y": "value", "compare": YEARS},
    ),
    (
        "changes, region, two filters",
        {
            "type": "changes",
            "x": "region",
            "y": "value",
            "compare": {"before": "year(date) == 2021", "after": "year(date) == 2022"},
        },
    ),
    ("changes, count by category", {"type": "changes", "x": "category", "compare": YEARS}),
    (
        "bar by region + alert",
        {"type": "bar", "x": "region", "y": "value", "alert": {"op": "<", "value": 6.2e6}},
    ),
    ("column by month", {"type": "column", "x": "date", "y": "value", "time_unit": "month"}),
    (
        "column by month + alert",
        {
            "type": "column",
            "x": "date",
            "y": "value",
            "time_unit": "month",
            "alert": {"op": "<", "value": 1e6},
        },
    ),
]


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    engine = Engine()
    table = load_file(engine, str(ensure(args.rows)))
    columns = engine.schema(table.name)
    print(f"{args.rows:,} rows; medians of {args.repeat} runs, CPU ms; Python {sys.version.split()[0]}")
    print(f"{'case':40} {'groups':>7} {'query':>8} {'render':>8} {'total':>8}")
    for name, spec in CASES:
        q_ms, result = timed(lambda s=spec: engine.run(chart_steps(s, columns), table.name), args.repeat)
        r_ms, _ = timed(lambda s=spec, r=result: render_chart(s, r.columns, r.rows), args.repeat)
        print(f"{name:40} {len(result.rows):>7,} {q_ms:>8.1f} {r_ms:>8.1f} {q_ms + r_ms:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
