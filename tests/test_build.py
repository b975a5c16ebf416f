"""build.py: the same inputs give byte-identical output, and the manifest lists every file it ships."""

from __future__ import annotations

import hashlib
import re
import shutil
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
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assert "loupe/api.py" in names
    assert "loupe/__init__.py" in names
    assert any(name.endswith(".dist-info/RECORD") for name in names)
    if shutil.which("node") and (build.PYODIDE_DIR / "package.json").exists():
        # Every module has bytecode for Pyodide's Python, valid whatever the unpacked files' times.
        modules = {name[: -len(".py")] for name in names if name.endswith(".py")}
        compiled = {
            re.sub(r"__pycache__/(\w+)\.cpython-3\d+\.pyc$", r"\1", name): name
            for name in names
            if name.endswith(".pyc")
        }
        assert set(compiled) == modules
        for name in compiled.values():
            flags = int.from_bytes(archive.read(name)[4:8], "little")
            assert flags == 0b01, f"{name} is not an unchecked-hash pyc (PEP 552)"


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
