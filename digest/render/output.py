"""Writing site/ safely: a fresh folder beside it, swapped in whole at the end.

A reader (or the preview server) sees the old site or the new one, never a mix,
and a build that fails half-way leaves the old site exactly as it was. Files
whose bytes did not change are hard links to the old ones, which keeps their
inode and mtime (cheap to write, and rsync-style deploys see nothing new).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Optional

MANIFEST_VERSION = 1
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Output:
    """A temporary folder that becomes site/ on commit, or disappears on failure."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_folders(site_dir)
        self.tmp = site_dir.parent / f".{site_dir.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
        self.tmp.mkdir()
        self.stats: dict[str, tuple[int, int, int]] = {}  # path → (size, mtime_ns, inode) as written
        self.written: list[str] = []  # paths whose bytes differ from the old site's
        self._made_dirs: set[Path] = set()

    def __enter__(self) -> "Output":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.tmp.exists():  # not committed: a failed or interrupted build
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _target(self, path: str) -> Path:
        target = self.tmp / path
        if target.parent not in self._made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(target.parent)
        return target

    def keep(self, path: str) -> bool:
        """Carry the old site's file over unchanged; False when there is none to carry."""
        old = self.site_dir / path
        target = self._target(path)
        try:
            os.link(old, target)
        except FileNotFoundError:
            return False
        except OSError:  # another file system, or links not allowed: copy instead
            try:
                shutil.copy2(old, target)
            except FileNotFoundError:
                return False
        self._record(path, target)
        return True

    def write(self, path: str, data: bytes) -> None:
        """New bytes for a path; when they equal the old file's, the old file is kept instead."""
        if same_bytes(self.site_dir / path, data) and self.keep(path):
            return
        target = self._target(path)
        with open(target, "wb") as handle:
            handle.write(data)
        self.written.append(path)
        self._record(path, target)

    def _record(self, path: str, target: Path) -> None:
        stat = target.stat()
        self.stats[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def commit(self) -> None:
        """Swap the new folder in as site/ and delete the old one."""
        if not (self.site_dir.is_dir() and not self.site_dir.is_symlink()):
            os.rename(self.tmp, self.site_dir)
        elif _exchange(self.tmp, self.site_dir):
            shutil.rmtree(self.tmp, ignore_errors=True)  # now holds the old site
        else:
            aside = self.site_dir.parent / f".{self.site_dir.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
            os.rename(self.site_dir, aside)
            os.rename(self.tmp, self.site_dir)
            shutil.rmtree(aside, ignore_errors=True)


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def remove_stale_folders(site_dir: Path) -> None:
    """Temporary folders left by builds that were killed (their process is gone)."""
    for prefix in (f".{site_dir.name}.tmp-", f".{site_dir.name}.old-"):
        for folder in site_dir.parent.glob(prefix + "*"):
            pid = folder.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftover from an earlier, interrupted call
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def existing_files(site_dir: Path) -> set[str]:
    found: set[str] = set()
    for folder, _dirs, files in os.walk(site_dir):
        relative = os.path.relpath(folder, site_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in files)
    return found


# ---------------------------------------------------------------- the manifest


def load_manifest(path: Path) -> dict[str, dict]:
    """{"pages": path → [fingerprint, size, mtime_ns, inode], "groups": name → [fingerprint, paths]}
    of the last build; empty when missing or unreadable (then everything is rendered)."""
    empty: dict[str, dict] = {"pages": {}, "groups": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return empty
    if not isinstance(data.get("pages"), dict) or not isinstance(data.get("groups"), dict):
        return empty
    return data


def save_manifest(path: Path, fingerprints: dict[str, str], stats: dict[str, tuple[int, int, int]],
                  groups: dict[str, list]) -> None:
    from ..model import atomic_write

    pages = {p: [fp, *stats[p]] for p, fp in sorted(fingerprints.items()) if p in stats}
    data = {"version": MANIFEST_VERSION, "pages": pages, "groups": groups}
    atomic_write(path, json.dumps(data, separators=(",", ":")))


def unchanged_on_disk(site_dir: Path, path: str, entry: Optional[list], fingerprint: str) -> bool:
    """The old file was made from the same inputs, and nobody touched it since."""
    if not entry or entry[0] != fingerprint:
        return False
    try:
        stat = (site_dir / path).stat()
    except OSError:
        return False
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino] == entry[1:]
