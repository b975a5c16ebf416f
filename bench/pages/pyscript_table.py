# mypy: ignore-errors
"""Python side of the PyScript start-up page: three rows into a table, then the ready signal."""

from pyscript import document

table = document.createElement("table")
body = document.createElement("tbody")
for i in range(3):
    tr = document.createElement("tr")
    for cell in (i, i * i, f"row {i}"):
        td = document.createElement("td")
        td.textContent = str(cell)
        tr.append(td)
    body.append(tr)
table.append(body)
document.querySelector("#table").append(table)
document.documentElement.dataset.loupeState = "ready"
