"""limit: keep the first `n` rows, after skipping `offset` rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields


@dataclass(frozen=True)
class LimitSpec:
    n: int
    offset: int = 0


def parse(raw: Mapping[str, Any], step: int) -> LimitSpec:
    f = Fields(raw, step, "limit", FIELDS)
    return LimitSpec(f.integer("n", minimum=0), f.integer("offset", 0, minimum=0))


def compile(spec: LimitSpec, ctx: Context) -> Compiled:
    # Whole numbers validated at parse time; inlined so SQLite can plan the LIMIT.
    sql = f"SELECT * FROM {ctx.source} LIMIT {int(spec.n)} OFFSET {int(spec.offset)}"
    return sql, ctx.columns


FIELDS = fields(
    Field("n", "integer", "Rows", "how many rows to keep", required=True, minimum=0),
    Field("offset", "integer", "Skip first", "how many rows to skip first (default 0)", default=0, minimum=0),
)


def describe(spec: LimitSpec) -> str:
    rows = "row" if spec.n == 1 else "rows"
    return f"First {spec.n} {rows}" + (f" after skipping {spec.offset}" if spec.offset else "")


VERB = Verb(
    name="limit",
    label="First rows",
    summary="Keep the first n rows (after skipping offset rows).",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "limit", "n": 100},
    describe=describe,
)
