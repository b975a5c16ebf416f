// The data table as a keyboard grid (WAI-ARIA grid pattern, roving tabindex): one cell is in the Tab
// order; the arrow keys move it, Home/End go to the row's ends (with Ctrl, to the first or last row),
// PageUp/PageDown move by a window; a row outside the window scrolls the virtual table there and the
// cell gets the keyboard back once that window is drawn. Enter, Shift+F10 or the context-menu key open
// the cell's menu (app/table-menu.js), whose Escape gives the keyboard back to the cell.

/** @typedef {{row: number, col: number}} Place row: the result's row (0-based); col: 1.. the data columns */

/**
 * Where a key takes the active cell, or null for a key the grid leaves alone.
 * @param {Place} at @param {{key: string, ctrlKey?: boolean}} key
 * @param {{rows: number, cols: number, page: number}} size rows of the result, data columns, rows a page moves
 * @returns {Place|null}
 */
export function moveBy(at, key, size) {
  const clamp = (/** @type {number} */ n, /** @type {number} */ high) => Math.max(0, Math.min(n, high));
  const last = Math.max(0, size.rows - 1);
  const { row, col } = at;
  switch (key.key) {
    case "ArrowDown": return { row: clamp(row + 1, last), col };
    case "ArrowUp": return { row: clamp(row - 1, last), col };
    case "ArrowRight": return { row, col: Math.min(col + 1, size.cols) };
    case "ArrowLeft": return { row, col: Math.max(col - 1, 1) };
    case "Home": return key.ctrlKey ? { row: 0, col: 1 } : { row, col: 1 };
    case "End": return key.ctrlKey ? { row: last, col: size.cols } : { row, col: size.cols };
    case "PageDown": return { row: clamp(row + size.page, last), col };
    case "PageUp": return { row: clamp(row - size.page, last), col };
    default: return null;
  }
}

/** A key that opens the cell's menu. @param {KeyboardEvent} event */
const opensMenu = (event) => event.key === "Enter" || event.key === "ContextMenu" || (event.key === "F10" && event.shiftKey);

/**
 * Make the table `grid` draws in `container` a keyboard grid.
 * @param {HTMLElement} container @param {import("./virtual-table.js").VirtualTable} grid
 * @param {(cell: HTMLElement) => void} openMenu open a cell's menu (the menu gives the keyboard back to it)
 */
export function wireGridKeys(container, grid, openMenu) {
  /** @type {Place} */ let active = { row: 0, col: 1 };
  let refocus = false; // a key moved past the window: focus the cell when the new window is drawn

  const rowsShown = () => /** @type {HTMLTableRowElement[]} */ ([...container.querySelectorAll("tbody tr[data-row]")]);
  const cellAt = (/** @type {Place} */ at) => /** @type {HTMLElement|null} */ (
    rowsShown().find((tr) => Number(tr.dataset.row) === at.row)?.children[at.col] ?? null);

  /** Roles, indexes and the one tab stop, after every window drawn; a cell that had the keyboard gets it
   * back. @param {Event} event */
  function decorate(event) {
    const lost = Boolean(/** @type {CustomEvent} */ (event).detail?.cell);
    const table = container.querySelector("table");
    if (!table) return;
    table.setAttribute("role", "grid");
    for (const tr of table.querySelectorAll("tr")) {
      tr.setAttribute("role", "row");
      [...tr.children].forEach((cell, i) => {
        const header = cell.closest("thead") !== null;
        cell.setAttribute("role", header ? "columnheader" : i === 0 ? "rowheader" : "gridcell");
        cell.setAttribute("aria-colindex", String(i + 1));
        if (!header) cell.setAttribute("tabindex", "-1");
      });
    }
    const shown = rowsShown();
    if (!shown.length) return;
    // The active cell stays where it was when its row is drawn; else the nearest drawn row takes it.
    const first = Number(shown[0].dataset.row);
    const row = Math.max(first, Math.min(active.row, first + shown.length - 1));
    active = { row, col: Math.max(1, Math.min(active.col, shown[0].children.length - 1)) };
    const cell = cellAt(active);
    cell?.setAttribute("tabindex", "0");
    if ((refocus || lost) && cell) {
      refocus = false;
      cell.focus({ preventScroll: true });
    }
  }
  grid.addEventListener("window", decorate);

  /** Make `at` the active cell, scrolling the virtual table when its row is not drawn. @param {Place} at */
  function go(at) {
    cellAt(active)?.setAttribute("tabindex", "-1");
    active = at;
    const cell = cellAt(at);
    // The last drawn row may be cut off at the bottom: it counts as outside the window.
    const shown = rowsShown();
    const first = Number(shown[0]?.dataset.row ?? 0);
    const fits = at.row >= first && at.row < first + Math.max(1, grid.visibleRows - 1);
    if (cell && fits) {
      cell.setAttribute("tabindex", "0");
      cell.focus({ preventScroll: true });
      return;
    }
    refocus = true;
    const offset = at.row < first ? at.row : at.row - Math.max(0, grid.visibleRows - 2);
    grid.scroller.scrollTop = Math.max(0, offset) * grid.pixelsPerRow;
  }

  container.addEventListener("keydown", (event) => {
    const cell = /** @type {HTMLElement} */ (event.target).closest?.("tbody td, tbody th");
    if (!cell || !container.contains(cell)) return;
    const tr = /** @type {HTMLElement} */ (cell.parentElement);
    const here = { row: Number(tr.dataset.row), col: Math.max(1, [...tr.children].indexOf(cell)) };
    if (opensMenu(event)) {
      event.preventDefault();
      active = here;
      openMenu(/** @type {HTMLElement} */ (tr.children[here.col]));
      return;
    }
    const to = moveBy(here, event, { rows: grid.total, cols: tr.children.length - 1, page: Math.max(1, grid.visibleRows - 2) });
    if (!to) return;
    event.preventDefault();
    go(to);
  });
  // A cell clicked becomes the active one (the next Tab into the grid comes back to it).
  container.addEventListener("focusin", (event) => {
    const cell = /** @type {HTMLElement} */ (event.target).closest?.("tbody td");
    const tr = cell?.parentElement;
    if (!cell || !tr?.dataset.row) return;
    cellAt(active)?.setAttribute("tabindex", "-1");
    active = { row: Number(tr.dataset.row), col: [...tr.children].indexOf(cell) };
    cell.setAttribute("tabindex", "0");
  });
}
