"""pivot: long to wide. One row per `rows` combination, one column per value of `columns`,
each cell an aggregate of `values`.

The new column names come from the data, so compiling asks the engine for the distinct values
(Context.distinct) unless the step lists them in `keys`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import Column, Value
from loupe.verbs.aggregates import FUNCTIONS, NEEDS_SEQ, Agg, agg_text
from loupe.verbs.aggregates import agg_sql as aggregate
from loupe.verbs.base import Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.form import Field, fields, listing
from loupe.verbs.values import CoerceError, coerce

MAX_COLUMNS = 200


@dataclass(frozen=True)
class PivotSpec:
    rows: tuple[str, ...]
    columns: str
    values: str | None
    fn: str
    keys: tuple[Value, ...] | None = None


def parse(raw: Mapping[str, Any], step: int) -> PivotSpec:
    f = Fields(raw, step, "pivot", FIELDS)
    rows = f.names("rows", (), allow_empty=True)
    check_unique(rows, f, "rows")
    values = f.optional_name("values")
    fn = f.choice("fn", FUNCTIONS, "sum" if values else "count")
    if values is None and fn != "count":
        raise f.error(f"{fn} needs a 'values' column", field="values", hint='"values": "amount"')
    keys: tuple[Value, ...] | None = None
    if f.has("keys"):
        raw_keys = f.get("keys")
        if not isinstance(raw_keys, list) or not all(
            k is None or isinstance(k, int | float | str | bool) for k in raw_keys
        ):
            raise f.error("'keys' must be a list of values", field="keys")
        keys = tuple(raw_keys)
    return PivotSpec(rows, f.name("columns"), values, fn, keys)


def column_name(value: Value) -> str:
    """The header for a pivoted value: text as is, true/false, null as "null", "" as "(empty)"."""
    if value is None:
        return "null"
    if value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def compile(spec: PivotSpec, ctx: Context) -> Compiled:
    pivot_col = ctx.column(spec.columns, "columns")
    index = [ctx.column(n, "rows") for n in spec.rows]
    if spec.keys is None:
        keys = ctx.distinct(pivot_col.name, MAX_COLUMNS + 1, "columns")
        if pivot_col.type == "boolean":
            keys = [None if k is None else bool(k) for k in keys]
    else:
        try:
            keys = [coerce(k, pivot_col.type) for k in spec.keys]
        except CoerceError as exc:
            raise ctx.error("a key does not fit the pivot column", field="keys", hint=str(exc)) from exc
    if len(keys) > MAX_COLUMNS:
        raise ctx.error(
            f'"{pivot_col.name}" has more than {MAX_COLUMNS} values to pivot',
            field="columns",
            column=pivot_col.name,
            hint="filter or group first, or list the wanted values in 'keys'",
        )
    if not index and not keys:
        raise ctx.error("nothing to pivot: no rows and no values", field="columns")
    if spec.fn in NEEDS_SEQ:
        return _by_rows(spec, ctx, index, pivot_col.name, keys)
    return _aggregated_first(spec, ctx, index, pivot_col.name, keys)


def _by_rows(spec: PivotSpec, ctx: Context, index: list[Column], pivot: str, keys: list[Value]) -> Compiled:
    """Each cell aggregates its key's rows of the group directly (first/last need each row's order)."""
    pivot_ref = quote_column(pivot)
    value_ref = "1" if spec.values is None else ctx.ref(spec.values, "values")
    parts = [quote_column(c.name) for c in index]
    out = list(index)
    for key in keys:
        name = column_name(key)
        case = f"CASE WHEN {pivot_ref} IS {ctx.param(key)} THEN {value_ref} END"
        sql, column = aggregate(Agg(spec.fn, spec.values, name), ctx, "values", value=case)
        parts.append(f"{sql} AS {quote_column(name)}")
        out.append(column)
    return _grouped(f"SELECT {', '.join(parts)} FROM {ctx.with_seq()}", index), tuple(out)


def _aggregated_first(
    spec: PivotSpec, ctx: Context, index: list[Column], pivot: str, keys: list[Value]
) -> Compiled:
    """Aggregate once per (rows, key), then spread the few aggregated rows into columns.

    One aggregate per input row instead of one per key: the same cells, since each (rows, key) has one
    aggregated row (its value picked with max) holding the aggregate of exactly the rows the direct
    form's CASE would keep, in the same order. A count over no rows is 0, not null.
    """
    taken = {c.name for c in index}
    key_name, value_name = _unused("loupe_pivot_key", taken), _unused("loupe_pivot_value", taken)
    key_ref, value_ref = quote_column(key_name), quote_column(value_name)
    inner_value = None if spec.values is None else ctx.ref(spec.values, "values")
    agg_sql, column = aggregate(Agg(spec.fn, spec.values, value_name), ctx, "values", value=inner_value)
    refs = [quote_column(c.name) for c in index]
    inner = (
        f"SELECT {''.join(r + ', ' for r in refs)}{quote_column(pivot)} AS {key_ref}, "
        f"{agg_sql} AS {value_ref} FROM {ctx.source} GROUP BY {', '.join([*refs, quote_column(pivot)])}"
    )
    parts = list(refs)
    out = list(index)
    for key in keys:
        name = column_name(key)
        cell = f"max(CASE WHEN {key_ref} IS {ctx.param(key)} THEN {value_ref} END)"
        if spec.fn in ("count", "count_distinct"):
            cell = f"coalesce({cell}, 0)"
        parts.append(f"{cell} AS {quote_column(name)}")
        out.append(Column(name, column.type))
    return _grouped(f"SELECT {', '.join(parts)} FROM ({inner})", index), tuple(out)


def _grouped(sql: str, index: list[Column]) -> str:
    """One row per `rows` combination, in their order (nulls last); no rows: one row in all."""
    if not index:
        return sql
    refs = [quote_column(c.name) for c in index]
    return f"{sql} GROUP BY {', '.join(refs)} ORDER BY " + ", ".join(f"{r} ASC NULLS LAST" for r in refs)


def _unused(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    return name


FIELDS = fields(
    Field("rows", "columns", "Rows", "the columns that identify an output row"),
    Field(
        "columns",
        "column",
        "Columns from",
        "the column whose values become new columns (at most 200)",
        required=True,
    ),
    Field("values", "column", "Values", "the column to aggregate (optional for count)"),
    Field(
        "fn",
        "choice",
        "Aggregate",
        "the aggregate: count count_distinct sum mean median min max std first last "
        "(default sum, or count without values)",
        choices=FUNCTIONS,
    ),
    Field(
        "keys",
        "value_list",
        "Only these values",
        "optional: the exact values to turn into columns, in this order",
    ),
)


def describe(spec: PivotSpec) -> str:
    cells = agg_text(Agg(spec.fn, spec.values, ""))
    rows = f" per {listing(spec.rows)}" if spec.rows else ""
    return f"Pivot: one column per {spec.columns}, {cells}{rows}"


VERB = Verb(
    name="pivot",
    label="Pivot (long to wide)",
    summary="Long to wide: one row per `rows` group, one column per value of `columns`, cells "
    "aggregate `values`.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "pivot", "rows": ["region"], "columns": "product", "values": "amount", "fn": "sum"},
    describe=describe,
)
