// The one Export menu: the data (CSV spreadsheet-safe or raw, with or without a UTF-8 BOM; TSV, JSON,
// JSON Lines, Excel), the chart shown (SVG, PNG), the pipeline (JSON, SQL, Python), the document
// (.loupe.json) and a standalone HTML report. Python writes every file but the chart and the document;
// the page only hands the bytes over as a download.
//
// During a chart selection (cross-filtering) the Data group offers "Only the N selected rows", off by
// default: a download is the whole result unless that is ticked, and the group's heading says which.
//
// Keyboard: the button (aria-haspopup="menu") opens with Enter, Space or ArrowDown (ArrowUp: at the
// last item); ArrowUp/ArrowDown/Home/End and type-ahead walk the items; Enter or Space picks one; Escape
// closes the menu and gives the keyboard back to the button; Tab closes it and moves on.

import { wireMenuKeys } from "./menu-keys.js";
import { el } from "./tree.js";
import { download, slug, svgToPng } from "./download.js";
import { titleOf } from "./workspace.js";

/**
 * @typedef {object} ExportContext
 * @property {(params: Record<string, unknown>) => Promise<{filename: string, bytes: ArrayBuffer, mime: string, rows?: number}>} exportFile
 *   ask Python for a file: {format, safe?, bom?} (the caller adds the table, steps, sources and document)
 * @property {() => boolean} hasChart whether a chart is shown (its items are disabled otherwise)
 * @property {() => Promise<string|null>} chartSvg the chart shown as a standalone SVG file, null without one
 * @property {() => string} chartName a file name stem for the chart
 * @property {() => any} document the document on screen
 * @property {(text: string) => void} say
 * @property {(error: unknown) => void} sayError
 * @property {() => ({marks: object[][], text: string, rows: number}|null)} [selection] the chart selection
 *   on screen (its marks, how it reads, its row count), null without one
 */

/** @typedef {{id: string, label: string, format?: string, kind: "file"|"chart"|"document"|"option", data?: boolean}} Item */

/** The menu's groups and items, in order; `id` is also the item's element id, prefixed "export-". */
export const EXPORT_GROUPS = /** @type {{label: string, items: Item[]}[]} */ ([
  { label: "Data", items: [
    { id: "csv", label: "CSV", format: "csv", kind: "file", data: true },
    { id: "tsv", label: "TSV", format: "tsv", kind: "file", data: true },
    { id: "xlsx", label: "Excel (.xlsx)", format: "xlsx", kind: "file", data: true },
    { id: "json", label: "JSON", format: "json", kind: "file", data: true },
    { id: "jsonl", label: "JSON Lines", format: "jsonl", kind: "file", data: true },
    { id: "selected", label: "Only the selected rows", kind: "option" },
    { id: "raw", label: "Raw: no formula guard, every float digit", kind: "option" },
    { id: "bom", label: "UTF-8 BOM (for Excel)", kind: "option" },
  ] },
  { label: "Chart", items: [
    { id: "svg", label: "Chart as SVG", kind: "chart" },
    { id: "png", label: "Chart as PNG", kind: "chart" },
  ] },
  { label: "Pipeline", items: [
    { id: "pipeline", label: "Pipeline as JSON", format: "pipeline", kind: "file" },
    { id: "sql", label: "Pipeline as SQL", format: "sql", kind: "file" },
    { id: "python", label: "Pipeline as Python", format: "python", kind: "file" },
  ] },
  { label: "Document", items: [
    { id: "document", label: "Document (.loupe.json)", kind: "document" },
    { id: "report", label: "Report (HTML, no scripts)", format: "report", kind: "file" },
  ] },
]);

/**
 * Build the menu after `button` and wire it.
 * @param {HTMLButtonElement} button @param {ExportContext} ctx
 */
