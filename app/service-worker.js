// Offline support: the service worker registration and its notices (update ready, offline unavailable).

import { el } from "./tree.js";
import { scriptURL } from "./trusted.js";

const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * Offline support, registered once the first table is up (or the boot failed): the service worker's
 * precache downloads every file of the build, and on a first visit it would compete with the boot for
 * the network and the CPU (measured: first visit 1.32x the bare Pyodide floor, 1.14x without it).
 * A new version installs in the background and waits: the page offers "Reload", and only then does the
 * new version take over (public/sw.js). If it cannot be installed for offline use, the page says why.
 */
/** @param {() => Promise<unknown>} [beforeReload] saves the document before an update reloads the page */
export function registerServiceWorker(beforeReload = async () => {}) {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  const container = navigator.serviceWorker;
  /** A line under the status, made once: @param {string} id @param {...(Node|string)} content */
  const notice = (id, ...content) => {
    const line = document.getElementById(id) ?? el("p", { id, class: "status notice", role: "status" });
    line.replaceChildren(...content);
    if (!line.isConnected) $("#status").after(line);
  };
  container.addEventListener("message", (event) => {
    if (event.data?.type !== "offline-unavailable") return;
    const { reason, message } = event.data;
    // With a version already installed, that one keeps working (offline too); the new one waits for later.
    notice("offline-notice", reason === "storage-full"
      ? "Offline mode unavailable (storage full): Loupe keeps working online; free some browser storage to use it offline."
      : container.controller
        ? `An update of Loupe could not be installed (${message}); this version keeps working, offline too.`
        : `Offline mode unavailable (${message}); Loupe keeps working online.`);
  });
  container.startMessages();
  let accepted = false;
  container.addEventListener("controllerchange", () => { if (accepted) location.reload(); });
  /** @param {ServiceWorker} waiting */
  const offer = (waiting) => {
    const reload = el("button", { type: "button", class: "button small", id: "update-reload" }, "Reload");
    reload.addEventListener("click", async () => {
      reload.disabled = true;
      // The document is saved first, so the new version opens the same work (a reload's pagehide save
      // may not finish before the page is gone).
      await beforeReload().catch((error) => console.warn("Loupe: could not save before the update:", error));
      accepted = true;
      waiting.postMessage({ type: "activate-update" });
    });
    notice("update-notice", "A new version of Loupe is ready — ", reload);
  };
  container.register(scriptURL(new URL("../sw.js", import.meta.url)), { scope: new URL("../", import.meta.url).pathname })
    .then((registration) => {
      if (registration.waiting && container.controller) offer(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const installing = registration.installing;
        installing?.addEventListener("statechange", () => {
          if (installing.state === "installed" && container.controller) offer(installing);
        });
      });
    }, (error) => console.warn("offline support unavailable:", error));
}
