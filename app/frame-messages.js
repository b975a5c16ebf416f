// The iframe embed's messages (frame.html; docs/widget.md): each is `{loupe: "frame", version: 1, type,
// ...fields}`. A message from the host is taken only when it is small, plain JSON, of a known type and
// has exactly that type's fields, each of the right shape; anything else is refused with the reason.
// Pure functions, so Node's test runner checks them (tests/js/frame-messages.test.mjs).

import { LinkError, checkDocument } from "./share.js";

export const PROTOCOL = "frame";
export const PROTOCOL_VERSION = 1;
export const MAX_MESSAGE_CHARS = 1024 * 1024; // as large as a share link's document may be
const MAX_DEPTH = 40;
const MAX_ID_CHARS = 200;

/** Why a message from the host was refused, in words for the host page's developer. */
export class MessageError extends Error {}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isRecord = (value) => value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Each incoming type and its fields (besides loupe, version and type): a check that returns the field's
 * value or throws a MessageError. Steps and chart specs are only shaped here; Python checks the rest.
 * @type {Record<string, Record<string, (value: unknown) => unknown>>}
 */
const INCOMING = {
  "set-document": {
    document(value) {
      try {
        return checkDocument(value, "This message");
      } catch (error) {
        if (error instanceof LinkError) throw new MessageError(`document: ${error.message}`);
        throw error;
      }
    },
  },
  "set-pipeline": {
    pipeline(value) {
      if (!Array.isArray(value)) throw new MessageError("pipeline: expected a list of steps");
      value.forEach((step, index) => {
        if (!isRecord(step) || typeof step.verb !== "string") throw new MessageError(`pipeline[${index}]: expected a step ({"verb": ...})`);
      });
      return value;
    },
  },
  "set-chart": {
    chart(value) {
      if (value === null) return null;
      if (!isRecord(value) || typeof value.type !== "string") throw new MessageError('chart: expected a chart spec ({"type": "bar", ...}) or null');
      return value;
    },
  },
  "get-result": {
    id(value) {
      const ok = (typeof value === "string" && value.length <= MAX_ID_CHARS) || Number.isSafeInteger(value);
      if (!ok) throw new MessageError(`id: expected a string (up to ${MAX_ID_CHARS} characters) or an integer`);
      return value;
    },
  },
};

export const INCOMING_TYPES = Object.keys(INCOMING);
export const OUTGOING_TYPES = ["ready", "change", "select", "error", "result"];

/** Throw unless `value` is plain JSON (what JSON.stringify keeps unchanged) no deeper than MAX_DEPTH. @param {unknown} value */
function checkPlain(value, depth = 0) {
  if (depth > MAX_DEPTH) throw new MessageError(`the message is nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new MessageError("the message holds a number JSON cannot carry (NaN or Infinity)");
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) checkPlain(item, depth + 1);
    return;
  }
  if (!isRecord(value)) throw new MessageError(`the message holds a ${Object.prototype.toString.call(value).slice(8, -1)}, not plain JSON`);
  for (const item of Object.values(value)) checkPlain(item, depth + 1);
}

/** Whether `data` claims to be one of these messages (other libraries' messages are left alone). @param {unknown} data */
export function isFrameMessage(data) {
  return isRecord(data) && data.loupe === PROTOCOL;
}

/**
 * The host's message, checked: `{type, ...fields}`; throws a MessageError saying what is wrong.
 * @param {unknown} data
 * @returns {{type: string, [field: string]: unknown}}
 */
export function readMessage(data) {
  if (!isFrameMessage(data)) throw new MessageError('not a Loupe frame message (expected {"loupe": "frame", "version": 1, "type": ...})');
  const record = /** @type {Record<string, unknown>} */ (data);
  checkPlain(record);
  const size = JSON.stringify(record).length;
  if (size > MAX_MESSAGE_CHARS) throw new MessageError(`the message is ${Math.ceil(size / 1024)} kB; messages up to ${MAX_MESSAGE_CHARS / 1024} kB are read`);
  if (record.version !== PROTOCOL_VERSION) {
    throw new MessageError(`version ${JSON.stringify(record.version)}: this frame speaks version ${PROTOCOL_VERSION}`);
  }
  const type = record.type;
  if (typeof type !== "string" || !Object.hasOwn(INCOMING, type)) {
    throw new MessageError(`type ${JSON.stringify(type)}: expected one of ${INCOMING_TYPES.join(", ")}`);
  }
  const fields = INCOMING[type];
  const unknown = Object.keys(record).filter((key) => !["loupe", "version", "type"].includes(key) && !Object.hasOwn(fields, key));
  if (unknown.length) throw new MessageError(`${type}: unknown field ${JSON.stringify(unknown[0])} (it takes ${Object.keys(fields).join(", ")})`);
  /** @type {{type: string, [field: string]: unknown}} */ const message = { type };
  for (const [name, check] of Object.entries(fields)) {
    if (!Object.hasOwn(record, name)) throw new MessageError(`${type}: the field "${name}" is missing`);
    message[name] = check(record[name]);
  }
  return message;
}

/**
 * A message for the host: `{loupe: "frame", version: 1, type, ...fields}`.
 * @param {string} type one of OUTGOING_TYPES @param {object} [fields]
 */
export function frameMessage(type, fields = {}) {
  if (!OUTGOING_TYPES.includes(type)) throw new TypeError(`not a frame message type: ${type}`);
  return { ...fields, loupe: PROTOCOL, version: PROTOCOL_VERSION, type };
}
