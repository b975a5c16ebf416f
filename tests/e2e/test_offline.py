"""After one visit the service worker has precached everything: reloading offline still shows the app,
opens local files, and says "offline" for a web address (RELIABILITY 42)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import BOOT_TIMEOUT_MS, App, new_context


def test_offline_reload_shows_the_app_and_sample(browser: Any, base_url: str, tmp_path: Path) -> None:
    # RELIABILITY 42: installed, activated, then offline: the shell and Pyodide come from the precache.
    context = new_context(browser)
    try:
        app = App(context.new_page(), base_url).open()
        # The service worker has installed (precache done) once it is active and controls the page.
        app.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        app.page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=BOOT_TIMEOUT_MS
        )
        context.set_offline(True)
        app.page.reload()
        app.wait_ready(timeout=BOOT_TIMEOUT_MS)
        assert app.page.locator("#table tbody tr").count() > 0
        assert app.page.locator("#chart svg .bar").count() > 0
        data = tmp_path / "local.csv"
        data.write_text("city,n\nLyon,1\nNantes,2\n", encoding="utf-8")
        app.act(lambda: app.page.set_input_files("#file-input", str(data)))
        assert app.column("city") == ["Lyon", "Nantes"]
        app.page.fill("#url-input", base_url + "sample/not-precached.csv")
        app.act(lambda: app.page.click("#url-form button[type=submit]"))
        assert app.status().startswith("offline: not-precached.csv cannot be fetched"), app.status()
        assert app.column("city") == ["Lyon", "Nantes"]
    finally:
        context.close()
