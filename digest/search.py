"""The search index: Pagefind bundles made from the site's own data, not crawled from its HTML.

Each article and digest is one record: its text to search, what a result shows
(title, date, source, digest; Pagefind makes the highlighted excerpt from the
text), and the filters a reader narrows by (digest, source, tag, year). The site's
pages load Pagefind's own JavaScript and WebAssembly from site/pagefind/, and only
the index chunks a query needs (static/search.js draws the box and the results).

Pagefind holds a whole index in memory while it writes it: about 150 kB a record and
22 bytes per character of text (measured: benchmarks/search_index.py --shard-memory), so
the index is split into shards of at most SHARD_BYTES of that estimate. A year is one
shard, or its halves, quarters or months when it would be larger, and a month (or the
undated articles) larger still is cut into parts, filled in date order (the undated by when
they entered the site), so a new article usually changes the last part only. The browser merges the shards
(Pagefind's mergeIndex, which shares one WebAssembly module). A shard is made again only
when one of its records changed, so an edit costs a re-index of its shard, not of the archive.

Pagefind's Python package (`pagefind.index.PagefindIndex`) drives the same
binary, but reads one reply every 100 ms (its issue #976): ten seconds a hundred
records. So this module speaks the binary's service protocol itself — base64 JSON
messages ended by commas, the protocol that package and Pagefind's Node API use —
and runs the binary the `pagefind-bin` package ships (its Python wrapper is not needed).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, Optional

from .interrupt import Interrupt, Interrupted
from .markdown import plain_text
from .model import Article, DateValue, Digest
from .site import ARTICLE, DIGEST, Site

SEARCH_DIR = "pagefind/"
SHARDS_JSON = SEARCH_DIR + "shards.json"  # the shards, newest first: the first is the one the others merge into
# Pagefind's peak memory for one index, estimated: a shard's at most SHARD_BYTES, so no process
# of the build passes 500 MB; shards indexed side by side hold at most PAGEFIND_AT_ONCE together
SHARD_BYTES = 360_000_000
PAGEFIND_AT_ONCE = 2 * SHARD_BYTES
RECORD_BYTES = 150_000
TEXT_BYTES = 22  # per character of a record's text
UNDATED = "undated"
# Of what Pagefind writes, what a page needs: the index, the search runtime and its WebAssembly.
# (Its ready-made UIs are left out: static/search.js draws digest's own.)
_KEPT_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-worker.js")
_KEPT_PREFIXES = ("index/", "fragment/", "filter/", "wasm.", "pagefind.")


class SearchError(Exception):
    """The index could not be made (no Pagefind binary, or it failed); the message says why, in one line."""


@dataclass(frozen=True)
class Record:
    url: str  # site-relative
    content: str
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Shard:
    name: str  # a year ("2025"), half ("2025-h2"), quarter ("2025-q3"), month ("2025-07"), "undated", or a part of one ("2025-07-part2")
    key: str  # changes whenever any of its records would
    records: Callable[[], list[Record]]  # made only when the shard is indexed
    size: int = 0  # the memory its Pagefind process needs, estimated (bytes)


def shard_paths(name: str, files: list[str]) -> list[str]:
    return [f"{SEARCH_DIR}{name}/{path}" for path in files]


# ---------------------------------------------------------------- records


def _year(value: DateValue) -> str:
    return f"{value.year:04d}" if value is not None else UNDATED


# A crowded year's shards, coarsest first: halves, quarters, months
_PERIODS: tuple[Callable[[Any], str], ...] = (
    lambda d: f"{d.year:04d}-h{(d.month + 5) // 6}",
    lambda d: f"{d.year:04d}-q{(d.month + 2) // 3}",
    lambda d: f"{d.year:04d}-{d.month:02d}",
)


DateText = Callable[[DateValue], str]


def date_text(zone: Any, language: str) -> DateText:
    """Dates as the pages show them ("3 March 2025")."""
    from .render.dates import date_info

    def text(value: DateValue) -> str:
        info = date_info(value, zone, language)
        return info["text"] if info else ""

    return text


def article_record(article: Article, digest: Optional[Digest], dates: DateText) -> Record:
    meta = {"title": article.title, "kind": "article", "date": dates(article.date)}
    if article.source:
        meta["source"] = article.source
    if digest is not None:
        meta["digest"] = digest.name
    filters = {"year": [_year(article.date)], "tag": list(dict.fromkeys(article.tags))}
    if article.source:
        filters["source"] = [article.source]
    if digest is not None:
        filters["digest"] = [digest.name]
    body = plain_text(article.body)
    summary = article.summary if " ".join(article.summary.split()[:12]) not in " ".join(body[:2000].split()) else ""
    text = "\n\n".join(part for part in (article.title, summary, body) if part)
    return Record(ARTICLE.format(slug=article.slug), text, meta, {k: v for k, v in filters.items() if v})


def digest_record(digest: Digest, dates: DateText) -> Record:
    first, last = dates(digest.date_from), dates(digest.date_to)
    meta = {
        "title": digest.name,
        "kind": "digest",
        "date": first if first == last else f"{first} – {last}",
        "count": str(len(digest.articles)),
    }
    filters = {
        "digest": [digest.name],
        "year": sorted({_year(a.date) for a in digest.articles}),
        "tag": list(dict.fromkeys(digest.tags)),
        "source": list(dict.fromkeys(digest.sources)),
    }
    text = "\n\n".join([digest.name, *(point.text for point in digest.overview)])
    return Record(DIGEST.format(slug=digest.slug), text, meta, {k: v for k, v in filters.items() if v})


def _article_key(article: Article, digest: Optional[Digest]) -> str:
    fields, body = article.fingerprints
    return f"{article.slug}|{fields}|{body}|{digest.name if digest else ''}"


def _digest_key(digest: Digest) -> str:
    return repr(
        (
            digest.slug,
            digest.name,
            [p.text for p in digest.overview],
            digest.tags,
            digest.sources,
            [(a.slug, repr(a.date)) for a in digest.articles],
        )
    )


def plan_shards(site: Site, settings: str) -> list[Shard]:
    """The index's shards, newest first, each keyed without making its records (`settings`: a key
    of the code and settings that shape every record: the site's language and time zone among them)."""
    from .render.inputs import key_of

    digests_of: dict[str, list[Digest]] = {}
    for digest in site.digests:  # with its latest article; a digest of one article is that article
        if len(digest.articles) > 1:
            latest = max(digest.articles, key=lambda a: a.sort_key)
            digests_of.setdefault(latest.slug, []).append(digest)
    weight = {
        a.slug: _text_bytes(a.title, a.summary, a.body) + sum(_digest_bytes(d) for d in digests_of.get(a.slug, ()))
        for a in site.articles
    }
    digest_of = site.digest_of
    dates = date_text(site.config.tz, site.config.language)
    shards = []
    members = _shard_members(site.articles, weight)
    for name in sorted(members, key=_newest_first, reverse=True):
        articles = members[name]
        digests = [d for a in articles for d in digests_of.get(a.slug, ())]
        articles = sorted(articles, key=lambda a: a.slug)
        key = key_of(
            [
                settings,
                name,
                *(_article_key(a, digest_of.get(a.slug)) for a in articles),
                *(_digest_key(d) for d in digests),
            ]
        )
        size = sum(weight[a.slug] for a in articles)
        shards.append(Shard(name, key, _records_maker(articles, digests, digest_of, dates), size))
    return shards


