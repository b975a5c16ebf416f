// The explorer's dashboard and cross-filtering, wired together: the chart in the form and the cards
// of the other charts (app/dashboard.js) pick marks into one ChartSelection (app/selection.js); the
// table, the chart in the form and the other cards then filter to it, while the chart it came from
// stays whole with the chosen marks highlighted. The selection bar says what is selected and offers
// "Clear selection" (also Escape) and "Keep as a filter step" (a step through the document store,
// so Undo takes it back). The chart's data table ("View as table", `asTable`), while shown, follows what
// the chart shows. `data-loupe-crossfilter` counts finished cross-filter updates.

import { ChartSelection, highlight, wireMarks } from "./selection.js";
import { Dashboard } from "./dashboard.js";
import { activeTable, chartIndex } from "./store.js";
import { renderInto } from "./tree.js";

/**
 * @param {{
 *   view: import("./view.js").View,
 *   workspace: import("./workspace.js").Workspace,
 *   root: HTMLElement,
 *   chart: HTMLElement, cards: HTMLElement,
 *   bar: HTMLElement, text: HTMLElement, clear: HTMLElement, keep: HTMLElement, asTable?: HTMLElement|null,
 * }} parts
 */
export function wireCrossFilter({ view, workspace, root, chart, cards, bar, text, clear, keep, asTable = null }) {
  const selection = new ChartSelection();
  const dashboard = new Dashboard(cards, view, selection, () => workspace.document);
  /** The document's index of the chart in the chart form, or null. */
  const shownIndex = () => {
    const table = activeTable(workspace.document);
    const index = table ? chartIndex(workspace.document, table.name) : -1;
    return index >= 0 && view.chart ? index : null;
  };
  wireMarks(chart, shownIndex, selection);
  wireMarks(cards, (mark) => {
    const card = mark.closest("[data-chart]");
    return card ? Number(card.getAttribute("data-chart")) : null;
  }, selection);
  let updates = 0;
  /** @type {Promise<void>} the chart's data table drawn again for the last view change */
  let tableDrawn = Promise.resolve();
  let tables = 0;
  /** The chart's data table, when it is on screen, drawn for what the chart shows now. */
  async function drawTable() {
    if (!asTable || asTable.hidden || !view.chart) return;
    const mine = ++tables;
    try {
      const reply = await view.request("chart", { chart: view.chart, theme: view.theme, width: view.chartWidth() });
      if (mine === tables) renderInto(asTable, reply.table);
    } catch {
      // The chart says why it cannot be drawn; its last table stays.
    }
  }

  function showBar() {
    const reply = view.result?.selection;
    bar.hidden = !selection.active || !reply;
    if (!bar.hidden) {
      const rows = Number(view.result.row_count ?? 0).toLocaleString(navigator.language);
      text.textContent = `Selected ${reply.text} · ${rows} rows`;
    }
  }
  // Every view change (a document change, a selection, a theme) redraws what changed on the cards.
  // The view leaves a hidden part empty (a widget's show="table"): a chart redrawn while its table was on
  // screen is put back, with its selection, when the chart is shown again.
  if (asTable) {
    new MutationObserver(() => {
      if (!asTable.hidden || chart.firstChild || !view.result?.chart) return;
      renderInto(chart, view.result.chart);
      highlight(chart, selection, selection.from(shownIndex() ?? -1));
    }).observe(asTable, { attributes: true, attributeFilter: ["hidden"] });
  }
  view.addEventListener("changed", () => {
    if (!view.result?.selection) selection.clear({ quiet: true }); // the document changed: it ended
    highlight(chart, selection, selection.from(shownIndex() ?? -1));
    showBar();
    dashboard.draw();
    tableDrawn = drawTable();
  });
  selection.addEventListener("change", async () => {
    const source = selection.source;
    const marks = selection.active ? { marks: selection.marks, fromChart: source === shownIndex() } : null;
    await view.update({ selection: marks });
    await dashboard.settled; // the cards' draw that view change started
    await tableDrawn;
    root.dataset.loupeCrossfilter = String(++updates);
  });

  // A card's Edit button puts its chart into the chart form (the form's chart becomes a card).
  cards.addEventListener("click", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const edit = target.closest("[data-edit]");
    if (edit) workspace.change({ showChart: Number(edit.getAttribute("data-edit")) }, "edit a chart");
  });
  clear.addEventListener("click", () => selection.clear());
  keep.addEventListener("click", () => {
    const step = view.result?.selection?.step;
    if (step) workspace.change({ steps: [...view.pipeline, step] }, "keep the selection as a filter");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !selection.active) return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.closest?.("dialog, [role=menu]")) return;
    selection.clear();
  });
  return { selection, dashboard };
}
