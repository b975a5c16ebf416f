"""The registry of pipeline verbs: name -> Verb. A new verb is one module plus one line here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loupe.verbs import (
    cast,
    derive,
    distinct,
    fill_nulls,
    filter,
    flag_outliers,
    groupby,
    join,
    limit,
    pivot,
    rename,
    sample,
    select,
    sort,
    top_n,
    unpivot,
    window,
)
from loupe.verbs.base import Context, Verb

REGISTRY: Mapping[str, Verb[Any]] = {
    v.name: v
    for v in (
        select.SELECT,
        select.DROP,
        select.REORDER,
        rename.VERB,
        filter.VERB,
        derive.VERB,
        cast.VERB,
        fill_nulls.VERB,
        flag_outliers.VERB,
        sort.VERB,
        limit.VERB,
        sample.VERB,
        distinct.VERB,
        groupby.VERB,
        pivot.VERB,
        unpivot.VERB,
        join.VERB,
        window.VERB,
        top_n.VERB,
    )
}

__all__ = ["REGISTRY", "Context", "Verb"]
