"""What every verb is made of: a Verb record, a Fields reader for parsing, a Context for compiling.

A verb is a frozen Spec dataclass, `parse(raw, step) -> Spec` (validates the JSON once) and
`compile(spec, ctx) -> (select_sql, output_columns)` (one SELECT over the previous step).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from loupe.errors import SpecError, did_you_mean
from loupe.sql import Params, quote_column
from loupe.table import Column, Value

if TYPE_CHECKING:
    from loupe.expr import Compiled as ExprCompiled
    from loupe.verbs.form import Field

S = TypeVar("S")

# Runs a helper query (SQL with named parameters) and returns its rows; the engine provides it.
Lookup = Callable[[str, Mapping[str, Value]], list[tuple[Value, ...]]]
Compiled = tuple[str, tuple[Column, ...]]

# A row sequence number some verbs add so "first", "previous" and "original order" are defined.
SEQ = "__loupe_seq__"


@dataclass(frozen=True)
class Verb(Generic[S]):
    """A registered pipeline verb, the one record of it: name, label, fields (kind, label, help,
    required), parser, compiler, one example and how a parsed step reads in words (`describe`)."""

    name: str
    label: str  # how the page names it: "Group by"
    summary: str
    fields: Mapping[str, Field]
    parse: Callable[[Mapping[str, Any], int], S]
    compile: Callable[[S, Context], Compiled]
    example: Mapping[str, Any]
    describe: Callable[[S], str]  # "Group by region: sum of amount, count"

    def form(self) -> dict[str, Any]:
        """The page's form for this verb: its fields in order, with one example (JSON-able)."""
        return {
            "verb": self.name,
            "label": self.label,
            "summary": self.summary,
            "fields": [f.form() for f in self.fields.values()],
            "example": dict(self.example),
        }


_MISSING: Any = object()


class Fields:
    """Reads a step's raw JSON object; unknown fields and wrong types get a clear error."""

    def __init__(self, raw: Mapping[str, Any], step: int, verb: str, allowed: Collection[str]):
        self.raw, self.step, self.verb = raw, step, verb
        for key in raw:
            if key != "verb" and key not in allowed:
                choices = list(allowed)
                hint = did_you_mean(str(key), choices) or (
                    "allowed fields: " + ", ".join(choices) if choices else "this verb has no fields"
                )
                raise self.error(f"unknown field {key!r}", field=str(key), hint=hint)

    def error(self, message: str, *, field: str | None = None, hint: str | None = None) -> SpecError:
        return SpecError(message, step=self.step, verb=self.verb, field=field, hint=hint)

    def has(self, key: str) -> bool:
        return key in self.raw and self.raw[key] is not None

    def get(self, key: str, default: Any = _MISSING) -> Any:
        if key in self.raw and self.raw[key] is not None:
            return self.raw[key]
        if default is _MISSING:
            raise self.error(f"missing field {key!r}", field=key, hint=f"add {key!r} to the step")
        return default

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.get(key, default)
        if not isinstance(value, str):
            raise self.error(f"{key!r} must be text", field=key, hint=f'e.g. "{key}": "amount"')
        return value

    def name(self, key: str, default: Any = _MISSING) -> str:
        """A column or table name: non-empty text."""
        value = self.text(key, default)
        if value == "" and default is _MISSING:
            raise self.error(f"{key!r} must not be empty", field=key, hint="give a column name")
        return value

    def optional_name(self, key: str) -> str | None:
        """A name that may be left out (None)."""
        return self.name(key) if self.has(key) else None

    def integer(self, key: str, default: Any = _MISSING, *, minimum: int | None = None) -> int:
        value = self.get(key, default)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(f"{key!r} must be a whole number", field=key, hint=f'e.g. "{key}": 10')
        if minimum is not None and value < minimum:
            raise self.error(f"{key!r} must be at least {minimum}", field=key, hint=f"got {value}")
        if abs(value) > 2**62:
            raise self.error(f"{key!r} is too large", field=key, hint=f"got {value}")
        return value

    def number(self, key: str, default: Any = _MISSING) -> float:
        value = self.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.error(f"{key!r} must be a number", field=key, hint=f'e.g. "{key}": 0.5')
        return float(value)

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"{key!r} must be true or false", field=key, hint=f'"{key}": true')
        return value

    def choice(self, key: str, choices: Sequence[str], default: Any = _MISSING) -> str:
        value = self.text(key, default)
        if value not in choices:
            hint = did_you_mean(value, choices) or "one of: " + ", ".join(choices)
            raise self.error(f"unknown {key} {value!r}", field=key, hint=hint)
        return value

    def names(self, key: str, default: Any = _MISSING, *, allow_empty: bool = False) -> tuple[str, ...]:
        """A list of names; a single string is accepted as a one-item list."""
        value = self.get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self.error(
                f"{key!r} must be a list of column names",
                field=key,
                hint=f'e.g. "{key}": ["region", "year"]',
            )
        if not value and not allow_empty:
            raise self.error(f"{key!r} must not be empty", field=key, hint="name at least one column")
        return tuple(value)

    def objects(self, key: str, default: Any = _MISSING) -> list[Mapping[str, Any]]:
        value = self.get(key, default)
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, Mapping) for v in value):
            raise self.error(f"{key!r} must be a list of objects", field=key)
        return list(value)

    def scalar(self, key: str, default: Any = _MISSING) -> Value:
        value = self.get(key, default)
        if value is not None and not isinstance(value, int | float | str | bool):
            raise self.error(
                f"{key!r} must be a single value",
                field=key,
                hint="use text, a number, true/false or null",
            )
        return value


