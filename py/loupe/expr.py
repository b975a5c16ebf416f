"""The safe expression language: Python-like syntax parsed with `ast`, compiled to SQL.

Only an allow-list of node types and registered functions (loupe.expr_functions) is accepted;
constants become parameters and columns go through quote_column. Nothing is ever evaluated.

>>> from loupe.sql import Params
>>> compile_expr("amount * 2 > 10", (Column("amount", "integer"),), Params()).sql
'(("amount" * :p0) > :p1)'
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from loupe.errors import ExprError, did_you_mean
from loupe.expr_functions import FUNCTIONS, NUMERIC, TEMPORAL, ArgType, Function, common_type
from loupe.sql import Params, quote_column
from loupe.sqlfuncs import iso
from loupe.table import Column, ColumnType, Value
from loupe.verbs.values import CoerceError, coerce

MAX_LENGTH = 10_000
_INT64 = 2**63

_ARITH = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}
_COMPARE = {
    ast.Eq: "IS",
    ast.NotEq: "IS NOT",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_HINT = (
    "expressions use columns, numbers, 'text', + - * / // % **, comparisons, and/or/not, "
    "in, `x if cond else y`, and functions: " + ", ".join(sorted(FUNCTIONS))
)


@dataclass(frozen=True)
class Compiled:
    """An expression compiled to SQL, with its result type (None for a bare null)."""

    sql: str
    type: ColumnType | None

    @property
    def column_type(self) -> ColumnType:
        return self.type or "text"


def compile_expr(text: str, columns: Sequence[Column], params: Params) -> Compiled:
    """Compile an expression over `columns` to SQL; constants are added to `params`.

    Raises ExprError (quoting the offending snippet, with a hint) for anything not allowed.
    """
    if not isinstance(text, str):
        raise ExprError("an expression must be text", hint='e.g. "amount * 2"')
    if len(text) > MAX_LENGTH:
        raise ExprError(
            f"the expression is longer than {MAX_LENGTH} characters",
            hint="split it over several steps",
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        raise ExprError(
            f"cannot read the expression{where}: {exc.msg}",
            snippet=text[:80],
            hint="check brackets and quotes; text goes in 'quotes'",
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExprError(
            "cannot read the expression",
            snippet=text[:80],
            hint="remove control characters and deep nesting",
        ) from None
    compiler = _Compiler(text, {c.name: c for c in columns}, params)
    try:
        return compiler.visit(tree.body)
    except RecursionError:
        raise ExprError(
            "the expression is nested too deeply",
            snippet=text[:80],
            hint="split it over several steps",
        ) from None


def column_refs(text: str) -> set[str]:
    """Names an expression refers to (bare names and col("...")); empty if it does not parse."""
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "col"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names - {"True", "False", "None"}


class _Compiler:
    def __init__(self, text: str, columns: dict[str, Column], params: Params):
        self.text, self.columns, self.params = text, columns, params

    def error(self, message: str, node: ast.AST | None, hint: str | None = _HINT) -> ExprError:
        snippet = self.text
        if node is not None:
            snippet = ast.get_source_segment(self.text.strip(), node) or self.text
        return ExprError(message, snippet=snippet[:80], hint=hint)

    def visit(self, node: ast.expr) -> Compiled:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise self.error(f"{_describe(node)} is not allowed in an expression", node)
        result: Compiled = method(node)
        return result

    # -- leaves ---------------------------------------------------------------------------------

    def constant(self, value: object, node: ast.AST, target: ColumnType | None = None) -> Compiled:
        if value is None:
            return Compiled("NULL", None)
        if not isinstance(value, bool | int | float | str):
            raise self.error(f"{type(value).__name__} values are not allowed", node)
        if target == "text" and not isinstance(value, str):
            raise self.error(f"cannot compare text with {value!r}", node, hint=f"write it as text: '{value}'")
        if target is not None:
            try:
                value = coerce(value, target)
            except CoerceError as exc:
                raise self.error(
                    f"cannot compare a {target} column with {value!r}", node, hint=str(exc)
                ) from None
        try:
            bindable = _bindable(value)
        except OverflowError:
            raise self.error("the number is too large", node, hint="numbers go up to about 1e308") from None
        return Compiled(self.params.add(bindable), _type_of(value))

    def visit_Constant(self, node: ast.Constant) -> Compiled:
        return self.constant(node.value, node)

    def column(self, name: str, node: ast.AST) -> Compiled:
        col = self.columns.get(name)
        if col is None:
            hint = did_you_mean(name, self.columns) or (
                'for names with spaces or symbols use col("name")'
                if name in ("col",)
                else "columns: " + ", ".join(f'"{n}"' for n in self.columns)
            )
            err = self.error(f'unknown column "{name}"', node, hint=hint)
            err.column = name
            raise err
        return Compiled(quote_column(col.name), col.type)

    def visit_Name(self, node: ast.Name) -> Compiled:
        if node.id in FUNCTIONS and node.id not in self.columns:
            raise self.error(f"{node.id} is a function; call it like {node.id}(x)", node, None)
        return self.column(node.id, node)

    # -- operators ------------------------------------------------------------------------------

    def numeric(self, value: Compiled, node: ast.AST, op: str) -> None:
        if value.type not in NUMERIC:
            raise self.error(
                f"{op} needs numbers, not {value.type}",
                node,
                hint="convert with float(x) or int(x)",
            )

    def visit_BinOp(self, node: ast.BinOp) -> Compiled:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise self.error(f"the operator {type(node.op).__name__} is not allowed", node)
        left, right = self.visit(node.left), self.visit(node.right)
        if op == "+" and "text" in (left.type, right.type):
            if {left.type, right.type} - {"text", None}:
                raise self.error(
                    "cannot add text and a number",
                    node,
                    hint="use concat(a, b) or str(x) to join text and numbers",
                )
            return Compiled(f"({left.sql} || {right.sql})", "text")
        self.numeric(left, node.left, op)
        self.numeric(right, node.right, op)
        ints = left.type in ("integer", "boolean", None) and right.type in (
            "integer",
            "boolean",
            None,
        )
        if op == "/":
            return Compiled(f"(CAST({left.sql} AS REAL) / {right.sql})", "float")
        if op == "//":
            floor = f"loupe_floor(CAST({left.sql} AS REAL) / {right.sql})"
            return Compiled(floor if ints else f"CAST({floor} AS REAL)", "integer" if ints else "float")
        if op == "%":
            return Compiled(f"loupe_mod({left.sql}, {right.sql})", "integer" if ints else "float")
        if op == "**":
            return Compiled(f"loupe_pow({left.sql}, {right.sql})", "float")
        return Compiled(f"({left.sql} {op} {right.sql})", "integer" if ints else "float")

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Compiled:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return Compiled(f"(NOT {operand.sql})", "boolean")
        if isinstance(node.op, ast.USub | ast.UAdd):
            self.numeric(operand, node.operand, "-")
            sign = "-" if isinstance(node.op, ast.USub) else "+"
            kind = "integer" if operand.type == "boolean" else operand.type
            return Compiled(f"({sign}{operand.sql})", kind)
        raise self.error("the ~ operator is not allowed", node)

    def visit_BoolOp(self, node: ast.BoolOp) -> Compiled:
        joiner = " AND " if isinstance(node.op, ast.And) else " OR "
        return Compiled("(" + joiner.join(self.visit(v).sql for v in node.values) + ")", "boolean")

    def pair(self, a: ast.expr, b: ast.expr) -> tuple[Compiled, Compiled]:
        """Compile both sides of a comparison; a constant takes the other side's column type."""
        if isinstance(a, ast.Constant) and not isinstance(b, ast.Constant):
            right = self.visit(b)
            return self.constant(a.value, a, right.type), right
        left = self.visit(a)
        if isinstance(b, ast.Constant) and not isinstance(a, ast.Constant):
            return left, self.constant(b.value, b, left.type)
        return left, self.visit(b)

    def visit_Compare(self, node: ast.Compare) -> Compiled:
        parts: list[str] = []
        left_node = node.left
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            parts.append(self.comparison(op, left_node, right_node))
            left_node = right_node
        sql = parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"
        return Compiled(sql, "boolean")

    def comparison(self, op: ast.cmpop, left_node: ast.expr, right_node: ast.expr) -> str:
        if isinstance(op, ast.Is | ast.IsNot):
            if not (isinstance(right_node, ast.Constant) and right_node.value is None):
                raise self.error(
                    "`is` only works with None: `x is None`",
                    right_node,
                    hint="use == to compare values",
                )
            left = self.visit(left_node)
            return f"({left.sql} IS {'NOT ' if isinstance(op, ast.IsNot) else ''}NULL)"
        if isinstance(op, ast.In | ast.NotIn):
            return self.membership(isinstance(op, ast.NotIn), left_node, right_node)
        left, right = self.pair(left_node, right_node)
        sql_op = _COMPARE[type(op)]
        if {left.type, right.type} >= {"text"} and bool({left.type, right.type} & NUMERIC - {None}):
            raise self.error(
                "cannot compare text with a number",
                right_node,
                hint="convert with float(x) or str(x)",
            )
        return f"({left.sql} {sql_op} {right.sql})"

    def membership(self, negate: bool, left_node: ast.expr, right_node: ast.expr) -> str:
        if isinstance(right_node, ast.List | ast.Tuple | ast.Set):
            left = self.visit(left_node)
            items = [
                self.constant(e.value, e, left.type) if isinstance(e, ast.Constant) else self.visit(e)
                for e in right_node.elts
            ]
            values = [i.sql for i in items if i.type is not None]
            has_null = any(i.type is None for i in items)
            test = f"{left.sql} IN ({', '.join(values)})" if values else "0"
            if has_null:
                test = f"({test} OR {left.sql} IS NULL)"
            return f"(NOT coalesce({test}, 0))" if negate else f"({test})"
        # `"x" in name`: substring test
        needle, haystack = self.visit(left_node), self.visit(right_node)
        test = f"(instr({haystack.sql}, {needle.sql}) > 0)"
        return f"(NOT {test})" if negate else test

    def visit_IfExp(self, node: ast.IfExp) -> Compiled:
        test, body, orelse = self.visit(node.test), self.visit(node.body), self.visit(node.orelse)
        kind = common_type([body.type, orelse.type])
        return Compiled(f"(CASE WHEN {test.sql} THEN {body.sql} ELSE {orelse.sql} END)", kind)

    def visit_Call(self, node: ast.Call) -> Compiled:
        if not isinstance(node.func, ast.Name):
            raise self.error("only plain function calls are allowed, like lower(name)", node)
        name = node.func.id
        if node.keywords:
            raise self.error(f"{name}() takes no keyword arguments", node, None)
        if name == "col":
            first = node.args[0] if len(node.args) == 1 else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                raise self.error('col() takes one column name in quotes: col("unit price")', node, None)
            return self.column(first.value, node)
        fn = FUNCTIONS.get(name)
        if fn is None:
            hint = did_you_mean(name, FUNCTIONS) or "functions: " + ", ".join(sorted(FUNCTIONS))
            raise self.error(f"unknown function {name}()", node, hint=hint)
        n = len(node.args)
        if n < fn.min_args or (fn.max_args >= 0 and n > fn.max_args):
            count = (
                str(fn.min_args)
                if fn.min_args == fn.max_args
                else f"{fn.min_args} or more"
                if fn.max_args < 0
                else f"{fn.min_args} to {fn.max_args}"
            )
            raise self.error(f"{name}() takes {count} arguments, got {n}", node, hint=fn.doc)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.error("*args is not allowed", node)
        args = [self.visit(a) for a in node.args]
        if fn.accepts is not None:
            for value, arg_node in zip(args, node.args, strict=True):
                if value.type not in fn.accepts and not _iso_literal(fn, arg_node):
                    raise self.error(
                        f"{name}() cannot take a {value.type} value", arg_node, hint=_fix(fn, value)
                    )
        types: list[ArgType] = [a.type for a in args]
        return Compiled(fn.build([a.sql for a in args], types), fn.result_type(types))


