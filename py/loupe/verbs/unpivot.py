"""unpivot: wide to long. Each listed column becomes a (name, value) row; other columns repeat."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.expr_functions import common_type
from loupe.sql import quote_column
from loupe.table import Column
from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb, check_unique
from loupe.verbs.cast import convert
from loupe.verbs.form import Field, fields, listing


@dataclass(frozen=True)
class UnpivotSpec:
    columns: tuple[str, ...]
    names_to: str = "name"
    values_to: str = "value"
    drop_nulls: bool = False


def parse(raw: Mapping[str, Any], step: int) -> UnpivotSpec:
    f = Fields(raw, step, "unpivot", FIELDS)
    columns = f.names("columns")
    check_unique(columns, f, "columns")
    names_to, values_to = f.name("names_to", "name"), f.name("values_to", "value")
    if names_to == values_to:
        raise f.error("'names_to' and 'values_to' must differ", field="values_to")
    return UnpivotSpec(columns, names_to, values_to, f.boolean("drop_nulls", False))


def compile(spec: UnpivotSpec, ctx: Context) -> Compiled:
    melted = [ctx.column(n, "columns") for n in spec.columns]
    ids = [c for c in ctx.columns if c not in melted]
    kind = common_type([c.type for c in melted])
    id_refs = [quote_column(c.name) for c in ids]
    name_ref, value_ref = quote_column(spec.names_to), quote_column(spec.values_to)
    source = ctx.with_seq()
    selects = []
    for k, col in enumerate(melted):
        value = convert(quote_column(col.name), col.type, kind)
        cols = [
            *id_refs,
            SEQ,
            f"{k} AS __loupe_k__",
            f"{ctx.param(col.name)} AS {name_ref}",
            f"{value} AS {value_ref}",
        ]
        selects.append(f"SELECT {', '.join(cols)} FROM {source}")
    where = f" WHERE {value_ref} IS NOT NULL" if spec.drop_nulls else ""
    outer = ", ".join([*id_refs, name_ref, value_ref])
    sql = f"SELECT {outer} FROM ({' UNION ALL '.join(selects)}){where} ORDER BY {SEQ}, __loupe_k__"
    return sql, (*ids, Column(spec.names_to, "text"), Column(spec.values_to, kind))


FIELDS = fields(
    Field("columns", "columns", "Columns", "the columns to turn into rows", required=True),
    Field(
        "names_to",
        "name",
        "Names column",
        'the new column holding the old column names (default "name")',
        default="name",
    ),
    Field(
        "values_to",
        "name",
        "Values column",
        'the new column holding the values (default "value")',
        default="value",
    ),
    Field(
        "drop_nulls",
        "bool",
        "Leave out empty values",
        "leave out rows whose value is null (default false)",
        default=False,
    ),
)


def describe(spec: UnpivotSpec) -> str:
    return f"Unpivot {listing(spec.columns)} into {spec.names_to}, {spec.values_to}"


VERB = Verb(
    name="unpivot",
    label="Unpivot (wide to long)",
    summary="Wide to long: each listed column becomes a row holding its name and value.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={
        "verb": "unpivot",
        "columns": ["q1", "q2", "q3", "q4"],
        "names_to": "quarter",
        "values_to": "sales",
    },
    describe=describe,
)
