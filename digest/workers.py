"""Run per-item work (one seed, one page) in parallel: local processes, or a Dask cluster.

Stages hand a plain top-level function and a list of items; results come back in
input order, so output never depends on how the work was spread.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Optional, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more to start than it saves.
MIN_ITEMS_FOR_POOL = 64


class SchedulerError(Exception):
    """The Dask scheduler cannot be used (not installed, unreachable); the message says which."""


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent decides how to stop, workers just end with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _apply_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: Optional[int] = None,
    scheduler: Optional[str] = None,
    on_done: Optional[Callable[[int], None]] = None,
    min_items: int = MIN_ITEMS_FOR_POOL,
) -> list[R]:
    """fn over items, in order. `scheduler` ("tcp://host:port") sends the work to a Dask cluster."""
    items = list(items)
    if scheduler:
        return _dask_map(fn, items, scheduler, on_done)
    jobs = min(jobs or os.cpu_count() or 1, max(1, len(items) // max(1, min_items)))
    if jobs <= 1:
        results = []
        for item in items:
            results.append(fn(item))
            if on_done:
                on_done(1)
        return results
    # Chunks amortise pickling; several per worker keep both cores busy to the end.
    size = max(1, min(256, len(items) // (jobs * 8) or 1))
    results: list[R] = []
    # spawn, not fork: `digest serve` runs builds from a process with watcher and server threads
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [pool.submit(_apply_chunk, fn, chunk) for chunk in _chunks(items, size)]
        for future in futures:
            chunk_results = future.result()
            results.extend(chunk_results)
            if on_done:
                on_done(len(chunk_results))
    return results


def _exit_with_parent(parent: int) -> None:
    """A worker whose build was SIGKILLed ends too: nothing else tells it, and it would idle forever holding memory."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="digest-exit-with-parent", daemon=True).start()


def _dask_map(fn: Callable[[T], R], items: list[T], scheduler: str, on_done) -> list[R]:
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask: pip install 'digest[dask]'") from None
    try:
        client = Client(scheduler, timeout="5s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    try:
        size = max(1, min(512, len(items) // 64 or 1))
        futures = client.map(_apply_chunk, [fn] * len(_chunks(items, size)), _chunks(items, size), pure=False)
        results: list[R] = []
        for chunk_results in client.gather(futures):
            results.extend(chunk_results)
            if on_done:
                on_done(len(chunk_results))
        return results
    finally:
        client.close()
