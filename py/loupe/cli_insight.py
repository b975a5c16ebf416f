"""`loupe forecast`, `trend` and `changes`: the chart insights on the command line, as a table and words.

    loupe forecast sales.csv --x date --y revenue --by month --horizon 6
    loupe trend sales.csv --x date --y revenue --by month
    loupe trend sales.csv --x unit_price --y revenue --method loess
    loupe changes sales.csv --by region --y revenue --column date \
        --before 2024-01-01..2024-06-30 --after 2024-07-01..2024-12-31
    loupe changes sales.csv --by region --before "year(date) == 2023" --after "year(date) == 2024"

The series is aggregated exactly as a line chart (or a changes chart) of the same columns would be
(the same SQL steps), so the numbers match what the page draws. `--json` prints them for other programs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import Any

from loupe.engine import Engine
from loupe.errors import LoupeError
from loupe.insight import forecast, linear_trend, loess, regular, season_for, trend_words
from loupe.insight.grid import guess_grain, start_of
from loupe.render.chart import chart_stats_steps, chart_steps, validate_chart
from loupe.render.chartkit import ChartData
from loupe.render.spec import AGGS, CHANGE_AGGS, CHANGES_LIMIT, MAX_HORIZON, TIME_UNITS, ChartSpec
from loupe.render.timescale import parse_time, to_datetime

TABLE_ROWS = 24  # a longer trend table shows this many evenly spaced rows


def add_parsers(sub: Any) -> None:
    """Add the forecast and trend subcommands to the CLI's subparsers."""
    for name, text in (
        ("forecast", "forecast a measure over time, with 80/95 % intervals and a backtest"),
        ("trend", "fit a trend line (or a LOESS curve) through a measure and say it in words"),
    ):
        # argparse formats help with %, so "95 % intervals" must be written "95 %% intervals" there.
        p = sub.add_parser(name, help=text.replace("%", "%%"), description=text)
        p.add_argument("data", help="the data file")
        p.add_argument("--x", required=True, help="the date column (trend: or a number column)")
        p.add_argument("--y", help="the measured column (default: count rows)")
        p.add_argument("--by", choices=TIME_UNITS, help="time grain to aggregate to (default: from the data)")
        p.add_argument(
            "--agg", choices=AGGS, help="how to aggregate y per step (default sum, count without y)"
        )
        p.add_argument("--json", action="store_true", help="print the numbers as JSON")
        if name == "forecast":
            p.add_argument("--horizon", type=int, default=6, help="how many steps ahead (default 6)")
            p.add_argument("--season", type=int, help="steps per season (default: from the grain; 1: none)")
        else:
            p.add_argument("--method", choices=("linear", "loess"), default="linear", help="default linear")
    text = "which categories moved a measure between two periods (or two filters), largest change first"
    p = sub.add_parser("changes", help=text, description=text)
    p.add_argument("data", help="the data file")
    p.add_argument("--by", required=True, help="the category column the change is split by")
    p.add_argument("--y", help="the measured column (default: count rows)")
    p.add_argument("--agg", choices=CHANGE_AGGS, help="sum (default with --y) or count")
    p.add_argument("--column", help="the column --before and --after are ranges of (e.g. a date)")
    p.add_argument(
        "--before", required=True, help="START..END (inclusive; either may be left out), or a filter"
    )
    p.add_argument("--after", required=True, help="START..END, or a filter expression without --column")
    p.add_argument(
        "--top", type=int, default=CHANGES_LIMIT, help=f"categories named (default {CHANGES_LIMIT})"
    )
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")


def _series(args: argparse.Namespace, extra: dict[str, Any]) -> tuple[ChartSpec, ChartData]:
    """The series a line chart (dates on x) or a scatter plot (numbers) of these columns shows."""
    from loupe.read import load_file

    engine = Engine()
    table = load_file(engine, args.data)
    columns = engine.schema(table.name)
    x_type = next((c.type for c in columns if c.name == args.x), None)
    dated = x_type in ("date", "datetime", "text") or args.command == "forecast"
    raw: dict[str, Any] = {"type": "line" if dated else "scatter", "x": args.x, "y": args.y, **extra}
    if dated:
        raw.update({"agg": args.agg, "time_unit": args.by})
    elif args.y is None:
        raise LoupeError("a trend over a number column needs --y", hint="add --y <column>")
    spec = validate_chart({k: v for k, v in raw.items() if v is not None}, columns)
    stats = None
    stats_steps = chart_stats_steps(spec, columns)
    if stats_steps:
        found = engine.run(stats_steps, table.name)
        stats = dict(zip(found.column_names, found.rows[0], strict=True)) if found.rows else None
    result = engine.run(chart_steps(spec, columns, stats=stats), table.name)
    return spec, ChartData(result.columns, result.rows)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}" if abs(value) < 1e15 else f"{value:.4g}"


