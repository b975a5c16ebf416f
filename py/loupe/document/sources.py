"""A document's sources: where each table's rows come from, checked field by field."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast
from urllib.parse import urlsplit

from loupe.document.fields import at, kind_of, read_choice, read_object, read_optional_text, read_text
from loupe.document.model import Source, SourceKind
from loupe.errors import LoupeError, SpecError
from loupe.sql import fold

KINDS = ("file", "url", "sample")
SOURCE_FIELDS = ("id", "name", "kind", "url", "size", "sha256", "options", "part", "table")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def parse_source(raw: object, path: str, before: Sequence[Source]) -> Source:
    """One source; its id and its loaded table's name must differ from every source `before` it."""
    obj = read_object(raw, path, SOURCE_FIELDS, ("id", "name", "kind", "table"))
    source_id = read_text(obj, "id", path, limit=100)
    for i, other in enumerate(before):
        if other.id == source_id:
            raise SpecError(f'id "{source_id}" is already used by sources[{i}]', field=at(path, "id"))
    kind = cast(SourceKind, read_choice(obj["kind"], KINDS, at(path, "kind"), "source kind"))
    table = read_text(obj, "table", path, limit=120)
    for i, other in enumerate(before):
        if fold(other.table) == fold(table):
            raise SpecError(
                f'table "{table}" is already loaded by sources[{i}]',
                field=at(path, "table"),
                hint="each source loads its own table; give one another name",
            )
    return Source(
        source_id,
        read_text(obj, "name", path, limit=1000),
        kind,
        table,
        url=_url(obj, path, kind),
        size=_size(obj, path),
        sha256=_sha256(obj, path),
        options=_options(obj, path),
        part=read_optional_text(obj, "part", path),
    )


def _url(obj: Mapping[str, Any], path: str, kind: str) -> str | None:
    where = at(path, "url")
    if kind == "file":
        if obj.get("url") is not None:
            raise SpecError(
                "a file source has no url",
                field=where,
                hint='a file is opened from the device; use kind "url" for a web address',
            )
        return None
    if obj.get("url") is None:
        raise SpecError(f"a {kind} source needs a url", field=where, hint=f'add "url" to {path}')
    url = read_text(obj, "url", path, limit=4000)
    parts = urlsplit(url)
    if kind == "url" and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise SpecError(
            f"{url!r} is not an http(s) address", field=where, hint='e.g. "https://example.org/data.csv"'
        )
    if kind == "sample" and (parts.scheme or parts.netloc or url.startswith("/") or ".." in url.split("/")):
        raise SpecError(
            f"{url!r} is not a path inside the app", field=where, hint='a sample is e.g. "sample/sales.csv"'
        )
    return url


def _size(obj: Mapping[str, Any], path: str) -> int | None:
    size = obj.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise SpecError(f"must be a whole number of bytes, not {size!r}", field=at(path, "size"))
    return size


def _sha256(obj: Mapping[str, Any], path: str) -> str | None:
    digest = obj.get("sha256")
    if digest is None:
        return None
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise SpecError("must be 64 hexadecimal digits (a SHA-256)", field=at(path, "sha256"))
    return digest.lower()


def _options(obj: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    from loupe.read.options import ReadOptions

    options = obj.get("options")
    if options is None:
        return None
    where = at(path, "options")
    if not isinstance(options, Mapping):
        raise SpecError(f"must be an object, not {kind_of(options)}", field=where)
    try:
        ReadOptions.from_mapping(options)
    except LoupeError as exc:
        field = at(where, exc.field) if exc.field else where
        raise SpecError(exc.message, field=field, column=exc.column, hint=exc.hint) from None
    return dict(options)
