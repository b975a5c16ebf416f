"""Pipelines: an ordered list of verb steps, validated once, compiled to ONE SQL statement.

>>> p = parse_pipeline([{"verb": "limit", "n": 2}])
>>> compile_pipeline(p, {"t": (Column("a", "integer"),)}, "t").sql
'WITH "loupe_step_1" AS (SELECT * FROM "t" LIMIT 2 OFFSET 0) SELECT "a" FROM "loupe_step_1"'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from loupe.errors import LoupeError, SpecError, did_you_mean
from loupe.sql import Params, Query, fold, quote_column, quote_ident
from loupe.table import Column, Value
from loupe.verbs import REGISTRY
from loupe.verbs.base import Context, Lookup

VERSION = 1
STEP_PREFIX = "loupe_step_"
RESERVED = "__loupe_"  # helper columns (row numbers, ranks) that verbs add inside their SQL

__all__ = [
    "VERSION",
    "Pipeline",
    "Query",
    "Step",
    "compile_pipeline",
    "compile_step_counts",
    "parse_pipeline",
]


@dataclass(frozen=True)
class Step:
    """One validated step: 1-based number, verb name, parsed spec and the raw JSON it came from.

    A disabled step (`"disabled": true`) keeps its place and its shape is checked, but it compiles to nothing:
    the user can switch a step off to compare, without losing it."""

    number: int
    verb: str
    spec: Any
    raw: Mapping[str, Any] = field(compare=False)
    enabled: bool = True


@dataclass(frozen=True)
class Pipeline:
    """A validated pipeline; `source` None means "the current table"."""

    steps: tuple[Step, ...]
    source: str | None = None
    version: int = VERSION

    def to_spec(self) -> dict[str, Any]:
        """The JSON form (round-trips through parse_pipeline)."""
        out: dict[str, Any] = {"version": self.version}
        if self.source is not None:
            out["source"] = self.source
        out["steps"] = [dict(s.raw) for s in self.steps]
        return out


def _locate(exc: LoupeError, step: int, verb: str) -> LoupeError:
    if exc.step is None:
        exc.step, exc.verb = step, verb
    return exc


def parse_step(raw: object, number: int) -> Step:
    """Validate one step's shape and fields against its verb's schema."""
    if not isinstance(raw, Mapping):
        raise SpecError(
            f"a step must be an object, not {type(raw).__name__}",
            step=number,
            hint='e.g. {"verb": "limit", "n": 10}',
        )
    name = raw.get("verb")
    if not isinstance(name, str):
        raise SpecError(
            "a step needs a 'verb'",
            step=number,
            field="verb",
            hint="verbs: " + ", ".join(sorted(REGISTRY)),
        )
    verb = REGISTRY.get(name)
    if verb is None:
        hint = did_you_mean(name, REGISTRY) or "verbs: " + ", ".join(sorted(REGISTRY))
        raise SpecError(f"unknown verb {name!r}", step=number, verb=name, field="verb", hint=hint)
    disabled = raw.get("disabled", False)
    if not isinstance(disabled, bool):
        raise SpecError(
            f"'disabled' must be true or false, not {disabled!r}",
            step=number,
            verb=name,
            field="disabled",
            hint='leave it out, or write "disabled": true to switch the step off',
        )
    try:
        spec = verb.parse({k: v for k, v in raw.items() if k != "disabled"}, number)
    except LoupeError as exc:
        raise _locate(exc, number, name) from None
    return Step(number, name, spec, dict(raw), enabled=not disabled)


def parse_pipeline(spec: object) -> Pipeline:
    """Validate a pipeline spec: {"version": 1, "source": name, "steps": [...]} or a bare list.

    Raises SpecError naming the 1-based step, verb and field that is wrong.
    """
    source: str | None = None
    if isinstance(spec, Mapping):
        unknown = [k for k in spec if k not in ("version", "source", "steps")]
        if unknown:
            hint = did_you_mean(str(unknown[0]), ["version", "source", "steps"])
            raise SpecError(
                f"unknown pipeline field {unknown[0]!r}",
                field=str(unknown[0]),
                hint=hint or "a pipeline has version, source and steps",
            )
        version = spec.get("version", VERSION)
        if version != VERSION:
            raise SpecError(
                f"unsupported pipeline version {version!r}",
                field="version",
                hint=f"this Loupe reads version {VERSION}",
            )
        raw_source = spec.get("source")
        if raw_source is not None and not isinstance(raw_source, str):
            raise SpecError("'source' must be a table name", field="source")
        source = raw_source
        steps = spec.get("steps", [])
    else:
        steps = spec
    if not isinstance(steps, Sequence) or isinstance(steps, str | bytes):
        raise SpecError(
            "a pipeline's steps must be a list",
            field="steps",
            hint='e.g. [{"verb": "limit", "n": 10}]',
        )
    return Pipeline(tuple(parse_step(s, i) for i, s in enumerate(steps, start=1)), source)


def _check_columns(columns: tuple[Column, ...], step: Step) -> None:
    seen: dict[str, str] = {}
    for col in columns:
        if fold(col.name).startswith(RESERVED):
            raise SpecError(
                f'the name "{col.name}" is reserved for Loupe\'s own use',
                step=step.number,
                verb=step.verb,
                column=col.name,
                hint=f'choose a name that does not start with "{RESERVED}"',
            )
        key = fold(col.name)
        if key in seen:
            raise SpecError(
                f'column "{col.name}" would appear twice',
                step=step.number,
                verb=step.verb,
                column=col.name,
                hint=f'"{seen[key]}" already exists; choose another name',
            )
        seen[key] = col.name


def resolve_source(pipeline: Pipeline, schemas: Mapping[str, tuple[Column, ...]], source: str | None) -> str:
    """The table a pipeline starts from: its own source, else the given one, else the only table."""
    name = pipeline.source or source
    if name is None:
        if len(schemas) == 1:
            return next(iter(schemas))
        raise SpecError(
            "which table? the pipeline names no source",
            field="source",
            hint="set 'source' to one of: " + ", ".join(f'"{t}"' for t in schemas),
        )
    if name not in schemas:
        hint = did_you_mean(name, schemas) or "loaded tables: " + ", ".join(f'"{t}"' for t in schemas)
        raise SpecError(f'unknown table "{name}"', field="source", hint=hint)
    return name


def compile_pipeline(
    pipeline: Pipeline,
    schemas: Mapping[str, tuple[Column, ...]],
    source: str | None = None,
    *,
    lookup: Lookup | None = None,
) -> Query:
    """Compile to one SQL statement, one CTE per step, tracking the schema step by step.

    `lookup` lets a verb (pivot) run a helper query; Engine.compile passes its own. The query and
    its count query are compiled from the same data, so each helper query runs once for both.
    """
    lookup = _once_each(lookup)
    query = _compile(pipeline, schemas, source, lookup)
    unsorted = _without_idle_sorts(pipeline)
    if unsorted is None:
        return query
    count = _compile(unsorted, schemas, source, lookup)
    # Sorts add no parameters, so the numbering is the same and the main query's params serve.
    assert all(query.params.get(k) == v for k, v in count.params.items())
    return Query(query.sql, query.params, query.columns, count.sql, query.step_columns, query.notes)


def _once_each(lookup: Lookup | None) -> Lookup | None:
    """`lookup` answering a repeated helper query (same SQL and parameters) from its first answer."""
    if lookup is None:
        return None
    answers: dict[tuple[str, str], list[tuple[Value, ...]]] = {}
    run = lookup

    def once(sql: str, params: Mapping[str, Value]) -> list[tuple[Value, ...]]:
        key = (sql, repr(sorted(params.items())))
        if key not in answers:
            answers[key] = run(sql, params)
        return answers[key]

    return once


# Verbs whose output row count does not depend on the order of their input.
_ORDER_FREE = frozenset({"select", "drop", "reorder", "rename", "filter", "derive", "cast", "sort"})


def _without_idle_sorts(pipeline: Pipeline) -> Pipeline | None:
    """The pipeline without sort steps that cannot change the row count, or None if none."""
    keep: list[Step] = []
    dropped = False
    for i, step in enumerate(pipeline.steps):
        later = pipeline.steps[i + 1 :]
        if step.verb == "sort" and all(s.verb in _ORDER_FREE for s in later):
            dropped = True
            continue
        keep.append(step)
    return Pipeline(tuple(keep), pipeline.source, pipeline.version) if dropped else None


def _idle_sorts_off(pipeline: Pipeline) -> Pipeline:
    """The pipeline with the sorts `_without_idle_sorts` drops switched off instead: the steps keep
    their numbers, so each step's count stays where it belongs."""
    steps = tuple(
        replace(step, enabled=False)
        if step.verb == "sort" and all(s.verb in _ORDER_FREE for s in pipeline.steps[i + 1 :])
        else step
        for i, step in enumerate(pipeline.steps)
    )
    return Pipeline(steps, pipeline.source, pipeline.version)


