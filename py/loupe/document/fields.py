"""Read a document's JSON one field at a time; every error's `field` is the path of what is wrong.

Paths read like the JSON they point into: `sources[1].kind`, `tables[0].steps[2].column`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from loupe.document.limits import MAX_TEXT
from loupe.errors import SpecError, did_you_mean


def at(path: str, key: str | int) -> str:
    """The path one level down: at("sources", 1) -> "sources[1]", at("sources[1]", "kind")."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def kind_of(value: object) -> str:
    """How a JSON value reads in a message: "an object", "text", "null"..."""
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    found = next((n for t, n in names.items() if isinstance(value, t)), None)
    return found or ("a number" if isinstance(value, int | float) else type(value).__name__)


def read_object(raw: object, path: str, fields: Sequence[str], required: Sequence[str]) -> Mapping[str, Any]:
    """`raw` as an object with only `fields` and at least `required`; an unknown field gets a did-you-mean."""
    if not isinstance(raw, Mapping):
        if not path:
            raise SpecError(
                f"a document must be an object, not {kind_of(raw)}", hint='it starts {"loupe": "document"'
            )
        raise SpecError(f"must be an object, not {kind_of(raw)}", field=path)
    for key in raw:
        if key not in fields:
            hint = did_you_mean(str(key), fields) or "allowed fields: " + ", ".join(fields)
            raise SpecError(f"unknown field {key!r}", field=at(path, str(key)), hint=hint)
    for key in required:
        if key not in raw:
            raise SpecError(f"missing field {key!r}", field=at(path, key), hint=f"add {key!r}")
    return raw


def read_text(raw: Mapping[str, Any], key: str, path: str, *, limit: int = MAX_TEXT) -> str:
    """A required non-empty string of at most `limit` characters."""
    value = raw[key]
    if not isinstance(value, str) or not value:
        raise SpecError(f"must be non-empty text, not {kind_of(value)}", field=at(path, key))
    if len(value) > limit:
        raise SpecError(f"is {len(value)} characters long, over the limit of {limit}", field=at(path, key))
    return value


def read_optional_text(raw: Mapping[str, Any], key: str, path: str) -> str | None:
    return read_text(raw, key, path) if raw.get(key) is not None else None


def read_list(raw: Mapping[str, Any], key: str, path: str, limit: int) -> Sequence[Any]:
    """A list of at most `limit` entries (absent: empty), its length checked before any entry is read."""
    value = raw.get(key, [])
    if not isinstance(value, list | tuple):
        raise SpecError(f"must be a list, not {kind_of(value)}", field=at(path, key))
    if len(value) > limit:
        raise SpecError(
            f"has {len(value)} entries, over the limit of {limit}",
            field=at(path, key),
            hint="split the work into several documents",
        )
    return value


def read_choice(value: object, choices: Sequence[str], path: str, what: str) -> str:
    """One of `choices`; else "unknown source kind 'files'" with the closest choice as the hint."""
    if not isinstance(value, str) or value not in choices:
        hint = (did_you_mean(value, choices) if isinstance(value, str) else None) or "use " + " or ".join(
            choices
        )
        raise SpecError(f"unknown {what} {value!r}", field=path, hint=hint)
    return value


def check_reference(name: str, known: Collection[str], path: str, what: str) -> None:
    """A name that must refer to another part of the document: a source id, a table name."""
    if name not in known:
        listed = ", ".join(f'"{k}"' for k in known)
        hint = did_you_mean(name, known) or (
            f"{what}s: {listed}" if known else f"the document has no {what}s"
        )
        raise SpecError(f'unknown {what} "{name}"', field=path, hint=hint)
