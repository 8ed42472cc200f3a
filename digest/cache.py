"""The build cache: derived state in `.digest-cache/`, safe to delete at any time.

Every entry is stored with the key it was made under (a fingerprint of the code
and settings that made it); an entry under another key, or one that cannot be
read, is simply absent: a cache problem costs time, never a wrong build.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any, Optional

from .model import atomic_write

_UNREADABLE = (OSError, EOFError, pickle.PickleError, ValueError, TypeError, AttributeError, ImportError, IndexError)


def read_entry(path: Path, key: str) -> Optional[Any]:
    try:
        with open(path, "rb") as handle:
            saved_key, value = pickle.load(handle)
    except _UNREADABLE:
        return None
    return value if saved_key == key else None


def write_entry(path: Path, key: str, value: Any) -> None:
    try:
        atomic_write(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


Stamp = tuple[int, int, int]
# With the change time too: an edit that keeps size and lands in the same mtime tick still shows.
InputStamp = tuple[int, int, int, int]


def file_stamp(path: Path) -> Optional[InputStamp]:
    """(size, mtime_ns, ctime_ns, inode) of an input file, or None when it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def file_stamps(folder: Path, *, skip_hidden: bool = False) -> dict[str, Stamp]:
    """Every file below folder: relative path → (size, mtime_ns, inode), in one walk.

    Links are not followed (a link to a parent folder would never end); `skip_hidden`
    leaves out dotfiles and __pycache__, which say nothing about the inputs.
    """
    found: dict[str, Stamp] = {}
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if skip_hidden and (entry.name.startswith(".") or entry.name == "__pycache__"):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                    continue
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return found
