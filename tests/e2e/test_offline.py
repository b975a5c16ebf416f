"""After one visit the service worker has precached everything: reloading offline still shows the app."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import BOOT_TIMEOUT_MS, App, new_context


def test_offline_reload_shows_the_app_and_sample(browser: Any, base_url: str) -> None:
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
    finally:
        context.close()
