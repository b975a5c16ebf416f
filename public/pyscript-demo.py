"""The PyScript demo page's Python: Loupe shows data the page holds itself, as a chart and a table."""

import loupe
from js import document, performance

QUARTERS = [
    {"quarter": "2025 Q1", "revenue": 41_200},
    {"quarter": "2025 Q2", "revenue": 45_900},
    {"quarter": "2025 Q3", "revenue": 39_750},
    {"quarter": "2025 Q4", "revenue": 52_300},
]
ORDERS = """order,customer,revenue
1041,Harbour Books,1290.50
1042,Nordlys AS,310.00
1043,Harbour Books,75.25
1044,Café Lumen,2240.00
1045,Nordlys AS,980.75
"""

loupe.show(QUARTERS, chart={"type": "bar", "x": "quarter", "y": "revenue", "sort": "x"}, target="#quarters")
root = document.documentElement
root.dataset.loupeFirstChartMs = str(round(performance.now()))  # docs/pyscript.md's start-up figure
loupe.show(
    ORDERS,
    pipeline=[{"verb": "sort", "by": [{"column": "revenue", "desc": True}]}, {"verb": "limit", "n": 3}],
    target="#orders",
)
root.dataset.loupeState = "ready"
root.dataset.loupeRenders = "1"
