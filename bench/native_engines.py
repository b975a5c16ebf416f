"""The benchmark's workload on native CPython, SQLite engine against DuckDB engine (loupe[duckdb]):
the same pipelines (bench/pages/workload.json), each engine reading the CSV its own way (Loupe's reader
into SQLite; DuckDB's read_csv behind a view), answers compared.

    python3 bench/native_engines.py 100000 1000000     # row counts; prints a Markdown table
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "py"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench import make_data  # noqa: E402

WORKLOAD = json.loads((ROOT / "bench" / "pages" / "workload.json").read_text())["queries"]


def timed(engine: Any, csv: Path) -> tuple[dict[str, float], dict[str, Any]]:
    """Milliseconds per step (read, then each query, run to its last row) and each query's rows."""
    from loupe.dialect import load_path
    from loupe.pipeline import parse_pipeline

    times: dict[str, float] = {}
    answers: dict[str, Any] = {}
    start = time.perf_counter()
    table = load_path(engine, str(csv), "t")
    times["read"] = (time.perf_counter() - start) * 1000
    for query in WORKLOAD:
        start = time.perf_counter()
        compiled = engine.compile(parse_pipeline(query["loupe"]), table.name)
        rows = engine.execute(compiled).rows
        times[query["name"]] = (time.perf_counter() - start) * 1000
        answers[query["name"]] = len(rows) if query.get("count_only") else rows
    return times, answers


def agree(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return len(a) == len(b) and all(agree(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, tuple):
        return len(a) == len(b) and all(agree(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    return bool(a == b)


def main(argv: list[str]) -> int:
    from loupe.dialect import open_engine

    for count in [int(a) for a in argv] or [100_000]:
        csv = make_data.ensure(count)
        lite, lite_rows = timed(open_engine("sqlite"), csv)
        duck, duck_rows = timed(open_engine("duckdb"), csv)
        same = sum(agree(lite_rows[q], duck_rows[q]) for q in lite_rows)
        print(f"\n{count:,} rows: answers agree on {same} of {len(lite_rows)} queries\n")
        print("| step | SQLite engine | DuckDB engine | SQLite / DuckDB |\n|---|---|---|---|")
        for step in lite:
            print(f"| {step} | {lite[step]:.0f} ms | {duck[step]:.0f} ms | {lite[step] / duck[step]:.1f}× |")
        total_l, total_d = sum(lite.values()), sum(duck.values())
        print(f"| **total** | {total_l:.0f} ms | {total_d:.0f} ms | {total_l / total_d:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
