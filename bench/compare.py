"""Every engine's answers, made comparable: Loupe's rendered table trees become rows of values, numbers
are compared with a relative tolerance (sums of floats differ in the last digits between engines), and
columns are matched by name (DuckDB's PIVOT orders its columns its own way)."""

from __future__ import annotations

import math
import re
from typing import Any

Answer = dict[str, Any]  # {"columns": [names], "rows": [[values]]} or {"count": n}
NUMBER = re.compile(r"^-?[\d,]*\.?\d+(?:[eE][-+]?\d+)?$")
REL_TOL = 1e-6


def text_of(tree: Any) -> str:
    if isinstance(tree, str):
        return tree
    if isinstance(tree, list):
        return "".join(text_of(child) for child in tree[2:])
    return ""


def find(tree: Any, tag: str) -> list[Any]:
    """All elements with this tag, in document order."""
    if not isinstance(tree, list):
        return []
    found = [tree] if tree[0] == tag else []
    for child in tree[2:]:
        found += find(child, tag)
    return found


def from_table_tree(tree: Any) -> Answer:
    """The rows a Loupe table tree shows: header names from data-column, cells from <td> text."""
    names = [str(th[1]["data-column"]) for th in find(tree, "th") if "data-column" in th[1]]
    rows = []
    for body in find(tree, "tbody"):
        for tr in find(body, "tr"):
            rows.append([text_of(td) for td in tr[2:] if isinstance(td, list) and td[0] == "td"])
    return {"columns": names, "rows": rows}


def normal(value: Any) -> Any:
    """Numbers as floats (Loupe shows "1,234.5"), everything else as text; empty and null alike."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    if NUMBER.match(text):
        return float(text.replace(",", ""))
    return text


def same(a: Any, b: Any) -> bool:
    a, b = normal(a), normal(b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-9)
    return bool(a == b)


def differences(query: str, engine: str, got: Answer, want: Answer, limit: int = 3) -> list[str]:
    """What differs between two answers, in words (empty when they agree)."""
    where = f"{query}: {engine}"
    if "count" in want or "count" in got:
        if not same(got.get("count"), want.get("count")):
            return [f"{where} counted {got.get('count')}, expected {want.get('count')}"]
        return []
    if sorted(got["columns"]) != sorted(want["columns"]):
        return [f"{where} has columns {got['columns']}, expected {want['columns']}"]
    if len(got["rows"]) != len(want["rows"]):
        return [f"{where} has {len(got['rows'])} rows, expected {len(want['rows'])}"]
    position = {name: i for i, name in enumerate(got["columns"])}
    problems = []
    for r, (mine, theirs) in enumerate(zip(got["rows"], want["rows"], strict=True)):
        for c, name in enumerate(want["columns"]):
            if not same(mine[position[name]], theirs[c]):
                problems.append(
                    f"{where} row {r + 1} {name} = {mine[position[name]]!r}, expected {theirs[c]!r}"
                )
                if len(problems) >= limit:
                    return problems
    return problems


def check(answers: dict[str, dict[str, Answer]], reference: str) -> dict[str, Any]:
    """Compare each engine's answers ({engine: {query: answer}}) with the reference engine's."""
    want = answers.get(reference, {})
    mismatches: list[str] = []
    compared = 0
    for engine, results in answers.items():
        if engine == reference:
            continue
        for query, answer in want.items():
            if query not in results:
                mismatches.append(f"{query}: {engine} gave no answer")
                continue
            compared += 1
            mismatches += differences(query, engine, results[query], answer)
    return {"ok": not mismatches, "reference": reference, "compared": compared, "mismatches": mismatches}
