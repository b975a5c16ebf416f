"""sort: order rows by one or more columns, each ascending or descending; nulls always last."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.verbs.base import Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields, listing


@dataclass(frozen=True)
class SortKey:
    column: str
    desc: bool = False


@dataclass(frozen=True)
class SortSpec:
    by: tuple[SortKey, ...]


def parse(raw: Mapping[str, Any], step: int) -> SortSpec:
    f = Fields(raw, step, "sort", FIELDS)
    return SortSpec(parse_keys(f, "by"))


def parse_keys(f: Fields, key: str, default: Any = None) -> tuple[SortKey, ...]:
    """Sort keys from a list of names or {"column", "desc"} objects (shared with window verbs)."""
    items = f.get(key) if default is None else f.get(key, default)
    if isinstance(items, list | tuple) and not items and default is not None:
        return ()
    if isinstance(items, str | Mapping):
        items = [items]
    if not isinstance(items, list | tuple) or not items:
        raise f.error(
            f"'{key}' must be a non-empty list of sort keys",
            field=key,
            hint=f'e.g. "{key}": [{{"column": "amount", "desc": true}}]',
        )
    keys: list[SortKey] = []
    for item in items:
        if isinstance(item, str):
            keys.append(SortKey(item))
            continue
        if not isinstance(item, Mapping):
            raise f.error("each sort key must be a column name or an object", field=key)
        k = Fields(item, f.step, f.verb, ("column", "desc"))
        keys.append(SortKey(k.name("column"), k.boolean("desc", False)))
    return tuple(keys)


def order_by(keys: tuple[SortKey, ...], ctx: Context, field: str = "by") -> str:
    """An ORDER BY list (without the keywords) over the input columns."""
    return ", ".join(f"{ctx.ref(k.column, field)} {'DESC' if k.desc else 'ASC'} NULLS LAST" for k in keys)


def compile(spec: SortSpec, ctx: Context) -> Compiled:
    return f"SELECT * FROM {ctx.source} ORDER BY {order_by(spec.by, ctx)}", ctx.columns


FIELDS = fields(
    Field(
        "by",
        "sort",
        "Sort by",
        'a list of {"column": name, "desc": false}; a bare name sorts ascending',
        required=True,
    )
)


def keys_text(keys: tuple[SortKey, ...]) -> str:
    """Sort keys in words: "amount descending, region"."""
    return listing(f"{k.column} descending" if k.desc else k.column for k in keys)


VERB = Verb(
    name="sort",
    label="Sort",
    summary="Order the rows by one or more columns (nulls last).",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "sort", "by": [{"column": "amount", "desc": True}, "region"]},
    describe=lambda spec: f"Sort by {keys_text(spec.by)}",
)
