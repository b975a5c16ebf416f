"""limit: keep the first `n` rows, after skipping `offset` rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import Compiled, Context, Fields, Verb


@dataclass(frozen=True)
class LimitSpec:
    n: int
    offset: int = 0


def parse(raw: Mapping[str, Any], step: int) -> LimitSpec:
    f = Fields(raw, step, "limit", ("n", "offset"))
    return LimitSpec(f.integer("n", minimum=0), f.integer("offset", 0, minimum=0))


def compile(spec: LimitSpec, ctx: Context) -> Compiled:
    # Whole numbers validated at parse time; inlined so SQLite can plan the LIMIT.
    sql = f"SELECT * FROM {ctx.source} LIMIT {int(spec.n)} OFFSET {int(spec.offset)}"
    return sql, ctx.columns


VERB = Verb(
    name="limit",
    summary="Keep the first n rows (after skipping offset rows).",
    fields={"n": "how many rows to keep", "offset": "how many rows to skip first (default 0)"},
    parse=parse,
    compile=compile,
    example={"verb": "limit", "n": 100},
)
