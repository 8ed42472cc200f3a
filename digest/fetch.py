"""`digest add URL…` and `digest fetch`: the only code in digest that touches the network.

Both bring pages and feeds into `seeds/`, and nothing else: `digest build` never
fetches, so a build is offline and the same seeds always make the same site.

Every request is bounded and polite: http(s) only, at every redirect too; at most
MAX_REDIRECTS redirects; one deadline for the whole exchange (a server that sends a
byte a minute cannot hold a fetch forever); a size cap on the body as decoded (a
gzip bomb stops at the cap); a User-Agent that says what is asking. A feed is asked
for with the ETag and Last-Modified it last answered (conditional GET), and only
its new or changed entries are written, into a new file: a seed once written is
never rewritten, and nothing is ever written half (atomic writes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urljoin, urlsplit

from . import __version__
from .cache import Store
from .config import Config, Opml, is_http_url
from .ingest.decode import MAX_SEED_BYTES, Rejected
from .ingest.readers import FEED, NOTE, PAGE, TEXT, Reading, detect_kind, read_articles
from .model import atomic_write, slugify

MAX_REDIRECTS = 5
TIMEOUT = 30.0  # seconds for one whole exchange, redirects and body included
STATE_FILE = "fetch.pickle"
STATE_KEY = "fetch-v1"
NAME_LENGTH = 70
_CHUNK = 64 * 1024
_SUFFIXES = {PAGE: ".html", TEXT: ".txt", NOTE: ".md"}
_REDIRECTS = {301, 302, 303, 307, 308}

Echo = Callable[[str], None]


class FetchError(Exception):
    """A URL that could not be brought in; the message is the reason, in one line."""


@dataclass(frozen=True)
class Limits:
    timeout: float = TIMEOUT
    max_bytes: int = MAX_SEED_BYTES  # what ingest would refuse is not worth downloading
    max_redirects: int = MAX_REDIRECTS


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class FetchState:
    """Derived state in .digest-cache/: deleting it costs one unconditional fetch per feed, nothing else."""

    validators: dict[str, tuple[str, str]] = field(default_factory=dict)  # feed URL → (ETag, Last-Modified)
    seen: Optional[dict[str, str]] = None  # entry key → fingerprint of every feed entry in seeds/
    saved: dict[str, str] = field(default_factory=dict)  # seed name → sha256 of the bytes `add` wrote there


# ---------------------------------------------------------------- HTTP


def user_agent(config: Config) -> str:
    """Names digest, and the site it fetches for (unless that is still the local preview address)."""
    site = "" if urlsplit(config.base_url).hostname in ("127.0.0.1", "localhost") else f"; +{config.base_url}"
    return f"digest/{__version__} (news-digest site generator{site})"


def http_get(url: str, *, agent: str, limits: Limits = Limits(), headers: Optional[dict[str, str]] = None) -> Response:
    """GET with redirects followed by hand, so that each hop is checked; FetchError with the reason."""
    import urllib3

    deadline = time.monotonic() + limits.timeout
    with urllib3.PoolManager(retries=False, headers={"User-Agent": agent, **(headers or {})}) as pool:
        for _ in range(limits.max_redirects + 1):
            _check_scheme(url)
            response = _request(pool, url, deadline, limits)
            if response.status in _REDIRECTS and response.headers.get("location"):
                response.release_conn()
                url = urljoin(url, response.headers["location"])
                continue
            return Response(
                url,
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                _read_capped(response, deadline, limits),
            )
    raise FetchError(f"too many redirects (more than {limits.max_redirects})")


def _check_scheme(url: str) -> None:
    if not is_http_url(url):
        scheme = urlsplit(url).scheme
        what = f"a {scheme}: address" if scheme else "not an absolute address"
        raise FetchError(f"{what}; only http and https addresses are fetched")


def _request(pool: Any, url: str, deadline: float, limits: Limits) -> Any:
    import urllib3

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"timed out after {limits.timeout:g} s")
    try:
        return pool.request(
            "GET",
            url,
            redirect=False,
            preload_content=False,
            timeout=urllib3.Timeout(connect=remaining, read=remaining),
        )
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(_network_problem(error, limits)) from None


def _read_capped(response: Any, deadline: float, limits: Limits) -> bytes:
    import urllib3

    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"too large ({_size(int(declared))}; the limit is {_size(limits.max_bytes)}); not saved")
    chunks, size = [], 0
    try:
        # read1 returns what has arrived: a body that trickles in is checked against the deadline as it comes
        while chunk := response.read1(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(f"too large (more than {_size(limits.max_bytes)}); not saved")
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {limits.timeout:g} s")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(_network_problem(error, limits)) from None
    finally:
        response.release_conn()
    return b"".join(chunks)


def _network_problem(error: Exception, limits: Limits) -> str:
    import urllib3

    # NewConnectionError is a kind of TimeoutError to urllib3: it is asked first
    if isinstance(error, urllib3.exceptions.NameResolutionError):
        return "no such host"
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "cannot connect (connection refused or host unreachable)"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return f"timed out after {limits.timeout:g} s"
    if isinstance(error, urllib3.exceptions.SSLError):
        return "TLS error (the certificate could not be checked)"
    if isinstance(error, urllib3.exceptions.DecodeError):
        return "the body could not be decompressed"
    if isinstance(error, urllib3.exceptions.LocationParseError):
        return "not a valid address"
    return f"the connection failed ({type(error).__name__})"


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.0f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


def _ok(response: Response) -> None:
    if response.status != 200:
        from http import HTTPStatus

        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        raise FetchError(f"HTTP {response.status} {phrase}".rstrip())


# ---------------------------------------------------------------- state


def load_state(config: Config) -> FetchState:
    saved = Store().read(config.cache_dir / STATE_FILE, STATE_KEY)
    return saved if isinstance(saved, FetchState) else FetchState()


def save_state(config: Config, state: FetchState) -> None:
    Store().write(config.cache_dir / STATE_FILE, STATE_KEY, state)


def _seen_entries(config: Config, state: FetchState) -> dict[str, str]:
    """Entry key → fingerprint of every feed entry already in seeds/ (read from seeds/ when the state is lost)."""
    if state.seen is None:
        state.seen = {}
        folder = config.seeds_dir
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            reading = _read_quietly(path, config)
            for entry in reading.articles if reading else ():
                state.seen[_entry_key(entry.origin)] = entry.fingerprint()
    return state.seen


def _read_quietly(path: Path, config: Config) -> Optional[Reading]:
    """A feed seed's entries; None for any other file, or one that cannot be read (ingest will say why)."""
    from .ingest.decode import read_seed

    try:
        data = read_seed(path, config.seeds_dir)
        return read_articles(data, path.name)[1] if detect_kind(path.name, data) == FEED else None
    except (Rejected, RecursionError, OSError):
        return None


