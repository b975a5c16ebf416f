// The reading options (delimiter, header, encoding, decimal mark, sheet or table, column types, date
// formats): shown as the reader detected them, so the user can see and override them; submitting reads
// the shown table's source again (or the file that just failed to read) with the options chosen.

import { fillSelect } from "./tree.js";
import { sourceOf } from "./store.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * @param {{view: import("./view.js").View, workspace: import("./workspace.js").Workspace}} context
 * @returns {{show: (source: any) => void}} show fills the form from a dataset's source (what was detected)
 */
export function wireReadOptions({ view, workspace }) {
  const form = /** @type {HTMLFormElement} */ ($("#options-form"));
  const field = (/** @type {string} */ name) => /** @type {HTMLSelectElement} */ (form.elements.namedItem(name));
  let detectedTypes = "";

  /** @param {any} source */
  function show(source) {
    field("delimiter").value = source.delimiter ?? "";
    field("header").value = source.header === undefined ? "" : String(source.header);
    field("encoding").value = "";
    field("decimal").value = source.decimal ?? "";
    const part = source.sheet !== undefined ? "sheet" : source.table !== undefined ? "table" : null;
    $("#part-label").hidden = !part || !(source.choices?.length > 1);
    $("#part-kind").textContent = part === "sheet" ? "Sheet" : "Table";
    fillSelect(field("part"), source.choices ?? [], source.sheet ?? source.table);
    detectedTypes = source.types ? JSON.stringify(source.types) : "";
    field("types").value = detectedTypes;
    field("date_formats").value = source.date_formats ? JSON.stringify(source.date_formats) : "";
  }

  /** A JSON field's value, or undefined after saying why it is not JSON. @param {string} text @param {string} what @param {string} example */
  const parsed = (text, what, example) => {
    try {
      return JSON.parse(text);
    } catch (error) {
      view.say(`${what} are not valid JSON: ${/** @type {Error} */ (error).message}. Hint: write ${example}.`, "error");
      return undefined;
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!view.lastSource) return;
    const data = new FormData(form);
    /** @type {Record<string, unknown>} */
    const options = {};
    for (const key of ["delimiter", "encoding", "decimal", "date_order", "ragged", "engine"]) {
      const value = String(data.get(key) ?? "");
      if (value) options[key] = value;
    }
    if (data.get("header")) options.header = data.get("header") === "true";
    const part = String(data.get("part") ?? "");
    if (part && !$("#part-label").hidden) options[$("#part-kind").textContent === "Sheet" ? "sheet" : "table"] = part;
    // Types are sent only when the user changed what was detected (another sheet has other columns).
    const types = String(data.get("types") ?? "").trim();
    if (types && types !== detectedTypes) {
      options.types = parsed(types, "Column types", '{"column": "text"}');
      if (options.types === undefined) return;
    }
    const formats = String(data.get("date_formats") ?? "").trim();
    if (formats) {
      options.date_formats = parsed(formats, "Date formats", '{"polldate": "%m/%d/%y"}');
      if (options.date_formats === undefined) return;
    }
    // Read the shown table's source again (or the file that just failed to read) with these options.
    const source = sourceOf(workspace.document, view.table ?? "");
    const failed = view.failedSource ?? null;
    const where = failed ?? (source ? await workspace.locate(source) : view.lastSource);
    if (!where || "need" in where) return;
    workspace.open({ file: where.file, url: where.url, kind: source?.kind === "sample" ? "sample" : "url", options });
  });

  view.addEventListener("failed", (event) => {
    // A file that could not be read: offer the reading options, with the file kept for another try.
    if (/** @type {CustomEvent} */ (event).detail?.code !== "read") return;
    show({});
    /** @type {HTMLDetailsElement} */ ($("#read-options")).open = true;
  });
  return { show };
}
