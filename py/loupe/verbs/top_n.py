"""top_n: the first n rows of each group in a given order (e.g. the 3 biggest sales per region)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.form import Field, fields, listing
from loupe.verbs.sort import SortKey, keys_text, order_by, parse_keys


@dataclass(frozen=True)
class TopNSpec:
    n: int
    order: tuple[SortKey, ...]
    by: tuple[str, ...] = ()


def parse(raw: Mapping[str, Any], step: int) -> TopNSpec:
    f = Fields(raw, step, "top_n", FIELDS)
    by = f.names("by", (), allow_empty=True)
    check_unique(by, f, "by")
    return TopNSpec(f.integer("n", minimum=0), parse_keys(f, "order"), by)


def compile(spec: TopNSpec, ctx: Context) -> Compiled:
    order = order_by(spec.order, ctx, "order")
    groups = [ctx.ref(b, "by") for b in spec.by]
    partition = f"PARTITION BY {', '.join(groups)} " if groups else ""
    # Ties in the order keep their input order (SEQ), so every engine keeps the same rows: a parallel
    # engine (DuckDB, Spark) would otherwise pick any of the tied rows.
    ranked = (
        f"(SELECT *, row_number() OVER ({partition}ORDER BY {order}, {SEQ}) AS __loupe_rank__ "
        f"FROM {ctx.with_seq()})"
    )
    sort = ", ".join([*(f"{g} ASC NULLS LAST" for g in groups), "__loupe_rank__"])
    sql = f"SELECT {ctx.select_list()} FROM {ranked} WHERE __loupe_rank__ <= {int(spec.n)} ORDER BY {sort}"
    return sql, ctx.columns


FIELDS = fields(
    Field("n", "integer", "Rows", "how many rows per group", required=True, minimum=0),
    Field("order", "sort", "Ranked by", "the ranking order, like sort's 'by'", required=True),
    Field("by", "columns", "Per group of", "the group columns (optional: without, the top n overall)"),
)


def describe(spec: TopNSpec) -> str:
    per = f" per {listing(spec.by)}" if spec.by else ""
    return f"Top {spec.n}{per} by {keys_text(spec.order)}"


VERB = Verb(
    name="top_n",
    label="Top rows",
    summary="Keep the first n rows of each group in the given order.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "top_n", "n": 3, "by": ["region"], "order": [{"column": "amount", "desc": True}]},
    describe=describe,
)