def _iso_literal(fn: Function, node: ast.expr) -> bool:
    """An ISO date written in the expression ("2024-01-02"): a date wherever dates are taken."""
    return (
        fn.accepts is TEMPORAL
        and isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and iso(node.value) is not None
    )


def _fix(fn: Function, value: Compiled) -> str:
    if fn.accepts is TEMPORAL and value.type == "text":
        return f'parse the text first: {fn.name}(parse_date(x, "%m/%d/%y")), or cast the column to date'
    return fn.doc


def _bindable(value: Value) -> Value:
    # SQLite integers are 64-bit; a larger literal is compared as a float rather than failing.
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT64:
        return float(value)
    return value


def _type_of(value: Value) -> ColumnType:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    return "text"


def _describe(node: ast.AST) -> str:
    names = {
        "Attribute": "attribute access (a.b)",
        "Subscript": "indexing (a[0])",
        "Lambda": "lambda",
        "NamedExpr": "assignment (:=)",
        "JoinedStr": "an f-string",
        "ListComp": "a comprehension",
        "GeneratorExp": "a generator",
        "Dict": "a dict",
        "Await": "await",
        "Yield": "yield",
        "Starred": "*args",
        "Slice": "a slice",
    }
    return names.get(type(node).__name__, type(node).__name__)


def literal(value: Value) -> str:
    """A value written as a constant of this language, so that text built for an expression (a chart
    selection's filter) reads back exactly that value; quotes in text cannot end it.

    >>> print(literal('say "hi"'), literal(None), literal(2.5), literal(True))
    "say \\"hi\\"" None 2.5 True
    """
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExprError(f"{value!r} cannot be written in an expression", hint="use a finite number")
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a Python string literal


def column_ref(name: str) -> str:
    """A column named in an expression, whatever its name holds: `col("unit price")`."""
    return f"col({json.dumps(name, ensure_ascii=False)})"


__all__ = ["Compiled", "column_ref", "column_refs", "compile_expr", "literal"]
