"""A column profile as an element tree: the numbers a user checks first, a histogram, the top values.

The profile dict comes from loupe.profile; this only lays it out, so it stays pure and snapshot-able.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from loupe.render.format import format_value
from loupe.render.tree import Node, h

# (key in the profile, label) in the order a reader scans them; absent keys are skipped.
STATS = (
    ("count", "rows"),
    ("nulls", "nulls"),
    ("distinct", "distinct"),
    ("min", "min"),
    ("max", "max"),
    ("mean", "mean"),
    ("median", "median"),
    ("std", "std. deviation"),
    ("min_length", "shortest"),
    ("max_length", "longest"),
    ("empty", "empty text"),
    ("true", "true"),
    ("false", "false"),
)
BAR_WIDTH, BAR_HEIGHT = 240, 48


def _stat(value: Any) -> str:
    if isinstance(value, float):
        return format_value(round(value, 4))
    return format_value(value)


def _quantile_label(key: object) -> str:
    """'0.25' -> 'p25': quantiles read as percentiles."""
    try:
        return f"p{round(float(str(key)) * 100)}"
    except ValueError:
        return str(key)


def _histogram(bins: Sequence[Mapping[str, Any]]) -> Node | None:
    counts = [float(b.get("count") or 0) for b in bins]
    top = max(counts, default=0.0)
    if top <= 0:
        return None
    step = BAR_WIDTH / len(counts)
    bars: list[Node] = []
    for index, (spec, count) in enumerate(zip(bins, counts, strict=True)):
        height = max(1.0, count / top * BAR_HEIGHT) if count else 0.0
        label = spec.get("key") if "key" in spec else f"{_stat(spec.get('low'))} – {_stat(spec.get('high'))}"
        bars.append(
            h(
                "rect",
                {
                    "class": "mark",
                    "x": index * step,
                    "y": BAR_HEIGHT - height,
                    "width": max(0.5, step - 1),
                    "height": height,
                    "fill": "currentColor",
                },
                h("title", {}, f"{label}: {format_value(int(count))}"),
            )
        )
    return h(
        "svg",
        {"class": "profile-histogram", "viewBox": f"0 0 {BAR_WIDTH} {BAR_HEIGHT}", "role": "img"},
        h("title", {}, "Distribution"),
        *bars,
    )


def render_profile(profile: Mapping[str, Any]) -> Node:
    """A `section` tree for one column's profile.

    >>> render_profile({"name": "n", "type": "integer", "count": 3})[0]
    'section'
    """
    stats = [
        h("div", {}, h("dt", {}, label), h("dd", {}, _stat(profile[key])))
        for key, label in STATS
        if profile.get(key) is not None
    ]
    quantiles = profile.get("quantiles")
    if isinstance(quantiles, Mapping):
        stats.extend(
            h("div", {}, h("dt", {}, _quantile_label(key)), h("dd", {}, _stat(v)))
            for key, v in quantiles.items()
        )
    top = profile.get("top") or []
    return h(
        "section",
        {"class": "profile", "data-column": str(profile.get("name", ""))},
        h(
            "p",
            {"class": "profile-name"},
            h("strong", {}, str(profile.get("name", ""))),
            " ",
            h("small", {}, str(profile.get("type", ""))),
        ),
        h("dl", {"class": "stats"}, *stats),
        _histogram(profile.get("histogram") or []),
        h("p", {"class": "label"}, "Most common") if top else None,
        h(
            "ol",
            {"class": "top-values"},
            *(
                h(
                    "li",
                    {},
                    h("span", {"class": "value"}, _stat(item.get("value"))),
                    " ",
                    h("small", {}, _stat(item.get("count"))),
                )
                for item in top
            ),
        )
        if top
        else None,
    )


def sketch_values(profile: Mapping[str, Any]) -> list[float]:
    """Bar heights for a column header's sketch: the histogram, else the top values' counts."""
    bins = profile.get("histogram") or profile.get("top") or []
    return [float(item.get("count") or 0) for item in bins]
