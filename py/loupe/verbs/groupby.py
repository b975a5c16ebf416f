"""groupby: one row per distinct combination of `by` columns, with aggregates over each group.

Groups come out sorted by their keys (nulls last), like a spreadsheet pivot summary. An empty
`by` aggregates the whole table into one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.verbs.aggregates import FUNCTIONS, NEEDS_SEQ, NUMERIC_ONLY, Agg, agg_sql, agg_text, parse_agg
from loupe.verbs.base import Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.form import Field, fields, listing


@dataclass(frozen=True)
class GroupbySpec:
    by: tuple[str, ...]
    aggs: tuple[Agg, ...]


def parse(raw: Mapping[str, Any], step: int) -> GroupbySpec:
    f = Fields(raw, step, "groupby", FIELDS)
    by = f.names("by", (), allow_empty=True)
    check_unique(by, f, "by")
    aggs = tuple(parse_agg(a, step, "groupby") for a in f.objects("aggs", [{"fn": "count"}]))
    if not aggs and not by:
        raise f.error("nothing to compute", field="aggs", hint="add 'by' columns or 'aggs'")
    check_unique([*by, *(a.name for a in aggs)], f, "aggs")
    return GroupbySpec(by, aggs)


def compile(spec: GroupbySpec, ctx: Context) -> Compiled:
    keys = [ctx.column(name, "by") for name in spec.by]
    refs = [quote_column(k.name) for k in keys]
    parts = list(refs)
    out = list(keys)
    for agg in spec.aggs:
        sql, column = agg_sql(agg, ctx, "aggs")
        parts.append(f"{sql} AS {quote_column(column.name)}")
        out.append(column)
    source = ctx.with_seq() if any(a.fn in NEEDS_SEQ for a in spec.aggs) else ctx.source
    sql = f"SELECT {', '.join(parts)} FROM {source}"
    if refs:
        sql += f" GROUP BY {', '.join(refs)} ORDER BY "
        sql += ", ".join(f"{r} ASC NULLS LAST" for r in refs)
    return sql, tuple(out)


FIELDS = fields(
    Field("by", "columns", "Group by", "the columns to group by (empty: the whole table is one group)"),
    Field(
        "aggs",
        "aggs",
        "Aggregates",
        'a list of {"fn", "column", "as"}; fn in count count_distinct sum mean median '
        "min max std first last; count needs no column (default: count)",
        choices=FUNCTIONS,
        numeric=tuple(fn for fn in FUNCTIONS if fn in NUMERIC_ONLY),
    ),
)


def describe(spec: GroupbySpec) -> str:
    aggs = listing(agg_text(a) for a in spec.aggs)
    return f"Group by {listing(spec.by)}: {aggs}" if spec.by else f"Summarise: {aggs}"


VERB = Verb(
    name="groupby",
    label="Group by",
    summary="One row per group of `by` values, with aggregates (count, sum, mean, ...).",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={
        "verb": "groupby",
        "by": ["region"],
        "aggs": [{"fn": "sum", "column": "amount", "as": "total"}, {"fn": "count"}],
    },
    describe=describe,
)
