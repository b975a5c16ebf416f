"""Updates and offline storage (RELIABILITY 44-46): a new version waits for the user's "Reload", a deploy
that lands mid-install is caught by build.json's hashes, and full storage is said, not silent. Each test
serves its own copy of dist/, so it can deploy a version N+1 beside the N the page runs."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import build
from tests.e2e.conftest import BOOT_TIMEOUT_MS, CSP_REPORTS, DIST, App, new_context

CACHES = "() => caches.keys().then((names) => names.filter((name) => name.startsWith('loupe-')).sort())"
SERVED_VERSION = "() => fetch('build.json').then((r) => r.json()).then((b) => b.version)"
CONTROLLED = "() => navigator.serviceWorker.controller !== null"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    if not (DIST / "build.json").exists():
        build.build()
    root = tmp_path / "site"
    shutil.copytree(DIST, root)
    server = build.serve_in_background(root, reports=CSP_REPORTS)
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def deploy(root: Path, *, honest: bool = True) -> str:
    """Version N+1 on the server: a changed stylesheet, a new build.json and sw.js. Dishonest: build.json
    lists a hash the stylesheet does not have (a deploy caught half-way)."""
    manifest = json.loads((root / "build.json").read_text())
    old = manifest["version"]
    css = root / "app" / "loupe.css"
    css.write_text(css.read_text() + "\n/* version N+1 */\n")
    digest = hashlib.sha256(css.read_bytes()).hexdigest()[:16]
    manifest["files"]["app/loupe.css"] = digest if honest else "0" * 16
    manifest["version"] = new = hashlib.sha256(old.encode()).hexdigest()[:16]
    (root / "build.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    worker = root / "sw.js"
    worker.write_text(worker.read_text().replace(old, new))
    return new


def installed_app(browser: Any, url: str) -> tuple[Any, App, str]:
    context = new_context(browser)
    app = App(context.new_page(), url).open()
    app.page.wait_for_function(CONTROLLED, timeout=BOOT_TIMEOUT_MS)
    return context, app, app.page.evaluate(SERVED_VERSION)


def test_a_new_version_waits_for_reload(browser: Any, site: tuple[Path, str]) -> None:
    # RELIABILITY 44: no takeover of an open tab; an "update available" prompt; the reload switches.
    root, url = site
    context, app, old = installed_app(browser, url)
    try:
        new = deploy(root)
        page = app.page
        page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_selector("#update-notice", timeout=BOOT_TIMEOUT_MS)
        assert "A new version of Loupe is ready" in page.inner_text("#update-notice")
        assert page.evaluate(SERVED_VERSION) == old  # the open tab is still served version N, whole
        assert page.evaluate(CACHES) == sorted([f"loupe-{old}", f"loupe-{new}"])
        # Work done just before the update is saved first and opens again in the new version.
        page.fill("#step-json", '{"verb": "limit", "n": 7}')
        app.act(lambda: page.click("#step-submit"))
        with page.expect_navigation(timeout=BOOT_TIMEOUT_MS):
            page.click("#update-reload")
        app.wait_ready(timeout=BOOT_TIMEOUT_MS)
        assert page.locator("#row-count").inner_text() == "7 rows"
        assert page.evaluate(SERVED_VERSION) == new
        assert page.evaluate(CACHES) == [f"loupe-{new}"]
        assert "version N+1" in page.evaluate("() => fetch('app/loupe.css').then((r) => r.text())")
    finally:
        context.close()


def test_a_deploy_that_lands_mid_install_keeps_the_old_version(browser: Any, site: tuple[Path, str]) -> None:
    # RELIABILITY 45: build.json's hash does not match a file: the install is abandoned whole.
    root, url = site
    context, app, old = installed_app(browser, url)
    try:
        deploy(root, honest=False)
        page = app.page
        page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_selector("#offline-notice", timeout=BOOT_TIMEOUT_MS)
        text = page.inner_text("#offline-notice")
        assert "app/loupe.css does not match build.json" in text
        assert "this version keeps working" in text
        assert page.evaluate(CACHES) == [f"loupe-{old}"]  # no half cache of the new version
        context.set_offline(True)
        page.reload()
        app.wait_ready(timeout=BOOT_TIMEOUT_MS)
        assert page.evaluate(SERVED_VERSION) == old
        assert page.locator("#table tbody tr").count() > 0
    finally:
        context.close()


def test_full_storage_says_offline_mode_is_unavailable(browser: Any, site: tuple[Path, str]) -> None:
    # RELIABILITY 46: a QuotaExceededError while precaching: a message, no half cache, the app works.
    _, url = site
    context = new_context(browser)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Storage.overrideQuotaForOrigin", {"origin": url.rstrip("/"), "quotaSize": 2_000_000})
        app = App(page, url).open()
        page.wait_for_selector("#offline-notice", timeout=BOOT_TIMEOUT_MS)
        assert "Offline mode unavailable (storage full)" in page.inner_text("#offline-notice")
        assert page.evaluate(CACHES) == []
        assert page.locator("#row-count").inner_text() == "4,631 rows"
        app.act(lambda: page.select_option("#chart-type", "histogram"))
        assert page.locator("#chart svg .mark").count() > 0
    finally:
        context.close()
