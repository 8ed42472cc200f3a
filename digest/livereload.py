"""The preview's HTTP side: files from site/, a Server-Sent Events stream, the reload script.

The script is added to HTML responses on the way out and never written to site/,
so what `digest build` publishes is untouched. Each open tab tells the server
which page it shows; after a rebuild the server decides per tab whether to
refresh it, swap its stylesheets, or leave it alone, and sends the build's
problems for the error overlay. A refresh swaps the new page in place (the reader
keeps their place), or reloads the tab when what the page loads has changed.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional
from urllib.parse import parse_qs, quote, unquote

from .site import NOT_FOUND

ENDPOINT = "/__digest/"
EVENTS = ENDPOINT + "events"
SCRIPT = ENDPOINT + "live.js"
KEEPALIVE_SECONDS = 15.0

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    # feeds shown as text in a browser rather than offered as a download
    ".xml": "application/xml; charset=utf-8",
    ".atom": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}
# Outputs a page does not load as a resource: their change never reloads another page.
# (The search index's chunks are fetched by static/search.js when a reader searches.)
_DOCUMENT_SUFFIXES = (".html", ".xml", ".atom", ".json", ".txt", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# ---------------------------------------------------------------- paths


def url_segments(url_path: str) -> Optional[list[str]]:
    """The decoded path segments of a request, or None when it tries to leave its folder."""
    if not url_path.startswith("/"):
        return None  # absolute-form targets are for proxies
    raw = url_path.split("?", 1)[0].split("#", 1)[0]
    # Decode first, then split: %2f and %2e%2e become visible as / and .. and are refused below.
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    segments = [s for s in decoded.split("/") if s]
    for segment in segments:
        if segment in (".", "..") or "\\" in segment or "\x00" in segment or ":" in segment:
            return None
    return segments


def resolve_file(site_dir: Path, segments: list[str]) -> Optional[Path]:
    """The file to serve for these segments: never outside site_dir, never a listing."""
    root = site_dir.resolve()
    candidate = root.joinpath(*segments).resolve()  # follows symlinks, so an outside target is seen
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_dir():
        candidate = (candidate / "index.html").resolve()
        if not candidate.is_relative_to(root):
            return None
    return candidate if candidate.is_file() else None


def page_key(segments: list[str], site_dir: Path) -> str:
    """The site-relative path a tab shows: what a rebuild reports as changed."""
    joined = "/".join(segments)
    if not segments or (site_dir.joinpath(*segments)).is_dir():
        return f"{joined}/index.html".lstrip("/")
    return joined


def reload_action(changed: Iterable[str], page: str, *, page_exists: bool, has_problems: bool) -> Optional[str]:
    """What a tab showing `page` does after a rebuild wrote or removed `changed`: "reload", "css" or None."""
    changed = set(changed)
    assets = {p for p in changed if not p.lower().endswith(_DOCUMENT_SUFFIXES)}
    stylesheets = {p for p in assets if p.lower().endswith(".css")}
    if page in changed or assets - stylesheets:
        # A page that vanished because its source is broken: keep it on screen under the overlay.
        if not page_exists and has_problems:
            return None
        return "reload"
    if assets:
        return "css"
    return None


def inject_script(html: bytes, generation: int) -> bytes:
    tag = f'<script src="{SCRIPT}" data-build="{generation}"></script>'.encode()
    at = html.lower().rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


# ---------------------------------------------------------------- state


class BuildGate:
    """Requests read while no build runs; a build waits for requests in flight, then excludes them.

    `closed`: requests wait from the start, until the end of the first build.
    """

    def __init__(self, closed: bool = False) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._waiting = 0
        self._building = closed

    @property
    def waiting(self) -> int:
        """Requests held back by a build right now."""
        with self._condition:
            return self._waiting

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            self._waiting += 1
            while self._building:
                self._condition.wait()
            self._waiting -= 1
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def building(self) -> Iterator[None]:
        with self._condition:
            self._building = True
            while self._readers:
                self._condition.wait()
        try:
            yield
        finally:
            with self._condition:
                self._building = False
                self._condition.notify_all()


@dataclass(eq=False)
class _Tab:
    page: str
    outbox: "queue.Queue[Optional[str]]" = field(default_factory=queue.Queue)


class LiveState:
    """What the server knows between builds: where the site is, its problems, the open tabs."""

    def __init__(self, site_dir: Callable[[], Path], mount: str = "/", *, closed: bool = False) -> None:
        self.site_dir = site_dir
        self.mount = mount if mount.endswith("/") else mount + "/"
        self.gate = BuildGate(closed)
        self.generation = 0
        self.problems: list[str] = []
        self._changed_at: dict[str, int] = {}  # site path -> generation that last wrote it
        self._tabs: set[_Tab] = set()
        self._lock = threading.Lock()

    def publish(self, changed: Iterable[str], problems: list[str]) -> None:
        """A build finished: tell every tab what to do."""
        changed = list(changed)
        site_dir = self.site_dir()
        with self._lock:
            self.generation += 1
            self.problems = list(problems)
            for path in changed:
                self._changed_at[path] = self.generation
            tabs = list(self._tabs)
        for tab in tabs:
            exists = resolve_file(site_dir, tab.page.split("/")) is not None
            action = reload_action(changed, tab.page, page_exists=exists, has_problems=bool(problems))
            tab.outbox.put(_event("problems", problems))
            if action:
                tab.outbox.put(_event(action, {}))

    def connect(self, page: str, seen_generation: int) -> _Tab:
        tab = _Tab(page)
        with self._lock:
            self._tabs.add(tab)
            tab.outbox.put(_event("problems", self.problems))
            # The page was served before a build that rewrote it finished: catch up now.
            if self._changed_at.get(page, 0) > seen_generation:
                tab.outbox.put(_event("reload", {}))
        return tab

    def disconnect(self, tab: _Tab) -> None:
        with self._lock:
            self._tabs.discard(tab)

    def close(self) -> None:
        with self._lock:
            tabs, self._tabs = list(self._tabs), set()
        for tab in tabs:
            tab.outbox.put(None)


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


# ---------------------------------------------------------------- HTTP


class _Handler(BaseHTTPRequestHandler):
    # A request too broken to name its version is answered as HTTP/1.0, with headers, not as bare HTTP/0.9.
    default_request_version = "HTTP/1.0"
    server: "PreviewServer"
    protocol_version = "HTTP/1.1"
    # Headers and body, or two events, go out as separate small writes: without TCP_NODELAY,
    # Nagle's algorithm may hold the second until the browser's (delayed) ACK of the first.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "digest-serve"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass  # one line per request would bury the build messages

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def _respond(self, send_body: bool) -> None:
        state = self.server.state
        path = self.path.split("?", 1)[0]
        if path == SCRIPT:
            return self._send(HTTPStatus.OK, LIVE_JS.encode(), "text/javascript; charset=utf-8", send_body)
        if path == EVENTS and send_body:
            return self._stream_events()
        if path.rstrip("/") + "/" == state.mount and path != state.mount:
            return self._redirect(state.mount)
        if not path.startswith(state.mount):
            if path == "/":
                return self._redirect(state.mount)
            return self._not_found(send_body)
        segments = url_segments("/" + self.path[len(state.mount) :])
        if segments is None:
            return self._not_found(send_body)
        with state.gate.reading():
            site_dir = state.site_dir()
            folder = bool(segments) and not path.endswith("/") and site_dir.joinpath(*segments).is_dir()
            target = resolve_file(site_dir, segments)
            body = _read(target) if target else None
            generation = state.generation
        if folder and target is not None:
            # so the index page's relative links resolve; rebuilt from segments, so never "//host"
            return self._redirect(state.mount + quote("/".join(segments)) + "/")
        if body is None or target is None:
            return self._not_found(send_body)
        if target.suffix.lower() == ".html":
            body = inject_script(body, generation)
        self._send(HTTPStatus.OK, body, content_type(target), send_body)

    def _not_found(self, send_body: bool) -> None:
        state = self.server.state
        with state.gate.reading():
            body = _read(state.site_dir() / NOT_FOUND)
            generation = state.generation
        if body is None:
            return self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", send_body)
        self._send(HTTPStatus.NOT_FOUND, inject_script(body, generation), _TYPES[".html"], send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def end_headers(self) -> None:
        # Here rather than per response: the standard library's own error answers (400, 501, 505) pass through too.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _stream_events(self) -> None:
        state = self.server.state
        query = parse_qs(self.path.partition("?")[2])
        page_url = query.get("page", ["/"])[0]
        inside = page_url[len(state.mount) - 1 :] if page_url.startswith(state.mount) else "/"
        segments = url_segments(inside) or []
        try:
            seen = int(query.get("build", ["0"])[0])
        except ValueError:
            seen = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.close_connection = True
        tab = state.connect(page_key(segments, state.site_dir()), seen)
        try:
            while True:
                try:
                    message = tab.outbox.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    message = ": keep-alive\n\n"  # also how a closed tab is noticed
                if message is None:
                    return
                self.wfile.write(message.encode())
                self.wfile.flush()
        except OSError:  # the tab went away
            return
        finally:
            state.disconnect(tab)


def _read(path: Optional[Path]) -> Optional[bytes]:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return  # a tab closed or reloaded mid-response: routine, not worth a traceback
        print(f"digest: preview server: {type(error).__name__}: {error}", file=sys.stderr, flush=True)

    def __init__(self, address: tuple[str, int], state: LiveState) -> None:
        if ":" in address[0]:
            import socket

            self.address_family = socket.AF_INET6
        self.state = state
        super().__init__(address, _Handler)


LIVE_JS = r"""
(() => {
  const me = document.currentScript;
  const url = new URL("/__digest/events", location.href);
  url.searchParams.set("page", location.pathname);
  url.searchParams.set("build", me ? me.dataset.build : "0");
  const source = new EventSource(url);
  let problems = [];
  let latest = 0;

  // What makes a page load things or run code. While it is unchanged, the new page is
  // swapped in place: no flash, no refetching, and the reader keeps their scroll position.
  const LOADS = 'link[rel~="stylesheet"], link[rel~="preload"], style, script, base';
  const ours = (element) => element.tagName === "SCRIPT" && (element.getAttribute("src") || "").startsWith("/__digest/");
  const shell = (doc) => [
    [...doc.documentElement.attributes].map((a) => `${a.name}=${a.value}`).join(" "),
    ...[...doc.head.querySelectorAll(LOADS)].map((e) => e.outerHTML),
    ...[...doc.body.querySelectorAll("script")].filter((e) => !ours(e)).map((e) => e.outerHTML),
  ].join("\n");

  const swapIn = (fresh) => {
    for (const element of [...document.head.children]) if (!element.matches(LOADS)) element.remove();
    for (const element of [...fresh.head.children]) if (!element.matches(LOADS)) document.head.appendChild(element);
    // The search box is set up by its script when a page loads, which a swap does not run: the box on
    // screen stays, as the reader left it (shown, listening, a query typed), and the page keeps its layout.
    const searchBox = document.querySelector("[data-search]");
    const incoming = fresh.querySelector("[data-search]");
    if (searchBox && incoming) incoming.replaceWith(searchBox);
    document.body.replaceWith(fresh.body);  // its scripts do not run: this one keeps listening
    showProblems();
  };

  const refresh = async () => {
    const mine = ++latest;
    try {
      const response = await fetch(location.href, {cache: "no-store"});
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      if (mine !== latest) return;  // a newer build's page is on its way
      if (shell(fresh) !== shell(document)) return location.reload();
      swapIn(fresh);
    } catch (error) {
      location.reload();
    }
  };

  const showProblems = () => {
    let box = document.getElementById("digest-live-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "digest-live-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:2147483647;" +
        "max-height:50vh;overflow:auto;padding:1rem;background:#fff5f5;color:#7a0000;" +
        "border:2px solid #c00;border-radius:6px;font:14px/1.4 ui-monospace,monospace;" +
        "white-space:pre-wrap;box-shadow:0 4px 16px rgba(0,0,0,.25)";
      document.body.appendChild(box);
    }
    box.textContent = "digest: the last build has problems\n\n" + problems.join("\n");
  };

  source.addEventListener("reload", refresh);
  source.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const fresh = new URL(link.href);
      fresh.searchParams.set("digest-live", Date.now());
      link.href = fresh.href;
    }
  });
  source.addEventListener("problems", (event) => {
    problems = JSON.parse(event.data);
    showProblems();
  });
})();
"""
