"""What PyScript adds: dist/pyscript.html's time to its first chart, cold and warm, beside the explorer's
time to its live view in the same browser, and the gzip bytes the PyScript page downloads, by part.

    python3 build.py && python3 bench/pyscript_page.py [--runs 3]

Each run uses a fresh on-disk profile with service workers blocked: visit 1 is cold, visit 2 in a
relaunched browser is warm (HTTP cache; the server sends no-cache, so files come back as 304s). Times are
ms since navigation start, read from the pages' own marks (data-loupe-first-chart-ms, data-loupe-live-at).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402 - after the path it lives on
from bench.browser import BOOT_TIMEOUT_MS, persistent  # noqa: E402

PAGES = {
    "pyscript": ("pyscript.html", "() => document.documentElement.dataset.loupeFirstChartMs"),
    # The explorer without start-up snapshots, so both pages boot Pyodide the same way.
    "explorer": ("index.html", "() => document.documentElement.dataset.loupeLiveAt"),
}
NO_SNAPSHOTS = "globalThis.LOUPE_SNAPSHOTS = false;"


def part(path: str) -> str:
    """Which part of the PyScript page's download a dist/ file is."""
    if path.startswith("pyscript/") or path in {"pyscript.toml", "pyscript-policy.js"}:
        return "PyScript (its JS and CSS, config, Trusted Types policy)"
    if path.startswith("pyodide/micropip"):
        return "micropip"
    if path.startswith("pyodide/"):
        return "Pyodide's core"
    if path.startswith("wheels/loupe-"):
        return "Loupe's wheel"
    if path.startswith("wheels/"):
        return "Excel wheels (openpyxl, et_xmlfile, defusedxml)"
    return "the page (HTML, CSS, its .py)"


def visit(playwright: Any, profile: Path, url: str, mark: str) -> tuple[float, list[str]]:
    context = persistent(playwright, profile, service_workers="block")
    context.add_init_script(NO_SNAPSHOTS)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(f"() => ({mark})() !== undefined", timeout=BOOT_TIMEOUT_MS, polling=50)
        return float(page.evaluate(mark)), requested
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    server = build.serve_in_background(build.DIST)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    times: dict[str, list[float]] = {f"{name} {kind}": [] for name in PAGES for kind in ("cold", "warm")}
    requested: list[str] = []
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
            for run in range(args.runs):
                for name, (path, mark) in PAGES.items():
                    profile = Path(scratch) / f"{name}-{run}"
                    cold, files = visit(playwright, profile, base + path, mark)
                    warm, _ = visit(playwright, profile, base + path, mark)
                    times[f"{name} cold"].append(cold)
                    times[f"{name} warm"].append(warm)
                    if name == "pyscript":
                        requested = files
                    print(
                        f"run {run + 1}: {name} cold {cold / 1000:.2f} s, warm {warm / 1000:.2f} s",
                        flush=True,
                    )
    finally:
        server.shutdown()
    for label, values in times.items():
        print(f"{label}: median {statistics.median(values) / 1000:.2f} s (best {min(values) / 1000:.2f})")
    sizes: dict[str, int] = {}
    for url in sorted(set(requested)):
        path = url.removeprefix(base).split("?")[0]
        if (build.DIST / path).is_file():
            data = (build.DIST / path).read_bytes()
            sizes[part(path)] = sizes.get(part(path), 0) + len(gzip.compress(data, compresslevel=6, mtime=0))
    print("the PyScript page downloads, gzip:")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  {size / 1e3:8.0f} kB  {name}")
    print(f"  {sum(sizes.values()) / 1e3:8.0f} kB  in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
