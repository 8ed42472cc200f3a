"""Writing site/ safely, at a cost that follows the size of the change.

Two ways, one promise: a build that is interrupted at any moment (an error, a
kill, Ctrl-C) leaves site/ complete, every file whole, never half-written.

- `SwapOutput`, for first builds and big changes: the new site is made in a fresh
  folder beside site/ (unchanged files hard-linked from the old one) and swapped in
  whole with one atomic rename (renameat2 RENAME_EXCHANGE). A reader sees the old
  site or the new one; an interrupted build leaves the old site as it was.

- `InPlaceOutput`, for small changes (one edited article touches a handful of the
  site's twenty thousand files): the changed files are written into a staging
  folder beside site/, then a journal naming every rename and removal is put there
  with one atomic rename (the commit point), and only then are the staged files
  renamed over their targets in site/, stale files removed last. Why the promise
  holds:
    * before the commit point site/ has not been touched: an interrupted build
      leaves the previous site, and the next build deletes the staging folder;
    * every step after it is one rename(2) of a whole file (atomic: a reader opens
      the old file or the new one) or one unlink of a file the new site does not
      have; new files are renamed in before changed ones and removals come last,
      so a link on any page, old or new, never points at a missing file;
    * the journal stays until every step is done, and `recover` (run before every
      build) does the steps again: a done step is skipped (its staged file is gone,
      its removed file is absent), so an interrupted update is always finished
      (rolled forward) and site/ ends as the new site; the last step installs the
      build's manifest, so the next build knows the finished site as its own.
  While the renames run (milliseconds for a small change) a reader may see some
  pages new and some old, each of them whole; that is the price of not copying
  twenty thousand files for one edit. Like the swap, this guards against the
  process dying, not against the machine losing power (no fsync per file).

Unchanged files keep their inode and mtime in both ways (cheap to write, and
rsync-style deploys see nothing new).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import pickle
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Mapping, NamedTuple, Union

from ..cache import Stamp, collector_paused, file_stamps

MANIFEST_VERSION = 4  # 4: fingerprints and stats in two maps, groups as GroupRecords
JOURNAL = "JOURNAL.json"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2

Stat = Stamp  # size, mtime_ns, inode: what cache.file_stamps records per file
Manifest = tuple[Path, bytes]  # where the build's manifest goes, and its bytes


class SwapOutput:
    """A temporary folder that becomes site/ on commit, or disappears on failure."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = _sibling(site_dir, "tmp")
        self.tmp.mkdir()
        self.stats: dict[str, Stat] = {}  # path → (size, mtime_ns, inode) as written
        self.written: list[str] = []  # paths whose bytes differ from the old site's
        self.carried: dict[str, Stat] = {}  # the user's files, carried over from the old site as they are
        self._made_dirs: set[Path] = set()

    def __enter__(self) -> "SwapOutput":
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
        self.stats[path] = stat_of(target)
        return True

    def keep_all(self, paths: Collection[str]) -> list[str]:
        """`keep` for every path, in order; returns those not kept."""
        return [path for path in sorted(paths) if not self.keep(path)]

    def carry(self, path: str) -> None:
        """A file digest did not make, into the new site as it is: the same inode (or a copy), a link as a link."""
        old = self.site_dir / path
        target = self._target(path)
        try:
            os.link(old, target, follow_symlinks=False)
        except FileNotFoundError:
            return  # gone since the scan
        except OSError:  # another file system, or links not allowed
            if old.is_symlink():
                os.symlink(os.readlink(old), target)
            else:
                shutil.copy2(old, target)
        self.carried[path] = lstat_of(target)

    def write(self, path: str, data: bytes) -> None:
        """New bytes for a path; when they equal the old file's, the old file is kept instead."""
        if same_bytes(self.site_dir / path, data) and self.keep(path):
            return
        target = self._target(path)
        with open(target, "wb") as handle:
            handle.write(data)
        self.written.append(path)
        self.stats[path] = stat_of(target)

    def commit(self, manifest: Manifest) -> None:
        """Swap the new folder in as site/, delete the old one, then record what was built."""
        self._swap()
        _install(manifest)

    def _swap(self) -> None:
        if not (self.site_dir.is_dir() and not self.site_dir.is_symlink()):
            os.rename(self.tmp, self.site_dir)
        elif _exchange(self.tmp, self.site_dir):
            shutil.rmtree(self.tmp, ignore_errors=True)  # now holds the old site
        else:
            aside = _sibling(self.site_dir, "old")
            os.rename(self.site_dir, aside)
            os.rename(self.tmp, self.site_dir)
            shutil.rmtree(aside, ignore_errors=True)


