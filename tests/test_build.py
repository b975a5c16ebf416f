"""build.py: the same inputs give byte-identical output, and the manifest lists every file it ships."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

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


NPM_PACKAGES = all((path / "package.json").exists() for path in (build.PYODIDE_DIR, build.PYSCRIPT_DIR))


@pytest.mark.skipif(not NPM_PACKAGES, reason="npm packages not installed")
def test_full_build_is_reproducible_and_manifest_is_complete(tmp_path: Path) -> None:
    manifest = build.build(tmp_path / "one")
    build.build(tmp_path / "two")
    one, two = tree_hashes(tmp_path / "one"), tree_hashes(tmp_path / "two")
    assert one == two
    listed = set(manifest["files"])  # type: ignore[arg-type]
    shipped = set(one) - {"build.json", "sw.js", *build.HOST_FILES}
    # The large-data engine's files are listed apart: the service worker does not precache them.
    large: Any = manifest["large"]
    lazy = set(large["files"]) if large else set()
    assert listed | lazy == shipped and not listed & lazy
    assert not large or {large["module"], large["wasm"], *large["wheels"]} <= lazy
    for required in ("index.html", "app/worker.js", "pyodide/pyodide.asm.wasm", "sample/sales.csv"):
        assert required in listed
    assert manifest["version"] in (tmp_path / "one" / "sw.js").read_text()
    # PyScript's pieces: its runtime without source maps, micropip where Pyodide's lock file says and
    # with the hash Pyodide will check, and a config that names only files in dist/.
    assert "pyscript/core.js" in listed and not any(name.endswith(".map") for name in listed)
    lock = json.loads((tmp_path / "one" / "pyodide" / "pyodide-lock.json").read_text())["packages"][
        "micropip"
    ]
    micropip = (tmp_path / "one" / "pyodide" / lock["file_name"]).read_bytes()
    assert hashlib.sha256(micropip).hexdigest() == lock["sha256"]
    config = (tmp_path / "one" / "pyscript.toml").read_text()
    named = re.findall(r'"\./([^"]+)"', config)
    assert "pyodide/pyodide.mjs" in named and manifest["wheel"] in named
    assert set(named) <= listed and "://" not in config


def test_static_hosts_get_the_policy_as_headers_and_meta(tmp_path: Path) -> None:
    for name in build.HTML_PAGES:
        (tmp_path / name).write_text(
            '<!doctype html><head>\n  <meta charset="utf-8">\n  <script src="x.js">', "utf-8"
        )
    build.write_policy(tmp_path)
    assert (tmp_path / "_headers").read_text() == (
        f"/*\n  Content-Security-Policy: {build.CSP}\n"
        f"/pyscript.html\n  Content-Security-Policy: {build.PYSCRIPT_CSP}\n"
    )
    for name in build.HTML_PAGES:
        page = (tmp_path / name).read_text("utf-8")
        policy = build.meta_policy(build.PYSCRIPT_CSP if name == "pyscript.html" else build.CSP)
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        assert page.index(meta) < page.index("<script")  # it covers only the scripts after it
    # A <meta> policy cannot carry frame-ancestors; everything else is the same policy.
    assert "frame-ancestors" not in build.META_CSP
    assert set(build.CSP.split("; ")) - set(build.META_CSP.split("; ")) == {"frame-ancestors 'self'"}


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("app/worker.js", build.CSP),
        ("index.html", build.CSP),
        ("missing.js", build.CSP),
        ("pyscript.html?x=1", build.PYSCRIPT_CSP),
    ],
)
def test_serve_sends_the_policy_on_every_response(tmp_path: Path, path: str, policy: str) -> None:
    # RELIABILITY 17: the worker script, like every response, carries the policy (a worker does not
    # inherit the page's); the 404 page too.
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "worker.js").write_text("self.onmessage = () => {};\n")
    (tmp_path / "index.html").write_text("<!doctype html>\n")
    (tmp_path / "pyscript.html").write_text("<!doctype html>\n")
    server = build.serve_in_background(tmp_path)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{path}"
        try:
            headers = urllib.request.urlopen(url).headers
        except urllib.error.HTTPError as error:
            headers = error.headers
        assert headers["Content-Security-Policy"] == policy
    finally:
        server.shutdown()


def test_policy_is_the_one_the_docs_give() -> None:
    docs = (build.ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert build.CSP in docs
    assert build.PYSCRIPT_CSP in docs  # and the PyScript page's, with the reason for each difference
