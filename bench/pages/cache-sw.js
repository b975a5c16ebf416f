// A generic offline service worker for the floor and PyScript pages (Loupe has its own, dist/sw.js):
// every same-origin GET is answered from the cache when there, else fetched and stored. It lets the
// benchmark compare offline start-up on equal terms.
const CACHE = "bench-runtime";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  })());
});
