"""The published byte budget (README): what a small-file visit downloads from dist/, gzipped, stays within
Pyodide's core plus 1.5 MB. Bytes, never time, so it cannot flake; the list of files is derived from
index.html, the modules it reaches and build.json, so a new file on the default path counts by itself."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest

import build

pytestmark = pytest.mark.skipif(
    not (build.PYODIDE_DIR / "package.json").exists(), reason="npm packages not installed"
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("budget") / "dist"
    build.build(out)
    return out


def test_default_path_is_within_the_budget(dist: Path) -> None:
    sizes = build.budget(dist)
    over = sizes["default_path_gzip"] - sizes["budget_gzip"]
    assert over <= 0, (
        f"a small-file visit downloads {sizes['default_path_gzip']:,} bytes gzipped, {over:,} over the "
        f"budget (Pyodide's core {sizes['core_gzip']:,} + {build.BUDGET_OVER_CORE_GZIP:,}); see the README"
    )


def test_default_path_is_what_the_page_and_worker_load(dist: Path) -> None:
    path = set(build.default_path(dist))
    manifest = json.loads((dist / "build.json").read_text())
    # The page, its modules, the worker it starts, the runtime the worker boots, the wheel and the sample.
    for needed in ("index.html", "app/explorer.js", "app/tree.js", "app/worker.js", "sample-view.json"):
        assert needed in path
    assert {f"pyodide/{name}" for name in build.PYODIDE_CORE} <= path
    assert manifest["wheel"] in path
    # Excel's wheels load only when an .xlsx is opened; other pages are not a visit to the explorer.
    assert not path & set(manifest["xlsx_wheels"])
    assert "gallery.html" not in path
    assert "embed.html" not in path
    assert path <= set(manifest["files"]) | {"build.json", "sw.js"}


def test_a_module_that_grows_the_default_path_past_the_budget_fails(dist: Path, tmp_path: Path) -> None:
    grown = tmp_path / "dist"
    shutil.copytree(dist, grown)
    # About 1.5 MB once gzipped (random bytes in base64), reached through a new import of the explorer's.
    (grown / "app" / "big.js").write_bytes(b"//" + base64.b64encode(os.urandom(1_500_000)))
    explorer = grown / "app" / "explorer.js"
    explorer.write_text('import "./big.js";\n' + explorer.read_text())
    assert "app/big.js" in build.default_path(grown)
    sizes = build.budget(grown)
    assert sizes["default_path_gzip"] > sizes["budget_gzip"]
