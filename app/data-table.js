// The data table: a virtual window of the pipeline's rows (app/virtual-table.js) with the keyboard of a
// grid (app/grid-keys.js), cell and header menus that add steps (app/table-menu.js), and sorting by a
// column header (click, or Enter / Space on it; again flips the direction).

import { VirtualTable } from "./virtual-table.js";
import { wireTableMenus } from "./table-menu.js";
import { wireGridKeys } from "./grid-keys.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * @param {{
 *   view: import("./view.js").View,
 *   workspace: import("./workspace.js").Workspace,
 *   root: HTMLElement,
 *   rowsText: (n: number) => string,
 *   showProfile: (column: string) => void,
 * }} context
 * @returns {VirtualTable} the table (a restored view is painted into it before Python is up)
 */
export function wireDataTable({ view, workspace, root, rowsText, showProfile }) {
  const element = $("#table");
  // The chart goes along: a scatter plot's alert rule marks the rows it draws (loupe.render.highlight).
  const table = new VirtualTable(element, (offset, limit, extra = {}) =>
    view.request("rows", { offset, limit, chart: view.chart, ...extra }));
  table.addEventListener("window", (event) => {
    const { offset, total } = /** @type {CustomEvent} */ (event).detail;
    const last = Math.min(offset + table.visibleRows, total);
    $("#window").textContent = `Rows ${rowsText(total ? offset + 1 : 0)}–${rowsText(last)} of ${rowsText(total)}`;
    root.dataset.loupeWindow = String(offset);
  });
  table.addEventListener("failed", (event) => view.sayError(/** @type {CustomEvent} */ (event).detail));
  view.onTable = (result) => table.show(result ?? { row_count: 0, offset: 0, table: null, sketched: true });
  view.limit = table.visibleRows;
  window.addEventListener("resize", () => { view.limit = table.visibleRows; });

  // Cells and header menu buttons offer filters and column tools (app/table-menu.js), as steps.
  wireGridKeys(element, table, (cell) => cell.click()); // arrows, Home/End, PageUp/Down; Enter opens the cell menu
  wireTableMenus(element, table, {
    pipeline: () => view.pipeline,
    commit: (steps, label) => workspace.change({ steps }, label),
    cell: (row, column) => view.request("cell", { offset: row, limit: 1, column }),
    profile: (column) => view.request("profile", { column }),
    showProfile,
  });
  element.addEventListener("click", (event) => sortByHeader(event.target));
  element.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (!target.closest?.("th[data-column]") || target.closest(".col-menu")) return;
    event.preventDefault();
    sortByHeader(event.target);
  });
  /** @param {EventTarget|null} target */
  function sortByHeader(target) {
    const header = /** @type {HTMLElement} */ (target).closest("[data-column]");
    if (!header || /** @type {HTMLElement} */ (target).closest(".col-menu")) return;
    const column = /** @type {string} */ (header.getAttribute("data-column"));
    const last = view.pipeline.at(-1);
    const sorted = last?.verb === "sort" && /** @type {any} */ (last).by.length === 1 && /** @type {any} */ (last).by[0].column === column;
    const desc = sorted ? !(/** @type {any} */ (last).by[0].desc) : false;
    const keep = sorted ? view.pipeline.slice(0, -1) : view.pipeline;
    workspace.change({ steps: [...keep, { verb: "sort", by: [{ column, desc }] }] }, "steps");
  }
  return table;
}
