"""The preview server's HTTP side, with raw requests: only site/ is served, never a listing."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from digest.livereload import (
    SCRIPT,
    LiveState,
    PreviewServer,
    inject_script,
    page_key,
    reload_action,
    resolve_file,
    url_segments,
)

SECRET = "TOP-SECRET-OUTSIDE-SITE"
NOT_FOUND_TEXT = "Sorry, no such page on this digest"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(f"<html><body>{SECRET}</body></html>")
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "digests").mkdir()
    (site / "empty").mkdir()
    (site / "index.html").write_text(
        "<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>"
    )
    (site / "404.html").write_text(f"<!doctype html><html><body><p>{NOT_FOUND_TEXT}</p></body></html>")
    (site / "articles" / "talks-resume.html").write_text("<html><body><h1>Talks resume</h1></BODY></html>")
    (site / "digests" / "index.html").write_text("<html><body>All digests</body></html>")
    (site / "style.css").write_text("body { color: black }")
    (site / "feed.xml").write_text("<?xml version='1.0'?><rss version='2.0'></rss>")
    (site / "feed.json").write_text('{"version": "https://jsonfeed.org/version/1.1"}')
    (site / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "leakdir").symlink_to(tmp_path / "outside")
    (site / "home-link.html").symlink_to(site / "index.html")
    return site


@pytest.fixture
def server(site: Path) -> Iterator[PreviewServer]:
    yield from running_server(LiveState(site_dir=lambda: site))


def running_server(state: LiveState) -> Iterator[PreviewServer]:
    """A preview server on a free loopback port, always shut down afterwards (shared with the hostile tests)."""
    server = PreviewServer(("127.0.0.1", 0), state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        state.close()
        server.shutdown()
        server.server_close()


def _get(server: PreviewServer, target: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    """A raw request: http.client sends the target exactly as given, no normalising."""
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


# ---------------------------------------------------------------- safety


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/articles/..%2f..%2fsecret.txt",
        "/articles/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "http://127.0.0.1/../secret.txt",
        "/leak.txt",
        "/leakdir/",
        "/leakdir/index.html",
        "/secret.txt%00.html",
        "/%ff%fe",
    ],
)
def test_nothing_outside_site_is_ever_served(server: PreviewServer, target: str) -> None:
    status, _, body = _get(server, target)
    assert status == 404
    assert SECRET not in body
    assert NOT_FOUND_TEXT in body


def test_a_symlink_that_stays_inside_site_is_served(server: PreviewServer) -> None:
    status, _, body = _get(server, "/home-link.html")
    assert status == 200 and "<h1>Home</h1>" in body


def test_a_folder_without_index_is_a_404_not_a_listing(server: PreviewServer) -> None:
    for target in ("/empty/", "/articles/"):
        status, _, body = _get(server, target)
        assert status == 404
        assert NOT_FOUND_TEXT in body
        assert "talks-resume" not in body


def test_unknown_paths_get_the_sites_404_page_with_the_reload_script(server: PreviewServer) -> None:
    status, headers, body = _get(server, "/articles/no-such-story.html")
    assert status == 404
    assert headers["content-type"].startswith("text/html")
    assert NOT_FOUND_TEXT in body
    assert SCRIPT in body  # so the tab reloads when the page appears


def test_a_site_without_404_page_still_answers_404(site: Path, server: PreviewServer) -> None:
    (site / "404.html").unlink()
    status, _, body = _get(server, "/nothing-here.html")
    assert status == 404 and "Not Found" in body


# ---------------------------------------------------------------- serving


def test_folders_serve_their_index_and_get_a_trailing_slash(server: PreviewServer) -> None:
    status, _, body = _get(server, "/")
    assert status == 200 and "<h1>Home</h1>" in body
    status, headers, _ = _get(server, "/digests")
    assert status == 302 and headers["location"] == "/digests/"
    status, _, body = _get(server, "/digests/")
    assert status == 200 and "All digests" in body
    status, _, body = _get(server, "/articles/talks-resume.html?utm=x#top")
    assert status == 200 and "Talks resume" in body


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/index.html", "text/html"),
        ("/style.css", "text/css"),
        ("/feed.xml", "application/xml"),
        ("/feed.json", "application/json"),
        ("/logo.svg", "image/svg+xml"),
    ],
)
def test_content_types_and_headers(server: PreviewServer, target: str, expected: str) -> None:
    status, headers, _ = _get(server, target)
    assert status == 200
    assert headers["content-type"].split(";")[0] == expected
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    _, headers_404, _ = _get(server, "/missing")
    assert headers_404["x-content-type-options"] == "nosniff"


def test_the_script_is_injected_into_html_only_and_never_written(site: Path, server: PreviewServer) -> None:
    _, headers, body = _get(server, "/articles/talks-resume.html")
    assert body.index(SCRIPT) < body.lower().index("</body>")
    assert int(headers["content-length"]) == len(body.encode())
    assert SCRIPT not in (site / "articles" / "talks-resume.html").read_text()
    _, _, css = _get(server, "/style.css")
    assert SCRIPT not in css
    _, _, js = _get(server, SCRIPT)
    assert "EventSource" in js


def test_head_has_headers_and_no_body(server: PreviewServer) -> None:
    status, headers, body = _get(server, "/index.html", method="HEAD")
    assert status == 200 and body == "" and int(headers["content-length"]) > 0


def test_serves_under_the_base_url_path(site: Path) -> None:
    for server in running_server(LiveState(site_dir=lambda: site, mount="/news/")):
        status, headers, _ = _get(server, "/")
        assert status == 302 and headers["location"] == "/news/"
        status, _, body = _get(server, "/news/articles/talks-resume.html")
        assert status == 200 and "Talks resume" in body
        assert _get(server, "/articles/talks-resume.html")[0] == 404
        assert _get(server, "/news/../secret.txt")[0] == 404


def test_requests_wait_while_a_build_runs(site: Path, server: PreviewServer) -> None:
    state = server.state
    answers: list[str] = []
    with state.gate.building():
        thread = threading.Thread(target=lambda: answers.append(_get(server, "/index.html")[2]))
        thread.start()
        deadline = time.monotonic() + 10
        while state.gate.waiting < 1:  # the request has reached the gate
            assert time.monotonic() < deadline, "the request never arrived"
            time.sleep(0.005)
        assert answers == []  # held back, not served a half-built site
        (site / "index.html").write_text("<html><body>rebuilt home</body></html>")
    thread.join(timeout=10)
    assert answers and "rebuilt home" in answers[0]


# ---------------------------------------------------------------- live reload over SSE


class _Events:
    """A minimal Server-Sent Events reader over a raw socket."""

    def __init__(self, server: PreviewServer, page: str, build: int) -> None:
        self.sock = socket.create_connection(server.server_address[:2], timeout=5)
        self.sock.sendall(f"GET /__digest/events?page={page}&build={build} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        assert b"200" in head.split(b"\r\n")[0] and b"text/event-stream" in head

    def _until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def next(self, timeout: float = 5) -> tuple[str, object]:
        self.sock.settimeout(timeout)
        lines = self._until(b"\n\n").decode().splitlines()
        fields = dict(line.split(": ", 1) for line in lines if not line.startswith(":"))
        return fields["event"], json.loads(fields["data"])

    def close(self) -> None:
        self.sock.close()


def test_a_tab_reloads_when_its_own_page_changed_and_not_otherwise(server: PreviewServer) -> None:
    state = server.state
    article = _Events(server, "/articles/talks-resume.html", state.generation)
    home = _Events(server, "/", state.generation)
    try:
        assert article.next() == ("problems", [])
        assert home.next() == ("problems", [])
        state.publish(["articles/talks-resume.html", "feed.xml"], [])
        assert article.next() == ("problems", [])
        assert article.next() == ("reload", {})
        assert home.next() == ("problems", [])
        state.publish(["index.html"], [])
        assert home.next() == ("problems", [])
        assert home.next() == ("reload", {})
        assert article.next() == ("problems", [])
        with pytest.raises(socket.timeout):
            article.next(timeout=0.5)  # the article was not touched by the second build
    finally:
        article.close()
        home.close()


def test_problems_reach_the_tab_and_clear_on_the_next_good_build(server: PreviewServer) -> None:
    state = server.state
    tab = _Events(server, "/articles/talks-resume.html", state.generation)
    try:
        tab.next()
        problem = "content/talks-resume.md: line 3: invalid YAML in front matter: could not find expected ':'"
        state.publish([], [problem])
        assert tab.next() == ("problems", [problem])
        state.publish([], [])
        assert tab.next() == ("problems", [])
    finally:
        tab.close()


def test_a_tab_that_connects_after_its_page_was_rebuilt_catches_up(server: PreviewServer) -> None:
    state = server.state
    served_from = state.generation
    state.publish(["articles/talks-resume.html"], [])  # the build finished before the tab's script connected
    tab = _Events(server, "/articles/talks-resume.html", served_from)
    try:
        assert tab.next() == ("problems", [])
        assert tab.next() == ("reload", {})
    finally:
        tab.close()


# ---------------------------------------------------------------- the pure parts


def test_url_segments_refuse_escapes() -> None:
    assert url_segments("/articles/a.html?x=1") == ["articles", "a.html"]
    assert url_segments("/caf%C3%A9.html") == ["café.html"]
    assert url_segments("/") == []
    for bad in ("/../x", "/a/%2e%2e/x", "/a/..%2F..%2Fx", "x/y", "/a\\..\\b", "/a%00b", "/c:/x", "/%ff"):
        assert url_segments(bad) is None, bad


def test_resolve_file_refuses_symlinked_escapes(site: Path) -> None:
    assert resolve_file(site, ["leak.txt"]) is None
    assert resolve_file(site, ["leakdir"]) is None
    assert resolve_file(site, ["digests"]) == (site / "digests" / "index.html").resolve()
    assert resolve_file(site, ["empty"]) is None


def test_page_key_names_what_a_rebuild_writes(site: Path) -> None:
    assert page_key([], site) == "index.html"
    assert page_key(["digests"], site) == "digests/index.html"
    assert page_key(["articles", "talks-resume.html"], site) == "articles/talks-resume.html"
    assert page_key(["articles", "not-yet.html"], site) == "articles/not-yet.html"


@pytest.mark.parametrize(
    "changed, page, exists, problems, expected",
    [
        (["articles/a.html", "feed.xml"], "articles/a.html", True, False, "reload"),
        (["articles/b.html", "digests/x.html", "feed.xml", "tags/t.html"], "articles/a.html", True, False, None),
        (["style.css"], "articles/a.html", True, False, "css"),
        (["style.css", "articles/b.html"], "articles/a.html", True, False, "css"),
        (["style.css", "articles/a.html"], "articles/a.html", True, False, "reload"),
        (["app.js"], "articles/a.html", True, False, "reload"),
        (["images/logo.png"], "index.html", True, False, "reload"),
        ([], "articles/a.html", True, True, None),
        # the page's source is broken and it is gone: stay, the overlay explains
        (["articles/a.html"], "articles/a.html", False, True, None),
        # deleted on purpose: show the 404
        (["articles/a.html"], "articles/a.html", False, False, "reload"),
    ],
)
def test_reload_action(changed: list[str], page: str, exists: bool, problems: bool, expected: str | None) -> None:
    assert reload_action(changed, page, page_exists=exists, has_problems=problems) == expected


def test_inject_script_places_it_before_the_last_body_end() -> None:
    html = b"<html><body><pre>&lt;/body&gt; </body></html>"
    out = inject_script(html, 7).decode()
    assert out.endswith('data-build="7"></script></body></html>')
    assert inject_script(b"<p>fragment</p>", 1).startswith(b"<p>fragment</p><script")
