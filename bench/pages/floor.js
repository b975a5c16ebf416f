// The floor page: boot Pyodide in a module worker, ask it for three rows, put them in a table.
import { tinyTable } from "./tiny-table.js";

const worker = new Worker(new URL("./floor-worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  if (event.data.type === "failed") {
    document.documentElement.dataset.loupeState = "error";
    document.body.append(String(event.data.message));
    return;
  }
  document.querySelector("#table").replaceChildren(tinyTable(event.data.rows));
  document.documentElement.dataset.loupeState = "ready";
};
