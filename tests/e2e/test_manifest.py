"""The app is installable (RELIABILITY 54): the manifest's required fields and icons, the icons served
with the sizes they claim, the service worker activated, and start_url answered by it offline."""

from __future__ import annotations

import json
import struct
from typing import Any
from urllib.parse import urljoin
from urllib.request import urlopen

from tests.e2e.conftest import BOOT_TIMEOUT_MS, App, new_context

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (its first chunk must be IHDR)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR", "a PNG starts with its IHDR chunk"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def fetch(url: str) -> tuple[int, str, bytes]:
    with urlopen(url, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_the_manifest_names_the_app_and_its_icons_are_served_at_their_sizes(base_url: str) -> None:
    # RELIABILITY 54: the fields an install needs, and PNG icons 192, 512 and maskable 512 (plus the SVG).
    status, kind, body = fetch(base_url + "manifest.webmanifest")
    assert status == 200 and kind.startswith("application/manifest+json")
    manifest = json.loads(body)
    for field in ("name", "short_name", "start_url", "scope", "display", "background_color", "theme_color"):
        assert manifest.get(field), f"the manifest has no {field}"
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    icons = {(icon["sizes"], icon.get("purpose", "any"), icon["type"]) for icon in manifest["icons"]}
    assert {
        ("192x192", "any", "image/png"),
        ("512x512", "any", "image/png"),
        ("512x512", "maskable", "image/png"),
        ("any", "any", "image/svg+xml"),
    } <= icons
    precached = json.loads(fetch(base_url + "build.json")[2])["files"]
    for icon in manifest["icons"]:
        url = urljoin(base_url + "manifest.webmanifest", icon["src"])
        status, kind, data = fetch(url)
        assert status == 200 and kind == icon["type"], (url, status, kind)
        assert icon["src"] in precached, f"{icon['src']} is not precached for offline use"
        if icon["type"] == "image/png":
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert png_size(data) == (width, height), url


def test_the_service_worker_activates_and_answers_start_url_offline(browser: Any, base_url: str) -> None:
    # RELIABILITY 54: the worker reaches "activated"; offline, start_url and the icons come from it (200).
    context = new_context(browser)
    try:
        app = App(context.new_page(), base_url).open()
        page = app.page
        state = page.evaluate(
            """() => navigator.serviceWorker.ready.then((registration) => new Promise((resolve) => {
                const worker = registration.active;
                if (worker.state === "activated") resolve(worker.state);
                else worker.addEventListener("statechange", () => resolve(worker.state));
            }))"""
        )
        assert state == "activated"
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=BOOT_TIMEOUT_MS)
        # Chromium's own installability check (what its install prompt requires) finds nothing missing
        # in the app; "in-incognito" is the test's throwaway browser context, not the app.
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
        manifest_url = base_url + "manifest.webmanifest"
        manifest = json.loads(fetch(manifest_url)[2])
        context.set_offline(True)
        start = page.evaluate(
            "async (url) => { const r = await fetch(url); return {status: r.status, text: await r.text()}; }",
            urljoin(manifest_url, manifest["start_url"]),
        )
        assert start["status"] == 200
        assert '<link rel="manifest" href="manifest.webmanifest">' in start["text"]  # the app's page
        pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
        heads = page.evaluate(
            """(urls) => Promise.all(urls.map(async (url) => {
                const response = await fetch(url);
                const bytes = new Uint8Array(await response.arrayBuffer());
                return {status: response.status, head: Array.from(bytes.slice(0, 24))};
            }))""",
            [urljoin(manifest_url, icon["src"]) for icon in pngs],
        )
        for answer, icon in zip(heads, pngs, strict=True):
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert answer["status"] == 200 and png_size(bytes(answer["head"])) == (width, height), icon
    finally:
        context.close()
