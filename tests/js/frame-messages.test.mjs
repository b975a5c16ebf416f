// The iframe embed's message schema (app/frame-messages.js), in Node's test runner: what a host may
// send is taken only when it is small, plain JSON, of a known type with exactly its fields. RELIABILITY 51.
//   node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { INCOMING_TYPES, MAX_MESSAGE_CHARS, MessageError, frameMessage, readMessage } from "../../app/frame-messages.js";

const chart = { type: "bar", x: "region", y: "revenue", agg: "sum" };
const doc = { loupe: "document", version: 1, sources: [], tables: [], charts: [] };
const message = (type, fields) => ({ loupe: "frame", version: 1, type, ...fields });

test("each incoming type is read with exactly its fields", () => {
  assert.deepEqual(readMessage(message("set-chart", { chart })), { type: "set-chart", chart });
  assert.deepEqual(readMessage(message("set-chart", { chart: null })), { type: "set-chart", chart: null });
  assert.deepEqual(readMessage(message("set-pipeline", { pipeline: [{ verb: "limit", n: 3 }] })).pipeline, [{ verb: "limit", n: 3 }]);
  assert.equal(readMessage(message("set-document", { document: doc })).document.loupe, "document");
  assert.deepEqual(readMessage(message("get-result", { id: 7 })), { type: "get-result", id: 7 });
  assert.deepEqual(INCOMING_TYPES, ["set-document", "set-pipeline", "set-chart", "get-result"]);
});

const refused = [
  ["not an object", "set-chart", /not a Loupe frame message/],
  ["an array", [message("set-chart", { chart })], /not a Loupe frame message/],
  ["another library's message", { type: "set-chart", chart }, /not a Loupe frame message/],
  ["a newer version", { ...message("set-chart", { chart }), version: 2 }, /this frame speaks version 1/],
  ["no version", { loupe: "frame", type: "set-chart", chart }, /version undefined/],
  ["an unknown type", message("run-python", { code: "1" }), /type "run-python": expected one of set-document/],
  ["a type that is only outgoing", message("ready", {}), /type "ready"/],
  ["an unknown field", message("set-chart", { chart, colour: "red" }), /unknown field "colour"/],
  ["a missing field", message("set-pipeline", {}), /the field "pipeline" is missing/],
  ["a chart that is text", message("set-chart", { chart: "bar" }), /chart: expected a chart spec/],
  ["a chart without a type", message("set-chart", { chart: { x: "a" } }), /chart: expected a chart spec/],
  ["steps that are not a list", message("set-pipeline", { pipeline: { verb: "limit" } }), /expected a list of steps/],
  ["a step without a verb", message("set-pipeline", { pipeline: [{ n: 1 }] }), /pipeline\[0\]: expected a step/],
  ["a document of another kind", message("set-document", { document: { ...doc, loupe: "pipeline" } }), /does not hold a Loupe document/],
  ["a document without lists", message("set-document", { document: { loupe: "document", version: 1 } }), /no list of sources/],
  ["a newer document", message("set-document", { document: { ...doc, version: 9 } }), /newer version of Loupe/],
  ["an id that is an object", message("get-result", { id: { a: 1 } }), /id: expected a string/],
  ["a long id", message("get-result", { id: "x".repeat(201) }), /id: expected a string/],
  ["a value JSON cannot carry", message("set-chart", { chart: { ...chart, n: NaN } }), /NaN or Infinity/],
  ["a Map", message("set-chart", { chart: new Map() }), /holds a Map, not plain JSON/],
  ["a Date", message("set-pipeline", { pipeline: [{ verb: "filter", value: new Date(0) }] }), /holds a Date/],
  ["deep nesting", message("set-chart", { chart: JSON.parse("[".repeat(60) + "]".repeat(60)) }), /nested deeper than 40/],
  ["too large", message("set-chart", { chart: { ...chart, note: "x".repeat(MAX_MESSAGE_CHARS) } }), /messages up to 1024 kB/],
];

for (const [what, data, reason] of refused) {
  test(`refused: ${what}`, () => {
    assert.throws(() => readMessage(data), (error) => error instanceof MessageError && reason.test(error.message));
  });
}

test("outgoing messages carry the protocol and version, and only known types", () => {
  assert.deepEqual(frameMessage("ready", { rows: 3 }), { rows: 3, loupe: "frame", version: 1, type: "ready" });
  assert.equal(frameMessage("change", { type: "x", loupe: "y" }).type, "change"); // fields cannot override them
  assert.throws(() => frameMessage("set-chart"), TypeError);
});
