"""What a trend or forecast adds to a chart, next to the chart's own query, at 100k rows.

    .venv/bin/python bench/insight.py            # 100,000 rows of bench/data/orders-100000.csv
    .venv/bin/python bench/insight.py --rows 1000000

For each case: the chart's SQL (the optional stats query and the chart steps, after loading), the
render without the insight, and the render with it; "added" is the difference of the two renders,
the time the trend or forecast costs. Medians of --repeat runs, in milliseconds of this process's
CPU time (SQLite runs in-process, so the query counts too): wall-clock time on a shared machine
measures the neighbours more than the code.
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
from loupe.render import insight  # noqa: E402
from loupe.render.chart import chart_stats_steps, chart_steps, render_chart  # noqa: E402

from bench.make_data import ensure  # noqa: E402

MONTHLY = {"type": "line", "x": "date", "y": "value", "agg": "sum", "time_unit": "month"}
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("forecast, month, 1 series", MONTHLY, {"forecast": {"horizon": 6}}),
    ("forecast, month, 8 regions", {**MONTHLY, "color": "region"}, {"forecast": {"horizon": 6}}),
    ("forecast, auto grain (week)", {**MONTHLY, "time_unit": None}, {"forecast": {"horizon": 6}}),
    ("trend linear, month", MONTHLY, {"trend": "linear"}),
    ("trend loess, auto grain (week)", {**MONTHLY, "time_unit": None}, {"trend": "loess"}),
    (
        "trend linear, scatter 20k sample",
        {"type": "scatter", "x": "quantity", "y": "value"},
        {"trend": "linear"},
    ),
    (
        "trend loess, scatter 20k sample",
        {"type": "scatter", "x": "quantity", "y": "value"},
        {"trend": "loess"},
    ),
]


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        insight._plan.cache_clear()  # a fresh plan each time: the chart's second pass reuses it
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
    print(f"{'case':34} {'points':>7} {'query':>8} {'chart':>8} {'+insight':>9} {'added':>8}")
    for name, base, extra in CASES:
        base = {k: v for k, v in base.items() if v is not None}

        def query(base: dict[str, Any] = base) -> Any:
            stats = None
            steps = chart_stats_steps(base, columns)
            if steps:
                found = engine.run(steps, table.name)
                stats = dict(zip(found.column_names, found.rows[0], strict=True))
            return engine.run(chart_steps(base, columns, stats=stats), table.name)

        q_ms, result = timed(query, args.repeat)
        plain_ms, _ = timed(lambda b=base, r=result: render_chart(b, r.columns, r.rows), args.repeat)
        spec = {**base, **extra}
        with_ms, _svg = timed(lambda s=spec, r=result: render_chart(s, r.columns, r.rows), args.repeat)
        numbers = f"{q_ms:>8.1f} {plain_ms:>8.1f} {with_ms:>9.1f} {with_ms - plain_ms:>8.1f}"
        print(f"{name:34} {len(result.rows):>7,} {numbers}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
