"""filter: keep the rows matching `column op value`, or a boolean expression (`expr`).

Values are coerced to the column's type and always passed as parameters. `!=` keeps nulls
(null is "not equal" to any value), `==` with null means "is null".
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loupe.table import Value
from loupe.verbs.base import Compiled, Context, Fields, Verb
from loupe.verbs.form import Field, fields, value_text
from loupe.verbs.values import CoerceError, coerce

OPS = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "contains",
    "startswith",
    "endswith",
    "in",
    "between",
    "is_null",
    "not_null",
)
_COMPARE = {"==": "=", "!=": "IS NOT", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_TEXT_OPS = ("contains", "startswith", "endswith")
_ALIASES = {
    "=": "==",
    "<>": "!=",
    "not_in": "in",
    "is_not_null": "not_null",
    "notnull": "not_null",
    "isnull": "is_null",
}


@dataclass(frozen=True)
class FilterSpec:
    column: str | None = None
    op: str = "=="
    value: Value | tuple[Value, ...] = None
    expr: str | None = None
    ignore_case: bool = False
    negate: bool = False


def parse(raw: Mapping[str, Any], step: int) -> FilterSpec:
    f = Fields(raw, step, "filter", FIELDS)
    negate = f.boolean("negate", False)
    if f.has("expr"):
        if f.has("column") or f.has("op"):
            raise f.error("use either 'expr' or 'column'/'op'/'value', not both", field="expr")
        expr = f.text("expr")
        if not expr.strip():
            raise f.error("'expr' is empty", field="expr", hint='e.g. "amount > 10"')
        return FilterSpec(expr=expr, negate=negate)
    column = f.name("column")
    op = f.text("op", "==")
    if op == "not_in":
        negate = not negate
    op = _ALIASES.get(op, op)
    op = f.choice("op", OPS) if op not in OPS else op
    value: Value | tuple[Value, ...] = None
    if op == "in":
        items = f.get("value")
        if not isinstance(items, list | tuple):
            raise f.error("'in' needs a list of values", field="value", hint='"value": ["a", "b"]')
        for item in items:
            if item is not None and not isinstance(item, int | float | str | bool):
                raise f.error("'in' values must be single values", field="value")
        value = tuple(items)
    elif op == "between":
        value = _range(f)
    elif op not in ("is_null", "not_null"):
        value = f.scalar("value", None)
        if value is None and op not in ("==", "!="):
            raise f.error(f"'{op}' needs a value", field="value", hint='add "value": ...')
    return FilterSpec(
        column=column,
        op=op,
        value=value,
        ignore_case=f.boolean("ignore_case", False),
        negate=negate,
    )


def _range(f: Fields) -> tuple[Value, Value]:
    """`between`'s value: [low, high], both ends kept; a null end leaves that side open."""
    ends = f.get("value")
    example = '"value": [3, 5] (or [3, null] for 3 and above)'
    if not isinstance(ends, list | tuple) or len(ends) != 2:
        raise f.error("'between' needs two values, the low and the high end", field="value", hint=example)
    if any(end is not None and not isinstance(end, int | float | str | bool) for end in ends):
        raise f.error("'between' ends must be single values", field="value", hint=example)
    if ends[0] is None and ends[1] is None:
        raise f.error("'between' needs at least one end", field="value", hint=example)
    return ends[0], ends[1]


def condition(spec: FilterSpec, ctx: Context) -> str:
    """The WHERE condition for a filter spec (without the negation)."""
    if spec.expr is not None:
        compiled = ctx.expr(spec.expr, "expr")
        if compiled.type not in ("boolean", None):
            raise ctx.error(
                f"a filter expression must be true or false, not {compiled.type}",
                field="expr",
                hint='compare it with something, e.g. "amount > 0"',
            )
        return compiled.sql
    assert spec.column is not None
    col = ctx.column(spec.column, "column")
    ref = ctx.ref(col.name)
    op = spec.op
    if op == "is_null":
        return f"{ref} IS NULL"
    if op == "not_null":
        return f"{ref} IS NOT NULL"
    if op in _TEXT_OPS:
        return _text_condition(spec, ctx, ref)

    def fit(value: Value) -> Value:
        try:
            return coerce(value, col.type)
        except CoerceError as exc:
            raise ctx.error(
                f'cannot compare column "{col.name}" with {value!r}',
                field="value",
                column=col.name,
                hint=str(exc),
            ) from exc

    if op == "in":
        assert isinstance(spec.value, tuple)
        present = [fit(v) for v in spec.value if v is not None]
        parts = [_membership(ref, present, ctx)] if present else []
        if any(v is None for v in spec.value):
            parts.append(f"{ref} IS NULL")
        return " OR ".join(parts) if parts else "0"
    if op == "between":
        assert isinstance(spec.value, tuple)
        low, high = (None if end is None else fit(end) for end in spec.value)
        if low is not None and high is not None and high < low:  # type: ignore[operator]
            raise ctx.error(
                f"the range's low end {low!r} is above its high end {high!r}",
                field="value",
                column=col.name,
                hint=f"swap them: [{high!r}, {low!r}]",
            )
        if high is None:
            return f"{ref} >= {ctx.param(low)}"
        if low is None:
            return f"{ref} <= {ctx.param(high)}"
        return f"{ref} BETWEEN {ctx.param(low)} AND {ctx.param(high)}"
    assert not isinstance(spec.value, tuple)
    if spec.value is None:
        return f"{ref} IS NULL" if op == "==" else f"{ref} IS NOT NULL"
    return f"{ref} {_COMPARE[op]} {ctx.param(fit(spec.value))}"


