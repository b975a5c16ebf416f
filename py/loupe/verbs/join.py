"""join: combine each row with the matching rows of another loaded table, on one or more keys.

Rows come out in the current order (then the other table's order); right and full joins put
unmatched rows of the other table last. Nulls never match.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.errors import did_you_mean
from loupe.sql import Query, quote_column, quote_ident
from loupe.table import Column, ColumnType
from loupe.verbs.base import SEQ, Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields, listing

HOWS = ("inner", "left", "right", "full")
# Keys match within a family only: a number never equals its text, and a date held as text would match
# a text key by accident of storage (a person means one or the other).
_FAMILY: dict[ColumnType, str] = {
    "integer": "number",
    "float": "number",
    "boolean": "number",
    "date": "date",
    "datetime": "date",
    "text": "text",
}
_PLURAL = {"number": "numbers", "date": "dates", "text": "text"}
_L, _R, _RSEQ = "__loupe_l__", "__loupe_r__", "__loupe_rseq__"
_LK, _RK, _M = "__loupe_lk__", "__loupe_rk__", "__loupe_m__"  # preview's key groups and matches


@dataclass(frozen=True)
class JoinSpec:
    table: str
    on: tuple[tuple[str, str], ...]
    how: str = "inner"
    suffix: str = "_right"


def parse(raw: Mapping[str, Any], step: int) -> JoinSpec:
    f = Fields(raw, step, "join", FIELDS)
    items = f.get("on")
    if isinstance(items, str | Mapping):
        items = [items]
    if not isinstance(items, list) or not items:
        raise f.error(
            "'on' must list the key columns",
            field="on",
            hint='e.g. "on": ["id"] or [{"left": "id", "right": "customer_id"}]',
        )
    on: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, str) and item:
            on.append((item, item))
        elif isinstance(item, Mapping):
            k = Fields(item, step, "join", ("left", "right"))
            on.append((k.name("left"), k.name("right")))
        else:
            raise f.error('each key is a column name or {"left", "right"}', field="on")
    suffix = f.text("suffix", "_right")
    if not suffix:
        raise f.error("'suffix' must not be empty", field="suffix")
    return JoinSpec(f.name("table"), tuple(on), f.choice("how", HOWS, "inner"), suffix)


def compile(spec: JoinSpec, ctx: Context) -> Compiled:
    right_cols = ctx.table(spec.table, "table")
    right_by_name = {c.name: c for c in right_cols}
    conditions: list[str] = []
    shared: dict[str, str] = {}  # same-named keys appear once: left name -> expression
    for left_name, right_name in spec.on:
        left = ctx.column(left_name, "on")
        right = right_by_name.get(right_name)
        if right is None:
            hint = did_you_mean(right_name, right_by_name) or f'columns of "{spec.table}": ' + ", ".join(
                f'"{n}"' for n in right_by_name
            )
            raise ctx.error(
                f'unknown column "{right_name}" in table "{spec.table}"',
                field="on",
                column=right_name,
                hint=hint,
            )
        if _FAMILY[left.type] != _FAMILY[right.type]:
            raise ctx.error(
                f'cannot match {left.type} "{left.name}" with {right.type} "{right.name}"',
                field="on",
                column=left.name,
                hint=f"cast one side first so both are {_PLURAL[_FAMILY[left.type]]}"
                f" or both {_PLURAL[_FAMILY[right.type]]}",
            )
        lref, rref = f"{_L}.{quote_column(left.name)}", f"{_R}.{quote_column(right.name)}"
        conditions.append(f"{lref} = {rref}")
        if left.name == right.name:
            shared[left.name] = {"inner": lref, "left": lref, "right": rref}.get(
                spec.how, f"coalesce({lref}, {rref})"
            )
    parts: list[str] = []
    out: list[Column] = []
    for col in ctx.columns:
        ref = quote_column(col.name)
        parts.append(f"{shared.get(col.name, f'{_L}.{ref}')} AS {ref}")
        out.append(col)
    taken = {c.name for c in ctx.columns}
    for col in right_cols:
        if col.name in shared:
            continue
        name = col.name
        while name in taken:
            name += spec.suffix
        taken.add(name)
        parts.append(f"{_R}.{quote_column(col.name)} AS {quote_column(name)}")
        out.append(Column(name, col.type))
    right_src = f"(SELECT *, row_number() OVER () AS {_RSEQ} FROM {quote_ident(spec.table)})"
    how = {"inner": "INNER", "left": "LEFT", "right": "RIGHT", "full": "FULL"}[spec.how]
    sql = (
        f"SELECT {', '.join(parts)} FROM {ctx.with_seq()} AS {_L} {how} JOIN {right_src} "
        f"AS {_R} ON {' AND '.join(conditions)} "
        f"ORDER BY {_L}.{SEQ} NULLS LAST, {_R}.{_RSEQ}"
    )
    return sql, tuple(out)


def preview(spec: JoinSpec, left: Query) -> Query:
    """One query counting what the join would do to `left` (the steps before it; keys checked by
    compile): rows on each side, left and right rows that find a match, and matched pairs. Keys are
    grouped on each side first, so duplicates multiply (n x m pairs) without a row-by-row search."""
    keys = [(quote_column(a), quote_column(b)) for a, b in spec.on]
    lk = ", ".join(f"{a} AS k{i}" for i, (a, _) in enumerate(keys))
    rk = ", ".join(f"{b} AS k{i}" for i, (_, b) in enumerate(keys))
    group = ", ".join(f"k{i}" for i in range(len(keys)))
    present = " AND ".join(f"{a} IS NOT NULL" for a, _ in keys)  # nulls never match
    present_r = " AND ".join(f"{b} IS NOT NULL" for _, b in keys)
    on = " AND ".join(f"{_LK}.k{i} = {_RK}.k{i}" for i in range(len(keys)))
    right = quote_ident(spec.table)
    sql = (
        f"WITH {_L} AS ({left.count_sql or left.sql}), "
        f"{_LK} AS (SELECT {lk}, count(*) AS n FROM {_L} WHERE {present} GROUP BY {group}), "
        f"{_RK} AS (SELECT {rk}, count(*) AS n FROM {right} WHERE {present_r} GROUP BY {group}), "
        f"{_M} AS (SELECT {_LK}.n AS ln, {_RK}.n AS rn FROM {_LK} JOIN {_RK} ON {on}) "
        f"SELECT (SELECT count(*) FROM {_L}), (SELECT count(*) FROM {right}), "
        f"(SELECT coalesce(sum(ln), 0) FROM {_M}), (SELECT coalesce(sum(rn), 0) FROM {_M}), "
        f"(SELECT coalesce(sum(ln * rn), 0) FROM {_M})"
    )
    names = ("left_rows", "right_rows", "left_matched", "right_matched", "pairs")
    return Query(sql, dict(left.params), tuple(Column(n, "integer") for n in names))


def result_rows(how: str, counts: Mapping[str, int]) -> int:
    """The rows a join of `how` returns, from preview's counts.

    >>> result_rows("full", {"pairs": 5, "left_unmatched": 2, "right_unmatched": 1})
    8
    """
    extra = {"inner": (), "left": ("left_unmatched",), "right": ("right_unmatched",)}
    return counts["pairs"] + sum(counts[k] for k in extra.get(how, ("left_unmatched", "right_unmatched")))


FIELDS = fields(
    Field("table", "table", "Other table", "the other table's name", required=True),
    Field(
        "on",
        "join_keys",
        "Keys",
        'key columns: ["id"] when both sides use the same name, or [{"left": "id", "right": "customer_id"}]',
        required=True,
    ),
    Field("how", "choice", "Keep", "inner (default), left, right or full", default="inner", choices=HOWS),
    Field(
        "suffix",
        "name",
        "Suffix",
        'added to the other table\'s column names that already exist (default "_right")',
        default="_right",
    ),
)


def describe(spec: JoinSpec) -> str:
    keys = listing(left if left == right else f"{left} = {right}" for left, right in spec.on)
    return f"Join {spec.table} ({spec.how}) on {keys}"


VERB = Verb(
    name="join",
    label="Join",
    summary="Add the matching rows of another loaded table (inner, left, right or full join).",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "join", "table": "customers", "on": ["customer_id"], "how": "left"},
    describe=describe,
)