@dataclass(frozen=True)
class _Chain:
    """A pipeline compiled to its CTEs: the relation holding the rows after each step (the previous
    one for a switched-off step), the parameters and the schema step by step."""

    ctes: tuple[str, ...]
    relations: tuple[str, ...]  # the source, then the relation after each step
    params: dict[str, Value]
    step_columns: tuple[tuple[Column, ...], ...]
    notes: tuple[str, ...]


def _chain(
    pipeline: Pipeline,
    schemas: Mapping[str, tuple[Column, ...]],
    source: str | None,
    lookup: Lookup | None,
) -> _Chain:
    table = resolve_source(pipeline, schemas, source)
    columns = schemas[table]
    relation = quote_ident(table)
    params = Params()
    ctes: list[str] = []
    relations = [relation]
    step_columns = [columns]
    notes: list[str] = []
    for step in pipeline.steps:
        if not step.enabled:
            step_columns.append(columns)  # the rows pass through unchanged
            relations.append(relation)
            continue
        verb = REGISTRY[step.verb]
        prefix = f"WITH {', '.join(ctes)} " if ctes else ""
        ctx = Context(step.number, step.verb, relation, columns, params, schemas, prefix, lookup)
        try:
            body, columns = verb.compile(step.spec, ctx)
        except LoupeError as exc:
            raise _locate(exc, step.number, step.verb) from None
        _check_columns(columns, step)
        notes.extend(ctx.notes)
        step_columns.append(columns)
        relation = quote_ident(f"{STEP_PREFIX}{step.number}")
        relations.append(relation)
        ctes.append(f"{relation} AS ({body})")
    return _Chain(tuple(ctes), tuple(relations), dict(params.values), tuple(step_columns), tuple(notes))