def _text_bytes(*texts: str) -> int:
    return RECORD_BYTES + TEXT_BYTES * sum(len(text) for text in texts)


def _digest_bytes(digest: Digest) -> int:
    return _text_bytes(digest.name, *(point.text for point in digest.overview))


def _newest_first(name: str) -> tuple[bool, str, int]:
    """Sort key, reversed: newest first, the undated last (a part after the one it follows)."""
    period, _, part = name.partition("-part")
    return (period != UNDATED, period, int(part or 1))


def _shard_members(articles: Iterable[Article], weight: dict[str, int]) -> dict[str, list[Article]]:
    """Shard name → its articles: a year, or the coarsest periods of it that each fit SHARD_BYTES,
    and any period (or the undated articles) that still does not, cut into parts."""
    years: dict[str, list[Article]] = {}
    for article in articles:
        years.setdefault(_year(article.date), []).append(article)
    members: dict[str, list[Article]] = {}
    for year, in_year in years.items():
        units = {year: in_year}
        for period in _PERIODS if year != UNDATED else ():
            if all(sum(weight[a.slug] for a in unit) <= SHARD_BYTES for unit in units.values()):
                break
            units = {}
            for article in in_year:
                units.setdefault(period(article.date), []).append(article)
        for name, unit in units.items():
            members.update(_parts(name, unit, weight))
    return members


