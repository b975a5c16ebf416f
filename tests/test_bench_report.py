"""bench/report.py renders two runs of fake results (the shape bench/run.py writes) without running the
benchmark: medians of numbers, strings such as the worker's boot kind left out of them, and the ratios."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import report

ROOT = Path(__file__).resolve().parents[1]


def startup_run(scale: float, boot: str) -> dict[str, Any]:
    """One start-up run of every page, `scale` times a base time; Loupe's carries its boot kind."""

    def kind(ms: float, **extra: Any) -> dict[str, Any]:
        return {"first_table_ms": ms * scale, "first_contentful_paint_ms": 100.0, "bytes": 14e6, **extra}

    marks = {"restored_at_ms": 400 * scale, "live_at_ms": 2000 * scale}
    loupe = {
        name: kind(2000, boot=boot, boot_ms=1000 * scale, **marks) for name in ("cold", "cold_nosw", "warm")
    }
    loupe["offline"] = kind(2000, boot="snapshot", boot_ms=500.0)
    floor = {name: kind(1000) for name in ("cold", "cold_nosw", "warm", "offline")}
    return {"loupe": loupe, "floor": floor}


def engine(read_ms: list[float]) -> dict[str, Any]:
    return {
        "steps": {"read": read_ms, "groupby": [10.0, 30.0]},
        "total": [r + 20 for r in read_ms],
        "peak_mib": [300.0, 310.0],
        "boot_ms": [5000.0, 6000.0],
    }


def widgets_run(scale: float) -> dict[str, Any]:
    """One run of the dashboard: a cold visit (normal boot, the whole download) and a warm one."""

    def visit(ms: float, boot: str, pyodide: int, loupe: int, other: int) -> dict[str, Any]:
        return {
            "first_chart_ms": ms * scale,
            "all_ready_ms": (ms + 100) * scale,
            "boot": boot,
            "bytes": pyodide + loupe + other,
            "bytes_pyodide": pyodide,
            "bytes_loupe": loupe,
            "bytes_other": other,
            "requests": 30,
            "not_modified": 0 if boot == "normal" else 30,
        }

    return {
        "cold": visit(8000, "normal", 13_000_000, 1_500_000, 400_000),
        "warm": visit(3000, "snapshot", 5_000, 3_000, 1_000),
    }


def fake_results() -> dict[str, Any]:
    runs = [startup_run(1.0, "normal"), startup_run(2.0, "snapshot")]
    startup = {target: [run[target] for run in runs] for target in ("loupe", "floor")}
    window = {"count": 30, "first_view_ms": 40.0, "median_ms": 25.0, "p90_ms": 30.0, "max_ms": 50.0}
    restore = [
        {
            "first_visit": {
                "restored_at_ms": 300.0 * n,
                "live_at_ms": 5000.0 * n,
                "first_table_ms": 5000.0 * n,
            },
            "sample": {"restored_at_ms": 200.0 * n, "live_at_ms": 1500.0 * n, "boot": "snapshot"},
            "csv": {
                "restored_at_ms": 250.0 * n,
                "live_at_ms": 3000.0 * n,
                "file_bytes": 6e6,
                "boot": "snapshot",
            },
        }
        for n in (1, 2)
    ]
    return {
        "date": "2026-12-03T07:00:00+00:00",
        "restore": restore,
        "machine": {"cpu": "fake", "cores": 2, "memory_gib": 8, "os": "Linux", "python": "3.11"},
        "versions": {"pyodide": "0.0"},
        "settings": {"rows": [100000], "runs": 2},
        "elapsed_s": 1.0,
        "startup": startup,
        "data": {
            "100000": {
                "engines": {"loupe": engine([1000.0, 1400.0]), "duckdb": engine([500.0, 700.0])},
                "check": {"ok": True, "compared": 4, "mismatches": []},
            }
        },
        "scroll": {"rows": 100000, "open_ms": 900.0, "peak_mib": 320.0, "cases": {"as read": window}},
        "open": {
            "file": "orders-1000000.csv",
            "file_mib": 53.4,
            "runs": [{"peak_mib": 430.0}, {"peak_mib": 450.4}],
            "open_s": 50.5,
            "peak_mib": 440.2,
            "boot_peak_mib": 310.0,
            "rss_after_mib": 380.0,
        },
        "widgets": {"page": "dashboard.html", "runs": [widgets_run(1.0), widgets_run(2.0)]},
        "form": {
            "repeats": 10,
            "sizes": {
                "100000": {
                    "y aggregate": {"median_ms": 212.4, "p90_ms": 380.0, "max_ms": 1204.0, "count": 10},
                    "step edit (filter value)": {
                        "median_ms": 8.04,
                        "p90_ms": 9.5,
                        "max_ms": 12.0,
                        "count": 10,
                    },
                },
                "1000000": {
                    "y aggregate": {"median_ms": 2100.0, "p90_ms": 2500.0, "max_ms": 2600.0, "count": 10}
                },
            },
        },
    }


