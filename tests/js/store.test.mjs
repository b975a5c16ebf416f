// The document store and share links, in Node's test runner (the same ES modules the page loads).
//   node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { DocumentStore, HISTORY_LIMIT, chartOf, emptyDocument, withChange, withSource } from "../../app/store.js";
import { LinkError, MAX_LINK_CHARS, decodeDocument, encodeDocument } from "../../app/share.js";

const sales = { name: "sales.csv", kind: "sample", url: "sample/sales.csv", table: "sales" };
const chart = { type: "bar", x: "region", y: "revenue", agg: "sum" };

test("opening a source adds a table with its chart and makes it active", () => {
  const doc = withSource(emptyDocument(), sales, chart);
  assert.equal(doc.view.table, "sales");
  assert.deepEqual(doc.tables, [{ name: "sales", source: "s1", steps: [] }]);
  assert.deepEqual(doc.charts, [{ table: "sales", spec: chart }]);
  // Reading it again (other options) keeps its steps and chart.
  const edited = withChange(doc, { steps: [{ verb: "limit", n: 3 }] });
  const again = withSource(edited, { ...sales, options: { delimiter: ";" } }, null);
  assert.deepEqual(again.tables[0].steps, [{ verb: "limit", n: 3 }]);
  assert.deepEqual(again.sources[0].options, { delimiter: ";" });
  assert.equal(again.sources.length, 1);
});

test("a document with several charts of one table keeps them all when the one on show is edited", () => {
  const line = { type: "line", x: "date", y: "revenue", time_unit: "auto" };
  const base = withSource(emptyDocument(), sales, chart);
  const doc = { ...base, charts: [...base.charts, { table: "sales", spec: line }], view: { ...base.view, chart: 1 } };
  assert.deepEqual(chartOf(doc, "sales"), line, "the selected chart is the one shown");
  const edited = withChange(doc, { chart: { ...line, time_unit: "month" } });
  assert.deepEqual(edited.charts.map((c) => c.spec.type), ["bar", "line"]);
  assert.equal(edited.charts[1].spec.time_unit, "month");
  assert.equal(edited.view.chart, 1);
  const reread = withSource(edited, { ...sales, options: { delimiter: "," } }, null);
  assert.equal(reread.view.chart, 1, "reading the file again keeps the chart on show");
  const removed = withChange(edited, { chart: null });
  assert.deepEqual(removed.charts, [{ table: "sales", spec: chart }]);
  assert.equal(removed.view.chart, 0);
});

test("a second chart of a table is added, shown, and the first shown again", () => {
  const doc = withSource(emptyDocument(), sales, chart);
  const line = { type: "line", x: "date", y: "revenue" };
  const two = withChange(doc, { addChart: line });
  assert.deepEqual(two.charts.map((c) => c.table), ["sales", "sales"]);
  assert.deepEqual(chartOf(two, "sales"), line);
  const back = withChange(two, { showChart: 0 });
  assert.deepEqual(chartOf(back, "sales"), chart);
  assert.equal(withChange(back, { showChart: 7 }).view.chart, 0, "a chart that is not the table's is not shown");
});

test("documents are frozen: no module can change one in place", () => {
  const store = new DocumentStore(withSource(emptyDocument(), sales, chart));
  assert.throws(() => { store.document.tables[0].steps.push({ verb: "limit", n: 1 }); }, TypeError);
});

test("undo and redo walk the history; a new change drops the redo branch", () => {
  const store = new DocumentStore(withSource(emptyDocument(), sales, chart));
  const seen = [];
  store.addEventListener("change", (e) => seen.push(e.detail.reason));
  const steps = (n) => Array.from({ length: n }, () => ({ verb: "limit", n: 10 }));
  for (let n = 1; n <= 3; n += 1) store.commit(withChange(store.document, { steps: steps(n) }));
  assert.equal(store.document.tables[0].steps.length, 3);
  store.undo();
  store.undo();
  assert.equal(store.document.tables[0].steps.length, 1);
  store.redo();
  assert.equal(store.document.tables[0].steps.length, 2);
  store.commit(withChange(store.document, { theme: "dark" }));
  assert.equal(store.canRedo, false);
  assert.deepEqual(seen, ["commit", "commit", "commit", "undo", "undo", "redo", "commit"]);
  // An unchanged document is no new history entry.
  assert.equal(store.commit(withChange(store.document, { theme: "dark" })), false);
});

test("a layout choice is kept in the document and its history, with no undo step and no change event", () => {
  const store = new DocumentStore(withSource(emptyDocument(), sales, chart));
  store.commit(withChange(store.document, { steps: [{ verb: "limit", n: 3 }] }));
  const seen = [];
  store.addEventListener("change", (e) => seen.push(e.detail.reason));
  store.arrange({ panel: "steps" });
  assert.equal(store.document.view.panel, "steps");
  assert.deepEqual(seen, []);
  assert.ok(Object.isFrozen(store.document.view));
  store.undo();
  assert.equal(store.document.tables[0].steps.length, 0, "undo takes back the edit");
  assert.equal(store.document.view.panel, "steps", "but not the layout");
  store.redo();
  assert.equal(store.document.view.panel, "steps");
  assert.equal(store.canRedo, false);
});

test(`undo keeps ${HISTORY_LIMIT} levels (at least the 100 the issue asks for)`, () => {
  const store = new DocumentStore(withSource(emptyDocument(), sales, chart));
  for (let n = 1; n <= HISTORY_LIMIT + 50; n += 1) store.commit(withChange(store.document, { steps: [{ verb: "limit", n }] }));
  let undone = 0;
  while (store.undo()) undone += 1;
  assert.ok(HISTORY_LIMIT >= 100);
  assert.equal(undone, HISTORY_LIMIT);
  assert.deepEqual(store.document.tables[0].steps, [{ verb: "limit", n: 50 }]);
});

test("a document survives a link round trip", async () => {
  const doc = withChange(withSource(emptyDocument(), sales, chart), { steps: [{ verb: "filter", expr: "units > 3" }], theme: "dark" });
  const fragment = await encodeDocument(doc);
  assert.match(fragment, /^loupe=1\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeDocument(`#${fragment}`), JSON.parse(JSON.stringify(doc)));
});

/** @param {string} hash @param {string} reason */
async function refused(hash, reason) {
  await assert.rejects(decodeDocument(hash), (error) => error instanceof LinkError && error.reason === reason);
}

test("bad links say which problem they have (RELIABILITY 12)", async () => {
  await refused("#loupe=1.@@@", "corrupt");
  await refused("#loupe=1.AAAA", "corrupt");
  await refused("#something-else", "corrupt");
  await refused(`#loupe=1.${"A".repeat(MAX_LINK_CHARS)}`, "too-large");
  await refused("#loupe=2.AAAA", "newer");
  const future = await encodeDocument({ ...emptyDocument(), version: 2 });
  await refused(`#${future}`, "newer");
  const notDocument = await encodeDocument({ steps: [] });
  await refused(`#${notDocument}`, "invalid");
  let deep = {};
  for (let i = 0; i < 100; i += 1) deep = { deep };
  await refused(`#${await encodeDocument({ ...emptyDocument(), title: deep })}`, "invalid");
});

test("a small link cannot unpack into a huge document (a zip bomb)", async () => {
  const bomb = await encodeDocument({ ...emptyDocument(), title: "x".repeat(5_000_000) });
  assert.ok(bomb.length < MAX_LINK_CHARS);
  await refused(`#${bomb}`, "too-large");
});
