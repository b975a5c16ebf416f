"""Build Loupe into dist/: static files any web server can host, byte-identical for the same inputs.

    python3 build.py            # build dist/
    python3 build.py serve      # build, then serve dist/ on http://127.0.0.1:8000 (--port, --no-build)
    python3 build.py --frame-ancestors 'https://blog.example'   # that site may frame frame.html

Steps: vendor the pinned Pyodide runtime and PyScript from node_modules (npm ci when missing), build the
loupe wheel from py/, fetch the pinned pure-Python wheels (and micropip, for PyScript pages), copy app/ and
public/, write the sample data and PyScript's config, then a manifest of every file with its hash for the
service worker. Stdlib only, so a fresh machine needs just Python and npm.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gzip
import hashlib
import html.parser
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
CACHE = ROOT / ".cache"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# The runtime files the app needs; the npm package's other files (console, typings, maps) stay out.
# Pyodide's core: what loadPyodide fetches from its indexURL. package.json only carries the version.
PYODIDE_CORE = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PYODIDE_FILES = (*PYODIDE_CORE, "package.json")
# PyScript (its npm package, pinned like Pyodide) for pages that run Loupe on the main thread; only its
# built dist/, without source maps.
PYSCRIPT_DIR = ROOT / "node_modules" / "@pyscript" / "core"
# The published budget: a small-file visit may download Pyodide's core plus this much more, gzipped.
BUDGET_OVER_CORE_GZIP = 1_500_000
# Pure-Python wheels loaded on demand (only when an .xlsx is opened), pinned by version and hash.
WHEELS = {
    "openpyxl-3.1.5-py2.py3-none-any.whl": (
        "openpyxl==3.1.5",
        "5282c12b107bffeef825f4617dc029afaf41d0ea60823bbb665ef3079dc79de2",
    ),
    "et_xmlfile-2.0.0-py3-none-any.whl": (
        "et_xmlfile==2.0.0",
        "7a91720bc756843502c3b7504c77b8fe44217c85c537d85037f0f536151b2caa",
    ),
    "defusedxml-0.7.1-py2.py3-none-any.whl": (
        "defusedxml==0.7.1",
        "a352e7e428770286cc899e2542b6cdaedb2b4953ff269a210103ec58f6198a61",
    ),
}
# micropip, which PyScript's `packages` loads through Pyodide's lock file: the npm package lists it there
# but does not ship it. PyPI's wheel is not byte-identical to Pyodide's build of it, so build.py writes
# this hash into dist's copy of pyodide-lock.json (Pyodide checks it on load).
MICROPIP = {
    "micropip-0.11.1-py3-none-any.whl": (
        "micropip==0.11.1",
        "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3",
    ),
}
# The large-data engine (docs/architecture.md): DuckDB-WASM's in-thread build, Arrow, sqlglot and Loupe's
# modules that drive them, in dist/duckdb/. Fetched only when a large file is opened, so they are neither
# on the default path nor in the service worker's install precache (it caches them after first use).
DUCKDB_WASM_DIR = ROOT / "node_modules" / "@duckdb" / "duckdb-wasm"
ARROW_DIR = ROOT / "node_modules" / "apache-arrow"
LARGE_DIR = "duckdb"
LARGE_MODULES = ("duckdb_sql.py", "duckdb_wasm.py")
SQLGLOT = {
    "sqlglot-30.31.0-py3-none-any.whl": (
        "sqlglot==30.31.0",
        "51a876a43edecf8ee6fd4c872cf6713d899c4234256bba0be96a8c7c8d8781e8",
    ),
}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed timestamps keep archives byte-identical across builds
# The Content-Security-Policy every page and script runs under (docs/security.md explains each directive).
# `https:` in connect-src: loading a URL is the user's own choice; a host that wants no outside reads
# drops it.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
    "connect-src 'self' https:; img-src 'self' blob: data:; style-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; require-trusted-types-for 'script'; "
    "trusted-types loupe"
)
# PyScript 0.7 builds its hook functions with the Function constructor, which needs 'unsafe-eval', and
# under Trusted Types a "default" policy (public/pyscript-policy.js admits only PyScript's two templates).
# Only its demo page gets this policy; every other page keeps CSP (docs/security.md).
PYSCRIPT_CSP = CSP.replace("'wasm-unsafe-eval'", "'wasm-unsafe-eval' 'unsafe-eval'").replace(
    "trusted-types loupe", "trusted-types default"
)
# Pages served with another policy than CSP.
PAGE_CSP = {"pyscript.html": PYSCRIPT_CSP}


def meta_policy(policy: str) -> str:
    """A policy as a <meta> can carry it: without frame-ancestors (nor report-uri or sandbox), which
    browsers ignore there."""
    return "; ".join(part for part in policy.split("; ") if not part.startswith("frame-ancestors"))


META_CSP = meta_policy(CSP)
HTML_PAGES = (
    "index.html",
    "gallery.html",
    "embed.html",
    "dashboard.html",
    "frame.html",
    "frame-example.html",
    "pyscript.html",
)
# The iframe embed (docs/widget.md): the one page other sites may frame, and only the sites the host names.
FRAME_PAGE = "frame.html"
FRAME_ANCESTOR = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:(\d{1,5}|\*))?")
# Files for the host, not the app: the service worker must not precache them (Netlify does not serve them).
HOST_FILES = frozenset({"_headers"})


def log(message: str) -> None:
    print(f"build: {message}", flush=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ensure_node_modules() -> None:
    """Install the pinned npm packages (package-lock.json) when Pyodide, PyScript or DuckDB-WASM (the
    large-data engine's, a dev dependency the benchmark shares) is missing or stale."""
    lock = json.loads((ROOT / "package-lock.json").read_text())
    stale = []
    pinned = (
        ("pyodide", PYODIDE_DIR),
        ("@pyscript/core", PYSCRIPT_DIR),
        ("@duckdb/duckdb-wasm", DUCKDB_WASM_DIR),
    )
    for name, directory in pinned:
        have = directory / "package.json"
        wanted = lock["packages"][f"node_modules/{name}"]["version"]
        if not have.exists() or json.loads(have.read_text())["version"] != wanted:
            stale.append(f"{name} {wanted}")
    if not stale:
        return
    log(f"installing npm packages ({', '.join(stale)} missing or stale)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def loupe_version() -> str:
    for line in (ROOT / "pyproject.toml").read_text().splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    raise SystemExit("build: no version in pyproject.toml")


# Native-only modules (other SQL dialects, the DuckDB and Spark engines): never part of the page's wheel.
NATIVE_ONLY = frozenset(
    {"dialect.py", "duckdb_engine.py", "spark_engine.py", "spark_udfs.py", *LARGE_MODULES}
)


def package_files() -> Iterator[Path]:
    source = ROOT / "py" / "loupe"
    for path in sorted(source.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".json", ".typed"}:
            if path.parent == source and path.name in NATIVE_ONLY:
                continue
            yield path


def compile_bytecode(sources: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Bytecode of the package's modules for Pyodide's Python, compiled by it under Node
    (py/compile_pyc.mjs): Pyodide imports Loupe about twice as fast with it (0.9 -> 0.4 s under Node).
    Without Node the wheel ships sources only, which work as well, just slower to import."""
    if shutil.which("node") is None:
        log("node not found: the wheel ships no bytecode (imports in the browser will be slower)")
        return []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name, data in sources:
            if name.endswith(".py"):
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_bytes(data)
        subprocess.run(["node", str(ROOT / "py" / "compile_pyc.mjs"), scratch], cwd=ROOT, check=True)
        compiled = sorted(root.rglob("*.pyc"))
        return [(path.relative_to(root).as_posix(), path.read_bytes()) for path in compiled]


def build_wheel(out_dir: Path) -> Path:
    """A wheel of py/loupe (sources, and bytecode for Pyodide's Python when Node is there), written
    with fixed timestamps and sorted entries."""
    version = loupe_version()
    dist_info = f"loupe-{version}.dist-info"
    entries: list[tuple[str, bytes]] = [
        (path.relative_to(ROOT / "py").as_posix(), path.read_bytes()) for path in package_files()
    ]
    entries = sorted(entries + compile_bytecode(entries))
    entries.append(
        (
            f"{dist_info}/METADATA",
            f"Metadata-Version: 2.1\nName: loupe\nVersion: {version}\nRequires-Python: >=3.11\n".encode(),
        )
    )
    entries.append(
        (
            f"{dist_info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: loupe-build\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
    )
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in entries
    ]
    record.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    wheel = out_dir / f"loupe-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return wheel


def pyodide_python() -> str:
    """The Python version of the pinned Pyodide ("3.14"): the one its wheels must install on."""
    info = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())["info"]
    return ".".join(str(info["python"]).split(".")[:2])


def fetch_wheels(out_dir: Path, wheels: dict[str, tuple[str, str]] = WHEELS) -> list[Path]:
    """The pinned third-party wheels, from the local cache or PyPI (build time only), hash-checked."""
    cache = CACHE / "wheels"
    cache.mkdir(parents=True, exist_ok=True)
    missing = [req for name, (req, _) in wheels.items() if not (cache / name).exists()]
    if missing:
        log(f"downloading {', '.join(missing)}")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--python-version", pyodide_python(), "--dest", str(cache), *missing],
            check=True,
        )  # fmt: skip
    copied = []
    for name, (_, digest) in wheels.items():
        data = (cache / name).read_bytes()
        if sha256(data) != digest:
            raise SystemExit(f"build: {name} does not match its pinned sha256; delete .cache/wheels")
        target = out_dir / name
        target.write_bytes(data)
        copied.append(target)
    return copied


# The names Arrow's browser bundle (a UMD script) exports; its ES module build is many files with bare
# imports a worker cannot resolve, so build.py wraps the one-file bundle as a module instead.
ARROW_EXPORT = re.compile(r"\bZ\.([A-Za-z_$][\w$]*)=")


def arrow_module() -> str:
    """Arrow's one-file browser bundle as an ES module: it fills `exports`, re-exported by name."""
    text = (ARROW_DIR / "Arrow.esnext.min.js").read_text(encoding="utf-8")
    text = text.replace("//# sourceMappingURL=Arrow.esnext.min.js.map", "")
    names = sorted(set(ARROW_EXPORT.findall(text)))
    return (
        "// Apache Arrow (Apache-2.0, LICENSE-arrow.txt), its UMD bundle wrapped as a module by build.py.\n"
        "const exports = {};\nconst module = { exports };\n"
        + text
        + f"\nexport const {{ {', '.join(names)} }} = exports;\n"
    )


def build_large(dist: Path) -> dict[str, object] | None:
    """dist/duckdb/: DuckDB-WASM's in-thread ("blocking") build importing Arrow from beside it, its
    wasm (the exceptions build every current browser runs), sqlglot's wheel and an archive of Loupe's
    large-data modules; build.json's `large` names them. None when DuckDB-WASM is not installed."""
    if not (DUCKDB_WASM_DIR / "package.json").exists() or not (ARROW_DIR / "package.json").exists():
        log("DuckDB-WASM is not in node_modules: this build has no large-data engine")
        return None
    out = dist / LARGE_DIR
    out.mkdir()
    source = DUCKDB_WASM_DIR / "dist"
    module = (source / "duckdb-browser-blocking.mjs").read_text(encoding="utf-8")
    if 'from"apache-arrow"' not in module or re.search(r"""import\(\s*["']apache-arrow""", module):
        raise SystemExit("build: DuckDB-WASM imports Arrow in a way build.py does not rewrite")
    module = module.replace('from"apache-arrow"', 'from"./arrow.mjs"').replace(
        "//# sourceMappingURL=duckdb-browser-blocking.mjs.map", ""
    )
    (out / "duckdb-browser-blocking.mjs").write_text(module, encoding="utf-8")
    (out / "arrow.mjs").write_text(arrow_module(), encoding="utf-8")
    shutil.copyfile(source / "duckdb-eh.wasm", out / "duckdb-eh.wasm")
    # DuckDB-WASM's npm package (MIT, see its package.json) ships no license file of its own.
    shutil.copyfile(ARROW_DIR / "LICENSE.txt", out / "LICENSE-arrow.txt")
    (sqlglot,) = fetch_wheels(out, SQLGLOT)
    archive = out / f"loupe-large-{loupe_version()}.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for name in LARGE_MODULES:
            info = zipfile.ZipInfo(f"loupe/{name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            packed.writestr(info, (ROOT / "py" / "loupe" / name).read_bytes())
    files = {
        path.relative_to(dist).as_posix(): sha256(path.read_bytes())[:16]
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }
    return {
        "module": f"{LARGE_DIR}/duckdb-browser-blocking.mjs",
        "wasm": f"{LARGE_DIR}/duckdb-eh.wasm",
        "wheels": [f"{LARGE_DIR}/{sqlglot.name}", f"{LARGE_DIR}/{archive.name}"],
        "files": files,
    }


def copy_tree(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(skip):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def write_sample(out_dir: Path) -> None:
    sys.path.insert(0, str(ROOT / "py"))
    from loupe.sample import sample_csv  # imported here: build.py must not need loupe to start

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "sales.csv").write_text(sample_csv(), encoding="utf-8", newline="")


SAMPLE_VIEW_ROWS = 30  # the explorer's first window is about 25 rows on a laptop screen


def write_sample_view(dist: Path) -> None:
    """sample-view.json: the sample document and its first table window and chart in both themes, rendered
    here by the same Python the worker runs, so a first visit paints data before Python has booted."""
    sys.path.insert(0, str(ROOT / "py"))
    from loupe import api  # imported here: build.py must not need loupe to start
    from loupe.sample import sample_document

    document = sample_document()
    source, table = document["sources"][0], document["tables"][0]
    session = {"session": "build-sample-view"}
    # The reader names the table from the file name, exactly as the page's open_url does.
    opened = api.handle("open", {**session, "path": str(dist / source["url"]), "filename": source["name"]})
    if not opened["ok"] or opened["result"]["table"] != table["name"]:
        raise SystemExit(f"build: the sample document does not open: {opened}")
    trees = {}
    for theme in ("light", "dark"):
        request = {"table": table["name"], "pipeline": table["steps"], "chart": document["charts"][0]["spec"]}
        window = {"offset": 0, "limit": SAMPLE_VIEW_ROWS, "width": 640, "locale": "en-US"}
        reply = api.handle("view", {**session, **request, **window, "theme": theme})
        if not reply["ok"] or "chart" not in reply["result"]:
            raise SystemExit(f"build: the sample document does not render: {reply}")
        result = reply["result"]
        trees[theme] = {key: result[key] for key in ("table", "chart", "row_count", "columns")}
    api.handle("close", session)
    view = {"document": document, "trees": trees}
    (dist / "sample-view.json").write_text(json.dumps(view, sort_keys=True, separators=(",", ":")) + "\n")


def vendor_micropip(pyodide: Path) -> None:
    """micropip next to Pyodide's core, where its lock file says, with the lock's hash made the pinned
    wheel's, so `loadPackage("micropip")` (PyScript's `packages`) loads it from dist/ and nowhere else."""
    (wheel,) = fetch_wheels(pyodide, MICROPIP)
    lock_path = pyodide / "pyodide-lock.json"
    text = lock_path.read_text()
    entry = json.loads(text)["packages"]["micropip"]
    if entry["file_name"] != wheel.name or text.count(entry["sha256"]) != 1:
        raise SystemExit(f"build: Pyodide's lock file wants {entry['file_name']}; pin that in MICROPIP")
    lock_path.write_text(text.replace(entry["sha256"], sha256(wheel.read_bytes())))  # only the hash changes


def write_pyscript_config(dist: Path, wheel: Path, extra_wheels: list[Path]) -> None:
    """pyscript.toml for PyScript pages next to it: the bundled Pyodide as the interpreter (PyScript's
    default is a CDN) and Loupe's wheels from dist/, installed by micropip."""
    packages = ", ".join(f'"./wheels/{path.name}"' for path in [wheel, *extra_wheels])
    (dist / "pyscript.toml").write_text(
        "# Written by build.py. PyScript runs the Pyodide in pyodide/, micropip installs Loupe and its\n"
        "# Excel wheels from wheels/: nothing comes from a CDN or PyPI.\n"
        'interpreter = "./pyodide/pyodide.mjs"\n'
        f"packages = [{packages}]\n"
    )


def frame_policy(ancestors: str, policy: str = CSP) -> str:
    """The policy for frame.html: the sites in `ancestors` ("https://blog.example http://localhost:*") may
    frame it, and it may read their data (`src` on the host); no sites leaves `policy` as it is."""
    origins = ancestors.split()
    for origin in origins:
        if not FRAME_ANCESTOR.fullmatch(origin):
            raise ValueError(f"frame ancestor {origin!r} is not an origin such as https://blog.example")
    if not origins:
        return policy
    sites = " ".join(origins)
    widened = policy.replace("frame-ancestors 'self'", f"frame-ancestors 'self' {sites}")
    return widened.replace("connect-src 'self' https:", f"connect-src 'self' https: {sites}")


def write_policy(dist: Path, frame_ancestors: str = "") -> None:
    """The CSP for static hosts: a `_headers` file (Netlify, Cloudflare Pages) and, for hosts that cannot
    send headers, a <meta> copy in each page (first in <head>, so it covers every script after it)."""
    policies = dict(PAGE_CSP)
    if frame_ancestors:  # frame.html lets the sites that frame it do so, and reads their data
        policies[FRAME_PAGE] = frame_policy(frame_ancestors)
    # Netlify serves the last matching rule's value of a header, so a page's own rule comes after /*.
    rules = [("/*", CSP), *((f"/{name}", policy) for name, policy in policies.items())]
    (dist / "_headers").write_text("".join(f"{path}\n  Content-Security-Policy: {p}\n" for path, p in rules))
    for name in HTML_PAGES:
        meta = f'<meta http-equiv="Content-Security-Policy" content="{meta_policy(policies.get(name, CSP))}">'
        page = dist / name
        text = page.read_text(encoding="utf-8")
        if '<meta charset="utf-8">' not in text:
            raise SystemExit(f"build: {name} has no <meta charset> to put the CSP after")
        page.write_text(
            text.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n  {meta}', 1), encoding="utf-8"
        )


def write_manifest(
    dist: Path, wheel: Path, extra_wheels: list[Path], large: dict[str, object] | None = None
) -> dict[str, object]:
    """build.json: what the worker loads and every file's hash; the service worker precaches them all
    but the large-data engine's (`large`, fetched and cached only when used)."""
    lazy = set(large["files"]) if large else set()  # type: ignore[call-overload]
    files = {
        path.relative_to(dist).as_posix(): sha256(path.read_bytes())[:16]
        for path in sorted(dist.rglob("*"))
        if path.is_file()
        and path.name not in {"build.json", "sw.js", *HOST_FILES}
        and path.relative_to(dist).as_posix() not in lazy
    }
    version = sha256(json.dumps([files, large], sort_keys=True).encode())[:16]
    manifest: dict[str, object] = {
        "large": large,
        "version": version,
        "wheel": f"wheels/{wheel.name}",
        "xlsx_wheels": [f"wheels/{path.name}" for path in extra_wheels],
        "files": files,
    }
    (dist / "build.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    worker = dist / "sw.js"
    worker.write_text(worker.read_text().replace("__LOUPE_BUILD__", version))
    return manifest


def report_size(dist: Path) -> None:
    raw = packed = 0
    for path in dist.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, compresslevel=6, mtime=0))
    log(f"dist/ is {raw / 1e6:.2f} MB, {packed / 1e6:.2f} MB with gzip transfer")
    sizes = budget(dist)
    total, core = sizes["default_path_gzip"], sizes["core_gzip"]
    log(
        f"a small-file visit downloads {total / 1e6:.2f} MB with gzip: Pyodide's core {core / 1e6:.2f} MB "
        f"+ Loupe {(total - core) / 1e6:.2f} MB (budget: core + {BUDGET_OVER_CORE_GZIP / 1e6:.1f} MB)"
    )


class _PageReferences(html.parser.HTMLParser):
    """The files a page loads by itself: script src, and link href (stylesheet, icon, manifest, preload)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        value = named.get("src") if tag in {"script", "img"} else named.get("href") if tag == "link" else None
        if value:
            self.found.append(value)


STATIC_IMPORT = re.compile(r"""^\s*import\s+(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']""", re.MULTILINE)
URL_BASE = re.compile(r"""const\s+(\w+)\s*=\s*new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)""")
URL_LITERAL = re.compile(
    r"""new URL\(\s*["']([^"']+)["']\s*,\s*(import\.meta\.url|document\.baseURI|\w+)\s*\)"""
)


def default_path(dist: Path) -> list[str]:
    """Every file of dist/ a small-file first visit downloads, found by following index.html, the modules
    it imports, the URLs they build from string literals (a worker, fetched JSON, the sample, sw.js), and
    build.json's wheel; a URL that names a directory is Pyodide's indexURL (its core files). The wheels
    loaded only for an .xlsx (build.json's xlsx_wheels) are not on it, nor what sw.js precaches later."""
    manifest = json.loads((dist / "build.json").read_text())
    found = {"index.html", "build.json", manifest["wheel"]}
    parser = _PageReferences()
    parser.feed((dist / "index.html").read_text(encoding="utf-8"))
    todo = [name for name in parser.found if "://" not in name]
    found.update(todo)
    done: set[str] = set()
    while todo:
        name = todo.pop()
        if name in done or not name.endswith((".js", ".mjs")) or name.startswith("pyodide/"):
            continue
        done.add(name)
        text = (dist / name).read_text(encoding="utf-8")
        here = Path(name).parent
        bases = {var: (here / rel).as_posix() for var, rel in URL_BASE.findall(text)}
        references = [(ref, here.as_posix()) for ref in STATIC_IMPORT.findall(text)]
        for ref, base in URL_LITERAL.findall(text):
            start = (
                here.as_posix()
                if base == "import.meta.url"
                else "."
                if base == "document.baseURI"
                else bases.get(base)
            )
            if start is not None and ref != "../":
                references.append((ref, start))
        for ref, start in references:
            target = os.path.normpath(f"{start}/{ref}").replace(os.sep, "/")
            if ref.endswith("/"):  # Pyodide's indexURL
                found.update(f"{target}/{core}" for core in PYODIDE_CORE)
                continue
            if not (dist / target).is_file():
                raise SystemExit(f"build: {name} refers to {ref}, which is not in dist/")
            found.add(target)
            todo.append(target)
    return sorted(found - set(manifest["xlsx_wheels"]))


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def budget(dist: Path) -> dict[str, int]:
    """The default path's gzip bytes against the budget: Pyodide's core plus BUDGET_OVER_CORE_GZIP."""
    core = sum(gzip_size(dist / "pyodide" / name) for name in PYODIDE_CORE)
    total = sum(gzip_size(dist / name) for name in default_path(dist))
    return {"default_path_gzip": total, "core_gzip": core, "budget_gzip": core + BUDGET_OVER_CORE_GZIP}


def build(dist: Path = DIST, frame_ancestors: str = "") -> dict[str, object]:
    """Write a fresh dist/ and return its manifest; `frame_ancestors` may frame frame.html (_headers)."""
    ensure_node_modules()
    if dist.exists():
        shutil.rmtree(dist)
    (dist / "pyodide").mkdir(parents=True)
    (dist / "wheels").mkdir()
    for name in PYODIDE_FILES:
        shutil.copyfile(PYODIDE_DIR / name, dist / "pyodide" / name)
    vendor_micropip(dist / "pyodide")
    copy_tree(PYSCRIPT_DIR / "dist", dist / "pyscript", skip=(".map",))
    shutil.copyfile(PYSCRIPT_DIR / "LICENSE", dist / "pyscript" / "LICENSE")
    wheel = build_wheel(dist / "wheels")
    extra = fetch_wheels(dist / "wheels")
    copy_tree(ROOT / "public", dist)
    copy_tree(ROOT / "app", dist / "app")
    write_sample(dist / "sample")
    write_sample_view(dist)
    write_pyscript_config(dist, wheel, extra)
    write_policy(dist, frame_ancestors)
    large = build_large(dist)
    manifest = write_manifest(dist, wheel, extra, large)
    log(f"wrote {len(manifest['files'])} files, version {manifest['version']}")  # type: ignore[arg-type]
    report_size(dist)
    return manifest


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types the app needs; no-cache makes the browser revalidate (cheap 304s)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".webmanifest": "application/manifest+json",
        ".whl": "application/zip",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    policy: ClassVar[str] = CSP
    page_policies: ClassVar[dict[str, str]] = PAGE_CSP
    frame_ancestors: ClassVar[str] = ""  # the sites that may frame frame.html (frame_policy)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        # Every response, scripts included: a worker runs under its own response's policy, not the page's.
        if self.policy:  # empty only in tests of the <meta> fallback
            page = urllib.parse.urlsplit(self.path).path.lstrip("/")
            policy = self.page_policies.get(page, self.policy)
            if self.frame_ancestors and page == FRAME_PAGE:
                policy = frame_policy(self.frame_ancestors, policy)
            self.send_header("Content-Security-Policy", policy)
        # Static, public files: any page may embed the widget from here (its worker imports ours).
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if os.environ.get("LOUPE_SERVE_LOG"):
            super().log_message(format, *args)


REPORT_PATH = "/__csp-report"


class ReportingHandler(Handler):
    """Handler whose policy also asks for violation reports (report-uri), which it keeps in `reports`:
    every context reports, the page, its workers and the service worker, which no page listener sees."""

    policy = f"{CSP}; report-uri {REPORT_PATH}"
    page_policies: ClassVar[dict[str, str]] = {
        name: f"{p}; report-uri {REPORT_PATH}" for name, p in PAGE_CSP.items()
    }
    reports: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        if self.path != REPORT_PATH:
            self.send_error(405)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with contextlib.suppress(ValueError):
            self.reports.append(json.loads(body).get("csp-report", {}))
        self.send_response(204)
        self.end_headers()


def serve_in_background(
    dist: Path = DIST,
    port: int = 0,
    reports: list[dict[str, object]] | None = None,
    frame_ancestors: str = "",
) -> http.server.ThreadingHTTPServer:
    """dist/ served as `serve` does, from a daemon thread (tests, screenshots); port 0 picks a free one.
    With `reports`, the policy adds report-uri and every CSP violation report lands in that list.
    Call `shutdown()` on the server when done."""
    handler: type[Handler] = Handler
    if reports is not None:
        handler = type("Reporting", (ReportingHandler,), {"reports": reports})
    if frame_ancestors:
        frame_policy(frame_ancestors)  # refuses what is not an origin, before any request
        handler = type("Framed", (handler,), {"frame_ancestors": frame_ancestors})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(dist)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve(port: int, host: str = "127.0.0.1", dist: Path = DIST, frame_ancestors: str = "") -> None:
    frame_policy(frame_ancestors)  # refuses what is not an origin
    framed = type("Framed", (Handler,), {"frame_ancestors": frame_ancestors})
    handler = partial(framed, directory=str(dist))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        log(f"serving dist/ on http://{host}:{port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Loupe into dist/ and optionally serve it.")
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-build", action="store_true", help="serve the existing dist/")
    parser.add_argument(
        "--frame-ancestors",
        default=os.environ.get("LOUPE_FRAME_ANCESTORS", ""),
        help="origins that may embed frame.html in an <iframe> (space-separated: 'https://blog.example')",
    )
    args = parser.parse_args(argv)
    try:
        frame_policy(args.frame_ancestors)
    except ValueError as error:
        parser.error(str(error))
    if not (args.command == "serve" and args.no_build):
        build(frame_ancestors=args.frame_ancestors)
    if args.command == "serve":
        serve(args.port, args.host, frame_ancestors=args.frame_ancestors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
