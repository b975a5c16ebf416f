"""sample: a deterministic random subset of rows (same seed, same rows), in their current order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields


@dataclass(frozen=True)
class SampleSpec:
    n: int | None
    fraction: float | None
    seed: int


def parse(raw: Mapping[str, Any], step: int) -> SampleSpec:
    f = Fields(raw, step, "sample", FIELDS)
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


MASK32 = 0xFFFFFFFF
MIX = 0x45D9F3B  # a 32-bit integer hash multiplier (two xorshift-multiply rounds)
KEY = "__loupe_key__"


def _xor(a: str, b: str) -> str:
    # SQLite has no XOR operator: a ^ b == (a | b) - (a & b).
    return f"(({a}) | ({b})) - (({a}) & ({b}))"


def _round(x: str) -> str:
    return f"(({_xor(x, f'({x}) >> 16')}) * {MIX}) & {MASK32}"


def keyed(source: str, seed: str) -> str:
    """The rows of `source` (with SEQ) plus KEY: a 32-bit hash of (seed, SEQ) computed in SQL.

    Pure integer arithmetic in SQLite (no Python callback per row); every product stays below 2**63,
    so nothing overflows into floating point, and the same seed always picks the same rows.
    """
    start = f"(({SEQ} * 2654435761 + ({seed} & {MASK32}) * 40503 + 1) & {MASK32})"
    mixed = f"SELECT *, {_round(start)} AS {KEY} FROM {source}"
    return f"(SELECT *, {_xor(KEY, f'{KEY} >> 16')} AS {KEY}2 FROM ({mixed}))"


def compile(spec: SampleSpec, ctx: Context) -> Compiled:
    cols = ctx.select_list()
    seed = ctx.param(spec.seed)
    rows = keyed(ctx.with_seq(), seed)
    if spec.n is not None:
        chosen = f"(SELECT * FROM {rows} ORDER BY {KEY}2, {SEQ} LIMIT {int(spec.n)})"
        return f"SELECT {cols} FROM {chosen} ORDER BY {SEQ}", ctx.columns
    # A fraction keeps a row when its key falls below fraction * 2**32.
    fraction = ctx.param(spec.fraction)
    return f"SELECT {cols} FROM {rows} WHERE {KEY}2 < {fraction} * 4294967296.0", ctx.columns


FIELDS = fields(
    Field("n", "integer", "Rows", "how many rows", minimum=0),
    Field(
        "fraction", "number", "Share of rows", "instead of n: the share of rows, 0 to 1", minimum=0, maximum=1
    ),
    Field(
        "seed", "integer", "Seed", "the random seed; the same seed picks the same rows (default 0)", default=0
    ),
)


def describe(spec: SampleSpec) -> str:
    size = f"{spec.n} rows" if spec.n is not None else f"{(spec.fraction or 0) * 100:g} % of rows"
    return f"Random sample: {size} (seed {spec.seed})"


VERB = Verb(
    name="sample",
    label="Random sample",
    summary="Keep a random but repeatable subset of rows: n rows or a fraction, chosen by seed.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "sample", "n": 1000, "seed": 42},
    describe=describe,
)
