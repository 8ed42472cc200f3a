"""The build cache: derived state in `.digest-cache/`, safe to delete at any time; and the one
fingerprint of digest's code that every cached entry and every planned file is keyed by.

Every entry is stored with the key it was made under (a fingerprint of the code
and settings that made it); an entry under another key, or one that cannot be
read, is simply absent: a cache problem costs time, never a wrong build.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISREG
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from . import records as record_files
from .model import atomic_file

PACKAGE = Path(__file__).resolve().parent

_REMEMBERED = "remembered: not an entry"  # the key `Store.remember` keeps a value under (read never returns it)
_UNREADABLE = (OSError, EOFError, pickle.PickleError, ValueError, TypeError, AttributeError, ImportError, IndexError)


@functools.cache
def code_fingerprint() -> str:
    """digest's code, data and built-in templates, read once per process: every cache entry and
    every planned file is keyed by it, so an upgrade of digest makes them all again (and a stale
    entry can never be taken for the new code's)."""
    digest = hashlib.sha256()
    for path in sorted(input_stamps(PACKAGE)):
        digest.update(path.encode("utf-8", "surrogatepass") + b"\0")
        try:
            digest.update((PACKAGE / path).read_bytes())
        except OSError:
            continue
        digest.update(b"\0")
    return digest.hexdigest()[:24]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Unpickling makes a great many containers and no garbage: the cyclic garbage collector, which
    they would set off again and again (its oldest generation scanning every one of them), waits.
    When the caller has set what it holds aside from the collector (a build does, `gc.freeze`),
    what was unpickled joins it: it lives as long, and would otherwise be scanned at the next passes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count():
            gc.freeze()
        if enabled:
            gc.enable()


class Store:
    """The cache's entries, read and written through one object the caller passes in.

    `Store()` reads and writes files as asked (`digest build`). `Store(in_memory=True)`
    keeps entries in memory and puts writes off until `save_deferred`: `serve` neither
    unpickles nor rewrites its whole cache on every edit, and saves it once the editor
    has seen the page.

    An entry is taken from memory only while its file is the very one it was read from
    or written over: a cache written by another build meanwhile is always seen, and
    wins. Callers must not change what they read (they never do: entries are replaced
    whole). An entry never saved costs the next build time, never correctness.
    """

    def __init__(self, *, in_memory: bool = False) -> None:
        # path → (the stamp of its file, key, value); None: nothing kept
        self._memory: Optional[dict[Path, tuple[Any, str, Any]]] = {} if in_memory else None
        self._unsaved: set[Path] = set()
        # tables of records (records.py): path → the names changed since the file was last written
        self._unsaved_records: dict[Path, set[str]] = {}

    def read(self, path: Path, key: str) -> Optional[Any]:
        memory = self._memory
        if memory is not None and (kept := memory.get(path)) is not None and kept[0] == file_stamp(path):
            _, saved_key, value = kept
        else:
            try:
                with open(path, "rb") as handle, collector_paused():
                    saved_key, value = pickle.load(handle)
                    stamp = stamp_of(os.fstat(handle.fileno()))  # of the file read, even if replaced meanwhile
            except _UNREADABLE:
                return None
            if memory is not None:
                memory[path] = (stamp, saved_key, value)
        return value if saved_key == key else None

    def write(self, path: Path, key: str, value: Any) -> None:
        if self._memory is None:
            self._write(path, key, value)
        else:
            self._memory[path] = (file_stamp(path), key, value)  # valid while the file on disk is the one it replaces
            self._unsaved.add(path)

    def read_records(self, path: Path, key: str) -> Optional[dict[str, Any]]:
        """A table of records (name → record) written by `write_records` under key; None when there is none."""
        memory = self._memory
        if memory is not None and (kept := memory.get(path)) is not None and kept[0] == record_files.generation(path):
            _, saved_key, value = kept
        else:
            with collector_paused():
                generation, value = record_files.read(path, key)
            if value is None:
                return None
            saved_key = key
            if memory is not None:
                memory[path] = (generation, key, value)
                self._unsaved_records.pop(path, None)
        return value if saved_key == key else None

    def write_records(self, path: Path, key: str, records: dict[str, Any], changed: Iterable[str]) -> None:
        """Keep `records` as the table at path: `changed` names the records that differ from the ones
        read (new, replaced, or gone from records), the only rows written when the file holds the rest."""
        memory = self._memory
        if memory is None:
            record_files.write(path, key, records, set(changed))
            return
        held = memory.get(path)
        memory[path] = (held[0] if held is not None else record_files.generation(path), key, records)
        self._unsaved_records.setdefault(path, set()).update(changed)

    def recall(self, path: Path) -> Optional[Any]:
        """What `remember` kept for path, while its file is the very one it was kept for (in memory only)."""
        kept = self._memory.get(path) if self._memory is not None else None
        return kept[2] if kept is not None and kept[1] is _REMEMBERED and kept[0] == file_stamp(path) else None

    def remember(self, path: Path, value: Any) -> None:
        """Keep what the caller just read from path or wrote to it (not a cache entry: never saved by the Store)."""
        if self._memory is not None and (stamp := file_stamp(path)) is not None:
            self._memory[path] = (stamp, _REMEMBERED, value)
            self._unsaved.discard(path)

    def save_deferred(self) -> None:
        """Write what was put off; call while holding the project lock."""
        memory = self._memory
        for path in sorted(self._unsaved):
            if memory is None or path not in memory:
                continue
            stamp, key, value = memory[path]
            if stamp != file_stamp(path):  # another build wrote it since: that one is newer
                del memory[path]
                continue
            self._write(path, key, value)
        self._unsaved.clear()
        for path, changed in sorted(self._unsaved_records.items()):
            if memory is None or path not in memory:
                continue
            generation, key, records = memory[path]
            if generation != record_files.generation(path):  # another build wrote it since: that one is newer
                del memory[path]
                continue
            written = record_files.write(path, key, records, changed)
            if written is None:
                del memory[path]  # read again next time: what the file holds is not known
            else:
                memory[path] = (written, key, records)
        self._unsaved_records.clear()

    def _write(self, path: Path, key: str, value: Any) -> None:
        memory = self._memory
        try:
            with atomic_file(path) as handle:  # pickled as written: a large entry is never held twice
                pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            if memory is not None:
                memory.pop(path, None)
            return
        if memory is not None and (stamp := file_stamp(path)) is not None:
            memory[path] = (stamp, key, value)


Stamp = tuple[int, int, int]
# With the change time too: an edit that keeps size and lands in the same mtime tick still shows.
InputStamp = tuple[int, int, int, int]


def file_stamp(path: Union[str, Path]) -> Optional[InputStamp]:
    """(size, mtime_ns, ctime_ns, inode) of an input file, or None when it cannot be read."""
    try:
        return stamp_of(os.stat(path))  # a str is stamped as it is: ten thousand Paths made for it add up
    except OSError:
        return None


def stamp_of(stat: os.stat_result) -> InputStamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def file_stamps(folder: Path) -> dict[str, Stamp]:
    """Every entry below folder but folders: relative path → (size, mtime_ns, inode), in one walk.

    Links are recorded as themselves, never followed (a link to a parent folder would never end).
    """
    found: dict[str, Stamp] = {}
    for path, entry in _walk(folder, lambda name: False):
        try:
            stat = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        found[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return found


def _ignored_input(name: str) -> bool:
    """Dotfiles and __pycache__ say nothing about what a build reads."""
    return name.startswith(".") or name == "__pycache__"


def input_stamps(folder: Path, skip: Callable[[str], bool] = _ignored_input) -> dict[str, InputStamp]:
    """The regular files below folder that a build reads: relative path → `file_stamp`'s stamp
    (with the change time), in one walk. Links to files are followed, links to folders are not;
    `skip`: names (of files and folders) that are no inputs."""
    found: dict[str, InputStamp] = {}
    for path, entry in _walk(folder, skip):
        try:
            stat = entry.stat(follow_symlinks=True)
        except OSError:
            continue
        if S_ISREG(stat.st_mode):
            found[path] = stamp_of(stat)
    return found


def restamped(
    folder: Path, known: dict[str, InputStamp], changed: Iterable[Path], skip: Callable[[str], bool] = _ignored_input
) -> Optional[dict[str, InputStamp]]:
    """`input_stamps(folder)` from an earlier one (`known`) and the paths changed since (a watcher's
    batch): only those are looked at. None when one of them is below a subfolder, is a folder or
    held files (a folder moved or deleted): what a folder holds takes a walk."""
    stamps = dict(known)
    for path in changed:
        if not path.is_relative_to(folder) or path == folder:
            continue
        relative = path.relative_to(folder)
        if len(relative.parts) > 1:
            return None
        if skip(relative.name):
            continue
        name = relative.name
        try:
            stat = path.stat()
        except OSError:  # gone (or a dead link): as a walk, which records no such file
            stamps.pop(name, None)
            if any(other.startswith(name + "/") for other in stamps):
                return None
            continue
        if not S_ISREG(stat.st_mode):
            return None
        stamps[name] = stamp_of(stat)
    return stamps


def _walk(folder: Path, skip: Callable[[str], bool]) -> Iterator[tuple[str, os.DirEntry]]:
    """(relative path, entry) of everything below folder but folders, which are walked into (not through links)."""
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if skip(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                    continue
            except OSError:
                continue
            yield prefix + entry.name, entry
