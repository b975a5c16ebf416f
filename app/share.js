// A document as a link: `#loupe=1.<base64url of deflate-raw(JSON)>` in the URL fragment, which never
// reaches a server. Only the document travels, never a file's bytes. Decoding checks everything it can
// without Python (size, compression, JSON, shape, version); Python's `document` method checks the rest
// (verbs, expressions, chart specs) before anything runs.

import { DOCUMENT_VERSION } from "./store.js";

export const LINK_KEY = "loupe";
export const LINK_FORMAT = 1; // the fragment's own format (compression + encoding), apart from the document's
export const MAX_LINK_CHARS = 64 * 1024;
const MAX_JSON_BYTES = 1024 * 1024; // a decompressed document above this is no link Loupe made
const MAX_DEPTH = 40;

export class LinkError extends Error {
  /** @param {"corrupt"|"too-large"|"newer"|"invalid"} reason @param {string} message */
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

/** @param {Uint8Array} bytes */
function toBase64url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @param {string} text */
function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new LinkError("corrupt", "This link is damaged (it has characters a Loupe link never has).");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** @param {Uint8Array} bytes @param {CompressionStream|DecompressionStream} stream */
async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** Decompress with a hard cap, so a tiny link cannot expand into gigabytes (a zip bomb). @param {Uint8Array} bytes */
async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  /** @type {Uint8Array[]} */ const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_JSON_BYTES) {
      await reader.cancel();
      throw new LinkError("too-large", `This link's document is larger than ${MAX_JSON_BYTES / 1024} kB; Loupe makes no links that large.`);
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) { joined.set(chunk, at); at += chunk.length; }
  return joined;
}

/** The fragment for a document (without '#'). @param {object} doc */
export async function encodeDocument(doc) {
  const bytes = await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream("deflate-raw"));
  return `${LINK_KEY}=${LINK_FORMAT}.${toBase64url(bytes)}`;
}

/** Whether a location hash carries a document. @param {string} hash */
export function hasDocument(hash) {
  return hash.replace(/^#/, "").startsWith(`${LINK_KEY}=`);
}

/** @param {unknown} value @param {number} depth */
function tooDeep(value, depth = 0) {
  if (depth > MAX_DEPTH) return true;
  if (value && typeof value === "object") return Object.values(value).some((v) => tooDeep(v, depth + 1));
  return false;
}

/**
 * The document in a location hash, checked as far as JavaScript can; throws a LinkError saying which
 * problem the link has (damaged, too large, made by a newer Loupe, not a document).
 * @param {string} hash
 * @returns {Promise<import("./store.js").LoupeDocument>}
 */
export async function decodeDocument(hash) {
  const fragment = hash.replace(/^#/, "");
  if (fragment.length > MAX_LINK_CHARS) {
    throw new LinkError("too-large", `This link is too large (${Math.round(fragment.length / 1024)} kB; links up to ${MAX_LINK_CHARS / 1024} kB open).`);
  }
  const match = /^loupe=(\d+)\.(.*)$/s.exec(fragment);
  if (!match) throw new LinkError("corrupt", "This link is damaged: it does not hold a Loupe document.");
  if (Number(match[1]) > LINK_FORMAT) {
    throw new LinkError("newer", `This link was made by a newer version of Loupe (link format ${match[1]}); reload to update, or ask for a link from this version.`);
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await inflate(fromBase64url(match[2])));
  } catch (error) {
    if (error instanceof LinkError) throw error;
    throw new LinkError("corrupt", "This link is damaged: its data could not be unpacked (was it cut short when copied?).");
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new LinkError("corrupt", "This link is damaged: its document is not valid JSON.");
  }
  return checkDocument(doc);
}

/**
 * Check a parsed document's shape (depth, kind, version, its lists) as far as JavaScript can; throws a
 * LinkError. `what` names where it came from in the message ("This link", "This message").
 * @param {any} doc @param {string} [what]
 * @returns {import("./store.js").LoupeDocument}
 */
export function checkDocument(doc, what = "This link") {
  if (tooDeep(doc)) throw new LinkError("invalid", `${what}'s document is nested deeper than ${MAX_DEPTH} levels; Loupe makes no such documents.`);
  if (!doc || typeof doc !== "object" || doc.loupe !== "document") {
    throw new LinkError("invalid", `${what} does not hold a Loupe document.`);
  }
  if (!Number.isInteger(doc.version) || doc.version > DOCUMENT_VERSION) {
    throw new LinkError("newer", `${what} was made by a newer version of Loupe (document version ${doc.version}; this Loupe reads up to ${DOCUMENT_VERSION}). Reload to update.`);
  }
  for (const key of ["sources", "tables", "charts"]) {
    if (!Array.isArray(doc[key])) throw new LinkError("invalid", `${what}'s document has no list of ${key}.`);
  }
  if (!doc.view || typeof doc.view !== "object") doc.view = {};
  return doc;
}
