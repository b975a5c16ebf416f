"""The command line: `loupe run DATA PIPELINE -o OUT` and `loupe profile DATA`.

Exit codes: 0 done, 1 bad input (the LoupeError text goes to stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from loupe.engine import Engine
from loupe.errors import LoupeError
from loupe.table import TableInfo

OK, BAD_INPUT, USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loupe", description="Look closely at your data.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a pipeline on a data file and write the result")
    run.add_argument("data", help="CSV, TSV, JSON, JSON Lines, XLSX or SQLite file")
    run.add_argument("pipeline", help="pipeline JSON file, '-' for stdin, or inline JSON")
    run.add_argument(
        "-o",
        "--output",
        help="output file; format from its extension (.csv .tsv .json .jsonl .xlsx); default: CSV on stdout",
    )
    run.add_argument(
        "--format",
        choices=("csv", "tsv", "json", "jsonl", "xlsx"),
        help="output format, overriding the extension",
    )
    run.add_argument(
        "--with",
        dest="extra",
        action="append",
        default=[],
        metavar="FILE",
        help="load another file as a table (for join); repeatable",
    )
    run.add_argument(
        "--raw",
        action="store_true",
        help="CSV: write cells starting with = + - @ as they are (not spreadsheet-safe)",
    )
    run.add_argument("--sql", action="store_true", help="print the compiled SQL instead of running")
    prof = sub.add_parser("profile", help="describe every column of a data file")
    prof.add_argument("data", help="the data file")
    prof.add_argument("--json", action="store_true", help="print the profile as JSON")
    return parser


def _load(engine: Engine, path: str) -> TableInfo:
    from loupe.read import load_file

    # Streams a large CSV into the engine (the same path the page uses): far less memory than whole.
    return load_file(engine, path)


def _read_pipeline(text: str) -> object:
    if text == "-":
        source = sys.stdin.read()
    elif text.lstrip().startswith(("[", "{")):
        source = text
    else:
        try:
            with open(text, encoding="utf-8") as handle:
                source = handle.read()
        except OSError as exc:
            raise LoupeError(
                f"cannot read pipeline {text!r}: {exc.strerror}",
                hint="give a JSON file, '-' for stdin, or inline JSON",
            ) from None
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise LoupeError(
            f"the pipeline is not valid JSON: {exc.msg}",
            row=exc.lineno,
            hint="check commas, brackets and quotes",
        ) from None


def _run(args: argparse.Namespace) -> int:
    from loupe.export import pipeline_sql, write_csv, write_file
    from loupe.pipeline import parse_pipeline

    pipeline = parse_pipeline(_read_pipeline(args.pipeline))
    engine = Engine()
    table = _load(engine, args.data)
    for extra in args.extra:
        _load(engine, extra)
    query = engine.compile(pipeline, pipeline.source or table.name)
    if args.sql:
        sys.stdout.write(pipeline_sql(query))
        return OK
    result = engine.execute(query)
    if args.output:
        try:
            write_file(args.output, result.columns, result.rows, fmt=args.format, safe=not args.raw)
        except OSError as exc:
            raise LoupeError(
                f"cannot write {args.output!r}: {exc.strerror}",
                hint="check the folder exists and is writable",
            ) from None
        print(f"{len(result.rows)} rows -> {args.output}", file=sys.stderr)
    elif args.format in (None, "csv", "tsv"):
        write_csv(
            sys.stdout,
            result.columns,
            result.rows,
            safe=not args.raw,
            delimiter="\t" if args.format == "tsv" else ",",
        )
    else:
        from loupe.export import write_json, write_jsonl

        writer = write_json if args.format == "json" else write_jsonl
        if args.format == "xlsx":
            raise LoupeError("xlsx output needs a file", hint="add -o out.xlsx")
        writer(sys.stdout, result.columns, result.rows)
    return OK


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _profile(args: argparse.Namespace) -> int:
    from loupe.profile import profile_table

    engine = Engine()
    table = _load(engine, args.data)
    profile = profile_table(engine, table.name)
    if args.json:
        json.dump(profile, sys.stdout, ensure_ascii=False, allow_nan=False, indent=2)
        sys.stdout.write("\n")
        return OK
    print(f"{table.name}: {profile['rows']} rows, {len(profile['columns'])} columns")
    for note in table.notes:
        print(f"  note: {note}")
    head = ("column", "type", "nulls", "distinct", "min", "max", "mean")
    lines = [head] + [
        (
            c["name"],
            c["type"],
            str(c["nulls"]),
            str(c["distinct"]),
            _fmt(c["min"]),
            _fmt(c["max"]),
            _fmt(c.get("mean")),
        )
        for c in profile["columns"]
    ]
    widths = [min(30, max(len(line[i]) for line in lines)) for i in range(len(head))]
    for line in lines:
        print("  ".join(cell[:30].ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    return OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 bad input, 2 usage)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    try:
        return _run(args) if args.command == "run" else _profile(args)
    except LoupeError as exc:
        print(f"loupe: {exc}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:  # e.g. `loupe run ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
