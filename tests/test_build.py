"""build.py: the same inputs give byte-identical output, and the manifest lists every file it ships."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

import build


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_wheel_is_byte_identical_and_importable_layout(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    wheel = build.build_wheel(first)
    assert wheel.read_bytes() == build.build_wheel(second).read_bytes()
    names = zipfile.ZipFile(wheel).namelist()
    assert "loupe/api.py" in names
    assert "loupe/__init__.py" in names
    assert not [name for name in names if "__pycache__" in name]
    assert any(name.endswith(".dist-info/RECORD") for name in names)


@pytest.mark.skipif(not (build.PYODIDE_DIR / "package.json").exists(), reason="npm packages not installed")
def test_full_build_is_reproducible_and_manifest_is_complete(tmp_path: Path) -> None:
    manifest = build.build(tmp_path / "one")
    build.build(tmp_path / "two")
    one, two = tree_hashes(tmp_path / "one"), tree_hashes(tmp_path / "two")
    assert one == two
    listed = set(manifest["files"])  # type: ignore[arg-type]
    shipped = set(one) - {"build.json", "sw.js"}
    assert listed == shipped
    for required in ("index.html", "app/worker.js", "pyodide/pyodide.asm.wasm", "sample/sales.csv"):
        assert required in listed
    assert manifest["version"] in (tmp_path / "one" / "sw.js").read_text()
