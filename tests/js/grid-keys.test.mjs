// Where the keyboard grid's keys take the active cell (app/grid-keys.js): table-driven.
import { test } from "node:test";
import assert from "node:assert/strict";
import { moveBy } from "../../app/grid-keys.js";

const size = { rows: 100, cols: 5, page: 10 };
const cases = [
  [{ row: 3, col: 2 }, { key: "ArrowDown" }, { row: 4, col: 2 }],
  [{ row: 0, col: 2 }, { key: "ArrowUp" }, { row: 0, col: 2 }],
  [{ row: 99, col: 2 }, { key: "ArrowDown" }, { row: 99, col: 2 }],
  [{ row: 3, col: 5 }, { key: "ArrowRight" }, { row: 3, col: 5 }],
  [{ row: 3, col: 1 }, { key: "ArrowLeft" }, { row: 3, col: 1 }],
  [{ row: 3, col: 4 }, { key: "Home" }, { row: 3, col: 1 }],
  [{ row: 3, col: 2 }, { key: "End" }, { row: 3, col: 5 }],
  [{ row: 3, col: 4 }, { key: "Home", ctrlKey: true }, { row: 0, col: 1 }],
  [{ row: 3, col: 2 }, { key: "End", ctrlKey: true }, { row: 99, col: 5 }],
  [{ row: 3, col: 2 }, { key: "PageDown" }, { row: 13, col: 2 }],
  [{ row: 95, col: 2 }, { key: "PageDown" }, { row: 99, col: 2 }],
  [{ row: 3, col: 2 }, { key: "PageUp" }, { row: 0, col: 2 }],
  [{ row: 3, col: 2 }, { key: "a" }, null],
];

for (const [at, key, to] of cases) {
  test(`${key.ctrlKey ? "Ctrl+" : ""}${key.key} from ${at.row},${at.col}`, () => {
    assert.deepEqual(moveBy(at, key, size), to);
  });
}

test("an empty result keeps the cell at the first row", () => {
  assert.deepEqual(moveBy({ row: 0, col: 1 }, { key: "End", ctrlKey: true }, { rows: 0, cols: 2, page: 5 }), { row: 0, col: 2 });
});