def _entry_key(origin: str) -> str:
    return origin.partition("#")[2]


# ---------------------------------------------------------------- digest add


def add(urls: list[str], config: Config, *, echo: Echo, limits: Limits = Limits()) -> int:
    """Each URL's page or feed into seeds/, one line each; returns how many failed."""
    return _each(urls, config, echo, lambda url, state: _add_one(url, config, state, limits))


def _each(urls: list[str], config: Config, echo: Echo, one: Callable[[str, FetchState], str]) -> int:
    """One line per URL, what `one` did or why it could not; returns the failures. The state is saved after
    each URL, so that an interrupted run remembers what it wrote."""
    state = load_state(config)
    failed = 0
    for url in urls:
        try:
            echo(f"{url}: {one(url, state)}")
        except FetchError as error:
            echo(f"{url}: {error}")
            failed += 1
        save_state(config, state)
    return failed


def _add_one(url: str, config: Config, state: FetchState, limits: Limits) -> str:
    response = http_get(url.strip(), agent=user_agent(config), limits=limits)
    _ok(response)
    kind, reading = _validate(response)
    path = config.seeds_dir / _file_name(response.url, _title(kind, reading), _suffix(kind, response.body))
    what = "a feed" if kind == FEED else "a page" if kind == PAGE else "a text"
    return f"{_save(path, response.body, state, config)} ({what})"


def _save(path: Path, body: bytes, state: FetchState, config: Config) -> str:
    """Write a download, never over a file digest did not write there (or that was changed since)."""
    digest = hashlib.sha256(body).hexdigest()
    shown = config.display(path)
    verb = "saved as"
    if path.exists():
        current = hashlib.sha256(path.read_bytes() if path.is_file() else b"").hexdigest()
        if current == digest:
            return f"already in {shown}, unchanged"
        if state.saved.get(path.name) != current:
            copy = _free_name(path)
            _save(copy, body, state, config)
            return f"{shown} was not saved by digest, or was changed since; kept it, and saved this copy as {config.display(copy)}"
        verb = "updated"
    atomic_write(path, body)
    state.saved[path.name] = digest
    return f"{verb} {shown}"


def _validate(response: Response) -> tuple[str, Reading]:
    """What ingest will make of it; refused now, with ingest's reason, rather than at the next build."""
    name = _name_hint(response)
    try:
        return read_articles(response.body, name)
    except Rejected as reason:
        raise FetchError(f"not saved: {reason}") from None
    except RecursionError:
        raise FetchError("not saved: nested too deeply to read") from None


def _name_hint(response: Response) -> str:
    """A name whose suffix says what the server says it sent (content decides where it can)."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if "html" in media:
        return "download.html"
    if "json" in media:
        return "download.json"
    if "markdown" in media:
        return "download.md"
    if "xml" in media or "rss" in media or "atom" in media:
        return "download.xml"
    return "download" + (Path(urlsplit(response.url).path).suffix.lower() or ".txt")


def _suffix(kind: str, body: bytes) -> str:
    if kind == FEED:
        return ".json" if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else ".xml"
    return _SUFFIXES.get(kind, ".txt")


def _title(kind: str, reading: Reading) -> str:
    first = reading.articles[0] if reading.articles else None
    if first is None:
        return ""
    return first.source if kind == FEED else first.title


def _file_name(url: str, title: str, suffix: str) -> str:
    """`host-title-as-slug.html`: what a person looking in seeds/ can recognise."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    words = title or parts.path.strip("/").replace("/", " ") or "index"
    return slugify(f"{host} {words}", max_length=NAME_LENGTH) + suffix


