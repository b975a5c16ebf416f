"""The command line: `loupe run DATA PIPELINE -o OUT`, `loupe profile DATA`, `loupe document check FILE`,
`loupe sql DATA PIPELINE --dialect sqlite|duckdb|spark`; `run --engine duckdb|spark` runs on DuckDB or
Spark (loupe.dialect); `loupe spark-job DATA PIPELINE -o job.py` writes a job for spark-submit.

`run` takes a bare pipeline or a document (`.loupe.json`): for a document, DATA is the file of the
active table's source and `--with` files stand in for its other sources, in order.

Exit codes: 0 done, 1 bad input (the LoupeError text goes to stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from loupe.engine import Engine
from loupe.errors import BudgetError, LoupeError
from loupe.sql import Query
from loupe.table import TableInfo

if TYPE_CHECKING:
    from loupe.document import Document, Source
    from loupe.engine import Result
    from loupe.pipeline import Pipeline

OK, BAD_INPUT, USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loupe", description="Look closely at your data.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a pipeline on a data file and write the result")
    run.add_argument("data", help="CSV, TSV, JSON, JSON Lines, XLSX or SQLite file")
    run.add_argument(
        "pipeline", help="pipeline or document (.loupe.json) file, '-' for stdin, or inline JSON"
    )
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
        help="load another file as a table (for join), or a document's other sources in order; repeatable",
    )
    run.add_argument(
        "--raw",
        action="store_true",
        help="CSV: write cells starting with = + - @ as they are (not spreadsheet-safe)",
    )
    run.add_argument("--sql", action="store_true", help="print the compiled SQL instead of running")
    run.add_argument(
        "--budget",
        type=float,
        metavar="SECONDS",
        help="stop a query of the run that takes longer, on any engine (default: no limit)",
    )
    run.add_argument(
        "--engine",
        choices=("sqlite", "duckdb", "spark"),
        default="sqlite",
        help="the database that runs it (duckdb: needs loupe[duckdb], scans a CSV from disk; "
        "spark: needs loupe[spark] and Java, runs in local mode)",
    )
    sql = sub.add_parser("sql", help="print the SQL a pipeline compiles to (DATA gives the schema)")
    sql.add_argument("data", help="the data file")
    sql.add_argument("pipeline", help="pipeline or document file, '-' for stdin, or inline JSON")
    sql.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE")
    sql.add_argument(
        "--dialect", choices=("sqlite", "duckdb", "spark"), default="sqlite", help="the SQL dialect"
    )
    job = sub.add_parser("spark-job", help="write a pipeline as a PySpark job for spark-submit")
    job.add_argument(
        "data",
        help="the data file (CSV, or JSON / JSON Lines of flat records; its path is written into the job)",
    )
    job.add_argument("pipeline", help="pipeline file, '-' for stdin, or inline JSON")
    job.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE")
    job.add_argument("-o", "--output", required=True, help="the job file to write (job.py)")
    prof = sub.add_parser("profile", help="describe every column of a data file")
    prof.add_argument("data", help="the data file")
    prof.add_argument("--json", action="store_true", help="print the profile as JSON")
    rep = sub.add_parser("report", help="write a document's tables, charts and steps as one HTML file")
    rep.add_argument("data", help="the data file of the document's shown table")
    rep.add_argument("document", help="document file (.loupe.json), '-' for stdin, or inline JSON")
    rep.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE")
    rep.add_argument("-o", "--output", required=True, help="the HTML file to write (report.html)")
    doc = sub.add_parser("document", help="work with a saved Loupe document (.loupe.json)")
    actions = doc.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate a document and say what is wrong, and where")
    check.add_argument("file", help="document JSON file, '-' for stdin, or inline JSON")
    check.add_argument(
        "--print",
        dest="show",
        action="store_true",
        help="print the normalized document (a bare pipeline comes out as a document)",
    )
    from loupe import cli_insight  # forecast, trend

    cli_insight.add_parsers(sub)
    return parser


def _load(engine: Engine, path: str) -> TableInfo:
    from loupe.read import load_file

    # Streams a large CSV into the engine (the same path the page uses): far less memory than whole.
    return load_file(engine, path)


def _read_json(text: str, what: str = "pipeline") -> object:
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
                f"cannot read {what} {text!r}: {exc.strerror}",
                hint="give a JSON file, '-' for stdin, or inline JSON",
            ) from None
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise LoupeError(
            f"the {what} is not valid JSON: {exc.msg}",
            row=exc.lineno,
            hint="check commas, brackets and quotes",
        ) from None


def _run(args: argparse.Namespace) -> int:
    from loupe.budget import time_budget

    if args.budget is not None and not 0 < args.budget <= 86400:
        raise LoupeError(f"--budget {args.budget:g} is not a time", hint="give seconds, e.g. --budget 60")
    try:
        with time_budget(args.budget):
            return _run_pipeline(args)
    except BudgetError as exc:  # one compiled query runs every step: name the pipeline
        hint = "filter or group first, or give a larger --budget"
        raise BudgetError(exc.seconds, "the pipeline", hint=hint) from None


def _run_pipeline(args: argparse.Namespace) -> int:
    from loupe.document import is_document, parse_document
    from loupe.export import pipeline_sql
    from loupe.pipeline import parse_pipeline

    spec = _read_json(args.pipeline)
    if args.engine != "sqlite":
        return _elsewhere(args, spec, args.engine, run=not args.sql)
    engine = Engine()
    if is_document(spec):
        query = _document_query(engine, parse_document(spec), args.data, args.extra)
    else:
        pipeline = parse_pipeline(spec)
        table = _load(engine, args.data)
        for extra in args.extra:
            _load(engine, extra)
        query = engine.compile(pipeline, pipeline.source or table.name)
    if args.sql:
        sys.stdout.write(pipeline_sql(query))
        return OK
    _write(args, engine.execute(query))
    return OK


def _elsewhere(args: argparse.Namespace, spec: object, name: str, *, run: bool) -> int:
    """Run (or show the SQL of) a pipeline on another engine than SQLite (loupe.dialect)."""
    from loupe.dialect import compile_on, open_engine, sql_text

    if name == "spark" and not run:  # the SQL needs no JVM: SQLite compiles it, sqlglot translates
        lite = Engine()
        query = compile_on(lite, spec, args.data, args.extra)  # type: ignore[arg-type]
        sys.stdout.write(sql_text(query, "spark"))
        return OK
    engine = open_engine(name)
    try:
        query = compile_on(engine, spec, args.data, args.extra)
        if not run:
            sys.stdout.write(sql_text(query, engine.dialect))
            return OK
        _write(args, engine.execute(query))
        return OK
    finally:
        engine.close()


def _sql(args: argparse.Namespace) -> int:
    return _elsewhere(args, _read_json(args.pipeline), args.dialect, run=False)


def _spark_job(args: argparse.Namespace) -> int:
    """Write the pipeline as a standalone PySpark job reading the same files (loupe.spark_engine)."""
    from loupe.dialect import compile_on
    from loupe.spark_engine import spark_job

    engine = Engine()
    query = compile_on(engine, _read_json(args.pipeline), args.data, args.extra)  # type: ignore[arg-type]
    paths = [args.data, *args.extra]
    tables = {
        name: (os.path.abspath(path), engine.schema(name))
        for name, path in zip(engine.tables(), paths, strict=False)
    }
    text = spark_job(query, tables)  # before the file is opened: a refusal leaves no empty job
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {args.output}: spark-submit --master local[2] {args.output} OUTPUT_DIR", file=sys.stderr)
    return OK


def _document_query(engine: Engine, doc: Document, data: str, extra: Sequence[str]) -> Query:
    """Load `data` as the active table's source and `extra` as the other sources; compile its steps."""
    table = doc.active
    if table is None:
        raise LoupeError("the document has no tables to run", hint="open a file in Loupe and save again")
    source = doc.source_of(table)
    others = [s for s in doc.sources if s is not source]
    if len(extra) > len(others):
        raise LoupeError(
            f"{len(extra)} --with files, but the document has {len(others)} other sources",
            hint="give one --with FILE per other source, in the document's order",
        )
    _load_source(engine, data, source)
    for path, other in zip(extra, others, strict=False):
        _load_source(engine, path, other)
    for missing in others[len(extra) :]:
        if any(step.verb == "join" and step.spec.table == missing.table for step in table.pipeline.steps):
            raise LoupeError(
                f'table "{table.name}" joins "{missing.table}", which source {missing.id} '
                f"({missing.name!r}) loads",
                hint=f"add --with FILE for {missing.name!r}",
            )
    print(f'loupe: running table "{table.name}" ({_steps(table.pipeline)})', file=sys.stderr)
    return engine.compile(table.pipeline, table.pipeline.source)


