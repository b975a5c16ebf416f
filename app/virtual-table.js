// A virtual table: the scrollbar spans every row of the result, but only the rows in view exist in the
// DOM. The table element is sticky at the top of a tall sizer, so scrolling never moves it; each scroll
// swaps in the window of rows Python rendered for that offset. One request is in flight at a time and
// the newest scroll position wins, so a fast fling costs a handful of requests, not hundreds.

import { renderInto } from "./tree.js";

/** @typedef {import("./tree.js").Tree} Tree */
/** @typedef {{row_count: number, offset: number, table: Tree, sketched?: boolean}} Window */

// Browsers cap an element's height (Chromium at about 33.5 million px); beyond that rows share pixels.
const MAX_SIZER_PX = 30_000_000;

export class VirtualTable extends EventTarget {
  /**
   * @param {HTMLElement} scroller an element with a fixed height and overflow: auto
   * @param {(offset: number, limit: number, extra?: object) => Promise<Window>} fetchWindow
   * @param {{rowHeight?: number}} [options]
   */
  constructor(scroller, fetchWindow, { rowHeight = 29 } = {}) {
    super();
    this.scroller = scroller;
    this.fetchWindow = fetchWindow;
    this.rowHeight = rowHeight;
    this.total = 0;
    this.offset = 0;
    this.pending = false;
    this.sizer = document.createElement("div");
    this.sizer.className = "vt-sizer";
    this.body = document.createElement("div");
    this.body.className = "vt-view";
    this.sizer.append(this.body);
    scroller.replaceChildren(this.sizer);
    scroller.addEventListener("scroll", () => this.onScroll(), { passive: true });
    /** @type {Map<string, number>} column widths the user dragged, kept across windows */
    this.widths = new Map();
    this.body.addEventListener("pointerdown", (event) => this.startResize(event));
  }

  /** Dragging a header's right edge resizes that column (the click that sorts is left alone). */
  startResize(/** @type {PointerEvent} */ event) {
    const th = /** @type {HTMLElement|null} */ (/** @type {HTMLElement} */ (event.target).closest("th[data-column]"));
    if (!th || th.getBoundingClientRect().right - event.clientX > 8) return;
    event.preventDefault();
    event.stopPropagation();
    const table = /** @type {HTMLTableElement} */ (th.closest("table"));
    // Fixed layout from now on: every column keeps the width it has, the dragged one follows the pointer.
    for (const header of table.querySelectorAll("thead th[data-column]")) {
      const name = /** @type {string} */ (header.getAttribute("data-column"));
      if (!this.widths.has(name)) this.widths.set(name, header.getBoundingClientRect().width);
    }
    const name = /** @type {string} */ (th.getAttribute("data-column"));
    const startX = event.clientX;
    const startWidth = /** @type {number} */ (this.widths.get(name));
    const move = (/** @type {PointerEvent} */ e) => {
      this.widths.set(name, Math.max(40, startWidth + e.clientX - startX));
      this.applyWidths();
    };
    const stop = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", stop);
      // The click that ends a drag must not also sort.
      window.addEventListener("click", (e) => e.stopPropagation(), { capture: true, once: true });
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", stop);
    this.applyWidths();
  }

  applyWidths() {
    const table = this.body.querySelector("table");
    if (!table || this.widths.size === 0) return;
    table.classList.add("resized");
    let total = 0;
    for (const th of table.querySelectorAll("thead th")) {
      const width = this.widths.get(th.getAttribute("data-column") ?? "") ?? th.getBoundingClientRect().width;
      /** @type {HTMLElement} */ (th).style.width = `${Math.round(width)}px`;
      total += Math.round(width);
    }
    table.style.width = `${total}px`;
  }

  /** Rows that fit in the scroller, plus one partly visible. */
  get visibleRows() {
    return Math.max(5, Math.ceil(this.scroller.clientHeight / this.rowHeight) + 1);
  }

  /** Pixels of scroll per row (below 1 row height only past the browser's size cap). */
  get pixelsPerRow() {
    return Math.min(this.rowHeight, MAX_SIZER_PX / Math.max(1, this.total));
  }

  /**
   * Show a fresh result (new pipeline or file): size the scrollbar and render its window.
   * @param {Window} window
   * @param {{keepScroll?: boolean}} [options]
   */
  show(window, { keepScroll = false } = {}) {
    if (window.row_count !== this.total || !keepScroll) this.widths.clear();
    this.total = window.row_count;
    this.sizer.style.height = `${Math.ceil(this.total * this.pixelsPerRow + this.rowHeight * 2)}px`;
    if (!keepScroll) this.scroller.scrollTop = 0;
    this.paint(window);
    // Header sketches profile the whole result: fetch them after this paint, not before it.
    if (!window.sketched) {
      const total = this.total;
      setTimeout(async () => {
        try {
          const sketched = await this.fetchWindow(this.offset, this.visibleRows, { sketches: true });
          if (sketched.row_count === total && this.total === total) this.paint(sketched);
        } catch {
          // sketches are a nicety; the table itself is already on screen
        }
      }, 0);
    }
  }

  /** @param {Window} window */
  paint(window) {
    this.offset = window.offset;
    // A header with the keyboard focus (sorted with Enter) keeps it when the window is drawn again.
    const active = document.activeElement;
    const focused = active && this.body.contains(active) ? active.closest("th[data-column]")?.getAttribute("data-column") : null;
    const onButton = Boolean(focused != null && active?.matches("th button"));
    // A body cell with the keyboard: the "window" event says so, for the grid (app/grid-keys.js) to give it back.
    const cell = Boolean(active && this.body.contains(active) && active.closest("tbody"));
    renderInto(this.body, window.table);
    const header = focused == null ? undefined
      : /** @type {HTMLElement|undefined} */ ([...this.body.querySelectorAll("th[data-column]")].find((th) => th.getAttribute("data-column") === focused));
    header?.focus({ preventScroll: true });
    this.applyWidths();
    this.dispatchEvent(new CustomEvent("window", { detail: { offset: this.offset, total: this.total, cell } }));
    // A button the listeners put in the header (the column menu's) gets the keyboard back, too.
    if (onButton) /** @type {HTMLElement|null|undefined} */ (header?.querySelector("button"))?.focus({ preventScroll: true });
  }

  /** The first row the scroll position asks for. */
  wantedOffset() {
    const first = Math.floor(this.scroller.scrollTop / this.pixelsPerRow);
    return Math.max(0, Math.min(first, this.total - this.visibleRows + 1));
  }

  onScroll() {
    if (this.pending) return;
    const offset = this.wantedOffset();
    if (offset === this.offset) return;
    this.pending = true;
    requestAnimationFrame(async () => {
      const wanted = this.wantedOffset();
      try {
        const window = await this.fetchWindow(wanted, this.visibleRows);
        if (window.row_count === this.total) this.paint(window);
      } catch (error) {
        this.dispatchEvent(new CustomEvent("failed", { detail: error }));
      } finally {
        this.pending = false;
      }
      if (this.wantedOffset() !== this.offset) this.onScroll();
    });
  }
}
