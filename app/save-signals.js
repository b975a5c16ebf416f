// Whether the work on screen is saved, said to the page and its tests (never a sleep): data-loupe-saved
// counts saves, data-loupe-unsaved is set from a change until a save of that very document (an earlier
// change's pending save must not count for it), and a lasting note says when this browser cannot save.

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/** @param {{workspace: import("./workspace.js").Workspace, root: HTMLElement}} context */
export function wireSaveSignals({ workspace, root }) {
  let saves = 0;
  workspace.addEventListener("change", () => { root.dataset.loupeUnsaved = "true"; });
  workspace.addEventListener("saved", (event) => {
    const { saved, current } = /** @type {CustomEvent} */ (event).detail;
    if (!saved) return;
    root.dataset.loupeSaved = String(++saves);
    if (current) delete root.dataset.loupeUnsaved;
  });
  workspace.storage.addEventListener("unavailable", (event) => {
    // A lasting condition, so a lasting note (the status line is cleared by the next change).
    const note = $("#storage-note");
    note.textContent = `Your work is not being saved in this browser: ${/** @type {CustomEvent} */ (event).detail}. Export the document (⤓) to keep it.`;
    note.hidden = false;
  });
}