class InPlaceOutput:
    """Changed files staged beside site/, then renamed into it under a journal (see the module's doc)."""

    def __init__(self, site_dir: Path, on_disk: dict[str, Stat], remove: list[str]) -> None:
        self.site_dir = site_dir
        self.on_disk = on_disk
        self.remove = remove
        self.stage = _sibling(site_dir, "stage")
        self.stage.mkdir()
        self.stats: dict[str, Stat] = {}
        self.written: list[str] = []
        self.carried: dict[str, Stat] = {}
        self._staged: list[tuple[str, str]] = []  # (name in the stage folder, site path)

    def __enter__(self) -> "InPlaceOutput":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.stage.exists() and not (self.stage / JOURNAL).exists():  # failed before the commit point
            shutil.rmtree(self.stage, ignore_errors=True)

    def carry(self, path: str) -> None:
        """A file digest did not make stays where it is."""
        if path in self.on_disk:
            self.carried[path] = self.on_disk[path]

    def keep(self, path: str) -> bool:
        if path not in self.on_disk:  # looked at a moment ago, by `scan`
            return False
        self.stats[path] = self.on_disk[path]
        return True

    def keep_all(self, paths: Collection[str]) -> list[str]:
        """`keep` for every path (tens of thousands on an edit's rebuild), in one pass; returns those not kept, in order."""
        present = self.on_disk.keys() & paths
        on_disk = self.on_disk
        self.stats.update(zip(present, map(on_disk.__getitem__, present)))
        return sorted(set(paths) - present)

    def write(self, path: str, data: bytes) -> None:
        if path in self.on_disk and same_bytes(self.site_dir / path, data):
            self.stats[path] = self.on_disk[path]
            return
        name = str(len(self._staged))
        staged = self.stage / name
        with open(staged, "wb") as handle:
            handle.write(data)
        self._staged.append((name, path))
        self.written.append(path)
        self.stats[path] = stat_of(staged)  # a rename keeps size, mtime and inode

    def commit(self, manifest: Manifest) -> None:
        """Carry the staged files into site/ under a journal; the new manifest is its last step."""
        if not self._staged and not self.remove:
            shutil.rmtree(self.stage, ignore_errors=True)
            _install(manifest)
            return
        # new files first: then no page, old or new, ever links to a file that is not there yet
        ordered = sorted(self._staged, key=lambda item: item[1] in self.on_disk)
        (self.stage / "manifest").write_bytes(manifest[1])
        journal = {"writes": ordered, "removes": self.remove, "manifest": str(manifest[0])}
        _write_file(self.stage / (JOURNAL + ".tmp"), json.dumps(journal).encode("utf-8"))
        os.replace(self.stage / (JOURNAL + ".tmp"), self.stage / JOURNAL)  # the commit point
        finish(self.site_dir, self.stage)


def finish(site_dir: Path, stage: Path) -> None:
    """Carry out a committed journal; every step may already have been done by an interrupted run."""
    journal = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
    site_root = os.path.realpath(site_dir)
    for name, path in journal["writes"]:
        staged = stage / name
        if not staged.exists():
            continue  # renamed in by the interrupted run
        target = site_dir / path
        _make_room(site_dir, target)
        _rename(staged, target)
    for path in journal["removes"]:
        target = site_dir / path
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            shutil.rmtree(target, ignore_errors=True)
        _prune_empty(site_root, target.parent)
    staged_manifest = stage / "manifest"
    if staged_manifest.exists():
        _install((Path(journal["manifest"]), staged_manifest.read_bytes()))
    shutil.rmtree(stage, ignore_errors=True)


_rename = os.replace  # one step of an update: what the crash tests interrupt