# SQLite looks a named parameter up by scanning the names before it, so preparing `IN (:p0, ..., :pN)`
# takes O(N²) (200,000 values: minutes). A long list goes as one parameter, a JSON array read by
# json_each: linear, and far below SQLite's limit on parameters. JSON keeps the coerced values exact
# (integers to 64 bits, floats by their shortest repr, booleans as 1/0); short lists stay readable.
LONG_IN = 64


def _json_safe(value: Value) -> bool:
    """Whether json_each gives the value back exactly: not an infinite float, not text with a NUL
    (SQLite's JSON functions end a string there)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return not (isinstance(value, str) and "\x00" in value)


def _membership(ref: str, values: list[Value], ctx: Context) -> str:
    if len(values) <= LONG_IN or not all(map(_json_safe, values)):
        return f"{ref} IN ({', '.join(ctx.param(v) for v in values)})"
    array = json.dumps(values, ensure_ascii=False, allow_nan=False)
    return f"{ref} IN (SELECT value FROM json_each({ctx.param(array)}))"


def _text_condition(spec: FilterSpec, ctx: Context, ref: str) -> str:
    text = "" if spec.value is None else str(spec.value)
    if isinstance(spec.value, bool):
        text = "true" if spec.value else "false"
    subject = ref if ctx.column(spec.column or "").type == "text" else f"CAST({ref} AS TEXT)"
    if text == "":
        return f"{subject} IS NOT NULL"
    if not spec.ignore_case:
        return _match(spec.op, subject, ctx.param(text))
    # Ignoring case exactly needs Python's casefold, a Python call per row. LIKE (C, ASCII-only
    # case folding) decides every row whose text is plain ASCII and implies a casefold match, so
    # only rows that LIKE rejects and that contain non-ASCII characters take the slow path.
    needle = text.casefold()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = {"contains": f"%{escaped}%", "startswith": f"{escaped}%"}.get(spec.op, f"%{escaped}")
    like = f"{subject} LIKE {ctx.param(pattern)} ESCAPE '\\'"
    exact = _match(spec.op, f"loupe_casefold({subject})", ctx.param(needle))
    return f"({like} OR ({subject} GLOB {ctx.param(_NON_ASCII)} AND {exact}))"


_NON_ASCII = "*[^\x01-\x7f]*"


def _match(op: str, subject: str, p: str) -> str:
    if op == "contains":
        return f"instr({subject}, {p}) > 0"
    if op == "startswith":
        return f"substr({subject}, 1, length({p})) = {p}"
    return f"substr({subject}, -length({p})) = {p}"


def compile(spec: FilterSpec, ctx: Context) -> Compiled:
    cond = condition(spec, ctx)
    if spec.negate:
        # NOT of a NULL condition is NULL; coalesce so "not (x > 5)" keeps rows where x is null.
        cond = f"NOT coalesce(({cond}), 0)"
    return f"SELECT * FROM {ctx.source} WHERE {cond}", ctx.columns


FIELDS = fields(
    Field("column", "column", "Column", "the column to test"),
    Field(
        "op",
        "choice",
        "Test",
        "== != < <= > >= contains startswith endswith in not_in between is_null not_null (default ==)",
        default="==",
        choices=(*OPS, "not_in"),
    ),
    Field(
        "value",
        "values",
        "Value",
        "the value to compare with (a list for in; [low, high] for between, both kept, null for an open"
        " end); converted to the column's type",
    ),
    Field(
        "expr",
        "expr",
        "Or an expression",
        'instead of column/op/value: a boolean expression, e.g. "amount > 10"',
    ),
    Field(
        "ignore_case",
        "bool",
        "Ignore case",
        "contains/startswith/endswith ignore upper/lower case (default false)",
        default=False,
    ),
    Field(
        "negate", "bool", "Keep the others", "keep the rows that do NOT match (default false)", default=False
    ),
)
_WORDS = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "startswith": "starts with", "endswith": "ends with"}


def describe(spec: FilterSpec) -> str:
    if spec.expr is not None:
        test = spec.expr
    elif spec.op in ("is_null", "not_null"):
        test = f"{spec.column} is {'empty' if spec.op == 'is_null' else 'not empty'}"
    elif spec.op == "in":
        test = f"{spec.column} is one of {value_text(spec.value)}"
    elif spec.op == "between":
        assert isinstance(spec.value, tuple)
        low, high = spec.value
        test = (
            f"{spec.column} ≥ {value_text(low)}"
            if high is None
            else f"{spec.column} ≤ {value_text(high)}"
            if low is None
            else f"{spec.column} between {value_text(low)} and {value_text(high)}"
        )
    else:
        test = f"{spec.column} {_WORDS.get(spec.op, spec.op)} {value_text(spec.value)}"
    case = " (ignoring case)" if spec.ignore_case else ""
    return f"Filter: not ({test}){case}" if spec.negate else f"Filter: {test}{case}"


VERB = Verb(
    name="filter",
    label="Filter",
    summary="Keep the rows where a column compares to a value, or where an expression is true.",
    fields=FIELDS,
    parse=parse,
    compile=compile,
    example={"verb": "filter", "column": "region", "op": "==", "value": "North"},
    describe=describe,
)
