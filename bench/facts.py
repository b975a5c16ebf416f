"""Facts a benchmark report must carry to be read later: the machine and every engine's version."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NPM_PACKAGES = ("pyodide", "@pyscript/core", "polyscript", "@duckdb/duckdb-wasm", "arquero", "apache-arrow")


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_before": load_average(),
    }


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: a busy machine explains a slow run."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def npm_version(name: str) -> str | None:
    path = ROOT / "node_modules" / name / "package.json"
    try:
        return str(json.loads(path.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def versions() -> dict[str, Any]:
    found: dict[str, Any] = {name: npm_version(name) for name in NPM_PACKAGES}
    found["sqlite_native"] = sqlite3.sqlite_version
    found["loupe_commit"] = git_commit()
    return found


def chromium_version(playwright: Any) -> str:
    from bench.browser import executable

    path = executable()
    options: dict[str, Any] = {"headless": True, "args": ["--no-sandbox"]}
    if path:
        options["executable_path"] = path
    browser = playwright.chromium.launch(**options)
    try:
        return str(browser.version)
    finally:
        browser.close()
