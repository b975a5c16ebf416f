"""The production Content-Security-Policy in the browser. Every flow already runs under it (conftest fails
a test on any violation); these tests check the policy itself bites: HTML sinks and foreign script URLs
are refused by Trusted Types, Pyodide cannot eval JavaScript, and the worker is served with the policy."""

from __future__ import annotations

import threading
from functools import partial
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

import build
from tests.e2e.conftest import App, new_context, take_reports

SINKS = """(probe) => {
    const results = {};
    try { document.createElement("div").innerHTML = probe; results.html = "assigned"; }
    catch (error) { results.html = error.name; }
    try { new Worker("app/worker.js", { type: "module" }); results.worker = "started"; }
    catch (error) { results.worker = error.name; }
    return results;
}"""


@pytest.mark.parametrize(
    "path", ["app/worker.js", "sw.js", "pyodide/pyodide.mjs", "index.html", "no-such-file"]
)
def test_every_response_carries_the_policy(app: Any, path: str) -> None:
    # RELIABILITY 17: a worker runs under its own response's policy, so the worker script must carry it.
    response = app.page.request.get(app.base_url + path)
    assert response.headers["content-security-policy"].startswith(build.CSP)


def test_trusted_types_refuse_html_and_string_script_urls(app: Any) -> None:
    # RELIABILITY 16: `innerHTML = "x"` throws; so does a Worker from a plain string.
    assert app.page.evaluate(SINKS, "x") == {"html": "TypeError", "worker": "TypeError"}
    recorded = app.take_violations()
    assert len(recorded) >= 2
    assert all(line.startswith("require-trusted-types-for") for line in recorded)
    assert take_reports("innerHTML|x")
    assert take_reports("Worker")


def test_the_loupe_policy_admits_only_loupes_scripts(app: Any) -> None:
    results = app.page.evaluate(
        """async (base) => {
            const { scriptURL } = await import(base + "app/trusted.js");
            const attempt = (url) => {
                try { return String(scriptURL(url)); } catch (error) { return error.message; }
            };
            return [attempt(base + "app/worker.js"), attempt(base + "sw.js"),
                    attempt("https://cdn.example/app/worker.js"), attempt(base + "app/explorer.js")];
        }""",
        app.base_url,
    )
    assert results[:2] == [app.base_url + "app/worker.js", app.base_url + "sw.js"]
    assert all("does not allow the script" in message for message in results[2:])


def test_pyodide_cannot_eval_javascript(app: Any) -> None:
    # RELIABILITY 16: without 'unsafe-eval', pyodide.code.run_js fails (Pyodide itself boots fine: it
    # needs only 'wasm-unsafe-eval'). A second Pyodide in the app's worker, to reach run_js directly.
    worker = next(w for w in app.page.workers if w.url.endswith("/app/worker.js"))
    # The worker is busy for seconds with no request pending: the supervisor must not replace it.
    app.page.evaluate("() => { globalThis.LOUPE_PINGS = false; }")
    message = worker.evaluate(
        """async () => {
            const { loadPyodide } = await import(new URL("../pyodide/pyodide.mjs", location.href).href);
            const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/", location.href).href });
            try { pyodide.runPython("from pyodide.code import run_js; run_js('1 + 1')"); return "ran"; }
            catch (error) { return String(error); }
        }"""
    )
    app.page.evaluate("() => { delete globalThis.LOUPE_PINGS; }")
    assert "EvalError" in message
    assert "unsafe-eval" in message
    assert take_reports("1 + 1") or take_reports("eval")


def test_png_export_works_under_the_policy(app: Any) -> None:
    app.show_sample()
    app.page.click("#export-menu")
    with app.page.expect_download() as info:
        app.page.click("#export-png")
    assert info.value.suggested_filename.endswith(".png")
    with open(info.value.path(), "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_png_that_cannot_be_drawn_says_so_in_the_page(app: Any) -> None:
    app.show_sample()
    page = app.page
    page.evaluate(
        """() => {
            window.__decode = HTMLImageElement.prototype.decode;
            HTMLImageElement.prototype.decode = () => Promise.reject(new DOMException("no", "EncodingError"));
        }"""
    )
    try:
        page.click("#export-menu")
        page.click("#export-png")
        page.wait_for_selector("#status:not([hidden])")
        assert "Could not draw the chart as a PNG" in app.status()
    finally:
        page.evaluate("() => { HTMLImageElement.prototype.decode = window.__decode; }")


def test_the_meta_fallback_alone_keeps_trusted_types(browser: Any, base_url: str) -> None:
    # A host that cannot send headers: the pages' <meta> policy still enforces Trusted Types, and the app
    # works under it (the worker then runs without a policy: docs/security.md says to prefer headers).
    handler = type("MetaOnly", (build.Handler,), {"policy": ""})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(build.DIST)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = new_context(browser)
    try:
        app = App(context.new_page(), f"http://127.0.0.1:{server.server_address[1]}/").open()
        assert app.page.locator("#row-count").inner_text() == "4,631 rows"
        response = app.page.request.get(app.base_url + "app/worker.js")
        assert "content-security-policy" not in response.headers
        assert app.page.evaluate(SINKS, "x") == {"html": "TypeError", "worker": "TypeError"}
        assert len(app.take_violations()) >= 2
    finally:
        context.close()
        server.shutdown()
