// The document a visit starts with: the one this browser saved last (painted from its saved trees while
// Python boots, marked as restoring), a share link's (checked by Python first), or on a first visit the
// sample (painted from what build.py rendered).

import { emptyDocument } from "./store.js";
import { startingPoint } from "./workspace.js";
import { renderInto } from "./tree.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * A document from outside (a link, a file) checked by Python before anything runs.
 * @param {import("./client.js").LoupeClient} client @param {any} doc
 */
export async function checkDocument(client, doc) {
  try {
    return (await client.request("document", { document: doc })).document;
  } catch (error) {
    const info = /** @type {any} */ (error).info;
    throw new Error(info ? info.text : String(/** @type {any} */ (error)?.message ?? error));
  }
}

/**
 * @param {{
 *   client: import("./client.js").LoupeClient,
 *   view: import("./view.js").View,
 *   workspace: import("./workspace.js").Workspace,
 *   root: HTMLElement,
 *   table: import("./virtual-table.js").VirtualTable,
 * }} context
 * @returns {Promise<void>} settled once the starting document is applied
 */
export function startDocument({ client, view, workspace, root, table }) {
  // Paint what was on screen when this document was last saved, marked as restoring, while Python boots.
  /** @param {any} trees */
  function paintSaved(trees) {
    if (!trees?.table) return;
    root.dataset.loupeRestoring = "true";
    root.dataset.loupeRestoredAt = String(Math.round(performance.now()));
    $("#restoring").hidden = false;
    table.show({ row_count: trees.row_count ?? 0, offset: 0, table: trees.table, sketched: true });
    renderInto($("#chart"), trees.chart ?? null);
  }
  view.addEventListener("changed", () => {
    if (root.dataset.loupeRestoring !== "true") return;
    delete root.dataset.loupeRestoring;
    root.dataset.loupeLiveAt = String(Math.round(performance.now()));
    $("#restoring").hidden = true;
  });
  const sampleURL = new URL("sample/sales.csv", document.baseURI).href;
  return startingPoint(workspace.storage).then(async (start) => {
    if (start.kind === "saved") {
      paintSaved(start.saved.trees);
      workspace.adopt(start.saved.document, { id: start.saved.id });
    } else if (start.kind === "link") {
      try {
        workspace.adopt(await checkDocument(client, start.doc), { trusted: false });
      } catch (error) {
        workspace.adopt(emptyDocument());
        view.say(`This link could not be opened: ${/** @type {Error} */ (error).message}`, "error");
      }
    } else if (start.kind === "bad-link") {
      workspace.adopt(emptyDocument());
      view.say(`This link could not be opened: ${start.message}`, "error");
    } else {
      // A first visit: the sample document, painted from what build.py rendered while Python boots.
      const built = await fetch(new URL("../sample-view.json", import.meta.url)).then((r) => r.json()).catch(() => null);
      if (built?.document) {
        const doc = structuredClone(built.document);
        doc.view.theme = view.theme;
        paintSaved(built.trees?.[view.theme]);
        workspace.adopt(doc);
      } else {
        await workspace.open({ url: sampleURL, kind: "sample" }, { history: false });
      }
      await workspace.settled;
      if (start.cleared) view.say("Work saved in this browser was removed by the browser (its storage was cleared). Export documents (⤓) to keep copies.", "error");
    }
    await workspace.settled;
  });
}
