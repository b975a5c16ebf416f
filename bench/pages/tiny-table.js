// The "first table" of the floor and PyScript pages: a few rows as a real <table>, built with textContent.

/** @param {Array<Array<string|number>>} rows */
export function tinyTable(rows) {
  const table = document.createElement("table");
  const body = document.createElement("tbody");
  for (const row of rows) {
    const tr = document.createElement("tr");
    for (const cell of row) {
      const td = document.createElement("td");
      td.textContent = String(cell);
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}
