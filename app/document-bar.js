// The explorer's document controls: undo and redo (buttons and keys), New, Recent, Copy link, the
// document as a .loupe.json file, and the notice that asks for what a document needs (a file to
// reopen, consent to fetch a URL). Text from documents is only ever set with textContent.

import { el } from "./tree.js";
import { download, slug } from "./download.js";
import { titleOf } from "./workspace.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/** Whether a key press belongs to a text field (its own undo), not to the document. @param {EventTarget|null} target */
function inTextField(target) {
  const node = /** @type {HTMLElement|null} */ (target);
  return Boolean(node && (node.isContentEditable || /^(INPUT|TEXTAREA)$/.test(node.tagName)));
}

/** @param {number} bytes */
const size = (bytes) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`);

/**
 * @param {import("./workspace.js").Workspace} workspace
 * @param {{say: (text: string, kind?: "error"|"info") => void, check: (doc: any) => Promise<any>, openFile: () => void}} page
 */
export function wireDocumentBar(workspace, page) {
  const { store, storage } = workspace;
  const undo = /** @type {HTMLButtonElement} */ ($("#undo"));
  const redo = /** @type {HTMLButtonElement} */ ($("#redo"));
  const recent = /** @type {HTMLSelectElement} */ ($("#recent"));

  const refresh = () => {
    undo.disabled = !store.canUndo;
    redo.disabled = !store.canRedo;
  };
  async function listRecent() {
    const docs = await storage.recent();
    recent.replaceChildren(
      el("option", { value: "" }, docs.length ? "Recent…" : "No saved documents"),
      ...docs.map((d) => el("option", { value: d.id }, `${d.title} · ${new Date(d.updated).toLocaleString()}`)));
  }
  store.addEventListener("change", refresh);
  workspace.addEventListener("saved", () => listRecent());
  refresh();
  listRecent();

  undo.addEventListener("click", () => store.undo());
  redo.addEventListener("click", () => store.redo());
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || inTextField(event.target)) return;
    const key = event.key.toLowerCase();
    const wantsRedo = (key === "z" && event.shiftKey) || (key === "y" && !event.shiftKey);
    if (key !== "z" && !wantsRedo) return;
    event.preventDefault();
    if (wantsRedo) store.redo();
    else store.undo();
  });

  $("#new-doc").addEventListener("click", () => {
    workspace.startNew();
    page.say("A new, empty document: open a file to start. Your previous work is under Recent.");
  });
  recent.addEventListener("change", async () => {
    const id = recent.value;
    recent.value = "";
    if (!id) return;
    const saved = await storage.loadDocument(id);
    if (saved) workspace.adopt(saved.document, { id });
    else page.say("That saved document is gone (the browser may have removed it).", "error");
  });

  $("#copy-link").addEventListener("click", async () => {
    await workspace.followInAddressBar(store.document);
    const link = location.href;
    const field = /** @type {HTMLInputElement} */ ($("#link-text"));
    field.value = link;
    field.hidden = false;
    field.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch {
      // no clipboard permission (or no user gesture): the link is selected in the field to copy by hand
    }
    const local = store.document.sources.filter((s) => s.kind === "file").map((s) => s.name);
    page.say(`${copied ? "Link copied" : "Link ready to copy"} (${size(link.length)}). It holds the steps and charts, never your data${local.length ? `: whoever opens it is asked for ${local.join(", ")}` : ""}.`);
  });

  $("#export-doc").addEventListener("click", () => {
    const doc = store.document;
    download(`${slug(titleOf(doc))}.loupe.json`, `${JSON.stringify(doc, null, 2)}\n`, "application/json");
  });
  const input = /** @type {HTMLInputElement} */ ($("#import-doc"));
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    try {
      const doc = await page.check(JSON.parse(await file.text()));
      workspace.adopt(doc, { trusted: false });
      await workspace.settled;
      page.say(`Opened the document ${file.name}.`);
    } catch (error) {
      page.say(`${file.name} could not be opened as a Loupe document: ${/** @type {Error} */ (error).message}`, "error");
    }
  });

  // What the document waits for: a local file to reopen, or the user's OK before fetching a URL.
  const needs = $("#needs");
  workspace.addEventListener("needs", (event) => {
    const list = /** @type {CustomEvent} */ (event).detail;
    needs.hidden = list.length === 0;
    needs.replaceChildren(...list.map((/** @type {import("./workspace.js").Need} */ need) => {
      const { source } = need;
      if (need.reason === "file") {
        const open = el("button", { type: "button", class: "button small primary" }, `Open ${source.name}…`);
        open.addEventListener("click", page.openFile);
        const known = source.size === undefined ? "" : ` (${size(source.size)})`;
        return el("p", { class: "need", "data-need": "file" },
          `This document reads the file ${source.name}${known}, which is on the machine it was made on, not in this browser. `, open);
      }
      const host = new URL(/** @type {string} */ (source.url), document.baseURI).host;
      const load = el("button", { type: "button", class: "button small primary" }, `Load from ${host}`);
      load.addEventListener("click", () => workspace.approve(source.id));
      return el("p", { class: "need", "data-need": "consent" },
        `This link reads ${source.name} from ${host}. Loupe fetches it only if you agree. `, load);
    }));
  });
}
