"""Article bodies as page HTML, kept across builds: Markdown is parsed and sanitised once per text.

An article page is rendered again whenever anything it shows changes (a neighbour's
title, a related story, a template), but its body only changes when its Markdown
does. So the body's HTML is kept in `.digest-cache/render-bodies.sqlite`, one row
per text, keyed by a hash of the Markdown and of digest's code: a template edit at
10,000 articles renders 10,000 pages but parses no Markdown. SQLite (standard
library) reads only the rows a build asks for, where one pickle would be read whole.

Like every cache here it is safe to delete, and a cache that cannot be read or
written costs time only: the bodies are then rendered as if it were empty.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from ..cache import code_fingerprint
from ..records import connect, damaged, discard

BODIES = "render-bodies.sqlite"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT NOT NULL)",)
_BATCH = 500  # keys per query: within SQLite's limit on bound parameters, old builds included
_SLACK = 200  # rows beyond twice the site's bodies before the stale ones are dropped
_AHEAD_CHUNK = 50  # bodies rendered ahead between two looks at whether to stop


def body_key(markdown: str) -> str:
    """The row of a Markdown text's HTML, as made by this version of digest."""
    return hashlib.sha256(f"{code_fingerprint()}\0{markdown}".encode("utf-8", "surrogatepass")).hexdigest()


class BodyCache:
    """The kept bodies of one build; use as a context manager (the connection is closed after)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._db: Optional[sqlite3.Connection] = None

    def __enter__(self) -> "BodyCache":
        self._db = connect(self._path, _SCHEMA)  # None: every body is rendered, none kept
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def known(self, keys: Iterable[str]) -> dict[str, str]:
        """key → HTML, for the keys kept."""
        return dict(self._select("key, html", keys))

    def kept_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of the keys the cache holds (their HTML not read)."""
        return {key for (key,) in self._select("key", keys)}

    def _select(self, columns: str, keys: Iterable[str]) -> list[tuple]:
        rows: list[tuple] = []
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            rows += self._query(f"SELECT {columns} FROM bodies WHERE key IN ({marks})", batch)
        return rows

    def add(self, made: dict[str, str], bodies: int, current: Callable[[], set[str]]) -> None:
        """Keep the bodies made; once the cache holds over twice the site's `bodies`, drop
        those no article has any more (`current`: every body's key, asked for only then)."""
        if self._db is None or not made:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", made.items())
                (rows,) = self._db.execute("SELECT COUNT(*) FROM bodies").fetchone()
                if rows > 2 * bodies + _SLACK:
                    wanted = current()
                    stale = [(key,) for (key,) in self._db.execute("SELECT key FROM bodies") if key not in wanted]
                    self._db.executemany("DELETE FROM bodies WHERE key = ?", stale)
        except sqlite3.Error as error:
            self._failed(error)  # not kept: the next build renders them again

    def _query(self, sql: str, parameters: list[str]) -> list[tuple]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            self._failed(error)
            return []

    def _failed(self, error: sqlite3.Error) -> None:
        """A damaged file is given up for this build and removed, so that the next one starts a new cache."""
        if damaged(error) and self._db is not None:
            self._db.close()
            self._db = None
            discard(self._path)


def render_ahead(path: Path, bodies: Sequence[str], stop: Callable[[], bool]) -> int:
    """Renders the Markdown `bodies` the cache at `path` lacks, into it, a chunk at a time until `stop()`
    says so: work for a core that would otherwise wait (the build's own, while the archive is grouped
    in a process of its own), which the render then finds done. Returns how many it rendered."""
    from .markup import render_markdown

    wanted = {body_key(body): body for body in bodies if body}
    made = 0
    with BodyCache(path) as cache:
        kept = cache.kept_keys(wanted)
        missing = [key for key in wanted if key not in kept]
        for start in range(0, len(missing), _AHEAD_CHUNK):
            if stop():
                break
            chunk = {key: str(render_markdown(wanted[key])) for key in missing[start : start + _AHEAD_CHUNK]}
            cache.add(chunk, len(wanted), lambda: set(wanted))  # a chunk at a time: the HTML is not held
            made += len(chunk)
    return made
