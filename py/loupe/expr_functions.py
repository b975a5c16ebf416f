"""The functions an expression may call: name -> arity, SQL template and result type.

Only these exist; anything else is an ExprError. Text functions that SQLite gets wrong for
non-ASCII (lower/upper) and math functions missing from some builds use loupe.sqlfuncs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from loupe.table import ColumnType

ArgType = ColumnType | None  # None: the argument is a NULL literal
NUMERIC: frozenset[ArgType] = frozenset({"integer", "float", "boolean", None})
# Text is no date: year(text) is an error that says to parse it, not a column of nulls. An ISO
# literal ("2024-01-02") is the exception, checked where the call is compiled.
TEMPORAL: frozenset[ArgType] = frozenset({"date", "datetime", None})


@dataclass(frozen=True)
class Function:
    """One callable function: how many arguments, how to write it in SQL, what it returns."""

    name: str
    min_args: int
    max_args: int  # -1: any number
    build: Callable[[Sequence[str], Sequence[ArgType]], str]
    returns: ColumnType | Callable[[Sequence[ArgType]], ColumnType]
    doc: str
    accepts: frozenset[ArgType] | None = None  # allowed type of every argument; None: anything

    def result_type(self, types: Sequence[ArgType]) -> ColumnType:
        return self.returns if isinstance(self.returns, str) else self.returns(types)


Build = Callable[[Sequence[str], Sequence[ArgType]], str]


def _call(sql_name: str) -> Build:
    return lambda args, types: f"{sql_name}({', '.join(args)})"


def _sql(template: Callable[[Sequence[str]], str]) -> Build:
    return lambda args, types: template(args)


def temporal(arg: str, kind: ArgType) -> str:
    """A date/datetime column as is; anything else only if it is ISO text (else NULL)."""
    return arg if kind in ("date", "datetime") else f"loupe_iso({arg})"


def common_type(types: Sequence[ArgType]) -> ColumnType:
    """The type of a value that may come from any of the arguments (coalesce, if/else)."""
    known = [t for t in types if t is not None]
    if not known:
        return "text"
    if all(t == known[0] for t in known):
        return known[0]
    if all(t in NUMERIC for t in known):
        return "float" if "float" in known else "integer"
    if set(known) <= {"date", "datetime"}:
        return "datetime"
    return "text"


def _number_like(types: Sequence[ArgType]) -> ColumnType:
    return "integer" if types and types[0] in ("integer", "boolean") else "float"


# SQLite's own lower/upper fold ASCII only; they are exact (and fast, in C) for ASCII text, so
# Python is called only for text with other characters.
_NON_ASCII = "('*[^' || char(1) || '-' || char(127) || ']*')"


def _case(name: str) -> Build:
    def build(args: Sequence[str], types: Sequence[ArgType]) -> str:
        a = args[0]
        return f"(CASE WHEN {a} GLOB {_NON_ASCII} THEN loupe_{name}({a}) ELSE {name}({a}) END)"

    return build


def _part(fmt: str) -> Build:
    return lambda a, t: f"CAST(strftime('{fmt}', {temporal(a[0], t[0])}) AS INTEGER)"


def _concat(args: Sequence[str]) -> str:
    return "(" + " || ".join(f"coalesce(CAST({a} AS TEXT), '')" for a in args) + ")"


def _round(args: Sequence[str]) -> str:
    return f"round({args[0]}, {args[1] if len(args) > 1 else 0})"


def _substr(args: Sequence[str]) -> str:
    return f"substr({', '.join(args)})"


def _add_days(a: Sequence[str], t: Sequence[ArgType]) -> str:
    return f"date({temporal(a[0], t[0])}, printf('%+d days', {a[1]}))"


def _days_between(a: Sequence[str], t: Sequence[ArgType]) -> str:
    return f"(julianday({temporal(a[1], t[1])}) - julianday({temporal(a[0], t[0])}))"


def _date(a: Sequence[str], t: Sequence[ArgType]) -> str:
    return f"date({temporal(a[0], t[0])})"


def _parse(target: str) -> Build:
    return lambda a, t: f"loupe_parse_{target}({a[0]}, {a[1] if len(a) > 1 else 'NULL'})"


def _datetime(a: Sequence[str], t: Sequence[ArgType]) -> str:
    return f"strftime('%Y-%m-%dT%H:%M:%S', {temporal(a[0], t[0])})"


_FUNCTIONS = [
    Function("lower", 1, 1, _case("lower"), "text", "lower case (any language)"),
    Function("upper", 1, 1, _case("upper"), "text", "upper case (any language)"),
    Function("len", 1, 1, _call("length"), "integer", "number of characters"),
    Function("strip", 1, 1, _call("trim"), "text", "remove spaces at both ends"),
    Function("lstrip", 1, 1, _call("ltrim"), "text", "remove spaces at the start"),
    Function("rstrip", 1, 1, _call("rtrim"), "text", "remove spaces at the end"),
    Function("replace", 3, 3, _call("replace"), "text", "replace(text, old, new)"),
    Function("substr", 2, 3, _sql(_substr), "text", "substr(text, start, length): start counts from 1"),
    Function(
        "contains",
        2,
        2,
        _sql(lambda a: f"(instr({a[0]}, {a[1]}) > 0)"),
        "boolean",
        "contains(text, part)",
    ),
    Function(
        "startswith",
        2,
        2,
        _sql(lambda a: f"(substr({a[0]}, 1, length({a[1]})) = {a[1]})"),
        "boolean",
        "startswith(text, prefix)",
    ),
    Function(
        "endswith",
        2,
        2,
        _sql(lambda a: f"({a[1]} = '' OR substr({a[0]}, -length({a[1]})) = {a[1]})"),
        "boolean",
        "endswith(text, suffix)",
    ),
    Function("concat", 1, -1, _sql(_concat), "text", "join values as text; nulls count as empty"),
    Function("str", 1, 1, _sql(lambda a: f"CAST({a[0]} AS TEXT)"), "text", "as text"),
    Function("int", 1, 1, _call("loupe_int"), "integer", "as a whole number (null if not one)"),
    Function("float", 1, 1, _call("loupe_float"), "float", "as a number (null if not one)"),
    Function("round", 1, 2, _sql(_round), "float", "round(x, digits=0)", NUMERIC),
    Function("abs", 1, 1, _call("abs"), _number_like, "absolute value", NUMERIC),
    Function("floor", 1, 1, _call("loupe_floor"), "integer", "round down", NUMERIC),
    Function("ceil", 1, 1, _call("loupe_ceil"), "integer", "round up", NUMERIC),
    Function("sqrt", 1, 1, _call("loupe_sqrt"), "float", "square root (null if negative)", NUMERIC),
    Function("log", 1, 2, _call("loupe_log"), "float", "log(x) natural, log(x, base)", NUMERIC),
    Function("log10", 1, 1, _sql(lambda a: f"loupe_log({a[0]}, 10)"), "float", "base-10 log", NUMERIC),
    Function("exp", 1, 1, _call("loupe_exp"), "float", "e to the power x", NUMERIC),
    Function("pow", 2, 2, _call("loupe_pow"), "float", "pow(x, y): x to the power y", NUMERIC),
    Function("min", 2, -1, _call("min"), common_type, "smallest of the arguments (null if any is)"),
    Function("max", 2, -1, _call("max"), common_type, "largest of the arguments (null if any is)"),
    Function("coalesce", 2, -1, _call("coalesce"), common_type, "the first non-null argument"),
    Function("year", 1, 1, _part("%Y"), "integer", "year of a date", TEMPORAL),
    Function("month", 1, 1, _part("%m"), "integer", "month of a date (1-12)", TEMPORAL),
    Function("day", 1, 1, _part("%d"), "integer", "day of the month", TEMPORAL),
    Function("hour", 1, 1, _part("%H"), "integer", "hour of a date-time", TEMPORAL),
    Function("minute", 1, 1, _part("%M"), "integer", "minute of a date-time", TEMPORAL),
    Function("weekday", 1, 1, _part("%w"), "integer", "day of the week, 0 = Sunday", TEMPORAL),
    Function("date", 1, 1, _date, "date", "the date part (null if not a date)", TEMPORAL),
    Function(
        "datetime",
        1,
        1,
        _datetime,
        "datetime",
        "as a date-time",
        TEMPORAL,
    ),
    Function(
        "parse_date",
        1,
        2,
        _parse("date"),
        "date",
        'parse_date(text, format): format as strptime, "%m/%d/%y"; without it ISO, year-first or month names',
    ),
    Function(
        "parse_datetime",
        1,
        2,
        _parse("datetime"),
        "datetime",
        'parse_datetime(text, format): e.g. "%m/%d/%Y %I:%M %p"',
    ),
    Function(
        "parse_number",
        1,
        2,
        _call("loupe_parse_number"),
        "float",
        'parse_number(text, decimal): "$1,200" -> 1200, "12%" -> 12, "1.234,50" -> 1234.5',
    ),
    Function("add_days", 2, 2, _add_days, "date", "add_days(date, n)"),
    Function("days_between", 2, 2, _days_between, "float", "days_between(start, end)"),
]

FUNCTIONS: dict[str, Function] = {f.name: f for f in _FUNCTIONS}
