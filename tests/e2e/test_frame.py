"""The iframe embed (dist/frame.html) on a page of another origin: the host drives it with postMessage
and hears ready/change/select/error/result; a message from any window but its parent at the origin it
was given is ignored, an invalid one from the host is answered with an error, and nothing the frame
sends goes to '*' (RELIABILITY 51)."""

from __future__ import annotations

import base64
import csv
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from loupe.sample import sample_csv

import build
from tests.e2e.conftest import ACTION_TIMEOUT_MS, BOOT_TIMEOUT_MS, CSP_REPORTS, DIST, new_context
from tests.e2e.test_widget_host import serve

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))
BY_REGION = {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}
BY_CHANNEL = {"type": "bar", "x": "channel", "agg": "count"}
# A host page: the frame, a sibling frame of the host's own origin, and a record of every message.
HOST = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<iframe id="loupe" name="loupe" width="700" height="420" src="{frame}"></iframe>
<iframe id="sibling" src="sibling.html"></iframe>
<script>
window.received = [];
const frame = document.querySelector('#loupe');
addEventListener('message', (event) => window.received.push({origin: event.origin,
    fromFrame: event.source === frame.contentWindow, data: event.data}));
window.send = (message) => frame.contentWindow.postMessage(message, new URL(frame.src).origin);
</script></body></html>"""
SIBLING = """<!doctype html><html><head><meta charset="utf-8"></head><body><script>
window.sendToLoupe = (message, origin) => parent.frames.loupe.postMessage(message, origin);
</script></body></html>"""
WIDGET = "() => document.querySelector('loupe-view')"
SETTLED = """() => { const el = document.querySelector('loupe-view');
    return ['ready', 'error'].includes(el.dataset.loupeState) && Number(el.dataset.loupeRenders) > 0; }"""
IGNORED = "(n) => Number(document.documentElement.dataset.loupeIgnored || 0) > n"
BARS = "() => document.querySelector('loupe-view').shadowRoot.querySelectorAll('.chart [data-index]').length"


def msg(type: str, **fields: Any) -> dict[str, Any]:
    return {"loupe": "frame", "version": 1, "type": type, **fields}


@pytest.fixture(scope="module")
def frame_base(base_url: str) -> Iterator[str]:
    """dist/ on a port of its own whose frame.html any localhost page may frame (build.frame_policy,
    as `build.py serve --frame-ancestors 'http://localhost:*'` does); the host pages are on localhost."""
    server = build.serve_in_background(DIST, reports=CSP_REPORTS, frame_ancestors="http://localhost:*")
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def host_site(directory: Path, frame_url: str) -> tuple[Any, str]:
    """A host site on a localhost port: post.html frames `frame_url` (`{origin}` is the site's)."""
    directory.mkdir()
    server = serve(directory)
    origin = f"http://localhost:{server.server_address[1]}"
    frame = frame_url.format(origin=quote(origin, safe=""))
    (directory / "post.html").write_text(HOST.replace("{frame}", frame), encoding="utf-8")
    (directory / "sibling.html").write_text(SIBLING, encoding="utf-8")
    return server, origin


class Host:
    """The host page, its Loupe frame, and waits on the messages the frame sends."""

    def __init__(self, page: Any, origin: str) -> None:
        self.page = page
        self.origin = origin
        self.frame = page.query_selector("#loupe").content_frame()
        self.sibling = page.query_selector("#sibling").content_frame()

    def received(self, type: str | None = None) -> list[dict[str, Any]]:
        found = self.page.evaluate("() => window.received")
        return [m for m in found if type is None or m["data"].get("type") == type]

    def send(self, message: Any) -> None:
        self.page.evaluate("(message) => window.send(message)", message)

    def wait_for(self, type: str, after: int = 0, timeout: int = ACTION_TIMEOUT_MS) -> dict[str, Any]:
        """The next message of `type` once more than `after` of them arrived, checked as the host must."""
        try:
            self.page.wait_for_function(
                "([type, n]) => window.received.filter((m) => m.data.type === type).length > n",
                arg=[type, after],
                timeout=timeout,
            )
        except Exception:
            heard = [(m["data"].get("type"), m["data"].get("message")) for m in self.received()]
            pytest.fail(f"no {type} message after {after}; the host heard {heard}")
        message = self.received(type)[after]
        assert message["fromFrame"] and message["origin"] == self.frame_origin()
        assert message["data"]["loupe"] == "frame" and message["data"]["version"] == 1
        return message["data"]

    def frame_origin(self) -> str:
        return self.frame.evaluate("() => location.origin")

    def ignored(self) -> int:
        return int(self.frame.evaluate("() => document.documentElement.dataset.loupeIgnored || 0"))

    def chart(self) -> Any:
        return self.frame.evaluate(f"() => ({WIDGET})().chart")


@pytest.fixture(scope="module")
def host(browser: Any, frame_base: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    """One host page (one Pyodide boot) for the module; the frame starts with revenue by region."""
    chart = quote(json.dumps(BY_REGION))
    url = f"{frame_base}frame.html?origin={{origin}}&show=chart&chart={chart}"
    server, origin = host_site(tmp_path_factory.mktemp("host") / "site", url)
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.goto(f"{origin}/post.html")
    host = Host(page, origin)
    host.wait_for("ready", timeout=BOOT_TIMEOUT_MS)
    yield host
    context.close()
    server.shutdown()


def test_the_host_drives_the_frame_and_hears_its_events(host: Host) -> None:
    ready = host.received("ready")[0]["data"]
    assert ready["rows"] == len(SAMPLE)
    change = host.wait_for("change")
    assert change["document"]["charts"][0]["spec"] == BY_REGION
    assert host.frame.evaluate(BARS) == len({row["region"] for row in SAMPLE})

    changes = len(host.received("change"))
    host.send(msg("set-chart", chart=BY_CHANNEL))
    change = host.wait_for("change", after=changes)
    assert change["document"]["charts"][0]["spec"] == BY_CHANNEL
    assert host.frame.evaluate(BARS) == len({row["channel"] for row in SAMPLE})

    host.send(
        msg("set-pipeline", pipeline=[{"verb": "filter", "column": "region", "op": "==", "value": "North"}])
    )
    host.wait_for("change", after=changes + 1)
    host.send(msg("get-result", id="north"))
    result = host.wait_for("result")
    assert result["id"] == "north"
    assert len(result["rows"]) == sum(row["region"] == "North" for row in SAMPLE)
    assert {row["region"] for row in result["rows"]} == {"North"}

    # Choosing a bar in the frame tells the host what was chosen.
    host.frame.evaluate(
        """() => document.querySelector('loupe-view').shadowRoot.querySelector('.chart [data-index]')
            .dispatchEvent(new MouseEvent('click', {bubbles: true, composed: true}))"""
    )
    selected = host.wait_for("select")
    assert selected["column"] == "channel"
    assert selected["value"] in {row["channel"] for row in SAMPLE}
    host.send(msg("set-pipeline", pipeline=[]))
    host.wait_for("change", after=changes + 2)


def test_a_valid_message_from_a_foreign_frame_is_ignored(host: Host) -> None:
    # RELIABILITY 51: a sibling frame of the host's own origin (so the origin check alone would pass)
    # posts a well-formed set-chart to the Loupe frame; only window.parent counts.
    before, changes, chart = host.ignored(), len(host.received("change")), host.chart()
    host.sibling.evaluate(
        "([message, origin]) => window.sendToLoupe(message, origin)",
        [msg("set-chart", chart={"type": "bar", "x": "product", "agg": "count"}), host.frame_origin()],
    )
    host.frame.wait_for_function(IGNORED, arg=before)
    assert host.chart() == chart
    # The host's own next message is taken, and is the only change: the sibling's never happened.
    host.send(msg("set-chart", chart=BY_REGION))
    change = host.wait_for("change", after=changes)
    assert change["document"]["charts"][0]["spec"] == BY_REGION
    assert len(host.received("change")) == changes + 1
    assert host.received("error") == []


def test_the_parent_at_another_origin_is_ignored_and_hears_nothing(
    browser: Any, frame_base: str, tmp_path: Path
) -> None:
    # RELIABILITY 51: a page at another origin frames Loupe claiming to be the blog (origin=the blog's);
    # its messages come from window.parent, but from the wrong origin, and the frame's replies, addressed
    # to the blog, never reach it.
    blog = "http://localhost:1"  # the origin it pretends to be; nothing needs to listen there
    chart = quote(json.dumps(BY_REGION))
    url = f"{frame_base}frame.html?origin={quote(blog, safe='')}&show=chart&chart={chart}"
    server, origin = host_site(tmp_path / "evil", url)
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{origin}/post.html")
        evil = Host(page, origin)
        evil.frame.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
        assert evil.frame.evaluate(f"() => ({WIDGET})().dataset.loupeState") == "ready"
        before = evil.ignored()
        evil.send(msg("set-chart", chart=BY_CHANNEL))
        evil.frame.wait_for_function(IGNORED, arg=before)
        assert evil.chart() == BY_REGION
        evil.send(msg("get-result", id=1))
        evil.frame.wait_for_function(IGNORED, arg=before + 1)
        assert evil.received() == []  # no ready, change or result reached this page
    finally:
        context.close()
        server.shutdown()


def url_document(url: str, chart: dict[str, Any] | None = None) -> dict[str, Any]:
    name = url.rsplit("/", 1)[-1]
    return {
        "loupe": "document",
        "version": 1,
        "sources": [{"id": "s1", "name": name, "kind": "url", "url": url, "table": "data"}],
        "tables": [{"name": "data", "source": "s1", "steps": []}],
        "charts": [{"table": "data", "spec": chart}] if chart else [],
        "view": {},
    }


def test_data_on_a_third_origin_is_refused(host: Host) -> None:
    # The frame reads data from its own origin or its host's (whose origin the page must also allow in
    # connect-src: `https:` does for https hosts), never from where a document it was sent points.
    errors, readies = len(host.received("error")), len(host.received("ready"))
    host.send(msg("set-document", document=url_document("http://localhost:1/sales.csv")))
    error = host.wait_for("error", after=errors)
    assert error["cause"] == "src"
    assert f"its host's ({host.origin}), not from http://localhost:1" in error["message"]
    # Its own origin's file, named by an absolute URL, is read.
    own = f"{host.frame_origin()}/sample/sales.csv?again"
    host.send(msg("set-document", document=url_document(own, BY_REGION)))
    assert host.wait_for("ready", after=readies)["rows"] == len(SAMPLE)


def link_value(doc: dict[str, Any]) -> str:
    """A document as share links carry it after `#loupe=` (app/share.js): format 1, deflate-raw, base64url."""
    packer = zlib.compressobj(wbits=-15)
    packed = packer.compress(json.dumps(doc).encode()) + packer.flush()
    return "1." + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def test_the_url_gives_the_document_and_a_bad_one_is_named(browser: Any, frame_base: str) -> None:
    doc = url_document("sample/sales.csv", BY_CHANNEL)
    doc["tables"][0]["steps"] = [
        {"verb": "sort", "by": [{"column": "revenue", "desc": True}]},
        {"verb": "limit", "n": 5},
    ]
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{frame_base}frame.html?doc={link_value(doc)}")
        page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
        widget = page.evaluate(
            """() => { const el = document.querySelector('loupe-view');
                return {state: el.dataset.loupeState, chart: el.chart, pipeline: el.pipeline,
                        rows: el.shadowRoot.querySelectorAll('tbody tr').length}; }"""
        )
        assert widget == {
            "state": "ready",
            "chart": BY_CHANNEL,
            "pipeline": doc["tables"][0]["steps"],
            "rows": 5,
        }
        top = sorted(SAMPLE, key=lambda row: -float(row["revenue"]))[:5]
        assert page.evaluate(BARS) == len({row["channel"] for row in top})
        for url, said in [
            ("frame.html?doc=1.AAAA", "This link is damaged"),
            ("frame.html#loupe=1.not*base64", "This link is damaged (it has characters"),
            (
                "frame.html?origin=https://blog.example/post",
                'The origin parameter "https://blog.example/post" is not',
            ),
        ]:
            page.goto(frame_base + url)
            page.wait_for_selector("#frame-status:not([hidden])")
            assert said in page.inner_text("#frame-status")
            assert page.evaluate(f"() => ({WIDGET})().dataset.loupeState") in (None, "booting")
    finally:
        context.close()


BAD_MESSAGES = [
    (msg("set-colour", colour="red"), 'type "set-colour": expected one of set-document'),
    (msg("set-chart", chart="bar"), "chart: expected a chart spec"),
    (msg("set-chart", chart=BY_CHANNEL, extra=1), 'set-chart: unknown field "extra"'),
    (msg("set-chart"), 'set-chart: the field "chart" is missing'),
    (msg("set-pipeline", pipeline={"verb": "limit"}), "pipeline: expected a list of steps"),
    ({**msg("set-chart", chart=BY_CHANNEL), "version": 2}, "this frame speaks version 1"),
    ({"type": "set-chart", "chart": BY_CHANNEL}, "not a Loupe frame message"),
    (
        msg("set-document", document={"loupe": "document", "version": 1}),
        "document: This message's document has no list of sources",
    ),
    (msg("get-result", id="x" * 300), "id: expected a string"),
    (msg("set-chart", chart={**BY_CHANNEL, "note": "x" * (1024 * 1024)}), "messages up to 1024 kB are read"),
]


def test_an_invalid_message_from_the_host_is_refused_with_an_error(host: Host) -> None:
    # RELIABILITY 51: the schema is checked even for the legitimate parent; each refusal says why.
    chart = host.chart()
    for message, reason in BAD_MESSAGES:
        errors = len(host.received("error"))
        host.send(message)
        error = host.wait_for("error", after=errors)
        assert error["cause"] == "message"
        assert reason in error["message"], (message, error)
    assert host.chart() == chart


def test_a_step_python_refuses_comes_back_as_an_error(host: Host) -> None:
    errors = len(host.received("error"))
    host.send(msg("set-pipeline", pipeline=[{"verb": "filter", "column": "regoin", "op": "==", "value": 1}]))
    error = host.wait_for("error", after=errors)
    assert "regoin" in error["message"]
    assert error["step"] == 1
    host.send(msg("set-pipeline", pipeline=[]))


# In the Loupe frame, before its scripts: wrap its parent's postMessage with a function of the frame's
# own realm (so the host still sees the frame as the message's source) that notes each target origin.
POSTED = """if (window !== window.top && location.pathname.endsWith('/frame.html')) {
    const host = window.parent;
    const real = host.postMessage;
    host.posted = [];
    host.postMessage = function (message, target, transfer) {
        const origin = typeof target === 'string' ? target : target?.targetOrigin ?? '/';
        host.posted.push({type: message?.type, target: origin});
        return real.apply(this, arguments);
    };
}"""


def test_the_frame_never_posts_to_star(browser: Any, frame_base: str) -> None:
    # RELIABILITY 51: on a host of its own origin (dist/frame-example.html), where the frame can reach
    # its parent's postMessage, and the test sees each call the frame makes with its target origin.
    context = new_context(browser)
    try:
        context.add_init_script(POSTED)
        page = context.new_page()
        page.goto(f"{frame_base}frame-example.html")
        page.wait_for_function(
            "() => document.querySelectorAll('#frame-log li').length >= 2", timeout=BOOT_TIMEOUT_MS
        )
        page.click("#by-channel")
        page.click("#rows")
        page.wait_for_function(
            """() => [...document.querySelectorAll('#frame-log li')]
                .some((li) => li.textContent.startsWith('result'))"""
        )
        posted = page.evaluate("() => window.posted")
        origin = frame_base.rstrip("/")
        assert {p["type"] for p in posted} >= {"ready", "change", "result"}
        assert all(p["target"] == origin for p in posted), posted
    finally:
        context.close()