def check_unique(names: Sequence[str], fields: Fields, key: str) -> None:
    """Refuse the same name twice in one list (e.g. output names)."""
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise fields.error(f'"{n}" is listed twice', field=key, hint="give each one a new name")
        seen.add(n)


@dataclass
class Context:
    """What a verb's compile sees: the previous step's relation and schema, shared parameters."""

    step: int
    verb: str
    source: str  # the previous relation, already quoted
    columns: tuple[Column, ...]
    params: Params
    schemas: Mapping[str, tuple[Column, ...]]
    prefix: str = ""  # "WITH ..." defining `source`, for helper lookups
    lookup: Lookup | None = None
    notes: list[str] = field(default_factory=list)  # what the step wants the user told (Query.notes)

    def error(
        self,
        message: str,
        *,
        field: str | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> SpecError:
        return SpecError(message, step=self.step, verb=self.verb, field=field, column=column, hint=hint)

    def column(self, name: str, field: str | None = None) -> Column:
        """The input column called `name`, or a SpecError suggesting the closest name."""
        for col in self.columns:
            if col.name == name:
                return col
        names = [c.name for c in self.columns]
        hint = did_you_mean(name, names) or "columns here: " + ", ".join(f'"{n}"' for n in names)
        raise self.error(f'unknown column "{name}"', field=field, column=name, hint=hint)

    def ref(self, name: str, field: str | None = None) -> str:
        """The quoted identifier of an existing input column."""
        return quote_column(self.column(name, field).name)

    def expr(self, text: str, field: str) -> ExprCompiled:
        """Compile an expression over the input columns, errors located at this step and field."""
        from loupe.expr import compile_expr

        try:
            return compile_expr(text, self.columns, self.params)
        except SpecError as exc:
            exc.step, exc.verb, exc.field = self.step, self.verb, exc.field or field
            raise

    def param(self, value: Value) -> str:
        return self.params.add(value)

    def table(self, name: str, field: str | None = None) -> tuple[Column, ...]:
        """The schema of another loaded table (for joins)."""
        if name in self.schemas:
            return self.schemas[name]
        hint = did_you_mean(name, self.schemas) or "loaded tables: " + ", ".join(
            f'"{t}"' for t in self.schemas
        )
        raise self.error(f'unknown table "{name}"', field=field, hint=hint)

    def distinct(self, name: str, limit: int, field: str | None = None) -> list[Value]:
        """Up to `limit` distinct values of an input column, sorted, found by running a query."""
        ref = self.ref(name, field)
        if self.lookup is None:
            raise self.error(
                "this step needs to look at the data to compile",
                field=field,
                hint="list the values explicitly in the step",
            )
        sql = (
            f"{self.prefix}SELECT DISTINCT {ref} FROM {self.source} "
            f"ORDER BY {ref} NULLS LAST LIMIT {int(limit)}"
        )
        return [row[0] for row in self.lookup(sql, dict(self.params.values))]

    def misfits(self, before: str, after: str, shown: int = 3) -> tuple[int, list[tuple[Value, Value]]]:
        """How many rows have a value in SQL `before` but null in `after` (a conversion that
        failed), and the first `shown` as (row in this step's input, value); (0, []) if unknown."""
        if self.lookup is None:
            return 0, []
        rows_sql = f"SELECT row_number() OVER () AS n, {before} AS v, {after} AS c FROM {self.source}"
        sql = (
            f"{self.prefix}SELECT n, v, count(*) OVER () FROM ({rows_sql}) "
            f"WHERE v IS NOT NULL AND trim(CAST(v AS TEXT)) <> '' AND c IS NULL ORDER BY n LIMIT {int(shown)}"
        )
        rows = self.lookup(sql, dict(self.params.values))
        if not rows:
            return 0, []
        return int(rows[0][2] or 0), [(n, v) for n, v, _ in rows]

    def with_seq(self) -> str:
        """The input as a subquery with a row sequence number column (SEQ), in current order."""
        return f"(SELECT *, row_number() OVER () AS {SEQ} FROM {self.source})"

    def select_list(self, columns: Sequence[Column] | None = None) -> str:
        """All (or the given) input columns as a quoted select list."""
        cols = self.columns if columns is None else columns
        return ", ".join(quote_column(c.name) for c in cols)
