"""The manifest's PNG icons, drawn once from public/icons/icon.svg by headless Chromium and committed
(kept beside tests/e2e/browser.py, whose launcher it uses; the top-level layout is fixed).

    python3 tests/e2e/make_icons.py   # after changing icon.svg; writes public/icons/icon-*.png

Committed rather than made by build.py: the build then needs no browser (it runs on hosts without
one, and stays fast), and three PNGs of a few kB change only when the SVG does. The maskable icon puts
the same drawing on a full-bleed background, scaled into the safe zone (the centre circle of 80 %
the launcher's mask always keeps).
"""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ICONS = ROOT / "public" / "icons"
# name -> (size, maskable)
PNGS = {"icon-192.png": (192, False), "icon-512.png": (512, False), "icon-maskable-512.png": (512, True)}
# The drawing's farthest point (the handle's rounded end, at 55.5, 55.5 of 64) is 33 units from the
# centre; the safe zone's radius is 40 % of 64 = 25.6, so 0.7 keeps it inside with a margin.
MASKABLE_SCALE = 0.7


def maskable(svg: str, background: str) -> str:
    """The icon drawn smaller on a square of its background colour, edge to edge."""
    inner = re.sub(r"^<svg[^>]*>|</svg>\s*$", "", svg.strip())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" fill="{background}"/>'
        f'<g transform="translate(32 32) scale({MASKABLE_SCALE}) translate(-32 -32)">{inner}</g></svg>'
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser import launch

    svg = (ICONS / "icon.svg").read_text()
    background = json.loads((ROOT / "public" / "manifest.webmanifest").read_text())["theme_color"]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for name, (size, is_maskable) in PNGS.items():
                source = maskable(svg, background) if is_maskable else svg
                url = "data:image/svg+xml;base64," + base64.b64encode(source.encode()).decode()
                page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
                page.set_content(
                    '<body style="margin:0;background:transparent">'
                    f'<img src="{url}" width="{size}" height="{size}" style="display:block"></body>'
                )
                page.wait_for_function("() => document.images[0].complete")
                page.screenshot(path=str(ICONS / name), omit_background=True)
                page.close()
                print(f"wrote public/icons/{name} ({(ICONS / name).stat().st_size:,} bytes)")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
