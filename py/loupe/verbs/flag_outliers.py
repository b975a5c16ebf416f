"""flag_outliers: a true/false column marking values far from the rest of their group, and why.

`{"verb": "flag_outliers", "column": "revenue", "by": ["region"]}` adds `revenue_outlier` and
`revenue_outlier_reason`. Method `mad` (default) flags a robust z-score 0.6745·(x − median)/MAD
beyond the threshold (default 3.5); `iqr` flags values beyond Q1 − k·IQR or Q3 + k·IQR (k default
1.5). Each group's limits come from loupe.insight.outliers (registered as an SQLite aggregate),
so the page, the CLI and `loupe.insight.flag` agree; missing values are never outliers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.errors import LoupeError
from loupe.insight.outliers import METHODS, check_options
from loupe.sql import quote_column
from loupe.table import Column
from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.form import Field, fields, listing

_FENCES = "__loupe_fences__"
_LOW, _HIGH = "__loupe_low__", "__loupe_high__"


@dataclass(frozen=True)
class FlagSpec:
    column: str
    method: str
    threshold: float
    by: tuple[str, ...]
    flag_as: str
    reason_as: str


def parse(raw: Mapping[str, Any], step: int) -> FlagSpec:
    f = Fields(raw, step, "flag_outliers", FIELDS)
    column = f.name("column")
    method = f.choice("method", METHODS, "mad")
    threshold = f.number("threshold") if f.has("threshold") else None
    try:
        limit = check_options(method, threshold)
    except LoupeError as exc:
        raise f.error(exc.message, field="threshold", hint=exc.hint) from exc
    by = f.names("by", (), allow_empty=True)
    flag_as = f.name("as", f"{column}_outlier")
    reason_as = f.name("reason_as", f"{flag_as}_reason" if f.has("as") else f"{column}_outlier_reason")
    check_unique([flag_as, reason_as], f, "as")
    return FlagSpec(column, method, limit, by, flag_as, reason_as)


def compile(spec: FlagSpec, ctx: Context) -> Compiled:
    col = ctx.column(spec.column, "column")
    if col.type not in ("integer", "float"):
        raise ctx.error(
            f'"{col.name}" is {col.type}; outliers need numbers',
            field="column",
            column=col.name,
            hint='convert it first with a cast step, e.g. {"verb": "cast", "column": "...", "to": "float"}',
        )
    groups = [ctx.column(name, "by").name for name in spec.by]
    for name in (spec.flag_as, spec.reason_as):
        if any(c.name == name for c in ctx.columns):
            raise ctx.error(
                f'a column "{name}" already exists', field="as", hint="choose another name with 'as'"
            )
    x = quote_column(col.name)
    keys = [f"__loupe_by_{i}__" for i in range(len(groups))]
    fences = f"loupe_outlier_fences({x}, {ctx.param(spec.method)}, {ctx.param(spec.threshold)})"
    key_list = "".join(f"{quote_column(g)} AS {k}, " for g, k in zip(groups, keys, strict=True))
    per_group = f"(SELECT {key_list}{fences} AS {_FENCES} FROM {ctx.source}"
    per_group += f" GROUP BY {', '.join(quote_column(g) for g in groups)})" if groups else ")"
    limits = (
        # CAST AS DOUBLE: SQLite's json_extract gives a number, DuckDB's a JSON value (the DuckDB engine).
        f"(SELECT *, CAST(json_extract({_FENCES}, '$.low') AS DOUBLE) AS {_LOW}, "
        f"CAST(json_extract({_FENCES}, '$.high') AS DOUBLE) AS {_HIGH} FROM {per_group})"
    )
    on = " AND ".join(f"s.{quote_column(g)} IS j.{k}" for g, k in zip(groups, keys, strict=True)) or "1"
    outside = f"(s.{x} < j.{_LOW} OR s.{x} > j.{_HIGH})"
    flag = f"CASE WHEN {outside} THEN 1 ELSE 0 END"
    reason = f"CASE WHEN {outside} THEN loupe_outlier_reason(s.{x}, j.{_FENCES}) END"
    select = ", ".join(f"s.{quote_column(c.name)}" for c in ctx.columns)
    sql = (
        f"SELECT {select}, {flag} AS {quote_column(spec.flag_as)}, "
        f"{reason} AS {quote_column(spec.reason_as)} "
        f"FROM {ctx.with_seq()} AS s LEFT JOIN {limits} AS j ON {on} ORDER BY s.{SEQ}"
    )
    return sql, (
        *ctx.columns,
        Column(spec.flag_as, "boolean", reason=spec.reason_as),
        Column(spec.reason_as, "text"),
    )


FIELDS = fields(
    Field(
        "column", "column", "Column", "the numeric column to test", required=True, types=("integer", "float")
    ),
    Field(
        "method",
        "choice",
        "Method",
        "mad (robust z-score, default) or iqr (Tukey's fences)",
        default="mad",
        choices=tuple(METHODS),
    ),
    Field(
        "threshold",
        "number",
        "Threshold",
        "how far is too far: 3.5 robust z (mad) or 1.5 IQRs (iqr) by default",
        minimum=0,
        maximum=1_000_000,
    ),
    Field("by", "columns", "Per group of", "optional columns: judge each group on its own"),
    Field("as", "name", "Flag column", "the true/false column's name (default <column>_outlier)"),
    Field("reason_as", "name", "Reason column", "the reason column's name (default <column>_outlier_reason)"),
)


def describe(spec: FlagSpec) -> str:
    how = "robust z-score" if spec.method == "mad" else "IQR"
    per = f" per {listing(spec.by)}" if spec.by else ""
    return f"Flag outliers of {spec.column}{per} ({how} beyond {spec.threshold:g})"


VERB = Verb(
    name="flag_outliers",
    label="Flag outliers",
    summary="Mark values far from the rest of their group (robust z-score or IQR), with the reason.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "flag_outliers", "column": "amount", "by": ["region"]},
    describe=describe,
)
