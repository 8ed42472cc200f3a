"""A real feed reader (newsboat) subscribed to the feeds over HTTP shows every item."""

from __future__ import annotations

import functools
import os
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_feeds import make_site

from digest.feeds import render_feeds
from digest.site import ATOM, RSS

from conftest import require_tool


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_feeds(tmp_path: Path):
    """The sample site's feeds on a loopback HTTP server; yields its base URL."""
    root = tmp_path / "site"
    for path, data in render_feeds(make_site()).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("feed, expected", [(RSS, 5), (ATOM, 5), ("digests/alaska-summit.xml", 2)])
def test_newsboat_shows_every_item(served_feeds, tmp_path, feed, expected):
    newsboat = require_tool("newsboat")
    urls = tmp_path / "urls"
    urls.write_text(served_feeds + feed + "\n")
    result = subprocess.run(
        [newsboat, "-u", str(urls), "-c", str(tmp_path / "cache.db"), "-C", os.devnull, "-x", "reload", "print-unread"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{expected} unread articles", result.stdout + result.stderr
