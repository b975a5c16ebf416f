// The data panel: the file's name, its row count and reading notes, the result's columns (each opens
// its profile, computed in SQL over the pipeline's result) and the loaded tables (one button each).

import { el, renderInto } from "./tree.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * @param {{
 *   view: import("./view.js").View,
 *   workspace: import("./workspace.js").Workspace,
 *   columns: () => {name: string, type: string}[],
 *   rowsText: (n: number) => string,
 * }} context
 * @returns {{refresh: () => void, showDataset: () => void, showProfile: (column: string|null) => Promise<void>}}
 *   refresh shows the result's row count and columns; showDataset the file's notes and the loaded tables
 */
export function wireDataPanel({ view, workspace, columns, rowsText }) {
  const datasets = workspace.datasets;
  /** Show a column's profile (computed in SQL over the pipeline's result). @param {string|null} column */
  async function showProfile(column) {
    try {
      const result = await view.request("profile", { column });
      renderInto($("#profile"), result.tree);
      $("#profile").hidden = false;
      $("#profile").dataset.column = String(column);
    } catch (error) {
      view.sayError(error);
    }
  }
  $("#columns").addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-profile]");
    if (button) showProfile(button.getAttribute("data-profile"));
  });
  $("#tables").addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("[data-table]");
    const name = button?.getAttribute("data-table");
    if (name && name !== view.table) workspace.change({ table: name }, `show ${name}`);
  });

  function refresh() {
    const total = view.result?.row_count ?? 0;
    $("#dataset-name").textContent = view.dataset ? view.dataset.filename : "";
    $("#row-count").textContent = `${rowsText(total)} rows`;
    $("#columns").replaceChildren(...columns().map((c) =>
      el("li", {}, el("button", { type: "button", class: "link", "data-profile": c.name }, c.name), " ",
        el("span", { class: `type t-${c.type}` }, c.type))));
  }
  function showDataset() {
    $("#notes").textContent = (view.dataset?.notes ?? []).join(" · ");
    $("#tables-box").hidden = datasets.size < 2;
    $("#tables").replaceChildren(...[...datasets.keys()].map((name) =>
      el("li", {}, el("button", { type: "button", class: name === view.table ? "button small current" : "button small", "data-table": name }, name))));
  }
  return { refresh, showDataset, showProfile };
}