def _parts(name: str, articles: list[Article], weight: dict[str, int]) -> dict[str, list[Article]]:
    """`articles` in parts that each fit SHARD_BYTES (an article heavier than that is a part alone),
    filled in the articles' order: a new article goes into the last part, or starts one."""
    parts: list[list[Article]] = [[]]
    held = 0
    for article in sorted(articles, key=lambda a: a.sort_key):
        if parts[-1] and held + weight[article.slug] > SHARD_BYTES:
            parts.append([])
            held = 0
        parts[-1].append(article)
        held += weight[article.slug]
    return {name if number == 1 else f"{name}-part{number}": part for number, part in enumerate(parts, 1)}


def _records_maker(
    articles: list[Article], digests: list[Digest], digest_of: dict[str, Digest], dates: DateText
) -> Callable[[], list[Record]]:
    def make() -> list[Record]:
        records = [article_record(a, digest_of.get(a.slug), dates) for a in articles]
        return records + sorted((digest_record(d, dates) for d in digests), key=lambda r: r.url)

    return make


def pagefind_language(language: str) -> str:
    """Pagefind stems words by an ISO 639-1 code: "en-GB" is indexed as English."""
    return language.split("-")[0].split("_")[0].lower() or "en"


def pagefind_version() -> str:
    """The binary's version: another one may write another index from the same records."""
    from importlib.metadata import PackageNotFoundError, version

    for package in ("pagefind-bin", "pagefind-bin-extended", "pagefind"):
        try:
            return f"{package} {version(package)}"
        except PackageNotFoundError:
            continue
    return "unknown"


