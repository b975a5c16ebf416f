"""The pipeline as Python that reproduces it natively: read the files with `loupe.read_file`, load them
into a `loupe.Engine` and run the steps there, the same compiler and SQL as the page.

>>> print(pipeline_code([{"verb": "limit", "n": 5}], [Source("sales", "sales.csv")]))
import loupe
<BLANKLINE>
engine = loupe.Engine()
engine.load(loupe.read_file("sales.csv", name="sales"))
steps = [{"verb": "limit", "n": 5}]
result = engine.run({"version": 1, "source": "sales", "steps": steps})
print(len(result.rows), "rows", result.column_names)
<BLANKLINE>
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from loupe.errors import SpecError

_WIDTH = 100  # characters a line of the code may take before its items go one per line


@dataclass(frozen=True)
class Source:
    """A table the code loads: its name in the pipeline, the file it is read from, reading options."""

    table: str
    file: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: object, index: int) -> Source:
        """One `sources` entry from the page: {"table", "file", "options"?}."""
        where = f"sources[{index}]"
        if not isinstance(raw, Mapping):
            raise SpecError(
                f"{where} must be an object", field=where, hint='{"table": "sales", "file": "sales.csv"}'
            )
        table, file, options = raw.get("table"), raw.get("file"), raw.get("options") or {}
        if not isinstance(table, str) or not table:
            raise SpecError(f"{where}.table must be a table name", field=f"{where}.table")
        if not isinstance(file, str) or not file:
            raise SpecError(f"{where}.file must be a file name", field=f"{where}.file")
        if not isinstance(options, Mapping):
            raise SpecError(f"{where}.options must be an object", field=f"{where}.options")
        return cls(table, file, dict(options))


def literal(value: object, indent: int = 0) -> str:
    """A JSON value as a Python literal: strings in double quotes as in the JSON the page shows (JSON's
    escapes are a subset of Python's), True/False/None, one item per line once a line gets long.

    >>> literal({"a": [1, True, None, "x"]})
    '{"a": [1, True, None, "x"]}'
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        items = [
            f"{json.dumps(str(k), ensure_ascii=False)}: {literal(v, indent + 4)}" for k, v in value.items()
        ]
        opening, closing = "{", "}"
    elif isinstance(value, list | tuple):
        items = [literal(v, indent + 4) for v in value]
        opening, closing = "[", "]"
    else:
        raise TypeError(f"not a JSON value: {value!r}")
    flat = opening + ", ".join(items) + closing
    if len(flat) + indent <= _WIDTH and "\n" not in flat:
        return flat
    pad = " " * (indent + 4)
    return opening + "\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + closing


def pipeline_code(steps: Sequence[Any], sources: Sequence[Source]) -> str:
    """Python that loads `sources` (the first is the table the steps start from) and runs `steps`."""
    if not sources:
        raise SpecError("the code needs the table the steps start from", field="sources")
    lines = ["import loupe", "", "engine = loupe.Engine()"]
    for source in sources:
        args = [_string(source.file), f"name={_string(source.table)}"]
        if source.options:
            args.append(f"options={literal(dict(source.options))}")
        lines.append(f"engine.load(loupe.read_file({', '.join(args)}))")
    lines.append(f"steps = {literal(list(steps))}")
    spec = f'{{"version": 1, "source": {_string(sources[0].table)}, "steps": steps}}'
    lines.append(f"result = engine.run({spec})")
    lines.append('print(len(result.rows), "rows", result.column_names)')
    return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
