"""top_n: the first n rows of each group in a given order (e.g. the 3 biggest sales per region)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.sort import SortKey, order_by, parse_keys


@dataclass(frozen=True)
class TopNSpec:
    n: int
    order: tuple[SortKey, ...]
    by: tuple[str, ...] = ()


def parse(raw: Mapping[str, Any], step: int) -> TopNSpec:
    f = Fields(raw, step, "top_n", ("n", "order", "by"))
    by = f.names("by", (), allow_empty=True)
    check_unique(by, f, "by")
    return TopNSpec(f.integer("n", minimum=0), parse_keys(f, "order"), by)


def compile(spec: TopNSpec, ctx: Context) -> Compiled:
    order = order_by(spec.order, ctx, "order")
    groups = [ctx.ref(b, "by") for b in spec.by]
    partition = f"PARTITION BY {', '.join(groups)} " if groups else ""
    ranked = (
        f"(SELECT *, row_number() OVER ({partition}ORDER BY {order}) AS __loupe_rank__ FROM {ctx.source})"
    )
    sort = ", ".join([*(f"{g} ASC NULLS LAST" for g in groups), "__loupe_rank__"])
    sql = f"SELECT {ctx.select_list()} FROM {ranked} WHERE __loupe_rank__ <= {int(spec.n)} ORDER BY {sort}"
    return sql, ctx.columns


VERB = Verb(
    name="top_n",
    summary="Keep the first n rows of each group in the given order.",
    fields={
        "n": "how many rows per group",
        "order": "the ranking order, like sort's 'by'",
        "by": "the group columns (optional: without, the top n overall)",
    },
    parse=parse,
    compile=compile,
    example={"verb": "top_n", "n": 3, "by": ["region"], "order": [{"column": "amount", "desc": True}]},
)