def _compile(
    pipeline: Pipeline,
    schemas: Mapping[str, tuple[Column, ...]],
    source: str | None,
    lookup: Lookup | None,
) -> Query:
    chain = _chain(pipeline, schemas, source, lookup)
    columns = chain.step_columns[-1]
    select = ", ".join(quote_column(c.name) for c in columns)
    sql = f"SELECT {select} FROM {chain.relations[-1]}"
    if chain.ctes:
        sql = f"WITH {', '.join(chain.ctes)} {sql}"
    return Query(sql, chain.params, columns, None, chain.step_columns, chain.notes)


def compile_step_counts(
    pipeline: Pipeline,
    schemas: Mapping[str, tuple[Column, ...]],
    source: str | None = None,
    *,
    lookup: Lookup | None = None,
) -> Query:
    """One query whose one row holds the source's row count (`n0`), then the count after each step.

    The step CTEs are written once and each is counted: SQLite materializes a CTE read more than once,
    so the chain runs once instead of once per step. Sorts that cannot change a count are skipped.

    >>> p = parse_pipeline([{"verb": "limit", "n": 2}])
    >>> compile_step_counts(p, {"t": (Column("a", "integer"),)}, "t").sql.split(" SELECT ", 1)[1]
    '(SELECT count(*) FROM "t") AS "n0", (SELECT count(*) FROM "loupe_step_1") AS "n1"'
    """
    chain = _chain(_idle_sorts_off(pipeline), schemas, source, lookup)
    counts = ", ".join(
        f"(SELECT count(*) FROM {relation}) AS {quote_ident(f'n{i}')}"
        for i, relation in enumerate(chain.relations)
    )
    sql = f"SELECT {counts}"
    if chain.ctes:
        sql = f"WITH {', '.join(chain.ctes)} {sql}"
    columns = tuple(Column(f"n{i}", "integer") for i in range(len(chain.relations)))
    return Query(sql, chain.params, columns)
