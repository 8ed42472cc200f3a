"""`digest add` and `digest fetch` against servers these tests start on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.config import ConfigError, Feeds, Opml, load_config
from digest.fetch import FetchError, Limits, add, fetch, http_get
from digest.ingest import ingest_all
from digest.ingest.readers import read_articles
from digest.model import read_article

KINDS = Path(__file__).parent / "data" / "kinds"
AGENT = "digest-tests"
QUICK = Limits(timeout=2.0, max_bytes=1024 * 1024, max_redirects=3)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    handle: Callable[[BaseHTTPRequestHandler], None] | None = None  # for what a fixed answer cannot do


@dataclass
class Server:
    base: str
    routes: dict[str, Route]
    seen: list[dict[str, str]]  # the headers of every request, in order
    release: threading.Event  # set at teardown: handlers that hang wait on it, never on a clock

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    routes: dict[str, Route] = {}
    seen: list[dict[str, str]] = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            seen.append({key.lower(): value for key, value in self.headers.items()} | {"path": self.path})
            route = routes.get(self.path.split("?")[0], Route(404, b"not here"))
            if route.handle is not None:
                route.handle(self)
                return
            self.send_response(route.status)
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen, release)
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "digest.yaml").write_text("", encoding="utf-8")
    return tmp_path


def page(name: str = "harbour-page.html") -> bytes:
    return (KINDS / name).read_bytes()


def lines_of(call: Callable[..., int], *args, **kwargs) -> tuple[int, list[str]]:
    said: list[str] = []
    failed = call(*args, echo=said.append, **kwargs)
    return failed, said


def seeds(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "seeds").iterdir())


# ---------------------------------------------------------------- one request, bounded


def test_a_page_is_fetched_with_a_clear_user_agent(server: Server) -> None:
    server.routes["/a"] = Route(body=b"hello")
    response = http_get(server.url("/a"), agent="digest/1.0 (news-digest site generator)", limits=QUICK)
    assert (response.status, response.body) == (200, b"hello")
    assert server.seen[0]["user-agent"] == "digest/1.0 (news-digest site generator)"


def test_redirects_are_followed_up_to_a_cap(server: Server) -> None:
    server.routes["/old"] = Route(301, headers={"Location": "/new"})
    server.routes["/new"] = Route(body=b"moved")
    assert http_get(server.url("/old"), agent=AGENT, limits=QUICK).body == b"moved"
    server.routes["/loop"] = Route(302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        http_get(server.url("/loop"), agent=AGENT, limits=QUICK)
    assert len([r for r in server.seen if r["path"] == "/loop"]) == 4  # the first ask and three redirects


@pytest.mark.parametrize("target", ["file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x"])
def test_a_redirect_to_another_scheme_is_refused(server: Server, target: str) -> None:
    server.routes["/sneaky"] = Route(302, headers={"Location": target})
    with pytest.raises(FetchError, match="only http and https addresses are fetched"):
        http_get(server.url("/sneaky"), agent=AGENT, limits=QUICK)


def test_a_server_that_never_answers_times_out(server: Server) -> None:
    def hang(handler: BaseHTTPRequestHandler) -> None:
        server.release.wait()  # until the test is over: the client must give up by itself

    server.routes["/slow"] = Route(handle=hang)
    with pytest.raises(FetchError, match=r"timed out after 0.5 s"):
        http_get(server.url("/slow"), agent=AGENT, limits=Limits(timeout=0.5))


def test_a_body_that_trickles_in_forever_times_out(server: Server) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        while not server.release.wait(0.05):  # a byte every 50 ms: each read is quick, the whole never ends
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return

    server.routes["/trickle"] = Route(handle=trickle)
    with pytest.raises(FetchError, match="timed out after 0.5 s"):
        http_get(server.url("/trickle"), agent=AGENT, limits=Limits(timeout=0.5, max_bytes=10**9))


def test_too_large_bodies_stop_at_the_cap_declared_or_not(server: Server) -> None:
    server.routes["/big"] = Route(body=b"x" * (2 * 1024 * 1024))
    with pytest.raises(FetchError, match=r"too large \(2 MB; the limit is 1 MB\); not saved"):
        http_get(server.url("/big"), agent=AGENT, limits=QUICK)

    def undeclared(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(64):
                handler.wfile.write(b"y" * 65536)
        except OSError:
            pass

    server.routes["/undeclared"] = Route(handle=undeclared)
    with pytest.raises(FetchError, match=r"too large \(more than 1 MB\); not saved"):
        http_get(server.url("/undeclared"), agent=AGENT, limits=QUICK)


def test_a_gzip_bomb_stops_at_the_cap_on_what_it_unpacks_to(server: Server) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))
    server.routes["/bomb"] = Route(body=bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 1024 * 1024  # small on the wire
    with pytest.raises(FetchError, match="too large"):
        http_get(server.url("/bomb"), agent=AGENT, limits=QUICK)


def test_nothing_listening_is_one_line() -> None:
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        http_get(f"http://127.0.0.1:{port}/", agent=AGENT, limits=QUICK)


# ---------------------------------------------------------------- digest add


def test_add_saves_a_page_under_a_readable_name_and_the_build_reads_it(server: Server, project: Path) -> None:
    server.routes["/news/harbour"] = Route(body=page(), headers={"Content-Type": "text/html; charset=utf-8"})
    failed, said = lines_of(add, [server.url("/news/harbour")], load_config(project), limits=QUICK)
    name = "127-0-0-1-harbour-wall-repairs-to-start-in-spring-council-confirms.html"
    assert failed == 0 and said == [f"{server.url('/news/harbour')}: saved as seeds/{name} (a page)"]
    assert (project / "seeds" / name).read_bytes() == page()
    ingest_all(load_config(project))
    [article] = [read_article(p) for p in (project / "content").glob("*.md")]
    assert article.title == "Harbour wall repairs to start in spring, council confirms"


def test_add_again_leaves_an_unchanged_page_and_updates_its_own_copy(server: Server, project: Path) -> None:
    server.routes["/p"] = Route(body=page(), headers={"Content-Type": "text/html"})
    config = load_config(project)
    add([server.url("/p")], config, echo=lambda line: None, limits=QUICK)
    [saved] = (project / "seeds").iterdir()
    _, said = lines_of(add, [server.url("/p")], config, limits=QUICK)
    assert said == [f"{server.url('/p')}: already in seeds/{saved.name}, unchanged (a page)"]
    server.routes["/p"] = Route(
        body=page().replace(b"eight months", b"nine months"), headers={"Content-Type": "text/html"}
    )
    _, said = lines_of(add, [server.url("/p")], config, limits=QUICK)
    assert said == [f"{server.url('/p')}: updated seeds/{saved.name} (a page)"] and b"nine months" in saved.read_bytes()


def test_add_never_overwrites_a_file_someone_else_changed(server: Server, project: Path) -> None:
    server.routes["/p"] = Route(body=page(), headers={"Content-Type": "text/html"})
    config = load_config(project)
    add([server.url("/p")], config, echo=lambda line: None, limits=QUICK)
    [saved] = (project / "seeds").iterdir()
    saved.write_bytes(saved.read_bytes().replace(b"eight months", b"EDITED months"))
    server.routes["/p"] = Route(
        body=page().replace(b"eight months", b"nine months"), headers={"Content-Type": "text/html"}
    )
    failed, said = lines_of(add, [server.url("/p")], config, limits=QUICK)
    assert failed == 0 and b"EDITED" in saved.read_bytes()
    copy = saved.with_name(saved.stem + "-2.html")
    assert copy.read_bytes().count(b"nine months") == 1 and f"saved this copy as seeds/{copy.name}" in said[0]


def test_add_a_feed(server: Server, project: Path) -> None:
    server.routes["/rss"] = Route(
        body=(KINDS / "courier-rss.xml").read_bytes(), headers={"Content-Type": "application/rss+xml"}
    )
    _, said = lines_of(add, [server.url("/rss")], load_config(project), limits=QUICK)
    assert said == [f"{server.url('/rss')}: saved as seeds/127-0-0-1-the-coastal-courier-news.xml (a feed)"]


@pytest.mark.parametrize(
    ("path", "route", "reason"),
    [
        ("/missing", None, "HTTP 404 Not Found"),
        ("/broken", Route(500, b"oops"), "HTTP 500 Internal Server Error"),
        ("/loop", Route(302, headers={"Location": "/loop"}), "too many redirects (more than 3)"),
        (
            "/wall",
            Route(body=page("login-wall.html"), headers={"Content-Type": "text/html"}),
            "not saved: page: no article found",
        ),
        (
            "/data.json",
            Route(body=b'{"hello": "world"}', headers={"Content-Type": "application/json"}),
            "not saved: JSON, but not a JSON Feed",
        ),
        (
            "/photo",
            Route(body=b"\x89PNG\r\n\x1a\n" + bytes(200), headers={"Content-Type": "image/png"}),
            "not saved: binary file (PNG image)",
        ),
    ],
)
def test_each_failure_is_one_line_and_nothing_is_written(
    server: Server, project: Path, path: str, route: Route | None, reason: str
) -> None:
    if route is not None:
        server.routes[path] = route
    failed, said = lines_of(add, [server.url(path)], load_config(project), limits=QUICK)
    assert failed == 1 and len(said) == 1 and said[0].startswith(f"{server.url(path)}: {reason}"), said
    assert seeds(project) == []


def test_add_refuses_what_is_not_http_and_goes_on_with_the_rest(server: Server, project: Path) -> None:
    server.routes["/p"] = Route(body=page(), headers={"Content-Type": "text/html"})
    runner = CliRunner()
    result = runner.invoke(
        cli, ["add", "-C", str(project), "file:///etc/passwd", "javascript:alert(1)", server.url("/p")]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "file:///etc/passwd: a file: address; only http and https addresses are fetched"
    assert lines[1] == "javascript:alert(1): a javascript: address; only http and https addresses are fetched"
    assert lines[2].startswith(f"{server.url('/p')}: saved as seeds/") and len(seeds(project)) == 1
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- digest fetch


def rss(*guids: str, title: str = "Coast News") -> bytes:
    items = "".join(
        f"<item><title>Story number {g} about the harbour</title><link>https://news.example/{g}</link>"
        f'<guid isPermaLink="false">{g}</guid><description><![CDATA[<p>The council said on Monday that story {g} '
        f"was about the harbour wall and the ferry, and that more would follow later in the week.</p>]]></description></item>"
        for g in guids
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


def subscribe(project: Path, *lines: str) -> None:
    (project / "digest.yaml").write_text("feeds:\n" + "".join(f"  - {line}\n" for line in lines), encoding="utf-8")


def etag_route(body: bytes, tag: str) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == tag:
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("ETag", tag)
        handler.send_header("Last-Modified", "Mon, 03 Mar 2025 09:00:00 GMT")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return Route(handle=answer)


def entries_in(path: Path) -> list[str]:
    return [a.title for a in read_articles(path.read_bytes(), path.name)[1].articles]


def test_fetch_asks_politely_and_writes_only_new_entries(server: Server, project: Path) -> None:
    subscribe(project, server.url("/feed.xml"))
    server.routes["/feed.xml"] = etag_route(rss("a", "b"), '"v1"')
    failed, said = lines_of(fetch, load_config(project), limits=QUICK)
    [first] = seeds(project)
    assert failed == 0 and said == [f"{server.url('/feed.xml')}: 2 new entries → seeds/{first}"]
    assert first.startswith("127-0-0-1-coast-news-") and first.endswith(".xml")

    _, said = lines_of(fetch, load_config(project), limits=QUICK)
    assert said == [f"{server.url('/feed.xml')}: not modified since the last fetch"]
    assert server.seen[-1]["if-none-match"] == '"v1"' and server.seen[-1]["if-modified-since"]

    server.routes["/feed.xml"] = etag_route(rss("c", "a", "b"), '"v2"')
    _, said = lines_of(fetch, load_config(project), limits=QUICK)
    second = next(name for name in seeds(project) if name != first)
    assert said == [f"{server.url('/feed.xml')}: 1 new entry → seeds/{second}"]
    assert entries_in(project / "seeds" / second) == ["Story number c about the harbour"]

    ingest_all(load_config(project))
    titles = sorted(read_article(p).title for p in (project / "content").glob("*.md"))
    assert titles == [f"Story number {g} about the harbour" for g in "abc"]


def test_a_changed_entry_is_fetched_again_and_updates_its_article(server: Server, project: Path) -> None:
    subscribe(project, server.url("/feed.xml"))
    server.routes["/feed.xml"] = Route(body=rss("a", "b"))
    fetch(load_config(project), echo=lambda line: None, limits=QUICK)
    _, said = lines_of(fetch, load_config(project), limits=QUICK)  # no validators from this server: same bytes
    assert said == [f"{server.url('/feed.xml')}: no new entries"] and len(seeds(project)) == 1
    server.routes["/feed.xml"] = Route(body=rss("a", "b").replace(b"ferry, and", b"ferry timetable, and", 1))
    _, said = lines_of(fetch, load_config(project), limits=QUICK)
    assert said[0].startswith(f"{server.url('/feed.xml')}: 1 updated → seeds/")
    ingest_all(load_config(project))
    assert len(list((project / "content").glob("*.md"))) == 2


def test_fetch_remembers_nothing_it_cannot_rebuild_from_seeds(server: Server, project: Path) -> None:
    subscribe(project, server.url("/feed.xml"))
    server.routes["/feed.xml"] = Route(body=rss("a", "b"))
    fetch(load_config(project), echo=lambda line: None, limits=QUICK)
    for cached in (project / ".digest-cache").iterdir():
        cached.unlink()
    _, said = lines_of(fetch, load_config(project), limits=QUICK)
    assert said == [f"{server.url('/feed.xml')}: no new entries"]


def test_fetch_reads_an_opml_list_and_reports_each_feed_on_its_own_line(server: Server, project: Path) -> None:
    server.routes["/one.xml"] = Route(body=rss("a", title="One"))
    server.routes["/two.json"] = Route(body=(KINDS / "wire.json").read_bytes())
    (project / "feeds.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        f'<outline text="Coast"><outline text="One" type="rss" xmlUrl="{server.url("/one.xml")}"/>'
        f'<outline text="Two" xmlUrl="{server.url("/two.json")}"/><outline text="Bad" xmlUrl="file:///etc/passwd"/></outline>'
        "</body></opml>",
        encoding="utf-8",
    )
    subscribe(project, "opml: feeds.opml", server.url("/gone.xml"))
    failed, said = lines_of(fetch, load_config(project), limits=QUICK)
    assert failed == 1
    assert said[0] == "feeds.opml: file:///etc/passwd: not an http(s) URL; skipped"
    assert said[1].startswith(f"{server.url('/one.xml')}: 1 new entry → seeds/127-0-0-1-one-")
    assert said[2].startswith(f"{server.url('/two.json')}: 1 new entry → seeds/127-0-0-1-shoreline-wire-") and said[
        2
    ].endswith(".json")
    assert said[3] == f"{server.url('/gone.xml')}: HTTP 404 Not Found"


def test_fetch_refuses_a_page_where_a_feed_should_be(server: Server, project: Path) -> None:
    subscribe(project, server.url("/page"))
    server.routes["/page"] = Route(body=page(), headers={"Content-Type": "text/html"})
    failed, said = lines_of(fetch, load_config(project), limits=QUICK)
    assert failed == 1 and said == [f"{server.url('/page')}: not a feed but a page: use `digest add` for it"]
    assert seeds(project) == []


def test_add_and_fetch_change_nothing_outside_a_project(tmp_path: Path) -> None:
    for command in (["add", "https://news.example/story"], ["fetch"]):
        result = CliRunner().invoke(cli, [command[0], "-C", str(tmp_path), *command[1:]])
        assert result.exit_code == 2 and "is not a digest project" in result.output
    assert list(tmp_path.iterdir()) == []


def test_fetch_with_nothing_subscribed_says_where_to_list_feeds(project: Path) -> None:
    result = CliRunner().invoke(cli, ["fetch", "-C", str(project)])
    assert result.exit_code == 0 and "list them under `feeds:` in digest.yaml" in result.output


def test_build_never_fetches(server: Server, project: Path) -> None:
    subscribe(project, server.url("/feed.xml"))
    server.routes["/feed.xml"] = Route(body=rss("a"))
    result = CliRunner().invoke(cli, ["build", "-C", str(project)])
    assert result.exit_code == 0, result.output
    assert server.seen == [] and seeds(project) == []


def test_a_new_feed_to_fetch_changes_no_page_of_the_site(project: Path) -> None:
    assert CliRunner().invoke(cli, ["build", "-C", str(project)]).exit_code == 0
    subscribe(project, "https://news.example/rss")
    result = CliRunner().invoke(cli, ["build", "-C", str(project)])
    assert result.exit_code == 0 and "site/ already up to date" in result.output, result.output
    assert "render" not in result.output  # not even looked at again: the site is made from the same settings


# ---------------------------------------------------------------- the key in digest.yaml


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("feeds:\n  - file:///etc/passwd\n", "feeds: item 1: 'file:///etc/passwd' is not an http(s) URL"),
        ("feeds:\n  - 42\n", "feeds: item 1: 42 is not an http(s) URL"),
        ("feeds:\n  - {url: https://x.example/}\n", "feeds: item 1: a feed is its URL as text"),
        ("feeds:\n  fetch: https://news.example/rss\n", "feeds.fetch: expected a list of feed URLs"),
        (
            "feeds:\n  items: 5\n  fetch:\n    - javascript:alert(1)\n",
            "feeds.fetch: item 1: 'javascript:alert(1)' is not an http(s) URL",
        ),
        ("feeds: https://news.example/rss\n", "feeds: Input should be a valid dictionary"),
    ],
)
def test_the_feed_list_is_checked_with_a_helpful_line(tmp_path: Path, yaml_text: str, message: str) -> None:
    (tmp_path / "digest.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path)
    assert re.match(rf"digest\.yaml: line \d+: {re.escape(message)}", str(refused.value)), str(refused.value)


def test_feeds_is_the_list_to_fetch_or_the_sites_own_feeds_with_one(tmp_path: Path) -> None:
    (tmp_path / "digest.yaml").write_text("feeds:\n  - https://news.example/rss\n  - opml: mine.opml\n")
    config = load_config(tmp_path)
    assert config.subscriptions == ["https://news.example/rss", Opml(opml="mine.opml")]
    assert config.feeds.items == Feeds().items  # the site's own feeds keep their defaults
    (tmp_path / "digest.yaml").write_text("feeds:\n  items: 5\n  fetch:\n    - https://news.example/rss\n")
    config = load_config(tmp_path)
    assert config.feeds.items == 5 and config.subscriptions == ["https://news.example/rss"]
