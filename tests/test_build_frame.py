"""build.py and the iframe embed: frame.html alone may be framed by the sites a host names
(`--frame-ancestors`), in the served header and in dist/_headers; every other page stays 'self'."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

import build


def directives(policy: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


def test_frame_policy_adds_the_named_sites_to_frame_ancestors_and_connect_src() -> None:
    policy = build.frame_policy("https://blog.example http://localhost:*")
    changed = directives(policy)
    assert changed["frame-ancestors"] == "'self' https://blog.example http://localhost:*"
    assert changed["connect-src"] == "'self' https: https://blog.example http://localhost:*"
    others = {k: v for k, v in directives(build.CSP).items() if k not in ("frame-ancestors", "connect-src")}
    assert {k: v for k, v in changed.items() if k in others} == others
    assert build.frame_policy("") == build.CSP


@pytest.mark.parametrize(
    "bad",
    [
        "*",
        "'none'",
        "blog.example",
        "https://blog.example/path",
        "https://a.example; script-src *",
        "javascript:x",
    ],
)
def test_frame_policy_refuses_what_is_not_an_origin(bad: str) -> None:
    with pytest.raises(ValueError, match="is not an origin"):
        build.frame_policy(bad)


def test_headers_file_gives_frame_html_its_own_later_rule(tmp_path: Path) -> None:
    for name in build.HTML_PAGES:
        (tmp_path / name).write_text('<!doctype html><head>\n  <meta charset="utf-8">\n', "utf-8")
    build.write_policy(tmp_path, "https://blog.example")
    rules = (tmp_path / "_headers").read_text()
    framed = build.frame_policy("https://blog.example")
    assert rules == (
        f"/*\n  Content-Security-Policy: {build.CSP}\n"
        f"/pyscript.html\n  Content-Security-Policy: {build.PYSCRIPT_CSP}\n"
        f"/frame.html\n  Content-Security-Policy: {framed}\n"
    )


def test_serve_widens_frame_ancestors_for_frame_html_only(tmp_path: Path) -> None:
    for name in ("frame.html", "index.html"):
        (tmp_path / name).write_text("<!doctype html>\n")
    server = build.serve_in_background(tmp_path, frame_ancestors="http://localhost:*")
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        sent = {
            path: urllib.request.urlopen(base + path).headers["Content-Security-Policy"]
            for path in ("frame.html?origin=x", "index.html")
        }
    finally:
        server.shutdown()
    assert sent["frame.html?origin=x"] == build.frame_policy("http://localhost:*")
    assert sent["index.html"] == build.CSP
