"""Document versions: which version a JSON value is, and the migrations that bring it up to date.

Version 0 is what Loupe saved before documents: a bare pipeline (a list of steps, or
`{"version": 1, "source": ..., "steps": [...]}`). `MIGRATIONS[n]` turns version n into n + 1; a
version newer than this Loupe knows is refused, never guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from loupe.document.model import VERSION
from loupe.errors import SpecError
from loupe.pipeline import parse_pipeline

Migration = Callable[[Any], dict[str, Any]]
_DOCUMENT_KEYS = ("sources", "tables", "charts", "view", "title")


def is_document(obj: object) -> bool:
    """Is this JSON value a Loupe document (of any version), rather than a bare pipeline or else?

    >>> is_document({"loupe": "document", "version": 1}), is_document([{"verb": "limit", "n": 1}])
    (True, False)
    """
    return isinstance(obj, Mapping) and obj.get("loupe") == "document"


def document_version(obj: object) -> int:
    """The document version of a JSON value: 0 for a bare pipeline; SpecError if it is neither."""
    if isinstance(obj, list):
        return 0
    if not isinstance(obj, Mapping):
        kind = "text" if isinstance(obj, str) else type(obj).__name__
        raise SpecError(f"a document must be an object, not {kind}", hint='it starts {"loupe": "document"')
    if "loupe" not in obj:
        if any(key in obj for key in _DOCUMENT_KEYS):
            raise SpecError(
                "missing field 'loupe'", field="loupe", hint='a document starts {"loupe": "document"'
            )
        return 0  # a pipeline object; parse_pipeline says what is wrong with it
    if obj["loupe"] != "document":
        raise SpecError(
            f"not a Loupe document: 'loupe' is {obj['loupe']!r}", field="loupe", hint='use "document"'
        )
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SpecError(f"must be a whole number from 1, not {version!r}", field="version")
    return version


def upgrade(obj: object) -> Any:
    """The same document at VERSION, through every migration from its own version."""
    version = document_version(obj)
    if version > VERSION:
        raise SpecError(
            f"made by a newer version of Loupe (document version {version}; "
            f"this Loupe reads up to {VERSION})",
            field="version",
            hint="update Loupe (reload the page) to open it",
        )
    while version < VERSION:
        obj = MIGRATIONS[version](obj)
        assert obj["version"] == version + 1, f"migration {version} must produce version {version + 1}"
        version += 1
    return obj


def document_from_pipeline(spec: object, *, filename: str | None = None) -> dict[str, Any]:
    """A version-1 document holding a bare pipeline: one file source for the table it starts from
    (its `source`, else the table `filename` loads as, else "data"), one for each table it joins.

    >>> doc = document_from_pipeline([{"verb": "limit", "n": 5}], filename="Sales 2024.csv")
    >>> doc["sources"], doc["tables"][0]["name"]
    ([{'id': 's1', 'name': 'Sales 2024.csv', 'kind': 'file', 'table': 'sales_2024'}], 'sales_2024')
    """
    from loupe.read.names import table_name

    pipeline = parse_pipeline(spec)
    table = pipeline.source or (table_name(filename) if filename else "data")
    sources = [{"id": "s1", "name": filename or table, "kind": "file", "table": table}]
    for step in pipeline.steps:
        joined = getattr(step.spec, "table", None) if step.verb == "join" else None
        if isinstance(joined, str) and all(s["table"] != joined for s in sources):
            sources.append({"id": f"s{len(sources) + 1}", "name": joined, "kind": "file", "table": joined})
    return {
        "loupe": "document",
        "version": 1,
        "sources": sources,
        "tables": [{"name": table, "source": "s1", "steps": [dict(s.raw) for s in pipeline.steps]}],
        "charts": [],
        "view": {"theme": "light", "table": table},
    }


MIGRATIONS: dict[int, Migration] = {
    0: document_from_pipeline,
}
