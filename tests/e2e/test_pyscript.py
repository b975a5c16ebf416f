"""The PyScript page (dist/pyscript.html): PyScript and Pyodide from dist/, micropip installing Loupe's
wheels from dist/wheels/, then `loupe.show` drawing the page's own data; offline, after the service
worker's install."""

from __future__ import annotations

import json
from typing import Any

import build
from tests.e2e.conftest import BOOT_TIMEOUT_MS, App, new_context

# Code from a string goes through setTimeout: the page compiles it, where the policy applies (code that
# Playwright evaluates, Function included, is DevTools' and exempt). A 0 ms timer queued after it runs
# after it, so the answer is known without waiting on time.
SINKS = """async () => {
    const results = {};
    try { document.createElement("div").innerHTML = "<b>x</b>"; results.html = "assigned"; }
    catch (error) { results.html = error.name; }
    window.__ranFromString = false;
    try { setTimeout("window.__ranFromString = 6 * 7"); } catch (error) { results.code = error.name; }
    await new Promise((done) => setTimeout(done, 0));
    results.code ??= window.__ranFromString === 42 ? "ran" : "refused";
    return results;
}"""


def test_pyscript_page_shows_its_data_offline_from_dist(browser: Any, base_url: str) -> None:
    """RELIABILITY 16 for the PyScript page: its own policy holds (no violation but the two provoked,
    `innerHTML = "x"` throws) and no request leaves the origin (App.assert_clean)."""
    context = new_context(browser)
    try:
        app = App(context.new_page(), base_url).open()  # the explorer installs the service worker
        app.page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=BOOT_TIMEOUT_MS
        )
        # The page's own policy, sent by the server and kept by the service worker with the page.
        policy = app.page.request.get(app.base_url + "pyscript.html").headers["content-security-policy"]
        assert policy.startswith(build.PYSCRIPT_CSP)
        context.set_offline(True)
        app.requests.clear()
        app.open("pyscript.html")
        page = app.page

        # The chart of the records: one bar per quarter, in quarter order, with the sums as labels.
        chart = page.locator("#quarters .loupe-widget figure.chart svg")
        assert chart.get_attribute("aria-label") == "Sum of revenue by quarter"
        labels = chart.locator("text").all_text_contents()
        quarters = [label for label in labels if label.startswith("2025 Q")]
        assert quarters == ["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]
        assert {"41.2k", "45.9k", "39.8k", "52.3k"} <= set(labels)
        assert chart.locator("[data-index]").count() == 4

        # The table of the CSV text, sorted and cut by its pipeline: the three largest orders.
        rows = page.locator("#orders .loupe-widget .table-wrap tbody tr")
        cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
        assert cells == [
            ["1,044", "Café Lumen", "2,240.00"],
            ["1,041", "Harbour Books", "1,290.50"],
            ["1,045", "Nordlys AS", "980.75"],
        ]

        # PyScript, Pyodide, micropip and Loupe's wheels all came from dist/, as the config says.
        paths = {url.removeprefix(app.base_url) for url in app.requests}
        manifest = json.loads((build.DIST / "build.json").read_text())
        assert {"pyscript/core.js", "pyodide/pyodide.asm.wasm", "pyscript.toml"} <= paths
        assert {
            "pyodide/micropip-0.11.1-py3-none-any.whl",
            manifest["wheel"],
            *manifest["xlsx_wheels"],
        } <= paths
        assert page.evaluate("() => document.documentElement.dataset.loupeState") == "ready"
        app.assert_clean()

        # The looser policy admits PyScript's own hook functions only: other code from a string and
        # HTML sinks are still refused.
        refused = page.evaluate(SINKS)
        assert refused["html"] == "TypeError" and refused["code"] != "ran", refused
        # Offline, reports cannot reach the server; the page's own record names the HTML sink (the
        # policy's refusal of the string is an exception, not a violation).
        assert "innerHTML" in " ".join(app.take_violations())
    finally:
        context.close()
