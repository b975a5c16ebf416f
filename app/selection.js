// A chart selection (cross-filtering): the marks a user clicked in one chart. Each mark Python drew
// carries what it selects as `data-select` (loupe.render.select: JSON terms such as
// [{"column": "region", "value": "North"}]); Python turns the selection into one filter
// (loupe.selection) that the table and the other charts run after the pipeline. The selection is a
// view state, not a step: "Keep as a filter step" makes it one. This module only keeps the state,
// reads clicks and keys on marks, and highlights the chosen marks in the chart they came from.

/** @typedef {{column: string, value?: unknown, unit?: string, from?: number, to?: number, last?: boolean}} Term */

export class ChartSelection extends EventTarget {
  constructor() {
    super();
    /** @type {number|null} the document's index of the chart the marks were chosen in */
    this.source = null;
    /** @type {string[]} the chosen marks' data-select texts, in the order chosen */
    this.texts = [];
  }

  get active() { return this.texts.length > 0; }

  /** @returns {Term[][]} the marks as the worker takes them (`selection` of view, rows, chart) */
  get marks() { return this.texts.map((text) => JSON.parse(text)); }

  /**
   * A click on a mark: it becomes the selection, or with `adding` (Shift, Ctrl or Cmd) it joins or
   * leaves it. Clicking the only selected mark again clears the selection.
   * @param {number} source @param {string} text @param {boolean} adding
   */
  pick(source, text, adding) {
    const same = this.source === source;
    if (adding && same) {
      this.texts = this.texts.includes(text) ? this.texts.filter((t) => t !== text) : [...this.texts, text];
    } else {
      this.texts = same && this.texts.length === 1 && this.texts[0] === text ? [] : [text];
    }
    this.source = this.texts.length ? source : null;
    this.dispatchEvent(new CustomEvent("change"));
  }

  /** Clear it (Escape, "Clear selection"). @param {{quiet?: boolean}} [how] quiet: no event (the document changed anyway) */
  clear({ quiet = false } = {}) {
    if (!this.active) return false;
    this.texts = [];
    this.source = null;
    if (!quiet) this.dispatchEvent(new CustomEvent("change"));
    return true;
  }

  /** Whether a chart is the one the selection was made in. @param {number} index */
  from(index) { return this.active && this.source === index; }
}

/**
 * Clicks, and Enter or Space on a focused mark, inside `container` pick that mark for the chart
 * `source(mark)` names (null: the mark is in no chart of the document).
 * @param {Element} container @param {(mark: Element) => number|null} source @param {ChartSelection} selection
 */
export function wireMarks(container, source, selection) {
  /** @param {Event} event @param {boolean} adding */
  const pick = (event, adding) => {
    const mark = /** @type {Element} */ (event.target).closest?.("[data-select]");
    const index = mark && container.contains(mark) ? source(mark) : null;
    if (!mark || index === null) return false;
    // The mark takes the focus (a click on SVG does not move it), so Escape and Enter act on it next.
    /** @type {SVGElement} */ (mark).focus?.({ preventScroll: true });
    selection.pick(index, /** @type {string} */ (mark.getAttribute("data-select")), adding);
    return true;
  };
  container.addEventListener("click", (event) => {
    const mouse = /** @type {MouseEvent} */ (event);
    pick(event, mouse.shiftKey || mouse.ctrlKey || mouse.metaKey);
  });
  container.addEventListener("keydown", (event) => {
    const key = /** @type {KeyboardEvent} */ (event);
    if ((key.key === "Enter" || key.key === " ") && pick(event, key.shiftKey || key.ctrlKey || key.metaKey)) {
      event.preventDefault();
    }
  });
}

/**
 * Mark the chosen marks in the chart they came from (class `selected`) and dim the rest (the svg gets
 * `has-selection`); a chart that is not the source shows no highlight. Screen readers hear the
 * selection from the selection bar (a status line), which says what is selected.
 * @param {Element} container @param {ChartSelection} selection @param {boolean} isSource
 */
export function highlight(container, selection, isSource) {
  const svg = container.querySelector("svg");
  if (!svg) return;
  const chosen = new Set(isSource ? selection.texts : []);
  svg.classList.toggle("has-selection", chosen.size > 0);
  for (const mark of svg.querySelectorAll("[data-select]")) {
    mark.classList.toggle("selected", chosen.has(/** @type {string} */ (mark.getAttribute("data-select"))));
  }
}
