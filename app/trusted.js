// The app's one Trusted Types policy, "loupe". Under `require-trusted-types-for 'script'` a string can no
// longer become a script URL (new Worker, serviceWorker.register): it must pass this policy, which admits
// only Loupe's own scripts, resolved next to this module, and the blob: bootstraps made by bootstrapURL.
// Nothing here creates HTML or script text: the app builds DOM with textContent and never needs them.

// A module worker has no importScripts, yet Pyodide probes it with a string on import ("is this a classic
// worker?"): under Trusted Types that string is a violation report each boot. This module is imported
// before Pyodide, so the probe meets a plain function that throws, as module workers' importScripts does.
if (typeof WorkerGlobalScope !== "undefined" && typeof globalThis.importScripts === "function") {
  globalThis.importScripts = () => { throw new TypeError("module workers cannot importScripts"); };
}

const own = new Set([new URL("./worker.js", import.meta.url).href, new URL("../sw.js", import.meta.url).href]);
/** @type {Set<string>} blob: URLs this module made, each for one worker bootstrap */
const bootstraps = new Set();

/** @type {{createScriptURL(url: string): any} | null} */
let policy = null;

/** The policy, created once per page or worker; null where the browser has no Trusted Types. */
function loupePolicy() {
  const factory = /** @type {any} */ (globalThis).trustedTypes;
  if (!factory || policy) return policy;
  policy = factory.createPolicy("loupe", {
    /** @param {string} input */
    createScriptURL(input) {
      const url = new URL(input, import.meta.url).href;
      if (own.has(url) || bootstraps.has(url)) return url;
      throw new TypeError(`Loupe's Trusted Types policy does not allow the script ${url}`);
    },
  });
  return policy;
}

/**
 * A script URL Loupe may load as a worker or service worker: a TrustedScriptURL where Trusted Types exist,
 * the plain URL string elsewhere. Throws for any other URL.
 * @param {URL|string} url
 * @returns {any} TrustedScriptURL or string, as the Worker constructor accepts either
 */
export function scriptURL(url) {
  const href = new URL(url, import.meta.url).href;
  const trusted = loupePolicy();
  if (trusted) return trusted.createScriptURL(href);
  if (!own.has(href) && !bootstraps.has(href)) throw new TypeError(`not one of Loupe's scripts: ${href}`);
  return href;
}

/**
 * A same-origin blob: script that imports Loupe's worker from another origin (the widget on someone
 * else's page), admitted by the policy. The asset host must send CORS headers.
 * @param {URL} workerURL
 */
export function bootstrapURL(workerURL) {
  if (!own.has(workerURL.href)) throw new TypeError(`not Loupe's worker: ${workerURL.href}`);
  const source = `import ${JSON.stringify(workerURL.href)};`;
  const href = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  bootstraps.add(href);
  return scriptURL(href);
}