def _print_table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    lines = [head, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def _date(seconds: float, grain: str) -> str:
    moment = to_datetime(seconds)
    return moment.isoformat(sep=" ") if grain == "hour" else dt.date.isoformat(moment.date())


def run_forecast(args: argparse.Namespace) -> int:
    if not 1 <= args.horizon <= MAX_HORIZON:
        raise LoupeError(f"--horizon must be from 1 to {MAX_HORIZON}, not {args.horizon}", hint="e.g. 6")
    extra = {"forecast": {"horizon": args.horizon, "season": args.season}}
    spec, result = _series(args, extra)
    times = [parse_time(v) for v in result.values(args.x)]
    known = [t for t in times if t is not None]
    if not known:
        raise LoupeError(f"{args.x!r} holds no dates", column=args.x, hint="pick a date column for --x")
    grain = args.by or guess_grain(known)
    season = args.season or season_for(grain)
    first, values = regular(times, result.values(spec.value_name), grain)
    result_f = forecast(values, horizon=args.horizon, season=season)
    last = first + len(values) - 1
    steps = [_date(start_of(last + h, grain), grain) for h in range(1, args.horizon + 1)]
    # Each step ahead with its forecast and its 80 % and 95 % intervals.
    bands = list(
        zip(
            steps,
            result_f.values,
            result_f.lower80,
            result_f.upper80,
            result_f.lower95,
            result_f.upper95,
            strict=True,
        )
    )
    if args.json:
        out = {
            "method": result_f.method,
            "season": result_f.season,
            "grain": grain,
            "steps": [
                {"x": x, "forecast": v, "low80": a, "high80": b, "low95": c, "high95": d}
                for x, v, a, b, c, d in bands
            ],
            "backtest": None
            if result_f.backtest is None
            else {k: getattr(result_f.backtest, k) for k in ("held", "method", "mape", "mase", "mae")},
            "words": result_f.words(grain),
        }
        json.dump(out, sys.stdout, ensure_ascii=False, allow_nan=False, indent=2)
        sys.stdout.write("\n")
        return 0
    head = (grain, f"forecast of {spec.value_label}", "80 % low", "80 % high", "95 % low", "95 % high")
    rows = [(x, _num(v), _num(a), _num(b), _num(c), _num(d)) for x, v, a, b, c, d in bands]
    _print_table(head, rows)
    print()
    print(result_f.words(grain))
    return 0


def _x_text(value: float, dated: bool) -> str:
    return _date(value, "day") if dated else _num(value)


def run_trend(args: argparse.Namespace) -> int:
    spec, result = _series(args, {"trend": args.method})
    dated = spec.type == "line"
    raw_x = result.values(args.x)
    xs = [parse_time(v) if dated else v for v in raw_x]
    ys = result.values(spec.value_name if dated else args.y)
    numeric_ys: list[float | None] = [
        float(y) if isinstance(y, int | float) and not isinstance(y, bool) else None for y in ys
    ]
    pairs = [
        (x, y) for x, y in zip(xs, numeric_ys, strict=True) if isinstance(x, int | float) and y is not None
    ]
    if args.method == "loess":
        curve = loess([p[0] for p in pairs], [p[1] for p in pairs], delta=0.01 * _span(pairs))
        rows = [(x, y, fit, None, None) for (x, y), (_, fit) in zip(sorted(pairs), curve, strict=True)]
        words = f"Trend: a LOESS curve through {len(pairs):,} points."
    else:
        fit_ = linear_trend([p[0] for p in pairs], [p[1] for p in pairs])
        span = _span(pairs)
        words = (trend_words(fit_, time_unit=args.by, span=span) if dated else trend_words(fit_)) + "."
        words = words.replace("per 1 of x", f"per 1 of {args.x}")
        rows = [(x, y, fit_.at(x), *(fit_.band(x) or (None, None))) for x, y in sorted(pairs)]
    shown = rows
    if len(rows) > TABLE_ROWS:
        shown = [rows[round(k * (len(rows) - 1) / (TABLE_ROWS - 1))] for k in range(TABLE_ROWS)]
    keys = ("x", "y", "trend", "low95", "high95")
    if args.json:
        points: list[dict[str, Any]] = [dict(zip(keys, row, strict=True)) for row in rows]
        for point in points:
            point["x"] = _x_text(point["x"], dated)
        json.dump(
            {"words": words, "points": points}, sys.stdout, ensure_ascii=False, allow_nan=False, indent=2
        )
        sys.stdout.write("\n")
        return 0
    width = 3 if args.method == "loess" else 5
    head = (args.x, spec.value_label if dated else str(args.y), "trend", "95 % low", "95 % high")[:width]
    table = [(_x_text(x, dated), _num(y), _num(t), _num(lo), _num(hi))[:width] for x, y, t, lo, hi in shown]
    _print_table(head, table)
    if len(shown) < len(rows):
        print(f"({len(shown)} of {len(rows):,} points, evenly spaced)")
    print()
    print(words)
    return 0


def _span(pairs: list[tuple[float, float]]) -> float:
    xs = [p[0] for p in pairs]
    return (max(xs) - min(xs)) if xs else 0.0


def _range(text: str, kind: str | None, flag: str) -> list[Any] | str:
    """ "2024-01-01..2024-06-30" as [start, end] (numbers for a number column; empty ends open)."""
    if kind is None:
        return text  # no --column: a filter expression
    if ".." not in text:
        raise LoupeError(
            f"{flag} must be START..END, not {text!r}", hint="e.g. 2024-01-01..2024-06-30 or 2024.."
        )
    ends: list[Any] = []
    for part in text.split("..", 1):
        part = part.strip()
        if not part or kind not in ("integer", "float"):
            ends.append(part or None)
            continue
        try:
            ends.append(int(part) if kind == "integer" and part.lstrip("-").isdigit() else float(part))
        except ValueError:
            raise LoupeError(f"{flag}: {part!r} is not a number", hint="the column holds numbers") from None
    return ends


def run_changes(args: argparse.Namespace) -> int:
    from loupe.insight.changes import change_words, percent, total_words
    from loupe.read import load_file
    from loupe.render.changes import compute, side_labels
    from loupe.render.chartkit import short_text

    engine = Engine()
    table = load_file(engine, args.data)
    columns = engine.schema(table.name)
    kind = None
    if args.column is not None:
        kind = next((c.type for c in columns if c.name == args.column), "text")  # unknown: the spec says so
    compare: dict[str, Any] = {
        "before": _range(args.before, kind, "--before"),
        "after": _range(args.after, kind, "--after"),
    }
    if args.column is not None:
        compare["column"] = args.column
    if not 1 <= args.top <= 1000:
        raise LoupeError(f"--top must be from 1 to 1000, not {args.top}", hint="e.g. 10")
    raw = {
        "type": "changes",
        "x": args.by,
        "y": args.y,
        "agg": args.agg,
        "compare": compare,
        "limit": args.top,
    }
    spec = validate_chart({k: v for k, v in raw.items() if v is not None}, columns)
    found = engine.run(chart_steps(spec, columns), table.name)
    result, notes = compute(spec, ChartData(found.columns, found.rows))
    assert spec.compare is not None
    sides = side_labels(spec.compare)

    def fmt(value: float) -> str:
        return short_text(spec, value, spec.locale)

    def name(category: object, members: int) -> str:
        return f"other ({members:,} more)" if members > 1 else "null" if category is None else str(category)

    words = [total_words(result, fmt, spec.value_label, sides), *notes]
    words += [change_words(c, result, fmt, name(c.category, c.members)) + "." for c in result.rows[:3]]
    if args.json:
        rows = [
            {
                "category": name(c.category, c.members) if c.other else c.category,
                "before": c.before,
                "after": c.after,
                "change": c.delta,
                "share": c.share,
                "other": c.other,
            }
            for c in result.rows
        ]
        totals = {"before": result.before, "after": result.after, "change": result.delta}
        out = {"sides": list(sides), "total": totals, "rows": rows, "words": words}
        json.dump(out, sys.stdout, ensure_ascii=False, allow_nan=False, indent=2)
        sys.stdout.write("\n")
        return 0
    head = (args.by, sides[0], sides[1], "change", "share")
    table_rows = [
        (
            name(c.category, c.members),
            _num(c.before),
            _num(c.after),
            ("+" if c.delta > 0 else "") + _num(c.delta),
            "" if c.share is None else percent(c.share),
        )
        for c in result.rows
    ]
    _print_table(head, table_rows)
    print()
    print("\n".join(words))
    return 0


COMMANDS = {"forecast": run_forecast, "trend": run_trend, "changes": run_changes}