def _free_name(path: Path) -> Path:
    for number in range(2, 10_000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FetchError("no free file name left in seeds/")


# ---------------------------------------------------------------- digest fetch


def subscription_urls(config: Config, echo: Echo) -> list[str]:
    """The feeds `feeds:` lists, OPML files expanded, each once, in order."""
    urls: list[str] = []
    for item in config.subscriptions:
        found = [item] if isinstance(item, str) else _opml_urls(config, item, echo)
        urls.extend(url.strip() for url in found if url.strip() not in urls)
    return urls


def _opml_urls(config: Config, item: Opml, echo: Echo) -> list[str]:
    from lxml import etree

    from .ingest.readers.feed import refuse_dtd

    path = config.root / item.opml
    try:
        data = path.read_bytes()
        refuse_dtd(data, "OPML")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except OSError as error:
        echo(f"{item.opml}: cannot read: {error.strerror or error}")
        return []
    except Rejected as reason:
        echo(f"{item.opml}: {reason}")
        return []
    except etree.XMLSyntaxError as error:
        echo(f"{item.opml}: not well-formed XML (line {error.lineno}: {error.msg})")
        return []
    urls = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if url and is_http_url(url):
            urls.append(url)
        elif url:
            echo(f"{item.opml}: {url}: not an http(s) URL; skipped")
    return urls


def fetch(config: Config, *, echo: Echo, limits: Limits = Limits(), now: Optional[dt.datetime] = None) -> int:
    """Every subscription's new entries into seeds/, one line per feed; returns how many failed."""
    urls = subscription_urls(config, echo)
    if not urls:
        echo("no feeds to fetch: list them under `feeds:` in digest.yaml")
        return 0
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%d-%H%M%S")
    return _each(urls, config, echo, lambda url, state: _fetch_one(url, config, state, limits, stamp))


def _fetch_one(url: str, config: Config, state: FetchState, limits: Limits, stamp: str) -> str:
    etag, modified = state.validators.get(url, ("", ""))
    conditions = {key: value for key, value in (("If-None-Match", etag), ("If-Modified-Since", modified)) if value}
    response = http_get(url, agent=user_agent(config), limits=limits, headers=conditions)
    if response.status == 304:
        return "not modified since the last fetch"
    _ok(response)
    kind, reading = _validate(response)
    if kind != FEED:
        raise FetchError(f"not a feed but {'a page' if kind == PAGE else 'a text'}: use `digest add` for it")
    seen = _seen_entries(config, state)
    fresh = [entry for entry in reading.articles if seen.get(_entry_key(entry.origin)) != entry.fingerprint()]
    state.validators[url] = (response.headers.get("etag", ""), response.headers.get("last-modified", ""))
    if not fresh:
        return "no new entries"
    new = sum(1 for entry in fresh if _entry_key(entry.origin) not in seen)
    body = only_entries(response.body, reading, {_entry_key(entry.origin) for entry in fresh})
    path = _free_name_for(config.seeds_dir / _file_name(url, f"{_title(kind, reading)} {stamp}", _suffix(kind, body)))
    atomic_write(path, body)
    for entry in reading.articles:
        seen[_entry_key(entry.origin)] = entry.fingerprint()
    counts = [f"{new} new entr{'y' if new == 1 else 'ies'}"] if new else []
    counts += [f"{len(fresh) - new} updated"] if len(fresh) > new else []
    return f"{', '.join(counts)} → {config.display(path)}"


def _free_name_for(path: Path) -> Path:
    return path if not path.exists() else _free_name(path)


def only_entries(body: bytes, reading: Reading, keep: set[str]) -> bytes:
    """The feed document with only the entries named in `keep` (keys as in `seeds/x.xml#key`).

    The entries stay as the server wrote them, in the feed's own format. When the
    document's entries cannot be matched one for one with the reader's, all of it is
    kept: ingest keeps one copy of an entry however often it is seen.
    """
    keys = [_entry_key(entry.origin) for entry in reading.articles]
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _only_json_items(body, keys, keep)
    return _only_xml_entries(body, keys, keep)


def _only_json_items(body: bytes, keys: list[str], keep: set[str]) -> bytes:
    import json

    document = json.loads(body.decode("utf-8-sig"))
    items = [item for item in document.get("items", []) if isinstance(item, dict)]
    if len(items) != len(keys):
        return body
    document["items"] = [item for item, key in zip(items, keys) if key in keep]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _only_xml_entries(body: bytes, keys: list[str], keep: set[str]) -> bytes:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return body  # feedparser read it leniently; keep it whole
    entries = [
        element
        for element in root.iter()
        if isinstance(element.tag, str) and etree.QName(element).localname in ("item", "entry")
    ]
    if len(entries) != len(keys):
        return body
    for element, key in zip(entries, keys):
        if key not in keep:
            element.getparent().remove(element)
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding=encoding)
