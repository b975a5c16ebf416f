"""<loupe-view> on other people's pages: their CSS cannot change it (RELIABILITY 49), and when their
page or server refuses what the widget needs (CORS, CSP), the box says which rule and what to allow
(RELIABILITY 50, 52)."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import BOOT_TIMEOUT_MS, NO_SNAPSHOTS

HOSTILE = "html{font-size:62.5%} *{line-height:3;color:red;text-align:right}"
SETTLED = """() => [...document.querySelectorAll('loupe-view')].every(
    (el) => ['ready', 'error'].includes(el.dataset.loupeState) && Number(el.dataset.loupeRenders) > 0)"""
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Pixels that differ by more than a little in any channel, counted in the page (no image library needed).
DIFFERENT_PIXELS = """async ([a, b]) => {
    const decode = async (b64) => {
        const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height);
    };
    const [x, y] = [await decode(a), await decode(b)];
    if (x.width !== y.width || x.height !== y.height) return {size: [x.width, x.height, y.width, y.height]};
    let different = 0;
    for (let i = 0; i < x.data.length; i += 4) {
        for (let c = 0; c < 4; c += 1) {
            if (Math.abs(x.data[i + c] - y.data[i + c]) > 16) { different += 1; break; }
        }
    }
    return {different, total: x.width * x.height};
}"""
# What a reader sees of the key parts: the same numbers on a plain and on a hostile page.
LOOK = """() => [...document.querySelectorAll('loupe-view')].map((el) => {
    const box = el.shadowRoot.querySelector('.loupe-widget');
    const parts = [box, ...box.querySelectorAll('.status, th, td, .chart svg, caption')];
    return parts.filter((part) => !part.closest('[hidden]')).slice(0, 12).map((part) => {
        const style = getComputedStyle(part);
        const rect = part.getBoundingClientRect();
        return [part.tagName, style.color, style.lineHeight, style.fontSize, style.textAlign,
                style.fontFamily, style.paddingLeft, Math.round(rect.width), Math.round(rect.height)];
    });
})"""


def serve(directory: Path, headers: dict[str, str] | None = None) -> ThreadingHTTPServer:
    """A second origin on localhost (the app is on 127.0.0.1), sending `headers` with every file."""

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def handle(self) -> None:
            with suppress(BrokenPipeError, ConnectionResetError):  # the browser closed the tab
                super().handle()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 900, "height": 1400})
    context.add_init_script(NO_SNAPSHOTS)
    yield context.new_page()
    context.close()


@contextmanager
def host_page(
    tmp_path: Path, body: str, base_url: str, headers: dict[str, str] | None = None
) -> Iterator[str]:
    """The URL of a blog post on another origin that loads the widget from base_url."""
    (tmp_path / "post.html").write_text(
        f"""<!doctype html><html><head><meta charset="utf-8"><base href="{base_url}">
        <script type="module" src="app/loupe-view.js"></script></head>
        <body style="margin:0">{body}</body></html>""",
        encoding="utf-8",
    )
    server = serve(tmp_path, headers)
    try:
        yield f"http://localhost:{server.server_address[1]}/post.html"
    finally:
        server.shutdown()


def test_host_css_cannot_change_the_widget(page: Any, base_url: str, tmp_path: Path) -> None:
    # RELIABILITY 49: one page, two widgets (a table and a chart, and one showing an error); the
    # hostile sheet goes in after they rendered, so both screenshots show the very same render.
    body = """<div style="width:640px">
        <loupe-view id="both" src="sample/sales.csv" show="chart table"
            pipeline='[{"verb": "limit", "n": 4}]'
            chart='{"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}'></loupe-view>
        <loupe-view id="bad" src="sample/sales.csv" show="table"
            pipeline='[{"verb": "filter", "column": "nope", "op": "==", "value": 1}]'></loupe-view></div>"""
    with host_page(tmp_path, body, base_url) as url:
        page.goto(url)
        page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    page.evaluate(NEXT_FRAME)
    assert page.locator("#both tbody tr").count() == 4
    assert page.locator("#bad .status.error").is_visible()
    plain = [page.locator(f"#{name}").screenshot() for name in ("both", "bad")]
    plain_look = page.evaluate(LOOK)
    page.add_style_tag(content=HOSTILE)
    page.evaluate(NEXT_FRAME)
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(255, 0, 0)"  # the sheet applies
    hostile = [page.locator(f"#{name}").screenshot() for name in ("both", "bad")]
    assert page.evaluate(LOOK) == plain_look
    for before, after in zip(plain, hostile, strict=True):
        compared = page.evaluate(DIFFERENT_PIXELS, [b64(before), b64(after)])
        assert compared.get("different") == 0, compared


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def widget_state(page: Any, selector: str = "loupe-view") -> dict[str, Any]:
    return page.eval_on_selector(
        selector,
        """(el) => ({state: el.dataset.loupeState, status: el.shadowRoot.querySelector('.status').hidden
            ? '' : el.shadowRoot.querySelector('.status').textContent})""",
    )


def record_errors(page: Any) -> None:
    page.add_init_script(
        """window.loupeErrors = [];
        addEventListener('loupe-error', (event) => window.loupeErrors.push(event.detail), true);"""
    )


def test_quiet_by_default_and_notes_with_status(page: Any, base_url: str, tmp_path: Path) -> None:
    body = """<loupe-view id="quiet" src="sample/sales.csv" show="table"></loupe-view>
        <loupe-view id="told" status src="sample/sales.csv" show="table"></loupe-view>"""
    with host_page(tmp_path, body, base_url) as url:
        page.goto(url)
        page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    assert widget_state(page, "#quiet") == {"state": "ready", "status": ""}
    told = widget_state(page, "#told")
    assert told["state"] == "ready"
    assert told["status"].startswith("Opened sales.csv: encoding: UTF-8")


def test_a_server_without_cors_is_named(page: Any, base_url: str, tmp_path: Path) -> None:
    # RELIABILITY 52 and 18: the data lives on a third origin that sends no Access-Control-Allow-Origin;
    # the message says the server does not allow other sites to read it.
    data = tmp_path / "data"
    data.mkdir()
    (data / "sales.csv").write_text("region,revenue\nNorth,1\n", encoding="utf-8")
    other = serve(data)
    host = f"localhost:{other.server_address[1]}"
    record_errors(page)
    body = f"""<loupe-view id="far" src="http://{host}/sales.csv"></loupe-view>
        <loupe-view id="missing" src="sample/nope.csv"></loupe-view>"""
    try:
        with host_page(tmp_path, body, base_url) as url:
            page.goto(url)
            page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    finally:
        other.shutdown()
    far = widget_state(page, "#far")
    assert far["state"] == "error"
    assert f"the server at {host} does not allow other sites to read this file" in far["status"]
    missing = widget_state(page, "#missing")
    assert "answered 404" in missing["status"], missing
    causes = sorted(error["cause"] for error in page.evaluate("window.loupeErrors"))
    assert causes == ["cors", "http"]


@pytest.mark.parametrize(
    ("policy", "named"),
    [
        ("script-src 'self' {assets}; worker-src blob:", "`script-src 'wasm-unsafe-eval'`"),
        ("script-src 'self' {assets} 'wasm-unsafe-eval'; worker-src 'self'", "`worker-src blob: {assets}`"),
        # Blob workers allowed, but a module worker's imports are ruled by worker-src too.
        ("script-src 'self' {assets} 'wasm-unsafe-eval'; worker-src blob:", "`worker-src blob: {assets}`"),
    ],
    ids=["no-wasm", "no-blob-worker", "no-asset-host"],
)
def test_a_host_csp_that_blocks_python_is_named(
    page: Any, base_url: str, tmp_path: Path, policy: str, named: str
) -> None:
    # RELIABILITY 50: the host page's own Content-Security-Policy header; the widget's assets and the
    # worker it starts (a blob that imports Loupe's) are ruled by it.
    assets = base_url.rstrip("/")
    headers = {"Content-Security-Policy": policy.format(assets=assets)}
    record_errors(page)
    with host_page(tmp_path, '<loupe-view src="sample/sales.csv"></loupe-view>', base_url, headers) as url:
        page.goto(url)
        page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    state = widget_state(page)
    assert state["state"] == "error"
    assert "This page's Content-Security-Policy blocks" in state["status"]
    assert named.format(assets=assets) in state["status"], state
    assert [error["cause"] for error in page.evaluate("window.loupeErrors")] == ["csp"]


def test_the_named_directives_are_enough(page: Any, base_url: str, tmp_path: Path) -> None:
    # The advice above works: a policy that adds just what the messages name runs the widget.
    assets = base_url.rstrip("/")
    policy = f"script-src 'self' {assets} 'wasm-unsafe-eval'; worker-src blob: {assets}"
    body = '<loupe-view src="sample/sales.csv" show="table"></loupe-view>'
    with host_page(tmp_path, body, base_url, {"Content-Security-Policy": policy}) as url:
        page.goto(url)
        page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    assert widget_state(page) == {"state": "ready", "status": ""}
    assert page.locator("loupe-view tbody tr").count() == 20
