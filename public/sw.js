// Service worker: precache every file build.py listed in build.json, then answer from that cache first,
// so after one visit the app (runtime, wheels, sample) works with the network gone. build.py writes the
// build version below; a new build changes this file, which makes the browser install the new cache.

const VERSION = "__LOUPE_BUILD__";
const CACHE = `loupe-${VERSION}`;
const scope = new URL(self.registration.scope);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const build = await (await fetch(new URL("build.json", scope), { cache: "no-store" })).json();
    const cache = await caches.open(CACHE);
    const urls = ["./", "build.json", ...Object.keys(build.files)].map((path) => new URL(path, scope).href);
    // "no-cache" revalidates every file with the server, so a new build never stores an older one, yet
    // an unchanged body comes from the HTTP cache: the first visit downloads the runtime once, not twice.
    await cache.addAll(urls.map((url) => new Request(url, { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("loupe-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== scope.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true });
    return hit ?? fetch(request);
  })());
});
