"""The registry of pipeline verbs: name -> Verb. A new verb is one module plus one line here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loupe.verbs import filter, groupby, limit, sort
from loupe.verbs.base import Context, Verb

REGISTRY: Mapping[str, Verb[Any]] = {
    v.name: v
    for v in (
        filter.VERB,
        groupby.VERB,
        limit.VERB,
        sort.VERB,
    )
}

__all__ = ["REGISTRY", "Context", "Verb"]
