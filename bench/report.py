"""The Markdown report: medians of the runs, then the ratios the team tracks (Loupe/floor,
Loupe/DuckDB-WASM, Loupe/Arquero, browser/native)."""

from __future__ import annotations

import statistics
from typing import Any

STARTUP_KINDS = (
    ("cold", "cold (first visit)"),
    ("cold_nosw", "cold, no service worker"),
    ("warm", "warm (HTTP cache)"),
    ("offline", "offline (service worker)"),
)
STARTUP_NAMES = {
    "floor": "floor: Pyodide in a module worker",
    "floor_main": "floor on the main thread",
    "pyscript": "PyScript 0.7.31",
    "loupe": "Loupe",
}
ENGINE_NAMES = {
    "loupe": "Loupe (worker API)",
    "loupe_duckdb": "Loupe on DuckDB-WASM",
    "duckdb": "DuckDB-WASM",
    "arquero": "Arquero",
    "native": "Loupe on native CPython",
}


def median(values: list[Any]) -> float | None:
    """The median of the numbers among `values`: runs record strings too (how the worker booted), and
    a field missing from a run is None."""
    clean = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return statistics.median(clean) if clean else None


def seconds(ms: float | None) -> str:
    return "–" if ms is None else f"{ms / 1000:.2f} s"


def millis(ms: float | None) -> str:
    return "–" if ms is None else f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def megabytes(count: float | None) -> str:
    return "–" if count is None else f"{count / 1e6:.1f} MB" if count >= 1e5 else f"{count / 1e3:.1f} kB"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or not b else f"{a / b:.2f}×"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def startup_medians(
    results: dict[str, list[dict[str, Any]]],
) -> dict[str, dict[str, dict[str, float | None]]]:
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    ordered = sorted(results, key=lambda t: list(STARTUP_NAMES).index(t) if t in STARTUP_NAMES else 99)
    for target in ordered:
        runs = results[target]
        out[target] = {}
        for kind, _ in STARTUP_KINDS:
            measured = [run[kind] for run in runs if kind in run]
            keys = {key for m in measured for key in m}
            out[target][kind] = {key: median([m.get(key) for m in measured]) for key in keys}
    return out


def with_best(median_ms: float | None, runs: list[dict[str, Any]], kind: str) -> str:
    """The median, and the best run when there are several (the least disturbed by other load)."""
    times = [run[kind]["first_table_ms"] for run in runs if kind in run]
    if len(times) < 2:
        return seconds(median_ms)
    return f"{seconds(median_ms)} (best {min(times) / 1000:.2f})"


def startup_section(results: dict[str, list[dict[str, Any]]]) -> list[str]:
    med = startup_medians(results)
    runs = max(len(r) for r in results.values())
    lines = [f"## Start-up: navigation to the first table (median of {runs})", ""]
    header = ["page", *[label for _, label in STARTUP_KINDS], "first paint", "bytes cold", "bytes warm"]
    rows = []
    for target, kinds in med.items():
        rows.append(
            [
                STARTUP_NAMES.get(target, target),
                *[
                    with_best(kinds[kind].get("first_table_ms"), results[target], kind)
                    for kind, _ in STARTUP_KINDS
                ],
                millis(kinds["cold"].get("first_contentful_paint_ms")),
                megabytes(kinds["cold_nosw"].get("bytes")),
                megabytes(kinds["warm"].get("bytes")),
            ]
        )
    lines += table(header, rows)
    if "loupe" in med:
        boots = []
        for kind, label in STARTUP_KINDS:
            how = sorted({str(run[kind].get("boot")) for run in results["loupe"] if kind in run})
            boots.append(
                f"{label}: {'/'.join(how)} boot, worker ready in {seconds(med['loupe'][kind].get('boot_ms'))}"
            )
        lines += ["Loupe's worker (boot = normal or from its saved snapshot): " + "; ".join(boots) + ".", ""]
        cold_sw = med["loupe"]["cold"].get("bytes_after_sw")
        lines += [
            f"Loupe's first visit transfers {megabytes(med['loupe']['cold'].get('bytes'))} before the first "
            f"table ({megabytes(cold_sw)} once the service worker has precached), against "
            f"{megabytes(med['loupe']['cold_nosw'].get('bytes'))} without a service worker.",
            "",
        ]
    if "loupe" in med and any("restored_at_ms" in kinds for kinds in med["loupe"].values()):
        lines += [
            "Loupe paints a view before Python is ready (on a first visit the one build.py rendered, "
            "later the saved one), then replaces it with the live view:",
            "",
            *table(
                ["visit", "first table (the early paint)", "live view"],
                [
                    [
                        label,
                        seconds(med["loupe"][kind].get("restored_at_ms")),
                        seconds(med["loupe"][kind].get("live_at_ms")),
                    ]
                    for kind, label in STARTUP_KINDS
                ],
            ),
        ]
    ratio_rows = []
    for other in ("loupe", "pyscript", "floor_main"):
        if other in med and "floor" in med:
            ratio_rows.append(
                [
                    f"{STARTUP_NAMES[other]} / floor",
                    *[
                        ratio(
                            med[other][kind].get("first_table_ms"), med["floor"][kind].get("first_table_ms")
                        )
                        for kind, _ in STARTUP_KINDS
                    ],
                ]
            )
    if "loupe" in med and "pyscript" in med:
        ratio_rows.append(
            [
                "Loupe / PyScript",
                *[
                    ratio(
                        med["loupe"][kind].get("first_table_ms"), med["pyscript"][kind].get("first_table_ms")
                    )
                    for kind, _ in STARTUP_KINDS
                ],
            ]
        )
    if ratio_rows:
        lines += table(["ratio", *[label for _, label in STARTUP_KINDS]], ratio_rows)
    return lines


