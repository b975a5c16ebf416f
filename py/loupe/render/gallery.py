"""One example spec per chart type over the bundled sales sample, for the app's gallery page, and
examples that run a pipeline first (rows flagged as outliers: the marked table and the chart).

Columns of the sample: date, region, product, channel, units, unit_price, revenue, discount,
returned. A test renders every spec here, so the gallery cannot drift from the chart code.
"""

from __future__ import annotations

from typing import Any

_GALLERY: tuple[dict[str, Any], ...] = (
    {
        "type": "bar",
        "x": "product",
        "y": "revenue",
        "agg": "sum",
        "format": "currency",
        "title": "Revenue by product",
    },
    {
        "type": "column",
        "x": "region",
        "y": "revenue",
        "agg": "sum",
        "color": "channel",
        "mode": "stacked",
        "title": "Revenue by region and channel",
    },
    {
        "type": "column",
        "x": "region",
        "y": "units",
        "agg": "sum",
        "color": "channel",
        "mode": "normalized",
        "title": "Share of units by channel in each region",
    },
    {
        "type": "column",
        "x": "region",
        "y": "units",
        "agg": "mean",
        "color": "channel",
        "title": "Average units per order by region and channel",
    },
    {
        "type": "line",
        "x": "date",
        "y": "revenue",
        "agg": "sum",
        "time_unit": "month",
        "title": "Monthly revenue",
    },
    {
        "type": "area",
        "x": "date",
        "y": "revenue",
        "agg": "sum",
        "color": "region",
        "time_unit": "month",
        "title": "Monthly revenue by region",
    },
    {
        "type": "scatter",
        "x": "unit_price",
        "y": "revenue",
        "color": "product",
        "size": "units",
        "title": "Revenue against unit price",
    },
    {"type": "histogram", "x": "revenue", "bins": 30, "title": "How big is an order?"},
    {
        "type": "heatmap",
        "x": "region",
        "y": "product",
        "value": "units",
        "agg": "sum",
        "title": "Units by region and product",
    },
    {"type": "box", "x": "product", "y": "unit_price", "title": "Unit price spread by product"},
    # Insight drawn over the charts above: a forecast, a trend per colour group, a LOESS curve.
    {
        "type": "line",
        "x": "date",
        "y": "revenue",
        "agg": "sum",
        "time_unit": "month",
        "forecast": {"horizon": 6, "season": None},
        "title": "Monthly revenue, six months ahead",
    },
    {
        "type": "scatter",
        "x": "unit_price",
        "y": "revenue",
        "color": "channel",
        "trend": "linear",
        "title": "Revenue against unit price, trend per channel",
    },
    {
        "type": "line",
        "x": "date",
        "y": "units",
        "agg": "sum",
        "time_unit": "week",
        "trend": "loess",
        "title": "Weekly units with a LOESS curve",
    },
    # What changed between two years, and an alert rule marking the slow months.
    {
        "type": "changes",
        "x": "product",
        "y": "revenue",
        "agg": "sum",
        "compare": {
            "column": "date",
            "before": ["2023-01-01", "2023-12-31"],
            "after": ["2024-01-01", "2024-12-31"],
            "labels": ["2023", "2024"],
        },
        "format": "currency",
        "title": "What changed in revenue from 2023 to 2024, by product",
    },
    {
        "type": "column",
        "x": "date",
        "y": "revenue",
        "agg": "sum",
        "time_unit": "month",
        "format": "currency",
        "alert": {"op": "<", "value": 80000},
        "title": "Monthly revenue, months under $80k marked",
    },
)


# Each runs its pipeline on the sample, then shows the first `rows` rows of the result as a table
# and draws the chart from the same result.
_EXAMPLES: tuple[dict[str, Any], ...] = (
    {
        "title": "Grinder orders flagged as outliers",
        # Named flag and reason columns: the marks follow the verb's record, not the default names.
        "pipeline": [
            {"verb": "filter", "column": "product", "op": "==", "value": "Grinder"},
            {"verb": "flag_outliers", "column": "revenue", "as": "unusual", "reason_as": "why"},
            {"verb": "select", "columns": ["date", "region", "revenue", "unusual", "why"]},
        ],
        "rows": 12,
        "chart": {
            "type": "line",
            "x": "date",
            "y": "revenue",
            "agg": "sum",
            "time_unit": "month",
            "format": "currency",
            "title": "Monthly grinder revenue; a cross marks a month holding flagged orders",
        },
    },
)


def gallery_specs() -> list[dict[str, Any]]:
    """Chart specs, one or more per chart type, each valid for the sales sample's columns."""
    return [dict(spec) for spec in _GALLERY]


def gallery_examples() -> list[dict[str, Any]]:
    """Examples with a pipeline: title, pipeline steps, how many rows the table shows, the chart.

    >>> [step["verb"] for step in gallery_examples()[0]["pipeline"]]
    ['filter', 'flag_outliers', 'select']
    """
    return [{**e, "pipeline": [dict(s) for s in e["pipeline"]], "chart": dict(e["chart"])} for e in _EXAMPLES]
