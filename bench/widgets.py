"""Widgets on a host page: dist/dashboard.html (three `<loupe-view>` sharing one worker), cold and warm;
the time from navigation to the first chart and to all three widgets ready, and the bytes the page
downloads, split into Pyodide's core, Loupe and the rest.

Each run uses one fresh on-disk profile (service workers blocked; the widget registers none):
visit 1 = "cold" (a first visit); the harness then waits until the worker has saved its start-up
snapshot, as a user's visit would leave it; visit 2 in a relaunched browser = "warm" (the HTTP cache,
revalidated with 304s, and the snapshot). Bytes are what the bench server sent (headers and body of
every response, the worker's included) from navigation until all three widgets were ready.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.browser import BOOT_TIMEOUT_MS, persistent
from bench.serve import BenchServer

PAGE = "dashboard.html"
SNAPSHOT_TIMEOUT_MS = 240_000
VISITS = ("cold", "warm")

# Runs before any page script. Records performance.now() (ms since navigation start) when the first
# widget's chart SVG is in its shadow root and when every widget is ready and has rendered (the e2e
# tests' ready signal), each widget's loupe-ready, and what the shared worker says about its boot
# (listening to the page's Worker, without changing what the page sees).
WIDGET_PROBE = """
(() => {
  const probe = (window.__widgets = {ready: [], errors: []});
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const message = event.data;
        if (message?.type === "ready") probe.boot = message.snapshot ? "snapshot" : "normal";
        else if (message?.type === "snapshot") probe.snapshot = Boolean(message.saved);
      });
    }
  };
  document.addEventListener("loupe-ready", (event) => probe.ready.push(performance.now()));
  document.addEventListener("loupe-error", (event) => probe.errors.push(event.detail?.message));
  const watched = new WeakSet();
  const check = () => {
    const widgets = [...document.querySelectorAll("loupe-view")];
    for (const el of widgets) {
      if (el.shadowRoot && !watched.has(el.shadowRoot)) {
        watched.add(el.shadowRoot);
        observer.observe(el.shadowRoot, {subtree: true, childList: true, attributes: true});
      }
    }
    if (probe.firstChart === undefined && widgets.some((el) => el.shadowRoot?.querySelector("svg"))) {
      probe.firstChart = performance.now();
    }
    if (probe.allReady === undefined && widgets.length
        && widgets.every((el) => el.dataset.loupeState === "ready" && Number(el.dataset.loupeRenders) > 0)) {
      probe.allReady = performance.now();
      probe.widgets = widgets.length;
    }
    if (widgets.some((el) => el.dataset.loupeState === "error")) probe.failed = true;
    if ((probe.firstChart !== undefined && probe.allReady !== undefined) || probe.failed) {
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true, attributes: true});
})();
"""
SETTLED = "() => window.__widgets.failed || (window.__widgets.allReady !== undefined"
SETTLED += " && window.__widgets.firstChart !== undefined)"
SNAPSHOT_SAVED = "() => window.__widgets.snapshot !== undefined"


def kind_of(path: str) -> str:
    """Which part of the download a request was: Pyodide's core, Loupe (its scripts and wheel), the rest."""
    clean = urlsplit(path).path
    if clean.startswith("/pyodide/"):
        return "pyodide"
    if clean.startswith("/app/") or clean.startswith("/wheels/loupe-"):
        return "loupe"
    return "other"


def split_bytes(paths: list[tuple[str, int, int]]) -> dict[str, int]:
    """Bytes sent per part, from the server's (path, status, size) list."""
    out = {"pyodide": 0, "loupe": 0, "other": 0}
    for path, _status, size in paths:
        out[kind_of(path)] += size
    return out


def visit(page: Any, server: BenchServer, url: str) -> dict[str, Any]:
    server.counter.reset()
    page.goto(url, wait_until="commit")
    page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS, polling=50)
    with server.counter.lock:
        paths = list(server.counter.paths)
    probe: dict[str, Any] = page.evaluate("() => window.__widgets")
    if probe.get("failed") or probe.get("errors"):
        raise RuntimeError(f"{url}: a widget failed: {probe.get('errors')}")
    result: dict[str, Any] = {
        "first_chart_ms": probe["firstChart"],
        "all_ready_ms": probe["allReady"],
        "widgets": probe.get("widgets"),
        "loupe_ready_events": len(probe["ready"]),
        "boot": probe.get("boot"),
        "bytes": sum(size for _, _, size in paths),
        "requests": len(paths),
        "not_modified": sum(status == 304 for _, status, _ in paths),
        **{f"bytes_{part}": size for part, size in split_bytes(paths).items()},
    }
    if result["boot"] == "normal":
        # Let the worker save its start-up snapshot, as a user's visit would, so the next visit uses it.
        page.wait_for_function(SNAPSHOT_SAVED, timeout=SNAPSHOT_TIMEOUT_MS, polling=200)
        result["snapshot_saved"] = page.evaluate("() => window.__widgets.snapshot")
    return result


def run_once(playwright: Any, server: BenchServer, profile: Path) -> dict[str, Any]:
    url = server.url(PAGE)
    out: dict[str, Any] = {}
    for name in VISITS:
        context = persistent(playwright, profile, service_workers="block")
        context.add_init_script(WIDGET_PROBE)
        try:
            out[name] = visit(context.pages[0] if context.pages else context.new_page(), server, url)
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)
    return out


def run(playwright: Any, server: BenchServer, runs: int, log: Any = print) -> dict[str, Any]:
    """Cold and warm `runs` times, each run in a fresh profile; the report takes the medians."""
    measured = []
    with tempfile.TemporaryDirectory(prefix="loupe-bench-widgets-") as tmp:
        for index in range(runs):
            result = run_once(playwright, server, Path(tmp) / f"run-{index}")
            measured.append(result)
            log(
                f"widgets run {index + 1}/{runs}: "
                + ", ".join(
                    f"{name} first chart {v['first_chart_ms'] / 1000:.2f} s, all ready "
                    f"{v['all_ready_ms'] / 1000:.2f} s ({v['boot']} boot), {v['bytes'] / 1e6:.1f} MB"
                    for name, v in result.items()
                )
            )
    return {"page": PAGE, "runs": measured}