export function wireExportMenu(button, ctx) {
  const menu = el("div", { id: "export-items", class: "export-items", role: "menu", "aria-label": "Export", hidden: "" });
  /** @type {Map<string, boolean>} */
  const options = new Map([["raw", false], ["bom", false], ["selected", false]]);
  for (const group of EXPORT_GROUPS) {
    menu.append(el("div", { class: "export-group", role: "presentation", "data-group": group.label }, group.label));
    for (const item of group.items) {
      const option = item.kind === "option";
      const node = el("button", {
        type: "button", id: `export-${item.id}`, class: "export-item", tabindex: "-1",
        role: option ? "menuitemcheckbox" : "menuitem", "data-export": item.id,
        ...(option ? { "aria-checked": "false" } : {}),
      }, item.label);
      menu.append(node);
    }
  }
  button.setAttribute("aria-haspopup", "menu");
  button.setAttribute("aria-controls", "export-items");
  button.setAttribute("aria-expanded", "false");
  button.after(menu);

  const items = () => /** @type {HTMLButtonElement[]} */ ([...menu.querySelectorAll("[data-export]")]).filter((b) => !b.disabled && !b.hidden);
  const selectedItem = /** @type {HTMLButtonElement} */ (menu.querySelector("[data-export=selected]"));
  const dataHeading = /** @type {HTMLElement} */ (menu.querySelector('[data-group="Data"]'));
  /** @type {{marks: object[][], text: string, rows: number}|null} */ let selection = null;
  /** Whether the data downloads are of the selected rows only. */
  const onlySelected = () => Boolean(selection && options.get("selected"));
  const showSelection = () => {
    selectedItem.hidden = !selection;
    dataHeading.textContent = !selection ? "Data" : onlySelected() ? "Data: the selected rows only" : "Data: the whole result, not only the selection";
    if (selection) {
      selectedItem.textContent = `Only the ${selection.rows.toLocaleString(navigator.language)} selected rows (${selection.text})`;
      selectedItem.setAttribute("aria-checked", String(onlySelected()));
    }
  };
  const focusAt = (/** @type {number} */ index) => {
    const list = items();
    list[(index + list.length) % list.length]?.focus();
  };
  const open = (/** @type {"first"|"last"} */ where) => {
    for (const node of menu.querySelectorAll("[data-export=svg], [data-export=png]")) {
      /** @type {HTMLButtonElement} */ (node).disabled = !ctx.hasChart();
    }
    const now = ctx.selection?.() ?? null;
    // Another selection starts from the default again: the whole result.
    if (JSON.stringify(now?.marks ?? null) !== JSON.stringify(selection?.marks ?? null)) options.set("selected", false);
    selection = now;
    showSelection();
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    focusAt(where === "first" ? 0 : -1);
  };
  const close = (/** @type {boolean} */ giveBack) => {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (giveBack) button.focus();
  };

  button.addEventListener("click", () => (menu.hidden ? open("first") : close(true)));
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(event.key === "ArrowDown" ? "first" : "last");
    }
  });
  wireMenuKeys(menu, close); // arrows, Home/End, type-ahead, Escape, Tab (app/menu-keys.js)
  document.addEventListener("pointerdown", (event) => {
    const target = /** @type {Node} */ (event.target);
    if (!menu.hidden && !menu.contains(target) && !button.contains(target)) close(false);
  }, true);

  menu.addEventListener("click", (event) => {
    const node = /** @type {HTMLElement} */ (event.target).closest("[data-export]");
    if (!node) return;
    const id = /** @type {string} */ (node.getAttribute("data-export"));
    if (options.has(id)) {
      const on = !options.get(id);
      options.set(id, on);
      node.setAttribute("aria-checked", String(on));
      showSelection();
      return; // an option stays in the open menu
    }
    close(true);
    const item = EXPORT_GROUPS.flatMap((g) => g.items).find((i) => i.id === id);
    if (item) run(item);
  });

  /** @param {Item} item */
  async function run(item) {
    try {
      if (item.kind === "document") {
        const doc = ctx.document();
        download(`${slug(titleOf(doc))}.loupe.json`, `${JSON.stringify(doc, null, 2)}\n`, "application/json");
        return;
      }
      if (item.kind === "chart") {
        const svg = await ctx.chartSvg();
        if (svg === null) {
          ctx.say("There is no chart to export: pick one first.");
          return;
        }
        if (item.id === "svg") download(`${ctx.chartName()}.svg`, svg, "image/svg+xml");
        else download(`${ctx.chartName()}.png`, await svgToPng(svg), "image/png");
        return;
      }
      const only = item.data && onlySelected() ? { selection: selection?.marks } : {};
      const result = await ctx.exportFile({ format: item.format, safe: !options.get("raw"), bom: options.get("bom"), ...only });
      download(result.filename, result.bytes, result.mime);
      ctx.say(`Saved ${result.filename}${result.rows === undefined ? "" : ` (${result.rows.toLocaleString(navigator.language)} rows)`}.`);
    } catch (error) {
      ctx.sayError(error);
    }
  }
}
