"""sort: order rows by one or more columns, each ascending or descending; nulls always last."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import Compiled, Context, Fields, Verb


@dataclass(frozen=True)
class SortKey:
    column: str
    desc: bool = False


@dataclass(frozen=True)
class SortSpec:
    by: tuple[SortKey, ...]


def parse(raw: Mapping[str, Any], step: int) -> SortSpec:
    f = Fields(raw, step, "sort", ("by",))
    items = f.get("by")
    if isinstance(items, str | Mapping):
        items = [items]
    if not isinstance(items, list | tuple) or not items:
        raise f.error(
            "'by' must be a non-empty list of sort keys",
            field="by",
            hint='e.g. "by": [{"column": "amount", "desc": true}]',
        )
    keys: list[SortKey] = []
    for item in items:
        if isinstance(item, str):
            keys.append(SortKey(item))
            continue
        if not isinstance(item, Mapping):
            raise f.error("each sort key must be a column name or an object", field="by")
        k = Fields(item, step, "sort", ("column", "desc"))
        keys.append(SortKey(k.name("column"), k.boolean("desc", False)))
    return SortSpec(tuple(keys))


def order_by(keys: tuple[SortKey, ...], ctx: Context) -> str:
    """An ORDER BY list (without the keywords) over the input columns."""
    return ", ".join(
        f"{ctx.ref(k.column, 'by')} {'DESC' if k.desc else 'ASC'} NULLS LAST" for k in keys
    )


def compile(spec: SortSpec, ctx: Context) -> Compiled:
    return f"SELECT * FROM {ctx.source} ORDER BY {order_by(spec.by, ctx)}", ctx.columns


VERB = Verb(
    name="sort",
    summary="Order the rows by one or more columns (nulls last).",
    fields={"by": 'a list of {"column": name, "desc": false}; a bare name sorts ascending'},
    parse=parse,
    compile=compile,
    example={"verb": "sort", "by": [{"column": "amount", "desc": True}, "region"]},
)
