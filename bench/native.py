"""The data-path workload on native CPython, through the same entry point the worker calls
(loupe.api.handle_json), so browser/native isolates what WebAssembly and the worker cost.

    python3 bench/native.py bench/data/orders-100000.csv            # JSON timings + answers on stdout
    python3 bench/native.py bench/data/orders-100000.csv --profile  # plus the top cProfile entries
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))

from loupe.api import handle_json  # noqa: E402

from bench.compare import from_table_tree  # noqa: E402

WORKLOAD = ROOT / "bench" / "pages" / "workload.json"


def call(method: str, params: dict[str, Any]) -> dict[str, Any]:
    reply = json.loads(handle_json(method, json.dumps(params)))
    if not reply["ok"]:
        raise RuntimeError(f"{method} failed: {reply['error']['text']}")
    return dict(reply["result"])


def run(csv_path: Path) -> dict[str, Any]:
    """Open the CSV and run every query; wall time per step in ms, answers as comparable rows."""
    queries = json.loads(WORKLOAD.read_text())["queries"]
    steps: dict[str, float] = {}
    answers: dict[str, Any] = {}
    started = time.perf_counter()
    opened = call("open", {"session": "bench", "path": str(csv_path), "filename": "orders.csv"})
    steps["read"] = (time.perf_counter() - started) * 1000
    answers["read"] = {"count": opened["row_count"]}
    for query in queries:
        begin = time.perf_counter()
        result = call("view", {"session": "bench", "table": opened["table"], "pipeline": query["loupe"]})
        steps[query["name"]] = (time.perf_counter() - begin) * 1000
        if query.get("count_only"):
            answers[query["name"]] = {"count": result["row_count"]}
        else:
            answers[query["name"]] = from_table_tree(result["table"])
    total = (time.perf_counter() - started) * 1000
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"steps": steps, "total": total, "peak_mib": peak_mib, "answers": answers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the data-path workload natively.")
    parser.add_argument("csv", type=Path)
    parser.add_argument("--profile", action="store_true", help="print the top 30 functions by own time")
    args = parser.parse_args(argv)
    if args.profile:
        profiler = cProfile.Profile()
        result = profiler.runcall(run, args.csv)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
        print(text.getvalue(), file=sys.stderr)
    else:
        result = run(args.csv)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