RESTORE_CASES = (
    ("first_visit", "first visit (the sample, build-time view)"),
    ("sample", "reload: the sample"),
    ("csv", "reload: a CSV opened from the file input"),
)


def restore_section(runs: list[dict[str, Any]]) -> list[str]:
    """Reload after working: the saved view's paint, the live view and the first table, per case."""
    rows = []
    for case, label in RESTORE_CASES:
        measured = [run[case] for run in runs if case in run]
        if not measured:
            continue
        size = measured[0].get("file_bytes")
        rows.append(
            [
                label + (f" ({megabytes(size)})" if size else ""),
                seconds(median([m.get("restored_at_ms") for m in measured])),
                seconds(median([m.get("live_at_ms") for m in measured])),
                seconds(median([m.get("first_table_ms") for m in measured])),
                "/".join(sorted({str(m.get("boot")) for m in measured if m.get("boot")})) or "–",
            ]
        )
    return [
        f"## Restore after a reload (median of {len(runs)}; service workers blocked, HTTP cache warm)",
        "",
        *table(["case", "saved view painted", "live view", "first live table", "boot"], rows),
    ]


def data_section(results: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for size, sized in results.items():
        order = list(ENGINE_NAMES)
        engines: dict[str, Any] = dict(
            sorted(sized["engines"].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
        )
        runs = max((len(e.get("total", [])) for e in engines.values()), default=0)
        lines += [f"## Data path, {int(size):,} rows (median of {runs}, wall time per step)", ""]
        steps = list(next(iter(engines.values()))["steps"]) if engines else []
        header = ["step", *[ENGINE_NAMES.get(e, e) for e in engines]]
        rows = [
            [step, *[millis(median(e["steps"].get(step, []))) for e in engines.values()]] for step in steps
        ]
        rows.append(["**total**", *[f"**{millis(median(e.get('total', [])))}**" for e in engines.values()]])
        rows.append(["peak renderer memory", *[mib(median(e.get("peak_mib", []))) for e in engines.values()]])
        rows.append(
            ["boot (not in the total)", *[millis(median(e.get("boot_ms", []))) for e in engines.values()]]
        )
        lines += table(header, rows)
        check = sized.get("check", {})
        if check:
            verdict = "all engines agree" if check.get("ok") else "ENGINES DISAGREE"
            lines += [f"Correctness: {verdict} ({check.get('compared', 0)} results compared).", ""]
            for problem in check.get("mismatches", [])[:10]:
                lines.append(f"- {problem}")
            if check.get("mismatches"):
                lines.append("")
        lines += ratio_lines(engines, steps)
    return lines


def mib(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MiB"


def ratio_lines(engines: dict[str, Any], steps: list[str]) -> list[str]:
    lines = _ratio_lines(engines, steps, "loupe", ("duckdb", "arquero", "native"))
    large = _ratio_lines(engines, steps, "loupe_duckdb", ("duckdb", "arquero", "loupe"))
    if large:  # the large-data engine: Loupe's overhead on the same engine as DuckDB-WASM alone
        lines += ["", *large]
    return lines


def _ratio_lines(
    engines: dict[str, Any], steps: list[str], mine_name: str, against: tuple[str, ...]
) -> list[str]:
    if mine_name not in engines:
        return []
    loupe = engines[mine_name]
    short = "Loupe" if mine_name == "loupe" else ENGINE_NAMES[mine_name]
    others = [(name, f"{short} / {ENGINE_NAMES[name]}") for name in against if name in engines]
    if not others:
        return []
    header = ["step", *[label for _, label in others]]
    rows = []
    for step in [*steps, "total"]:
        mine = median(loupe["steps"].get(step, [])) if step != "total" else median(loupe.get("total", []))
        cells = []
        for name, _ in others:
            theirs = (
                engines[name]["steps"].get(step, []) if step != "total" else engines[name].get("total", [])
            )
            cells.append(ratio(mine, median(theirs)))
        rows.append([step, *cells])
    title = (
        "Ratios (above 1 means Loupe is slower; Loupe / native is the browser's cost):"
        if mine_name == "loupe"
        else f"Ratios of {short} (above 1: it is slower; / DuckDB-WASM is Loupe's overhead on that engine):"
    )
    return [title, "", *table(header, rows)]


def scroll_section(results: dict[str, Any]) -> list[str]:
    rows = [
        [
            name,
            millis(case.get("first_view_ms")),
            millis(case.get("median_ms")),
            millis(case.get("p90_ms")),
            millis(case.get("max_ms")),
            millis(case.get("request_median_ms")),
            millis(case.get("paint_only_median_ms")),
            str(case.get("count")),
        ]
        for name, case in results["cases"].items()
    ]
    return [
        f"## Table scrolling: windows at random offsets of {results['rows']:,} rows",
        "",
        f"Opening the CSV through the worker took {millis(results.get('open_ms'))}; "
        "then per result the first `view` (counting the rows) and windows of 100 rows (25 where named: "
        "what the explorer asks for a 720 px view) via `rows` + painting the tree with app/tree.js, "
        "to the next animation frame. *DOM only* builds and lays out the same window again with no request "
        "and no frame wait: the browser's own cost of that table, a floor under the window time.",
        "",
        *table(
            [
                "result",
                "first view",
                "window median",
                "p90",
                "max",
                "of which the request (median)",
                "DOM only (median)",
                "windows",
            ],
            rows,
        ),
        f"Peak renderer memory while scrolling: {mib(results.get('peak_mib'))}.",
        "",
    ]


def open_section(results: dict[str, Any]) -> list[str]:
    runs = results.get("runs", [])
    return [
        f"## Opening {results['file']} ({results['file_mib']} MiB) in the explorer (median of {len(runs)})",
        "",
        "Chosen through the file input of a fresh Chromium (one page, no service worker), until its table "
        "is on screen; the renderer process holds the page and its Python worker.",
        "",
        *table(
            ["open", "renderer peak (VmHWM)", "peak after boot, before the open", "resident afterwards"],
            [
                [
                    seconds(None if results.get("open_s") is None else results["open_s"] * 1000),
                    mib(results.get("peak_mib")),
                    mib(results.get("boot_peak_mib")),
                    mib(results.get("rss_after_mib")),
                ]
            ],
        ),
    ]


WIDGET_VISITS = (
    ("cold", "cold: a first visit"),
    ("warm", "warm: relaunched, HTTP cache and start-up snapshot"),
)


def widgets_section(results: dict[str, Any]) -> list[str]:
    """The dashboard's three widgets: navigation to the first chart and to all ready, and the bytes."""
    runs = results.get("runs", [])
    rows = []
    for visit, label in WIDGET_VISITS:
        measured = [run[visit] for run in runs if visit in run]
        if not measured:
            continue

        def mid(key: str, measured: list[dict[str, Any]] = measured) -> float | None:
            return median([m.get(key) for m in measured])

        best = [m["first_chart_ms"] for m in measured if m.get("first_chart_ms") is not None]
        first = seconds(mid("first_chart_ms"))
        rows.append(
            [
                label,
                first + (f" (best {min(best) / 1000:.2f})" if len(best) > 1 else ""),
                seconds(mid("all_ready_ms")),
                "/".join(sorted({str(m.get("boot")) for m in measured})),
                megabytes(mid("bytes")),
                megabytes(mid("bytes_pyodide")),
                megabytes(mid("bytes_loupe")),
                megabytes(mid("bytes_other")),
                f"{mid('requests') or 0:.0f} ({mid('not_modified') or 0:.0f} × 304)",
            ]
        )
    return [
        f"## Widgets: {results.get('page', 'dashboard.html')}, three widgets sharing one worker "
        f"(median of {len(runs)})",
        "",
        "Navigation to the first widget's chart SVG and to all three ready (each rendered, the e2e tests' "
        "signal), in a fresh profile and then a relaunched browser on it; bytes are what the server sent "
        "(headers and bodies, the worker's requests included) until all three were ready.",
        "",
        *table(
            [
                "visit",
                "first chart",
                "all three ready",
                "worker boot",
                "bytes",
                "Pyodide core",
                "Loupe",
                "the rest",
                "requests",
            ],
            rows,
        ),
    ]


def form_section(results: dict[str, Any]) -> list[str]:
    """A form change to the updated chart: median, p90 and max per case, one table per data size."""
    lines: list[str] = []
    for size, cases in results.get("sizes", {}).items():
        lines += [
            f"## A form change to the updated chart, {int(size):,} rows "
            f"({results.get('repeats')} changes per case)",
            "",
            "From the change in the explorer's chart form (or the step form's Update button) to the page's "
            "next ready render with the chart drawn again, plus one animation frame; after one untimed "
            "change per case.",
            "",
            *table(
                ["change", "median", "p90", "max", "changes"],
                [
                    [
                        name,
                        millis(case.get("median_ms")),
                        millis(case.get("p90_ms")),
                        millis(case.get("max_ms")),
                        str(case.get("count")),
                    ]
                    for name, case in cases.items()
                ],
            ),
        ]
    return lines


def ratio_of(engines: dict[str, Any], other: str, step: str | None = None) -> float | None:
    """Loupe's median over another engine's, for one step or the total."""
    if "loupe" not in engines or other not in engines:
        return None

    def pick(engine: dict[str, Any]) -> float | None:
        return median(engine["steps"].get(step, []) if step else engine.get("total", []))

    mine, theirs = pick(engines["loupe"]), pick(engines[other])
    return None if mine is None or not theirs else mine / theirs


def summary_section(results: dict[str, Any]) -> list[str]:
    """The ratios the team tracks, in one table, and the worst steps."""
    rows: list[list[str]] = []
    if "startup" in results:
        med = startup_medians(results["startup"])
        if "loupe" in med and "floor" in med:
            for kind, label in STARTUP_KINDS:
                rows.append(
                    [
                        f"start-up, {label}: Loupe / floor",
                        ratio(
                            med["loupe"][kind].get("first_table_ms"), med["floor"][kind].get("first_table_ms")
                        ),
                    ]
                )
    worst: list[tuple[float, str]] = []
    for size, sized in results.get("data", {}).items():
        engines = sized["engines"]
        for other in ("duckdb", "arquero", "native"):
            value = ratio_of(engines, other)
            label = "browser / native" if other == "native" else f"Loupe / {ENGINE_NAMES[other]}"
            if value is not None:
                rows.append([f"data path {int(size):,} rows, total: {label}", f"{value:.2f}×"])
            for step in engines.get("loupe", {}).get("steps", {}):
                step_ratio = ratio_of(engines, other, step)
                if step_ratio is not None and other != "native":
                    worst.append((step_ratio, f"{step} at {int(size):,} rows: Loupe / {ENGINE_NAMES[other]}"))
    if not rows:
        return []
    lines = ["## Summary", "", *table(["ratio (above 1: Loupe is slower)", "value"], rows)]
    if worst:
        worst.sort(reverse=True)
        lines += [
            "Worst steps: " + "; ".join(f"{label} {value:.1f}×" for value, label in worst[:5]) + ".",
            "",
        ]
    return lines


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    v = results["versions"]
    lines = [
        f"# Loupe benchmark, {results['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}; "
        f"native Python {m['python']}; load average (1/5/15 min) {m.get('load_before')} before, "
        f"{m.get('load_after')} after.",
        f"Chromium {v.get('chromium')} headless; Pyodide {v.get('pyodide')}; "
        f"PyScript {v.get('@pyscript/core')} (polyscript {v.get('polyscript')}); "
        f"DuckDB-WASM {v.get('@duckdb/duckdb-wasm')}; Arquero {v.get('arquero')}; "
        f"native SQLite {v.get('sqlite_native')}; Loupe at {v.get('loupe_commit')}.",
        f"Settings: {results['settings']}; whole run {results.get('elapsed_s', 0):.0f} s. "
        "Absolute times are noisy on a shared machine; ratios within one run are what to trust. "
        "How each number is measured: docs/benchmark.md.",
        "",
    ]
    lines += summary_section(results)
    if "startup" in results:
        lines += startup_section(results["startup"])
    if "restore" in results:
        lines += restore_section(results["restore"])
    if "data" in results:
        lines += data_section(results["data"])
    if "scroll" in results:
        lines += scroll_section(results["scroll"])
    if "open" in results:
        lines += open_section(results["open"])
    if "widgets" in results:
        lines += widgets_section(results["widgets"])
    if "form" in results:
        lines += form_section(results["form"])
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    # Re-render a report from its JSON: python3 bench/report.py bench/results/<date>.json
    for name in sys.argv[1:]:
        source = Path(name)
        source.with_suffix(".md").write_text(markdown(json.loads(source.read_text())))