def shards_json(names: list[str]) -> bytes:
    return (json.dumps({"shards": names}, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------- Pagefind


def index_shards(
    shards: list[Shard], language: str, *, workers: Optional[int] = None, interrupt: Optional[Interrupt] = None
) -> dict[str, dict[str, bytes]]:
    """Shard name → its bundle's files (bundle-relative path → bytes). Raises SearchError, or
    Interrupted once `interrupt` is set (its Pagefind processes are killed then).

    Pagefind indexes on one core: shards are indexed side by side (`workers`, default one per
    core), as long as the memory of all Pagefind processes at once stays within PAGEFIND_AT_ONCE
    (estimated, as Shard.size; a larger shard runs alone)."""
    if not shards:
        return {}
    workers = max(1, min(len(shards), workers or os.cpu_count() or 1))
    budget = _Budget(PAGEFIND_AT_ONCE)

    def index(shard: Shard) -> dict[str, bytes]:
        with budget.taken(shard.size), _Service(interrupt) as service:  # a process each: Pagefind keeps what
            return service.bundle(shard.records(), language)  # it allocated for one index until it exits

    if workers == 1:
        return {shard.name: index(shard) for shard in shards}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="digest-pagefind") as pool:
        futures = [(shard.name, pool.submit(index, shard)) for shard in shards]
        return {name: future.result() for name, future in futures}


class _Budget:
    """Memory of the Pagefind processes at once (estimated), at most `total` (one larger shard may run alone)."""

    def __init__(self, total: int) -> None:
        self._total = total
        self._free = total
        self._changed = threading.Condition()

    @contextmanager
    def taken(self, size: int) -> Iterator[None]:
        amount = min(size, self._total)
        with self._changed:
            self._changed.wait_for(lambda: self._free >= amount)
            self._free -= amount
        try:
            yield
        finally:
            with self._changed:
                self._free += amount
                self._changed.notify_all()


def _executable() -> str:
    """As Pagefind's own Python package finds it: $PAGEFIND_BINARY_PATH, else the `pagefind-bin` package's."""
    explicit = os.environ.get("PAGEFIND_BINARY_PATH")
    if explicit:
        return explicit
    try:
        from pagefind_bin import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        if found is None:
            raise SearchError(
                "no Pagefind binary found (pip install pagefind-bin, or set PAGEFIND_BINARY_PATH)"
            ) from None
        return found
    try:
        return str(get_executable())
    except (FileNotFoundError, OSError) as error:
        raise SearchError(f"the Pagefind binary is missing: {error}") from None


class _Service:
    """One `pagefind --service` process: requests written by a thread while replies are read, so
    neither pipe fills up and blocks the other side."""

    def __init__(self, interrupt: Optional[Interrupt] = None) -> None:
        self._binary = _executable()
        self._errors: IO[bytes] = tempfile.TemporaryFile()
        self._buffer = b""
        self._next_id = 0
        self._interrupt = interrupt
        self._watched = ExitStack()

    def __enter__(self) -> "_Service":
        try:
            self._process = subprocess.Popen(
                [self._binary, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors
            )
        except OSError as error:
            self._errors.close()
            raise SearchError(f"cannot run the Pagefind binary {self._binary}: {error.strerror or error}") from None
        if self._interrupt is not None:
            self._watched.enter_context(self._interrupt.watching(self._process))
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._watched.close()
        try:
            if self._process.stdin:
                self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()  # type: ignore[union-attr]
        self._errors.close()

    def bundle(self, records: list[Record], language: str) -> dict[str, bytes]:
        index = self._ask([{"type": "NewIndex", "config": {"force_language": language}}])[0]["index_id"]
        adds = (
            {
                "type": "AddRecord",
                "index_id": index,
                "url": r.url,
                "content": r.content,
                "language": language,
                "meta": r.meta,
                "filters": r.filters,
                "sort": None,
            }
            for r in records
        )
        self._ask(adds)
        files = self._ask([{"type": "GetFiles", "index_id": index}])[0]["files"]
        self._ask([{"type": "DeleteIndex", "index_id": index}])
        return {f["path"]: base64.b64decode(f["content"]) for f in files if _kept(f["path"])}

    def _ask(self, payloads: Iterable[dict]) -> list[dict]:
        """Sends the requests, returns their replies in order; an error reply fails them all."""
        messages = []
        for payload in payloads:
            self._next_id += 1
            messages.append((self._next_id, json.dumps({"message_id": self._next_id, "payload": payload})))

        def write() -> None:
            try:
                for _, message in messages:
                    self._process.stdin.write(base64.b64encode(message.encode()) + b",")  # type: ignore[union-attr]
                self._process.stdin.flush()  # type: ignore[union-attr]
            except (OSError, ValueError):
                pass  # the binary died: the reader finds its pipe closed and says so

        writer = threading.Thread(target=write, name="digest-pagefind-writer", daemon=True)
        writer.start()
        replies: dict[int, dict] = {}
        while len(replies) < len(messages):  # on an error, closing the service ends the writer
            reply = self._read()
            if reply["payload"].get("type") == "Error":
                raise SearchError(f"Pagefind refused a request: {reply['payload'].get('message', '')}")
            replies[reply.get("message_id") or 0] = reply["payload"]
        writer.join()  # every request was answered, so every one was written
        return [replies[number] for number, _ in messages]

    def _read(self) -> dict:
        while b"," not in self._buffer:
            chunk = self._process.stdout.read1(1 << 20)  # type: ignore[union-attr]
            if not chunk:
                if self._interrupt is not None and self._interrupt.is_set():
                    raise Interrupted("the search index was interrupted")
                raise SearchError(f"the Pagefind binary stopped: {self._stderr_tail()}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b",")
        try:
            return json.loads(base64.b64decode(message))
        except ValueError:
            raise SearchError(
                f"the Pagefind binary answered something else than its protocol: {message[:80]!r}"
            ) from None

    def _stderr_tail(self) -> str:
        self._process.wait(timeout=10)
        self._errors.seek(0)
        lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self._process.returncode}"


def _kept(path: str) -> bool:
    return path in _KEPT_FILES or path.startswith(_KEPT_PREFIXES)


def is_index_file(site_path: str) -> bool:
    """Whether a file in site/ is one of the search index's, of this build or an earlier one.

    Pagefind does not write its filter and metadata files byte for byte the same from the same
    records (upstream: Pagefind/pagefind#638), so an index made again after the cache was lost
    leaves files under other names; they are digest's own leftovers, not files of the user's."""
    shard, _, path = site_path.removeprefix(SEARCH_DIR).partition("/")
    return site_path.startswith(SEARCH_DIR) and bool(shard) and "/" not in shard and _kept(path)
