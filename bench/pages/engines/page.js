// Boots the engine named in ?engine= and exposes window.bench.run(csvURL) for the Python harness. Every
// engine gets the CSV as an ArrayBuffer already in memory, so fetching is never part of a timing.

const name = new URLSearchParams(location.search).get("engine") ?? "loupe";
const root = document.documentElement;

try {
  const engine = await import(`./${name}.js`);
  const started = performance.now();
  await engine.boot();
  const bootMs = performance.now() - started;
  const workload = await (await fetch(new URL("../workload.json", import.meta.url))).json();
  window.bench = {
    bootMs,
    /** @param {string} url */
    async run(url) {
      const buffer = await (await fetch(url)).arrayBuffer();
      const steps = {};
      const answers = {};
      const began = performance.now();
      let t = performance.now();
      answers.read = { count: await engine.read(buffer) };
      steps.read = performance.now() - t;
      for (const query of workload.queries) {
        t = performance.now();
        answers[query.name] = await engine.query(query);
        steps[query.name] = performance.now() - t;
      }
      return { steps, answers, total: performance.now() - began };
    },
  };
  root.dataset.benchState = "ready";
  document.querySelector("#status").textContent = `${name} ready in ${Math.round(bootMs)} ms`;
} catch (error) {
  root.dataset.benchState = "error";
  document.querySelector("#status").textContent = `${name} failed: ${error?.stack ?? error}`;
}
