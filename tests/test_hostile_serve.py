"""The preview server against hostile requests, sent raw over a socket (no client normalises them).

tests/test_serve_http.py covers the common traversal spellings; this adds the
rarer ones (overlong UTF-8, mixed encodings, request lines a client library would
refuse to send), folders symlinked out of site/, headers on every kind of answer
(errors included), and what address `digest serve` really listens on.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Iterator

import pytest
from test_serve import ServeProcess
from test_serve_http import running_server

from digest.livereload import LiveState, PreviewServer

SECRET = "HOSTILE-SERVE-SECRET"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(f"<html><body>{SECRET}</body></html>")
    (tmp_path / "outside" / "page.html").write_text(f"<html><body>{SECRET}</body></html>")
    site = tmp_path / "site"
    (site / "articles" / "deep").mkdir(parents=True)
    (site / "index.html").write_text("<html><body><h1>Home</h1></body></html>")
    (site / "404.html").write_text("<html><body><p>No such page</p></body></html>")
    (site / "articles" / "a.html").write_text("<html><body>Article A</body></html>")
    (site / "articles" / "deep" / "up").symlink_to(tmp_path)  # a folder link to the project above site/
    (site / "articles" / "parent").symlink_to("../..")  # relative, two levels out
    (site / "index-of-outside").symlink_to(tmp_path / "outside")
    return site


@pytest.fixture
def server(site: Path) -> Iterator[PreviewServer]:
    yield from running_server(LiveState(site_dir=lambda: site))


def raw(server: PreviewServer, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes exactly as given; (status, headers, body) of the answer; status 0 when the
    server dropped the connection without one (it stopped reading a request it refused)."""
    data = b""
    with socket.create_connection(server.server_address[:2], timeout=10) as sock:
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # answered and closed before reading it all: the answer is still there to read
            pass
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    if not data:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def get(server: PreviewServer, target: bytes, method: bytes = b"GET") -> tuple[int, dict[str, str], bytes]:
    return raw(server, method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")


@pytest.mark.parametrize(
    "target",
    [
        b"/.%2e/secret.txt",
        b"/%2e./secret.txt",
        b"/articles/%2e%2e/%2e%2e/secret.txt",
        b"/%25%32%65%25%32%65/secret.txt",  # double-encoded "..", percent signs encoded too
        b"/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 dots
        b"/%ef%bc%8e%ef%bc%8e/secret.txt",  # full-width dots
        b"/..;/secret.txt",
        b"/....//secret.txt",
        b"/.../secret.txt",
        b"/articles/..%5c..%5csecret.txt",
        b"/%5c%5c127.0.0.1%5csecret.txt",
        b"/C:%5csecret.txt",
        b"/file:%2f%2f%2fetc%2fpasswd",
        b"/%00/secret.txt",
        b"/articles/a.html%00/../../secret.txt",
        b"../secret.txt",
        b"secret.txt",
        b"*",
        b"/articles/deep/up/secret.txt",
        b"/articles/deep/up/outside/page.html",
        b"/articles/parent/secret.txt",
        b"/index-of-outside/page.html",
        b"/index-of-outside/",
        b"/articles/deep/up/",
    ],
)
def test_nothing_outside_site_is_served(server: PreviewServer, target: bytes) -> None:
    status, headers, body = get(server, target)
    assert status in (400, 404), status
    assert SECRET.encode() not in body
    assert b"Index of" not in body and b"Directory listing" not in body


def test_a_folder_is_never_listed(server: PreviewServer) -> None:
    for target in (b"/articles/", b"/articles", b"/articles/deep/", b"/articles/deep/up"):
        status, headers, body = get(server, target)
        assert status in (302, 404), (target, status)
        assert b"a.html" not in body and b"deep" not in body


@pytest.mark.parametrize(
    "target, method",
    [
        (b"/", b"GET"),
        (b"/index.html", b"HEAD"),
        (b"/articles", b"GET"),  # a redirect
        (b"/missing.html", b"GET"),
        (b"/__digest/live.js", b"GET"),
        (b"/%2e%2e/secret.txt", b"GET"),
    ],
)
def test_every_answer_says_nosniff(server: PreviewServer, target: bytes, method: bytes) -> None:
    _, headers, _ = get(server, target, method)
    assert headers.get("x-content-type-options") == "nosniff"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        b"GARBAGE\r\n\r\n",
        b"GET /index.html HTTP/9.9\r\n\r\n",
    ],
)
def test_error_answers_say_nosniff_too(server: PreviewServer, request_bytes: bytes) -> None:
    status, headers, _ = raw(server, request_bytes)
    assert status >= 400
    assert headers.get("x-content-type-options") == "nosniff"


def test_methods_that_change_things_are_refused(server: PreviewServer, site: Path) -> None:
    before = sorted(p.name for p in site.rglob("*"))
    for method in (b"POST", b"PUT", b"DELETE", b"PATCH"):
        status, _, _ = raw(
            server, method + b" /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd"
        )
        assert status == 501
    assert sorted(p.name for p in site.rglob("*")) == before


def test_a_huge_request_line_is_refused_not_served(server: PreviewServer) -> None:
    status, _, body = get(server, b"/" + b"a/" * 40_000)
    assert status in (0, 404, 414)  # 0: the connection was dropped, which refuses it too
    assert SECRET.encode() not in body


def test_the_event_stream_page_parameter_cannot_escape(server: PreviewServer) -> None:
    """The tab's page name is only matched against what a build wrote; it must never read a file."""
    with socket.create_connection(server.server_address[:2], timeout=10) as sock:
        sock.sendall(b"GET /__digest/events?page=/../../secret.txt&build=x HTTP/1.1\r\nHost: x\r\n\r\n")
        head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200") and SECRET.encode() not in head


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the LISTEN sockets on a port, from /proc (IPv4 and IPv6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_digest_serve_listens_on_loopback_only_by_default(tmp_path: Path) -> None:
    (tmp_path / "digest.yaml").write_text("", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("---\ntitle: A story\ndate: 2025-08-14\n---\n\nText.\n")
    server = ServeProcess(tmp_path)
    try:
        server.wait_for(r"\d+ pages", timeout=60)
        assert server.host == "127.0.0.1"
        if not Path("/proc/net/tcp").exists():
            pytest.skip("no /proc/net/tcp to read listening sockets from")
        assert _listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, and no wildcard or IPv6 socket
    finally:
        server.stop()
