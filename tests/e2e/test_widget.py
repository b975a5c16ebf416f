"""<loupe-view> on a page: two widgets share one worker, each renders in its own shadow root."""

from __future__ import annotations

import csv
import io
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from loupe.sample import sample_csv

from tests.e2e.conftest import BOOT_TIMEOUT_MS, new_context

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))
WIDGETS_READY = """() => [...document.querySelectorAll('loupe-view')].every(
    (el) => el.dataset.loupeState === (el.id === 'typo' ? 'error' : 'ready')
        && Number(el.dataset.loupeRenders) > 0)"""


def test_two_widgets_share_one_worker(browser: Any, base_url: str) -> None:
    context = new_context(browser)
    workers: list[str] = []
    page = context.new_page()
    page.on("worker", lambda worker: workers.append(worker.url))
    try:
        page.goto(base_url + "embed.html")
        page.wait_for_function(WIDGETS_READY, timeout=BOOT_TIMEOUT_MS)
        bars = page.locator("#by-region svg .bar")  # Playwright's CSS pierces open shadow roots
        assert bars.count() == len({row["region"] for row in SAMPLE})
        rows = page.locator("#top-orders tbody tr")
        assert rows.count() == 10
        assert page.locator("#by-region table").count() == 0  # show="chart" hides the table
        assert len(workers) == 1
        # The page's examples: a typo is named with its fix; records set from script are drawn.
        typo = page.locator("#typo .status.error").inner_text()
        assert 'unknown column "regoin"' in typo and 'did you mean "region"' in typo
        assert page.locator("#from-script svg .bar").count() == 3
        assert page.locator("#by-region .status").is_hidden()  # quiet by default
        assert "encoding" in page.locator("#dark .status").inner_text()  # `status` shows the notes
        page.locator("#from-script svg .bar").first.click()
        page.wait_for_function("() => document.querySelector('#chosen').textContent !== 'Choose a bar.'")
        assert page.locator("#chosen").inner_text() in {
            f"You chose {c}." for c in ("Oslo", "Bergen", "Trondheim")
        }
        # Attributes are the widget's state: changing one re-renders it.
        before = int(page.get_attribute("#top-orders", "data-loupe-renders") or 0)
        page.eval_on_selector(
            "#top-orders",
            """(el) => el.pipeline = [{verb: 'filter', column: 'region', op: '==', value: 'West'},
                                      {verb: 'limit', n: 3}]""",
        )
        page.wait_for_function(
            "(n) => Number(document.querySelector('#top-orders').dataset.loupeRenders) > n", arg=before
        )
        assert page.locator("#top-orders tbody tr").count() == 3
        # Removing a widget frees its session; putting it back reads its data again.
        page.eval_on_selector("#top-orders", "(el) => { window.kept = el; el.remove(); }")
        page.evaluate("document.body.append(window.kept)")
        page.wait_for_function(
            "(n) => Number(document.querySelector('#top-orders').dataset.loupeRenders) > n + 1", arg=before
        )
        assert page.locator("#top-orders tbody tr").count() == 3
    finally:
        context.close()


def test_widget_works_with_its_assets_on_another_origin(browser: Any, base_url: str, tmp_path: Path) -> None:
    # The host page is served from a second server (another origin); Loupe's files come from base_url.
    sample = base_url + "sample/sales.csv"
    (tmp_path / "post.html").write_text(
        f"""<!doctype html><html><head><meta charset="utf-8">
        <script type="module" src="{base_url}app/loupe-view.js"></script></head><body>
        <loupe-view id="w" src="{sample}" show="chart"
          chart='{{"type": "column", "x": "channel", "agg": "count"}}'></loupe-view></body></html>""",
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"http://localhost:{server.server_address[1]}/"
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(host + "post.html")
        page.wait_for_function(WIDGETS_READY, timeout=BOOT_TIMEOUT_MS)
        channels = {row["channel"] for row in SAMPLE if row["channel"]}
        assert page.locator("#w svg .mark").count() >= len(channels)
    finally:
        context.close()
        server.shutdown()