def row(text: str, first_cell: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is `first_cell`."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in the report")


def test_two_runs_with_a_string_field_give_medians_and_ratios() -> None:
    text = report.markdown(fake_results())
    # Loupe's cold first table: 2.0 s and 4.0 s -> median 3.00 s, best 2.00; the floor's 1.0 and 2.0 s.
    assert row(text, "Loupe")[1] == "3.00 s (best 2.00)"
    assert row(text, "floor: Pyodide in a module worker")[1] == "1.50 s (best 1.00)"
    assert row(text, "Loupe / floor")[1] == "2.00×"
    # The boot kinds are strings: listed, never averaged.
    assert "cold (first visit): normal/snapshot boot, worker ready in 1.50 s" in text
    # The early paint and the live view of a first visit: 400/800 and 2000/4000 ms.
    assert row(text, "cold (first visit)")[1:3] == ["0.60 s", "3.00 s"]
    # Restore after a reload: medians of 250/500 and 3000/6000 ms; the CSV's size is named.
    assert row(text, "reload: a CSV opened from the file input (6.0 MB)")[1:3] == ["0.38 s", "4.50 s"]
    assert row(text, "reload: the sample")[1:3] + row(text, "reload: the sample")[4:] == [
        "0.30 s",
        "2.25 s",
        "snapshot",
    ]
    # Data path: read 1000/1400 -> 1200 ms against 500/700 -> 600 ms.
    assert row(text, "read")[1:3] == ["1200 ms", "600 ms"]
    assert row(text, "data path 100,000 rows, total: Loupe / DuckDB-WASM")[1] == "1.97×"
    assert "all engines agree (4 results compared)" in text
    # Opening the big file in the explorer: its time and the renderer's memory, with the file named.
    assert "## Opening orders-1000000.csv (53.4 MiB) in the explorer (median of 2)" in text
    assert row(text, "50.50 s")[1:] == ["440 MiB", "310 MiB", "380 MiB"]
    # The dashboard's widgets: first chart 8/16 s cold, 3/6 s warm; all ready 8.1/16.2 s; the bytes split.
    assert "## Widgets: dashboard.html, three widgets sharing one worker (median of 2)" in text
    assert row(text, "cold: a first visit")[1:] == [
        "12.00 s (best 8.00)",
        "12.15 s",
        "normal",
        "14.9 MB",
        "13.0 MB",
        "1.5 MB",
        "0.4 MB",
        "30 (0 × 304)",
    ]
    warm = row(text, "warm: relaunched, HTTP cache and start-up snapshot")
    assert warm[1:5] == ["4.50 s (best 3.00)", "4.65 s", "snapshot", "9.0 kB"]


def test_form_changes_give_median_p90_and_max_per_size() -> None:
    text = report.markdown(fake_results())
    assert "## A form change to the updated chart, 100,000 rows (10 changes per case)" in text
    assert "## A form change to the updated chart, 1,000,000 rows (10 changes per case)" in text
    assert row(text, "y aggregate")[1:] == ["212 ms", "380 ms", "1204 ms", "10"]  # the first size's
    assert row(text, "step edit (filter value)")[1:4] == ["8.0 ms", "9.5 ms", "12 ms"]
    assert text.index("1,000,000 rows (10") > text.index("step edit (filter value)")


def test_report_is_rendered_again_from_its_json(tmp_path: Path) -> None:
    source = tmp_path / "2026-12-03T0700.json"
    source.write_text(json.dumps(fake_results()))
    subprocess.run([sys.executable, str(ROOT / "bench" / "report.py"), str(source)], check=True, cwd=ROOT)
    assert source.with_suffix(".md").read_text() == report.markdown(fake_results())