def _report(args: argparse.Namespace) -> int:
    """The document as a standalone HTML report (loupe.report), with its data read from the files given."""
    from loupe.document import parse_document
    from loupe.service.exports import report
    from loupe.service.request import Request
    from loupe.service.session import Session

    raw = _read_json(args.document, "document")
    doc = parse_document(raw)
    session = Session()
    _document_query(session.engine, doc, args.data, args.extra)  # loads the files, checks the joins
    html = report(session, Request.parse({"document": raw}))
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(html)
    print(f"wrote {args.output}", file=sys.stderr)
    return OK


def _steps(pipeline: Pipeline) -> str:
    count = len(pipeline.steps)
    return f"{count} step" if count == 1 else f"{count} steps"


def _load_source(engine: Engine, path: str, source: Source) -> TableInfo:
    from loupe.read import load_file

    options = dict(source.options or {})
    if source.part and not (options.get("sheet") or options.get("table")):
        # The part is a workbook's sheet or a database's table; each reader reads only its own option.
        options["sheet"] = options["table"] = source.part
    return load_file(engine, path, name=source.table, options=options)


def _write(args: argparse.Namespace, result: Result) -> None:
    from loupe.export import write_csv, write_file

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


def _check(args: argparse.Namespace) -> int:
    """Validate a document; print what it holds, or what is wrong with it, path first."""
    from loupe.document import parse_document

    label = "stdin" if args.file == "-" else args.file
    if args.file.lstrip().startswith(("[", "{")):
        label = "the document"  # inline JSON: not repeated back
    try:
        doc = parse_document(_read_json(args.file, "document"))
    except LoupeError as exc:
        text = f"{exc.field}: {exc.message}" if exc.field else exc.message
        print(f"loupe: {label}: {text}" + (f". Hint: {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return BAD_INPUT
    if args.show:
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return OK
    tables = ", ".join(f"{t.name} ({_steps(t.pipeline)})" for t in doc.tables) or "none"
    print(f"{label}: a valid Loupe document, version {doc.version}")
    print(f"  sources: {', '.join(f'{s.name} ({s.kind})' for s in doc.sources) or 'none'}")
    print(f"  tables: {tables}; charts: {len(doc.charts)}")
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
        from loupe.cli_insight import COMMANDS as INSIGHT

        commands = {
            "run": _run,
            "profile": _profile,
            "document": _check,
            "report": _report,
            "sql": _sql,
            "spark-job": _spark_job,
        }
        commands.update(INSIGHT)
        return commands[args.command](args)
    except LoupeError as exc:
        print(f"loupe: {exc}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:  # e.g. `loupe run ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
