// Ways to open a file in the explorer: the "Open a file" button (a hidden file input), an address in the
// URL box, a file dropped anywhere on the page, and a table pasted anywhere outside a text field.

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * @param {{
 *   workspace: import("./workspace.js").Workspace,
 *   root: HTMLElement,
 *   say: (text: string, kind?: string) => void,
 * }} context
 * @returns {{pick: () => void}} pick opens the browser's file chooser (also for the document bar)
 */
export function wireOpenFiles({ workspace, root, say }) {
  const input = /** @type {HTMLInputElement} */ ($("#file-input"));
  const pick = () => input.click();
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) workspace.open({ file });
    input.value = "";
  });
  $("#open-file").addEventListener("click", pick);
  $("#url-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const field = /** @type {HTMLInputElement} */ ($("#url-input"));
    const url = field.value.trim();
    if (!/^https?:\/\//i.test(url)) {
      say("Give an address that starts with https:// (or http://). Hint: for a file on this machine, use Open a file.", "error");
      return;
    }
    workspace.open({ url });
  });
  // Paste a table (CSV or TSV text copied from a spreadsheet or a page) anywhere outside a text field.
  document.addEventListener("paste", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.isContentEditable || /^(INPUT|TEXTAREA)$/.test(target.tagName)) return;
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!text.trim()) return;
    event.preventDefault();
    const tsv = text.split("\n", 1)[0].includes("\t");
    workspace.open({ file: new File([text], tsv ? "pasted.tsv" : "pasted.csv", { type: "text/plain" }) });
  });
  document.addEventListener("dragover", (event) => {
    event.preventDefault();
    root.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => root.classList.remove("dragging"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    root.classList.remove("dragging");
    const file = event.dataTransfer?.files?.[0];
    if (file) workspace.open({ file });
  });
  return { pick };
}
