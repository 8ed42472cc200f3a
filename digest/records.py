"""Cache entries kept a record per row, in SQLite (standard library): read whole, written a row at a time.

One pickle is rewritten whole whenever one of its parts changes: 48 MB for one edit at 10,000
articles, 480 MB at 100,000. A table of records (one row per content file) rewrites only the rows
that changed. Each table's file also holds the key its rows were made under, and a generation,
new at every write, by which a copy held in memory (`serve`) knows whether the file is still the
one it was read from.

Like every cache here, a file that cannot be read is an empty cache, and one that cannot be
written costs the next build time, never correctness.
"""

from __future__ import annotations

import pickle
import secrets
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Collection, Iterator, Mapping, Optional, Sequence

_RECORDS = (
    "CREATE TABLE IF NOT EXISTS records (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
# A rollback journal: a table written whole (the first build, a new digest) goes to the file once,
# where WAL writes it twice (log, then checkpoint): 0.3 against 0.5 s at 10,000 articles. Builds
# take turns (the project lock), so WAL's readers beside a writer are not needed.
_JOURNAL = "DELETE"
_UNREADABLE = (pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError)


def connect(path: Path, schema: Sequence[str], journal: str = "WAL") -> Optional[sqlite3.Connection]:
    """A connection to the cache file at path, its tables made; None when it cannot be used this time
    (busy, or a folder that cannot be written). A damaged file is removed and made anew, once.
    `journal`: SQLite's journal mode (WAL keeps the file whole if the machine stops mid-write)."""
    for attempt in range(2):
        try:
            return _open(path, schema, journal)
        except sqlite3.OperationalError:
            return None
        except sqlite3.Error:
            if attempt == 0:
                discard(path)
        except OSError:
            return None
    return None


def discard(path: Path) -> None:
    """A damaged file is no cache: removed, so that the next write makes it anew rather than failing for good."""
    try:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    except OSError:
        pass


def damaged(error: Exception) -> bool:
    """Whether the file itself is at fault (not a lock held by another process, nor a full disk)."""
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError)


def _open(path: Path, schema: Sequence[str], journal: str) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    try:
        # A cache: a commit need not wait for the disk
        db.execute(f"PRAGMA journal_mode={journal}")
        db.execute("PRAGMA synchronous=NORMAL")
        for statement in schema:
            db.execute(statement)
    except sqlite3.Error:
        db.close()
        raise
    return db


class _Unusable(Exception):
    """The file cannot be opened this time (busy, or a folder that cannot be written)."""


@contextmanager
def _opened(path: Path) -> Iterator[sqlite3.Connection]:
    """The records file, closed after; removed when SQLite finds it damaged. Raises _Unusable."""
    db = connect(path, _RECORDS, _JOURNAL)
    if db is None:
        raise _Unusable(path)
    try:
        yield db
    except sqlite3.Error as error:
        if damaged(error):
            db.close()
            discard(path)
        raise
    finally:
        db.close()


def generation(path: Path) -> Optional[str]:
    """The file's generation (new at every write); None when there is no readable file."""
    if not path.exists():  # connecting would make one
        return None
    try:
        with _opened(path) as db:
            return _meta(db).get("generation")
    except (_Unusable, sqlite3.Error):
        return None


def read(path: Path, key: str) -> tuple[Optional[str], Optional[dict[str, Any]]]:
    """(generation, name → record) of the file; the records are None when they were made under
    another key or cannot be read (a record that cannot be unpickled spoils them all: they were
    written together)."""
    if not path.exists():
        return None, None
    try:
        with _opened(path) as db:
            meta = _meta(db)
            if meta.get("key") != key:
                return meta.get("generation"), None
            rows = db.execute("SELECT name, value FROM records").fetchall()
            return meta.get("generation"), {name: pickle.loads(value) for name, value in rows}
    except (_Unusable, sqlite3.Error, *_UNREADABLE):
        return None, None


def write(path: Path, key: str, records: Mapping[str, Any], changed: Collection[str]) -> Optional[str]:
    """Make the file hold `records` under `key`, writing only the rows `changed` names (new, replaced
    or, when records lacks them, removed) when its rows were made under `key` already, and every row
    otherwise. Returns the new generation, or None when the file could not be written."""
    new = secrets.token_hex(8)
    try:
        with _opened(path) as db, db:  # the second: one transaction, rolled back on any error
            if _meta(db).get("key") != key:
                db.execute("DELETE FROM records")
                changed = records.keys()
            gone = [(name,) for name in changed if name not in records]
            db.executemany("DELETE FROM records WHERE name = ?", gone)
            db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?)",
                ((name, pickle.dumps(records[name], pickle.HIGHEST_PROTOCOL)) for name in changed if name in records),
            )
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", (("key", key), ("generation", new)))
        return new
    except (_Unusable, sqlite3.Error, pickle.PickleError):
        return None


def _meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT name, value FROM meta").fetchall())
