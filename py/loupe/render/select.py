"""What a mark selects, carried on it as `data-select` (JSON text): the terms of loupe.selection that
keep the rows behind the mark, so a click on a bar, a point, a box or a cell can cross-filter.

>>> data_select(equal("region", "North"), None)
'[{"column":"region","value":"North"}]'
"""

from __future__ import annotations

import json
import math

from loupe.render.spec import ChartSpec

Term = dict[str, object]


def equal(column: str | None, value: object, unit: str | None = None) -> Term | None:
    """Rows whose `column` is `value` (or, with a time `unit`, in the bucket starting at `value`)."""
    if column is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    term: Term = {"column": column, "value": value}
    if unit is not None and value is not None:
        term["unit"] = unit
    return term


def on_x(spec: ChartSpec, value: object) -> Term | None:
    """The x term of a chart whose x may be bucketed by a time unit (already resolved from "auto")."""
    unit = spec.time_unit if spec.time_unit and spec.time_unit != "auto" else None
    return equal(spec.x, value, unit)


def between(column: str | None, low: float, high: float, *, last: bool) -> Term | None:
    """Rows with low <= column < high (<= high for the last bin, which holds its upper edge)."""
    if column is None:
        return None
    return {"column": column, "from": low, "to": high, **({"last": True} if last else {})}


def data_select(*terms: Term | None) -> str | None:
    """The attribute's text; None (no attribute) when nothing can be selected."""
    kept = [t for t in terms if t is not None]
    return json.dumps(kept, separators=(",", ":"), ensure_ascii=False) if kept else None
