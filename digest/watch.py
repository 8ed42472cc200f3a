"""Watch the project's inputs and hand over changes in debounced batches.

An editor's save is several events (a temporary file, a rename, a chmod) and a
`git checkout` is thousands; the debouncer turns each burst into one batch, so
one save gives one rebuild.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .config import CONFIG_FILE, Config
from .ingest.kinds import is_scratch
from .interrupt import Interrupt
from .static import is_published

QUIET_SECONDS = 0.05  # a save is done when nothing has moved for this long
MAX_WAIT_SECONDS = 1.0  # but a never-ending stream of events still rebuilds this often
POLL_SECONDS = 0.5


def watched_dirs(config: Config) -> list[Path]:
    """The input folders, recursively; site/ and the cache are outputs and stay unwatched."""
    return [config.seeds_dir, config.content_dir, config.templates_dir, config.static_dir]


def is_relevant(path: Path, config: Config) -> bool:
    """An input of the build: digest.yaml, or a non-scratch file under an input folder
    (static/ publishes hidden files too: `.well-known/`, `.nojekyll`)."""
    root = config.root
    if path.is_relative_to(config.site_dir) or path.is_relative_to(config.cache_dir):
        return False  # our own output, even when an input folder is the project root itself
    if path.parent == root and (path.name == CONFIG_FILE or path in watched_dirs(config)):
        return True
    for folder in watched_dirs(config):
        if path.is_relative_to(folder):
            inside = path.relative_to(folder).parts
            if folder == config.static_dir:
                return all(is_published(part) for part in inside)
            return not any(is_scratch(part) for part in inside)
    return False


@dataclass
class Debouncer:
    """Collects paths; a batch is due after a quiet spell, or after max_wait at the latest.

    Pure bookkeeping with the clock passed in, so it is tested without sleeping.
    """

    quiet: float = QUIET_SECONDS
    max_wait: float = MAX_WAIT_SECONDS
    pending: set[Path] = field(default_factory=set)
    first: Optional[float] = None
    last: Optional[float] = None

    def add(self, path: Path, now: float) -> None:
        self.pending.add(path)
        if self.first is None:
            self.first = now
        self.last = now

    def deadline(self) -> Optional[float]:
        if self.first is None or self.last is None:
            return None
        return min(self.last + self.quiet, self.first + self.max_wait)

    def due(self, now: float) -> bool:
        deadline = self.deadline()
        return deadline is not None and now >= deadline

    def take(self) -> set[Path]:
        batch, self.pending = self.pending, set()
        self.first = self.last = None
        return batch


class ChangeQueue:
    """The thread-safe side of the debouncer: watcher threads put, the build loop waits."""

    def __init__(self, quiet: float = QUIET_SECONDS, max_wait: float = MAX_WAIT_SECONDS) -> None:
        self._debouncer = Debouncer(quiet=quiet, max_wait=max_wait)
        self._condition = threading.Condition()
        self._closed = False
        self._interrupts: list[Interrupt] = []

    def put(self, path: Path) -> None:
        with self._condition:
            self._debouncer.add(path, time.monotonic())
            for interrupt in self._interrupts:
                interrupt.set()
            self._condition.notify_all()

    @contextmanager
    def interrupting(self) -> Iterator[Interrupt]:
        """An Interrupt that the next change (put while the block runs) sets, or closing the queue."""
        interrupt = Interrupt()
        with self._condition:
            self._interrupts.append(interrupt)
        try:
            yield interrupt
        finally:
            with self._condition:
                self._interrupts.remove(interrupt)

    def close(self) -> None:
        with self._condition:
            self._closed = True
            for interrupt in self._interrupts:  # stopping: what an idle build was doing is not wanted
                interrupt.set()
            self._condition.notify_all()

    def next_batch(self, idle: Optional[float] = None) -> Optional[set[Path]]:
        """Block until a batch is due; None once the queue is closed. With `idle`, an empty
        batch when nothing at all has moved for that many seconds: time for chores."""
        with self._condition:
            idle_at = None if idle is None else time.monotonic() + idle
            while not self._closed:
                now = time.monotonic()
                if self._debouncer.due(now):
                    return self._debouncer.take()
                deadline = self._debouncer.deadline()
                if deadline is None and idle_at is not None:
                    if now >= idle_at:
                        return set()
                    deadline = idle_at
                self._condition.wait(None if deadline is None else deadline - now)
            return None


# Only changes: left to the kernel, the events of every file a build merely opens and reads
# (ten thousand on a full build) would reach this process to be thrown away.
CHANGES = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    DirCreatedEvent,
    DirMovedEvent,
    DirDeletedEvent,
]


class _Forward(FileSystemEventHandler):
    def __init__(self, on_path: Callable[[Path], None]) -> None:
        self._on_path = on_path

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder's "modified" only echoes a change to a file in it, which arrives on its own.
        if event.is_directory and event.event_type == "modified":
            return
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self._on_path(Path(raw if isinstance(raw, str) else raw.decode()))


class Watcher:
    """Watchdog on the input folders and digest.yaml, feeding a ChangeQueue."""

    def __init__(self, config: Config, queue: ChangeQueue, *, poll: bool = False) -> None:
        self._config = config
        self._queue = queue
        self._observer = PollingObserver(timeout=POLL_SECONDS) if poll else Observer()
        self._handler = _Forward(self._on_path)
        self._lock = threading.Lock()

    def start(self) -> None:
        self._schedule()
        self._observer.start()

    def stop(self) -> None:
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)

    def retarget(self, config: Config) -> None:
        """A new config may name other folders; a folder may have appeared since."""
        with self._lock:
            self._config = config
            self._observer.unschedule_all()
            self._schedule()

    def _schedule(self) -> None:
        config = self._config
        folders = [folder for folder in dict.fromkeys(watched_dirs(config)) if folder.is_dir()]
        if config.root not in folders:
            # The root itself, not recursively: digest.yaml, and input folders being created.
            self._observer.schedule(self._handler, str(config.root), recursive=False, event_filter=CHANGES)
        for folder in folders:
            self._observer.schedule(self._handler, str(folder), recursive=True, event_filter=CHANGES)

    def _on_path(self, path: Path) -> None:
        with self._lock:
            config = self._config
        if not is_relevant(path, config):
            return
        if path.parent == config.root and path in watched_dirs(config) and path.is_dir():
            # A folder that did not exist at start: watch it from now on.
            threading.Thread(target=self.retarget, args=(config,), daemon=True).start()
        self._queue.put(path)
