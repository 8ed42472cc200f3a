"""`digest serve` as a user runs it: a real process, real edits, the live-reload stream, clean stops.

`ServeProcess` and `serve_project` are shared with the browser test.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import pytest

from digest.build import build
from digest.config import load_config
from digest.model import Article, dump_article

STORIES = [
    ("ceasefire-talks-resume", "Ceasefire talks resume in Geneva", "diplomacy", "Negotiators met again on Tuesday."),
    ("central-bank-holds-rates", "Central bank holds rates steady", "economy", "The bank kept its main rate at 4%."),
    ("heatwave-grips-south", "Heatwave grips the south", "climate", "Temperatures passed 40C for a third day."),
]


def write_story(content: Path, slug: str, title: str, tag: str, body: str) -> Path:
    article = Article(
        slug=slug,
        title=title,
        body=f"{body}\n\nA second paragraph with more detail about {title.lower()}.",
        date=dt.date(2025, 8, 14),
        source="Example Wire",
        tags=[tag],
        summary=body,
    )
    path = content / f"{slug}.md"
    path.write_text(dump_article(article), encoding="utf-8")
    return path


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    (tmp_path / "digest.yaml").write_text("# every key at its default\n", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    for story in STORIES:
        write_story(content, *story)
    return tmp_path


class ServeProcess:
    """`digest serve` in its own process group; its stderr collected line by line."""

    def __init__(self, root: Path, *extra: str) -> None:
        self.root = root
        self.lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "-C", str(root), "--port", "0", "--jobs", "1", *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a process group of its own, so a stop reaches any workers too
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"Serving (http://\S+)", timeout=60).group(1)
        self.host, port = re.match(r"http://([^:/]+):(\d+)", self.url).groups()  # type: ignore[union-attr]
        self.port = int(port)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, pattern: str, *, timeout: float = 30, after: int = 0) -> re.Match:
        """The first line from index `after` on that matches, waiting for it to be printed."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[after:]:
                    if match := re.search(pattern, line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or self._ended:
                    raise AssertionError(f"no line matching {pattern!r}; output so far:\n" + "\n".join(self.lines))
                self._changed.wait(left)

    def wait_until(self, condition, *, timeout: float = 60) -> None:
        """Until `condition(lines)` holds, woken by each line the server prints."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or self._ended:
                    raise AssertionError("never happened; output so far:\n" + "\n".join(self.lines))
                self._changed.wait(left)

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self, sig: int = signal.SIGTERM) -> Optional[int]:
        """Stop the whole group; SIGKILL if it does not go within 15 s. Returns the exit code."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
        return self.process.returncode


@pytest.fixture
def serve_project(site_project: Path) -> Iterator[ServeProcess]:
    server = ServeProcess(site_project)
    try:
        server.wait_for(r"\d+ pages")  # the first build's summary
        yield server
    finally:
        server.stop()


class EventStream:
    """One tab's live-reload stream, read in a thread, so tests can wait for events."""

    def __init__(self, server: ServeProcess, page: str) -> None:
        self.events: list[tuple[str, str]] = []
        self._changed = threading.Condition()
        self.sock = socket.create_connection((server.host, server.port), timeout=60)
        self.sock.sendall(f"GET /__digest/events?page={page}&build=999999 HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("problems")  # every stream starts with the current problems

    def _read(self) -> None:
        buffer = b""
        try:
            while chunk := self.sock.recv(4096):
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    fields = dict(
                        line.split(": ", 1)
                        for line in block.decode().splitlines()
                        if line.startswith(("event", "data"))
                    )
                    if "event" in fields:
                        with self._changed:
                            self.events.append((fields["event"], fields.get("data", "")))
                            self._changed.notify_all()
        except OSError:
            return

    def wait_for(self, name: str, timeout: float = 30, start: int = 0) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for index, (event, data) in enumerate(self.events[start:], start):
                    if event == name:
                        return index, data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {name!r} event; got {self.events}")
                self._changed.wait(left)

    def names(self) -> list[str]:
        with self._changed:
            return [event for event, _ in self.events]

    def close(self) -> None:
        self.sock.close()


def _count_rebuilds(lines: list[str]) -> int:
    return sum(1 for line in lines if line.startswith("rebuilt in"))


def _rebuilds(server: ServeProcess) -> int:
    return _count_rebuilds(list(server.lines))


def _wait_rebuilds(server: ServeProcess, count: int, timeout: float = 60) -> None:
    server.wait_until(lambda lines: _count_rebuilds(lines) >= count, timeout=timeout)


def _stamp_changes(path: Path, before: Optional[int], timeout: float = 30) -> int:
    """The file's new mtime once it differs from `before` (None: once it exists): serve saves
    its cache in its chores, which run only once it is quiet, after every rebuild due."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp is not None and stamp != before:
            return stamp
        assert time.monotonic() < deadline, f"{path.name} was never saved"
        time.sleep(0.02)


@contextmanager
def paused(server: ServeProcess) -> Iterator[None]:
    """The server stopped while the body runs: the file system queues its events, and the
    server then gets them all at once, as one save, however slowly the body ran."""
    os.killpg(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(server.process.pid, signal.SIGCONT)


# ---------------------------------------------------------------- tests


def test_serves_the_built_site_on_loopback(serve_project: ServeProcess) -> None:
    assert serve_project.host == "127.0.0.1"
    status, body = serve_project.get("/articles/ceasefire-talks-resume.html")
    assert status == 200 and "Ceasefire talks resume in Geneva" in body
    assert "/__digest/live.js" in body
    on_disk = (serve_project.root / "site" / "articles" / "ceasefire-talks-resume.html").read_text()
    assert "__digest" not in on_disk  # the script lives only in what is served


def test_an_edit_reloads_its_own_page_not_the_others(serve_project: ServeProcess) -> None:
    edited = EventStream(serve_project, "/articles/ceasefire-talks-resume.html")
    other = EventStream(serve_project, "/articles/heatwave-grips-south.html")
    try:
        start = len(other.names())
        write_story(
            serve_project.root / "content",
            "ceasefire-talks-resume",
            "Ceasefire talks resume in Geneva",
            "diplomacy",
            "Negotiators met again on Wednesday, a day later than planned.",
        )
        edited.wait_for("reload")
        assert "Wednesday" in serve_project.get("/articles/ceasefire-talks-resume.html")[1]
        first, _ = other.wait_for("problems", start=start)  # what that rebuild told the other tab begins here
        # A second edit, to the other page: the stream is in order, so anything the first rebuild
        # sent the other tab comes before what this one sends, which begins with "problems".
        write_story(
            serve_project.root / "content",
            "heatwave-grips-south",
            "Heatwave grips the south",
            "climate",
            "Temperatures passed 41C for a fourth day.",
        )
        other.wait_for("reload", start=first)
        assert other.names()[first + 1] == "problems", other.names()
    finally:
        edited.close()
        other.close()


def test_once_idle_serve_saves_its_cache_so_a_build_has_nothing_to_do(site_project: Path) -> None:
    """Rebuilds keep the cache in memory; a quiet moment later it is on disk for the next `digest build`
    (which makes the same site when the preview links to the published address)."""
    server = ServeProcess(site_project, "--base-url", load_config(site_project).base_url)
    try:
        saved = site_project / ".digest-cache" / "last-build.pickle"
        before_stamp = _stamp_changes(saved, None)  # the first build's cache, saved by the first chores
        before = _rebuilds(server)
        write_story(
            site_project / "content",
            "heatwave-grips-south",
            "Heatwave grips the south",
            "climate",
            "Temperatures passed 41C for a fourth day.",
        )
        _wait_rebuilds(server, before + 1)
        _stamp_changes(saved, before_stamp)
        report = build(load_config(site_project), jobs=1, echo=lambda line: None)
        assert set(report.timings) == {"ingest", "check"}, report.timings
    finally:
        server.stop()


def test_links_point_at_the_running_server_and_a_build_then_publishes_base_url(serve_project: ServeProcess) -> None:
    root = serve_project.root
    own = f"http://127.0.0.1:{serve_project.port}/"
    assert serve_project.port != 8000  # --port 0: any free port, and the links follow it
    _, page = serve_project.get("/articles/ceasefire-talks-resume.html")
    assert f'<link rel="canonical" href="{own}articles/ceasefire-talks-resume.html">' in page
    _, feed = serve_project.get("/feed.xml")
    assert f"<link>{own}articles/ceasefire-talks-resume.html</link>" in feed
    assert "127.0.0.1:8000" not in feed + page
    _stamp_changes(root / ".digest-cache" / "last-build.pickle", None)  # its cache is on disk
    serve_project.stop()
    (root / "digest.yaml").write_text("base_url: https://news.example.org/\n", encoding="utf-8")
    build(load_config(root), jobs=1, echo=lambda line: None)
    files = [p for p in (root / "site").rglob("*") if p.suffix in (".html", ".xml", ".json", ".txt", ".atom")]
    assert files and not [p for p in files if f":{serve_project.port}/" in p.read_text(encoding="utf-8")]
    assert "https://news.example.org/articles/" in (root / "site" / "feed.xml").read_text(encoding="utf-8")


def test_serve_can_be_told_which_base_url_to_link_to(site_project: Path) -> None:
    server = ServeProcess(site_project, "--base-url", "https://news.example.org/daily")
    try:
        status, page = server.get("/daily/articles/heatwave-grips-south.html")  # served under its path
        assert status == 200
        assert 'href="https://news.example.org/daily/articles/heatwave-grips-south.html"' in page
    finally:
        server.stop()
    done = subprocess.run(
        [sys.executable, "-m", "digest", "serve", "-C", str(site_project), "--base-url", "ftp://x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stderr.startswith("digest: --base-url: must be an absolute http(s) URL")


def test_a_serve_killed_before_saving_its_cache_leaves_a_correct_site(serve_project: ServeProcess) -> None:
    before = _rebuilds(serve_project)
    write_story(
        serve_project.root / "content",
        "heatwave-grips-south",
        "Heatwave grips the south",
        "climate",
        "Temperatures passed 42C for a fifth day.",
    )
    _wait_rebuilds(serve_project, before + 1)
    serve_project.stop(signal.SIGKILL)  # before its chores: the cache on disk is the one from before the edit
    report = build(load_config(serve_project.root), jobs=1, echo=lambda line: None)
    assert report.exit_code == 0
    page = serve_project.root / "site" / "articles" / "heatwave-grips-south.html"
    assert "42C for a fifth day" in page.read_text(encoding="utf-8")
    assert not list(serve_project.root.glob(".*digest*tmp*"))


def test_a_cache_folder_that_cannot_be_made_is_one_line_not_a_crash(site_project: Path) -> None:
    (site_project / ".digest-cache").write_text("a file where the cache folder goes")
    server = ServeProcess(site_project)
    try:
        server.wait_for(r"\.digest-cache: .*nothing was built")
        assert server.process.poll() is None  # still serving, waiting for a fix
        assert server.get("/")[0] == 404
        assert not any("Traceback" in line for line in server.lines), "\n".join(server.lines)
    finally:
        server.stop()


def test_broken_front_matter_is_reported_with_file_and_line_and_recovers(serve_project: ServeProcess) -> None:
    path = serve_project.root / "content" / "central-bank-holds-rates.md"
    good = path.read_text()
    tab = EventStream(serve_project, "/articles/central-bank-holds-rates.html")
    try:
        start = len(tab.events)
        path.write_text(good.replace("title: Central bank holds rates steady", "title: [Central bank holds"))
        _, data = tab.wait_for("problems", start=start)
        assert "content/central-bank-holds-rates.md" in data and re.search(r"line \d+", data)
        serve_project.wait_for(r"content/central-bank-holds-rates\.md: line \d+")  # the terminal too
        assert "reload" not in tab.names()[start:]  # the tab keeps the page on screen under the overlay
        assert serve_project.get("/articles/heatwave-grips-south.html")[0] == 200  # the rest still served
        start = len(tab.events)
        path.write_text(good.replace("holds rates steady", "holds rates steady again"))
        index, data = tab.wait_for("problems", start=start)
        assert data == "[]"
        tab.wait_for("reload", start=index)
        assert "holds rates steady again" in serve_project.get("/articles/central-bank-holds-rates.html")[1]
    finally:
        tab.close()


def test_a_broken_article_stays_on_screen_as_it_last_was_and_nothing_is_regrouped(site_project: Path) -> None:
    """A typo in front matter: the error at once, the article's last good version still in the preview
    (so no digest loses it and none is regrouped: the rebuild changes no file); a `digest build`
    afterwards builds what the files say."""
    server = ServeProcess(site_project)
    path = site_project / "content" / "central-bank-holds-rates.md"
    good = path.read_text()
    try:
        server.wait_for(r"\d+ pages")
        tab = EventStream(server, "/articles/central-bank-holds-rates.html")
        try:
            start, done = len(tab.events), _rebuilds(server)
            path.write_text(good.replace("title: Central bank holds rates steady", "title: [Central bank holds"))
            _, data = tab.wait_for("problems", start=start)
            assert "content/central-bank-holds-rates.md: line" in data and "last good version" in data
            _wait_rebuilds(server, done + 1)
            assert [line for line in server.lines if line.startswith("rebuilt in")][-1].endswith(": 0 files changed")
            status, body = server.get("/articles/central-bank-holds-rates.html")
            assert status == 200 and "Central bank holds rates steady" in body
            assert "central-bank-holds-rates.html" in server.get("/")[1]
            start = len(tab.events)
            path.write_text(good.replace("holds rates steady", "holds rates steady again"))
            index, data = tab.wait_for("problems", start=start)
            assert data == "[]"
            tab.wait_for("reload", start=index)
            assert "holds rates steady again" in server.get("/articles/central-bank-holds-rates.html")[1]
            path.write_text(good.replace("title: Central bank holds rates steady", "title: [Central bank holds"))
            _, data = tab.wait_for("problems", start=index + 1)
            assert "last good version" in data
        finally:
            tab.close()
    finally:
        server.stop()
    report = build(load_config(site_project), jobs=1, echo=lambda line: None)
    assert any(p.startswith("content/central-bank-holds-rates.md: line") for p in report.problems)
    assert not any("last good version" in p for p in report.problems)
    assert not (site_project / "site" / "articles" / "central-bank-holds-rates.html").exists()


def test_a_template_syntax_error_keeps_the_server_and_the_old_site(serve_project: ServeProcess) -> None:
    templates = serve_project.root / "templates"
    templates.mkdir()
    tab = EventStream(serve_project, "/")
    try:
        start = len(tab.events)
        (templates / "base.html").write_text(
            "<html><body>\n{% block content %}{% endblock %}\n{% if %}\n</body></html>\n"
        )
        _, data = tab.wait_for("problems", start=start)
        assert "templates/base.html" in data and "line 3" in data
        status, body = serve_project.get("/articles/heatwave-grips-south.html")
        assert status == 200 and "Heatwave grips the south" in body
        start = len(tab.events)
        (templates / "base.html").unlink()
        _, data = tab.wait_for("problems", start=start)
        assert data == "[]"
    finally:
        tab.close()


def test_a_bad_config_is_reported_and_the_old_site_kept(serve_project: ServeProcess) -> None:
    config = serve_project.root / "digest.yaml"
    tab = EventStream(serve_project, "/")
    try:
        start = len(tab.events)
        config.write_text("title: Morning Digest\nper_page: many\n")
        _, data = tab.wait_for("problems", start=start)
        assert "digest.yaml" in data and "per_page" in data
        assert serve_project.get("/")[0] == 200
        start = len(tab.events)
        config.write_text("title: Morning Digest\n")
        index, data = tab.wait_for("problems", start=start)
        assert data == "[]"
        tab.wait_for("reload", start=index)
        assert "Morning Digest" in serve_project.get("/")[1]
    finally:
        tab.close()


def test_a_save_of_many_files_gives_one_rebuild(serve_project: ServeProcess) -> None:
    saved = serve_project.root / ".digest-cache" / "last-build.pickle"
    stamp = _stamp_changes(saved, None)
    before = _rebuilds(serve_project)
    content = serve_project.root / "content"
    with paused(serve_project):  # a `git checkout`: thirty files in one go
        for i in range(30):
            write_story(content, f"bulk-story-{i}", f"Bulk story number {i}", "bulk", f"Body of bulk story {i}.")
    _wait_rebuilds(serve_project, before + 1)
    _stamp_changes(saved, stamp)  # quiet again: every rebuild the save caused has run
    assert _rebuilds(serve_project) == before + 1
    assert serve_project.get("/articles/bulk-story-29.html")[0] == 200


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_cleanly_leaving_no_temporary_folders(site_project: Path, sig: int) -> None:
    server = ServeProcess(site_project)
    try:
        server.wait_for(r"\d+ pages")
        write_story(site_project / "content", "late-edit", "A late edit", "misc", "Saved just before stopping.")
        time.sleep(0.1)  # stop while the rebuild may be running
    finally:
        code = server.stop(sig)
    assert code == 0, "\n".join(server.lines)
    assert not any("Traceback" in line for line in server.lines)
    leftovers = [p for p in site_project.rglob("*") if ".tmp" in p.name or ".old-" in p.name]
    assert leftovers == []


def test_a_port_in_use_is_one_clear_line(site_project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "digest", "serve", "-C", str(site_project), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.strip() == f"digest: port {port} is in use; try --port {port + 1}"


def test_poll_mode_follows_edits_too(site_project: Path) -> None:
    server = ServeProcess(site_project, "--poll")
    try:
        server.wait_for(r"\d+ pages")
        tab = EventStream(server, "/articles/heatwave-grips-south.html")
        try:
            write_story(
                site_project / "content",
                "heatwave-grips-south",
                "Heatwave grips the south",
                "climate",
                "Temperatures passed 42C on Sunday.",
            )
            tab.wait_for("reload")
            assert "42C on Sunday" in server.get("/articles/heatwave-grips-south.html")[1]
        finally:
            tab.close()
    finally:
        server.stop()


def test_a_failed_build_is_described_in_one_line_with_file_and_line(tmp_path: Path) -> None:
    import jinja2

    from digest.serve import describe_failure

    try:
        jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path)).from_string("{% if %}")
    except jinja2.TemplateSyntaxError as error:
        error.filename = str(tmp_path / "templates" / "article.html")
        assert describe_failure(error, tmp_path).startswith("templates/article.html: line 1: ")
    assert describe_failure(RuntimeError("disk on fire"), tmp_path) == "build failed: RuntimeError: disk on fire"


def test_static_files_are_served_and_followed_like_any_input(serve_project: ServeProcess) -> None:
    static = serve_project.root / "static"
    before = _rebuilds(serve_project)
    (static / ".well-known").mkdir(parents=True)  # a folder that did not exist when serve started
    (static / ".well-known" / "security.txt").write_text("Contact: mailto:desk@example.org\n")
    _wait_rebuilds(serve_project, before + 1)
    serve_project.wait_until(lambda lines: serve_project.get("/.well-known/security.txt")[0] == 200)
    (static / "about.html").write_text("<!DOCTYPE html><html><body><p>About us</p></body></html>\n")
    serve_project.wait_until(lambda lines: serve_project.get("/about.html")[0] == 200)
    tab = EventStream(serve_project, "/about.html")
    try:
        before = _rebuilds(serve_project)
        (static / "about.html").write_text("<!DOCTYPE html><html><body><p>About the desk</p></body></html>\n")
        tab.wait_for("reload")
        assert "About the desk" in serve_project.get("/about.html")[1]
        _wait_rebuilds(serve_project, before + 1)
        assert re.match(
            r"rebuilt in [\d.]+s: 1 file changed$", [ln for ln in serve_project.lines if ln.startswith("rebuilt")][-1]
        )
    finally:
        tab.close()


def test_a_file_placed_in_site_is_kept_and_named_in_the_terminal(serve_project: ServeProcess) -> None:
    (serve_project.root / "site" / "CNAME").write_text("news.example.org\n")
    before = _rebuilds(serve_project)
    write_story(
        serve_project.root / "content",
        "heatwave-grips-south",
        "Heatwave grips the south",
        "climate",
        "Temperatures passed 43C on Monday.",
    )  # any rebuild finds it
    _wait_rebuilds(serve_project, before + 1)
    serve_project.wait_for(r"^site/CNAME: not made by digest; kept — put it in static/ to publish it$")
    assert serve_project.get("/CNAME") == (200, "news.example.org\n")


def test_a_file_of_site_removed_by_hand_comes_back_once_serve_is_idle(serve_project: ServeProcess) -> None:
    """site/ is not watched, and an edit's rebuild trusts what it knows of it: the quiet moment after
    a rebuild looks again, and builds what it finds missing."""
    page = serve_project.root / "site" / "articles" / "ceasefire-talks-resume.html"
    original = page.read_bytes()
    before = _rebuilds(serve_project)
    page.unlink()
    other = next(path for path in (serve_project.root / "content").glob("*.md") if path.stem != page.stem)
    other.write_bytes(other.read_bytes())  # saved unchanged: a rebuild that renders nothing
    _wait_rebuilds(serve_project, before + 1)
    _stamp_changes(page, None)  # the quiet moment after it walks site/ and builds the page again
    assert page.read_bytes() == original