def _make_room(site_dir: Path, target: Path) -> None:
    """Parent folders for a new file; a stray file or folder in the way is not part of the new site."""
    for parent in reversed(target.relative_to(site_dir).parents[:-1]):
        folder = site_dir / parent
        if folder.exists() and not folder.is_dir():
            folder.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def _prune_empty(site_root: str, folder: Path) -> None:
    while os.path.realpath(folder) != site_root:
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone): stop climbing
            return
        folder = folder.parent


def recover(site_dir: Path) -> bool:
    """Before a build: finish an in-place update that was interrupted after its commit point,
    and delete the folders of builds that were killed before theirs. True when site/ changed."""
    changed = False
    if not site_dir.parent.is_dir():
        return changed
    for kind in ("stage", "tmp", "old"):
        prefix = f".{site_dir.name}.{kind}-"
        for folder in sorted(site_dir.parent.glob(prefix + "*")):
            pid = folder.name[len(prefix) :].split("-", 1)[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            if kind == "stage" and (folder / JOURNAL).is_file():
                finish(site_dir, folder)
                changed = True
            else:
                shutil.rmtree(folder, ignore_errors=True)
    return changed


def _sibling(site_dir: Path, kind: str) -> Path:
    return site_dir.parent / f".{site_dir.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def stat_of(path: Union[Path, str]) -> Stat:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def lstat_of(path: Union[Path, str]) -> Stat:
    """As `scan` records it: a link's own stamp."""
    stat = os.lstat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def same_device(site_dir: Path) -> bool:
    """Whether files can be renamed from beside site/ into it (site/ may be a link to another disk)."""
    try:
        return (
            not site_dir.is_symlink()
            and site_dir.is_dir()
            and os.stat(site_dir).st_dev == os.stat(site_dir.parent).st_dev
        )
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


def scan(site_dir: Path) -> dict[str, Stat]:
    """Every file below site/: relative path → (size, mtime_ns, inode), in one walk."""
    return file_stamps(site_dir)


# ---------------------------------------------------------------- the manifest


class GroupRecord(NamedTuple):
    """A group of pages (render/pages.py) as the last build planned it."""

    key: str
    paths: tuple[str, ...]
    lost: bool  # one of its pages lost its address to another page: always planned page by page


@dataclass
class SiteManifest:
    """What the last build left in site/: each file's fingerprint and stat as written (two maps of
    plain values: read on every build, so as cheap to unpickle as can be), the problems met making
    files, its page groups, and the user's files in site/ already named."""

    fingerprints: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    groups: dict[str, GroupRecord] = field(default_factory=dict)
    foreign: dict[str, None] = field(default_factory=dict)

    def untouched(self, on_disk: Mapping[str, Stat]) -> frozenset[str]:
        """The files in site/ as this manifest recorded them when written (nobody touched them since)."""
        found = on_disk.get
        return frozenset(path for path, stat in self.stats.items() if found(path) == stat)


def load_manifest(path: Path) -> SiteManifest:
    """The last build's manifest; empty when missing or unreadable (then everything is made again)."""
    try:
        with collector_paused():
            data = pickle.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError, pickle.PickleError):
        return SiteManifest()
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return SiteManifest()
    fields: dict[str, Any] = {name: data.get(name) for name in SiteManifest.__dataclass_fields__}
    if not all(isinstance(value, dict) for value in fields.values()):
        return SiteManifest()
    return SiteManifest(**fields)


def new_manifest(
    fingerprints: dict[str, str],
    stats: dict[str, Stat],
    problems: dict[str, str],
    groups: dict[str, GroupRecord],
    foreign: list[str],
) -> SiteManifest:
    """What a build leaves in site/: the files written (or kept) with their fingerprints and stats."""
    written = {path: fp for path, fp in fingerprints.items() if path in stats}
    return SiteManifest(written, {path: stats[path] for path in written}, problems, groups, dict.fromkeys(foreign))


def manifest_bytes(manifest: SiteManifest) -> bytes:
    data = {
        "version": MANIFEST_VERSION,
        **{name: getattr(manifest, name) for name in SiteManifest.__dataclass_fields__},
    }
    # A pickle: the manifest is read and written on every build, and JSON costs several times as much.
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def _install(manifest: Manifest) -> None:
    from ..model import atomic_write

    atomic_write(*manifest)
