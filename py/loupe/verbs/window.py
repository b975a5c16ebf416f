"""window: a new column computed over neighbouring rows, optionally per group: running totals,
ranks, previous/next values, moving averages, differences and shares of the group total.

Rows keep their current order; `order` sets the order the calculation follows (default: the
current row order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.sql import quote_column
from loupe.table import Column, ColumnType
from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.form import Field, fields, listing
from loupe.verbs.sort import SortKey, keys_text, order_by, parse_keys

# fn -> (needs a column, result type: a ColumnType, "same" as the column, or "sum" type)
FUNCTIONS: dict[str, tuple[bool, str]] = {
    "row_number": (False, "integer"),
    "rank": (False, "integer"),
    "dense_rank": (False, "integer"),
    "running_count": (False, "integer"),
    "running_sum": (True, "sum"),
    "running_mean": (True, "float"),
    "running_min": (True, "same"),
    "running_max": (True, "same"),
    "lag": (True, "same"),
    "lead": (True, "same"),
    "diff": (True, "sum"),
    "pct_change": (True, "float"),
    "moving_mean": (True, "float"),
    "moving_sum": (True, "sum"),
    "share": (True, "float"),
    "group_sum": (True, "sum"),
    "group_mean": (True, "float"),
    "group_count": (False, "integer"),
}
NUMERIC_ONLY = frozenset(
    {
        "running_sum",
        "running_mean",
        "diff",
        "pct_change",
        "moving_mean",
        "moving_sum",
        "share",
        "group_sum",
        "group_mean",
    }
)
_ALIASES = {
    "cumsum": "running_sum",
    "moving_avg": "moving_mean",
    "running_total": "running_sum",
    "shift": "lag",
    "prev": "lag",
    "next": "lead",
    "moving_average": "moving_mean",
}


@dataclass(frozen=True)
class WindowSpec:
    fn: str
    name: str
    column: str | None = None
    by: tuple[str, ...] = ()
    order: tuple[SortKey, ...] = ()
    n: int = 1


def parse(raw: Mapping[str, Any], step: int) -> WindowSpec:
    f = Fields(raw, step, "window", FIELDS)
    fn = _ALIASES.get(f.text("fn"), f.text("fn"))
    if fn not in FUNCTIONS:
        fn = f.choice("fn", list(FUNCTIONS))
    needs_column, _ = FUNCTIONS[fn]
    column = f.name("column") if needs_column else f.optional_name("column")
    by = f.names("by", (), allow_empty=True)
    check_unique(by, f, "by")
    order = parse_keys(f, "order", [])
    default_n = 3 if fn.startswith("moving_") else 1
    n = f.integer("n", default_n, minimum=1)
    default_name = fn if column is None else f"{fn}_{column}"
    return WindowSpec(fn, f.name("as", default_name), column, by, order, n)


def _result_type(kind: str, source: ColumnType | None) -> ColumnType:
    if kind == "same":
        assert source is not None
        return source
    if kind == "sum":
        return "integer" if source in ("integer", "boolean") else "float"
    assert kind in ("integer", "float")
    return "integer" if kind == "integer" else "float"


def expression(spec: WindowSpec, ctx: Context) -> tuple[str, ColumnType]:
    source: ColumnType | None = None
    ref = "NULL"
    if spec.column is not None:
        col = ctx.column(spec.column, "column")
        source, ref = col.type, quote_column(col.name)
        if spec.fn in NUMERIC_ONLY and col.type not in ("integer", "float", "boolean"):
            raise ctx.error(
                f'{spec.fn} needs a number column; "{col.name}" is {col.type}',
                field="column",
                column=col.name,
                hint="cast it to a number first",
            )
    partition = f"PARTITION BY {', '.join(ctx.ref(b, 'by') for b in spec.by)} " if spec.by else ""
    order = f"ORDER BY {order_by(spec.order, ctx, 'order')}" if spec.order else f"ORDER BY {SEQ}"
    over = f"OVER ({partition}{order}"
    running = f"{over} ROWS UNBOUNDED PRECEDING)"
    moving = f"{over} ROWS BETWEEN {spec.n - 1} PRECEDING AND CURRENT ROW)"
    whole = f"OVER ({partition.strip()})"
    n = int(spec.n)
    fn = spec.fn
    sql = {
        "row_number": f"row_number() {over})",
        "rank": f"rank() {over})",
        "dense_rank": f"dense_rank() {over})",
        "running_count": f"count(*) {running}",
        "running_sum": f"sum({ref}) {running}",
        "running_mean": f"avg({ref}) {running}",
        "running_min": f"min({ref}) {running}",
        "running_max": f"max({ref}) {running}",
        "lag": f"lag({ref}, {n}) {over})",
        "lead": f"lead({ref}, {n}) {over})",
        "diff": f"({ref} - lag({ref}, {n}) {over}))",
        "pct_change": f"(CAST({ref} AS REAL) / nullif(lag({ref}, {n}) {over}), 0) - 1)",
        "moving_mean": f"avg({ref}) {moving}",
        "moving_sum": f"sum({ref}) {moving}",
        "share": f"(CAST({ref} AS REAL) / nullif(sum({ref}) {whole}, 0))",
        "group_sum": f"sum({ref}) {whole}",
        "group_mean": f"avg({ref}) {whole}",
        "group_count": f"count(*) {whole}",
    }[fn]
    return sql, _result_type(FUNCTIONS[fn][1], source)


def compile(spec: WindowSpec, ctx: Context) -> Compiled:
    sql, kind = expression(spec, ctx)
    new = Column(spec.name, kind)
    value = f"{sql} AS {quote_column(spec.name)}"
    if any(c.name == spec.name for c in ctx.columns):
        parts = [value if c.name == spec.name else quote_column(c.name) for c in ctx.columns]
        out = tuple(new if c.name == spec.name else c for c in ctx.columns)
    else:
        parts = [*(quote_column(c.name) for c in ctx.columns), value]
        out = (*ctx.columns, new)
    return f"SELECT {', '.join(parts)} FROM {ctx.with_seq()} ORDER BY {SEQ}", out


FIELDS = fields(
    Field(
        "fn",
        "choice",
        "Function",
        "row_number rank dense_rank running_count running_sum running_mean running_min "
        "running_max lag lead diff pct_change moving_mean moving_sum share group_sum "
        "group_mean group_count",
        required=True,
        choices=tuple(FUNCTIONS),
    ),
    Field(
        "column", "column", "Column", "the column to compute over (not needed for row_number, rank, counts)"
    ),
    Field("as", "name", "New column", "the new column's name (default fn_column)"),
    Field("by", "columns", "Per group of", "compute separately per group of these columns (optional)"),
    Field(
        "order",
        "sort",
        "In the order of",
        "the order to compute in, like sort's 'by' (default: current row order)",
    ),
    Field(
        "n",
        "integer",
        "Rows",
        "lag/lead/diff/pct_change: how many rows back; moving_*: window size (default 3)",
        minimum=1,
    ),
)


def describe(spec: WindowSpec) -> str:
    text = f"New column {spec.name} = {spec.fn.replace('_', ' ')}"
    text += f" of {spec.column}" if spec.column else ""
    text += f" per {listing(spec.by)}" if spec.by else ""
    return text + (f" by {keys_text(spec.order)}" if spec.order else "")


VERB = Verb(
    name="window",
    label="Running and ranked values",
    summary="Add a column computed across rows (per group): running totals, ranks, lag/lead, "
    "moving averages, differences, shares.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={
        "verb": "window",
        "fn": "running_sum",
        "column": "amount",
        "by": ["region"],
        "order": ["day"],
        "as": "cumulative",
    },
    describe=describe,
)
