// Service worker: precache every file build.py listed in build.json, then answer from that cache first,
// so after one visit the app (runtime, wheels, sample) works with the network gone. build.py writes the
// build version below; a new build changes this file, which makes the browser install the new cache.
//
// Updates wait: a new version installs beside the running one and activates only when the page asks
// (the user chose "Reload"), so an open tab never gets a mix of versions. The install checks each file
// against build.json's hash and the build's version; a deploy that lands mid-install, a failed
// download or full storage abandons the new cache whole, and the old version keeps working.

const VERSION = "__LOUPE_BUILD__";
const CACHE = `loupe-${VERSION}`;
const scope = new URL(self.registration.scope);

/** Tell every page of ours (controlled or not) something it should show. @param {object} message */
async function tell(message) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

/** The first 16 hex digits of the SHA-256 of the bytes, as build.py writes them in build.json. */
async function digest(/** @type {ArrayBuffer} */ bytes) {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Fetch, check and store one file; throws with the file's name on any mismatch. */
async function precache(/** @type {Cache} */ cache, /** @type {string} */ path, /** @type {string} */ expected) {
  const url = new URL(path, scope).href;
  // "no-cache" revalidates every file with the server, so a new build never stores an older one, yet
  // an unchanged body comes from the HTTP cache: the first visit downloads the runtime once, not twice.
  const response = await fetch(new Request(url, { cache: "no-cache" }));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const actual = await digest(await response.clone().arrayBuffer());
  if (actual !== expected) throw new Error(`${path} does not match build.json (a deploy under way?)`);
  await cache.put(url, response);
}

async function install() {
  const response = await fetch(new URL("build.json", scope), { cache: "no-store" });
  const build = await response.json();
  if (build.version !== VERSION) {
    throw new Error(`build.json is version ${build.version}, this service worker ${VERSION} (a deploy under way?)`);
  }
  const cache = await caches.open(CACHE);
  const files = Object.entries(/** @type {Record<string, string>} */ (build.files));
  await Promise.all([
    ...files.map(([path, hash]) => precache(cache, path, hash)),
    precache(cache, "./", build.files["index.html"]),
  ]);
  await cache.put(new URL("build.json", scope).href, new Response(JSON.stringify(build), {
    headers: { "Content-Type": "application/json" } }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(install().catch(async (error) => {
    await caches.delete(CACHE); // never a half cache
    const full = error?.name === "QuotaExceededError";
    await tell({ type: "offline-unavailable", reason: full ? "storage-full" : "install-failed",
      message: String(error?.message ?? error) });
    console.warn("Loupe: this version was not installed for offline use:", error);
    throw error;
  }));
});

// The page sends this when the user chose to reload into the new version.
self.addEventListener("message", (event) => {
  if (event.data?.type === "activate-update") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("loupe-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim(); // the first visit's page, which no version controlled yet
  })());
});

// The large-data engine (dist/duckdb/, build.json's `large`) is not precached: a small file's visit never
// downloads it. The first time a page loads it, each file is kept in this version's cache, so opening a
// large file works offline from then on.
const LAZY = new URL("duckdb/", scope).pathname;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== scope.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(request);
    if (url.pathname.startsWith(LAZY) && response.ok && response.status === 200) {
      await cache.put(request, response.clone()).catch(() => {}); // full storage: still answered
    }
    return response;
  })());
});
