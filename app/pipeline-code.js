// The pipeline as code, under the steps: as JSON (the document's steps), as SQL (the one statement the
// engine runs) and as Python that reruns it natively (loupe.read_file + Engine.run, written by Python).

import { sourceOf } from "./store.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/** What Python needs to read each table of the document again: its file and its reading options.
 * @param {import("./store.js").LoupeDocument} doc */
export function pythonSources(doc) {
  return doc.tables.map((t) => ({ table: t.name, source: sourceOf(doc, t.name) }))
    .filter(({ source }) => source)
    .map(({ table, source }) => ({ table, file: source?.name, options: source?.options ?? {} }));
}

/**
 * @param {{view: import("./view.js").View, workspace: import("./workspace.js").Workspace}} context
 * @returns {{refresh: () => void}} refresh shows the code of the pipeline on screen
 */
export function wirePipelineCode({ view, workspace }) {
  const pythonBox = /** @type {HTMLDetailsElement} */ ($("#python-box"));
  // Python is asked for its code only while its box is open.
  async function showPython() {
    const reply = await view.request("python", { sources: pythonSources(workspace.document) })
      .catch((error) => ({ python: `# ${error.message}` }));
    $("#pipeline-python").textContent = reply.python;
  }
  pythonBox.addEventListener("toggle", () => { if (pythonBox.open) showPython(); });
  function refresh() {
    $("#pipeline-json").textContent = JSON.stringify({ version: 1, source: view.table, steps: view.pipeline }, null, 2);
    $("#pipeline-sql").textContent = view.result?.sql ?? "";
    if (pythonBox.open) showPython();
  }
  return { refresh };
}
