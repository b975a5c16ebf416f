"""The bundled sample: two years of daily sales by region, product and channel, generated deterministically.

The same seed always gives byte-identical CSV text, so dist/ stays reproducible and tests can rely on it.
"""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import date, timedelta
from typing import Any

COLUMNS = (
    "date",
    "region",
    "product",
    "channel",
    "units",
    "unit_price",
    "revenue",
    "discount",
    "returned",
)
REGIONS = ("North", "South", "East", "West", "Central")
PRODUCTS = {  # name -> (base price, popularity)
    "Espresso machine": (249.0, 0.6),
    "Grinder": (89.0, 1.0),
    "Kettle": (39.0, 1.4),
    "Milk frother": (29.0, 0.9),
    "Pour-over set": (24.0, 1.1),
    "Scale": (19.0, 0.8),
}
CHANNELS = ("Online", "Store", "Wholesale")


def sample_rows(seed: int = 7, start: date = date(2023, 1, 1), days: int = 731) -> list[list[str]]:
    """Rows of text cells (as a CSV holds them), with seasonality, trends and a few nulls."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for day in range(days):
        when = start + timedelta(days=day)
        season = 1.0 + 0.35 * math.sin(2 * math.pi * (when.timetuple().tm_yday - 80) / 365)
        trend = 1.0 + 0.25 * day / days
        for region_index, region in enumerate(REGIONS):
            # Not every region sells every product every day: keeps the sample a few thousand rows.
            for product, (price, popularity) in PRODUCTS.items():
                if rng.random() > 0.21:
                    continue
                channel = rng.choices(CHANNELS, weights=(5, 3, 1))[0]
                mean_units = 4 * popularity * season * trend * (1 + 0.15 * region_index)
                units = max(1, round(rng.gauss(mean_units, mean_units / 3)))
                if channel == "Wholesale":
                    units *= 6
                unit_price = round(price * rng.uniform(0.95, 1.05), 2)
                discount = rng.choice((0.0, 0.0, 0.0, 0.05, 0.1, 0.15))
                revenue = round(units * unit_price * (1 - discount), 2)
                returned = "true" if rng.random() < 0.04 else "false"
                cells = [
                    when.isoformat(),
                    region,
                    product,
                    channel,
                    str(units),
                    f"{unit_price:.2f}",
                    f"{revenue:.2f}",
                    f"{discount:.2f}",
                    returned,
                ]
                # A few honest gaps: unknown discount or channel, as real exports have.
                if rng.random() < 0.02:
                    cells[7] = ""
                if rng.random() < 0.01:
                    cells[3] = ""
                rows.append(cells)
    return rows


def sample_csv(seed: int = 7) -> str:
    """The sample as CSV text with a header row and LF line endings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(sample_rows(seed))
    return out.getvalue()


def sample_document() -> dict[str, Any]:
    """What a first visit shows, as a document: the sample's table and the page's default chart for it
    (loupe.render.chart_form.default_chart: the first text column by the sum of "revenue")."""
    return {
        "loupe": "document",
        "version": 1,
        "sources": [
            {"id": "s1", "name": "sales.csv", "kind": "sample", "url": "sample/sales.csv", "table": "sales"}
        ],
        "tables": [{"name": "sales", "source": "s1", "steps": []}],
        "charts": [{"table": "sales", "spec": {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}}],
        "view": {"theme": "light", "table": "sales", "chart": 0},
    }
