"""Stopping long work that nobody waits for, the moment somebody does.

`serve` brings the search index up to date once the editor pauses (seconds of Pagefind
for a year of articles), and regroups a large archive that edits added articles to (a
clustering in a process of its own). An edit saved meanwhile must not wait behind either.
The idle build is given an `Interrupt`, which the change queue sets when an edit arrives:
the processes registered with it are killed at once, and the work gives up (raising
`Interrupted`), to be done again at the next pause.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, Protocol


class Killable(Protocol):
    """A process: `subprocess.Popen` or `multiprocessing.Process`."""

    def kill(self) -> None: ...


class Interrupted(Exception):
    """The work was interrupted; what it would have made is left as it was."""


class Interrupt:
    """Set once, from any thread; the processes registered with it are killed when it is."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._set = False
        self._processes: set[Killable] = set()

    def set(self) -> None:
        with self._lock:
            self._set = True
            processes = list(self._processes)
        for process in processes:
            _kill(process)

    def is_set(self) -> bool:
        with self._lock:
            return self._set

    @contextmanager
    def watching(self, process: Killable) -> Iterator[None]:
        """`process` killed if the interrupt is set while the block runs (or was set before)."""
        with self._lock:
            self._processes.add(process)
            already = self._set
        if already:
            _kill(process)
        try:
            yield
        finally:
            with self._lock:
                self._processes.discard(process)


def _kill(process: Killable) -> None:
    try:
        process.kill()
    except OSError:  # it has ended already
        pass
