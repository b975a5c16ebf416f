"""sample: a deterministic random subset of rows (same seed, same rows), in their current order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb


@dataclass(frozen=True)
class SampleSpec:
    n: int | None
    fraction: float | None
    seed: int


def parse(raw: Mapping[str, Any], step: int) -> SampleSpec:
    f = Fields(raw, step, "sample", ("n", "fraction", "seed"))
    seed = f.integer("seed", 0)
    if f.has("n") == f.has("fraction"):
        raise f.error(
            "give either 'n' (a number of rows) or 'fraction' (0 to 1)", field="n", hint='e.g. "n": 1000'
        )
    if f.has("n"):
        return SampleSpec(f.integer("n", minimum=0), None, seed)
    fraction = f.number("fraction")
    if not 0 <= fraction <= 1:
        raise f.error("'fraction' must be between 0 and 1", field="fraction")
    return SampleSpec(None, fraction, seed)


def compile(spec: SampleSpec, ctx: Context) -> Compiled:
    cols = ctx.select_list()
    seed = ctx.param(spec.seed)
    key = f"loupe_unit_hash({seed}, {SEQ})"
    if spec.n is not None:
        chosen = f"(SELECT * FROM {ctx.with_seq()} ORDER BY {key} LIMIT {int(spec.n)})"
        return f"SELECT {cols} FROM {chosen} ORDER BY {SEQ}", ctx.columns
    fraction = ctx.param(spec.fraction)
    return f"SELECT {cols} FROM {ctx.with_seq()} WHERE {key} < {fraction}", ctx.columns


VERB = Verb(
    name="sample",
    summary="Keep a random but repeatable subset of rows: n rows or a fraction, chosen by seed.",
    fields={
        "n": "how many rows",
        "fraction": "instead of n: the share of rows, 0 to 1",
        "seed": "the random seed; the same seed picks the same rows (default 0)",
    },
    parse=parse,
    compile=compile,
    example={"verb": "sample", "n": 1000, "seed": 42},
)
