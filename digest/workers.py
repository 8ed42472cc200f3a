"""Run per-item work (one seed, one page) in parallel: local processes, or a Dask cluster.

Stages hand a plain top-level function and their items; results come back in
input order, so output never depends on how the work was spread. `stream_map`
yields results while later items are still being worked on, with a bounded number
of chunks in flight: the caller writes page k while the workers render page k+1,
and a site of any size never sits in memory whole.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from multiprocessing.context import BaseContext
from typing import Any, Callable, Iterable, Iterator, Optional, Protocol, Sequence, TypeVar

from .interrupt import Interrupt, Interrupted

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more to start than it saves.
MIN_ITEMS_FOR_POOL = 64
CHUNKS_IN_FLIGHT_PER_WORKER = 4
CHUNKS_PER_WORKER = 16


class SchedulerError(Exception):
    """The Dask scheduler cannot be used (not installed, unreachable); the message says which."""


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent decides how to stop, workers just end with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _apply_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def stream_map(fn: Callable[[T], R], items: Iterable[T], **options: Any) -> Iterator[R]:
    """fn over items, yielded in input order as they are ready; the options are `stream_batches`'."""
    return stream_batches(functools.partial(_apply_chunk, fn), items, **options)


def stream_batches(
    fn: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    jobs: int = 1,
    scheduler: Optional[str] = None,
    chunk_size: int = 32,
    on_done: Optional[Callable[[int], None]] = None,
    preload: Sequence[str] = (),
) -> Iterator[R]:
    """fn over chunks of `chunk_size` items (a result an item), the results yielded in input order as
    they are ready: for work that is cheaper done for many items together. `scheduler`
    ("tcp://host:port") sends the work to Dask; `preload`: modules local workers start with (see
    `_context`)."""
    if scheduler:
        yield from _dask_stream(fn, items, scheduler, chunk_size, on_done)
        return
    if jobs <= 1:
        for chunk in _chunked(items, chunk_size):
            results = fn(chunk)
            if on_done:
                on_done(len(results))
            yield from results
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(preload), initializer=_ignore_interrupts) as pool:

        def submit(chunk: list[T]) -> Pending[R]:
            return pool.submit(fn, chunk)

        yield from _windowed(submit, items, chunk_size, jobs * CHUNKS_IN_FLIGHT_PER_WORKER, on_done)
        # Every result is in: the workers wind down (a second or more with spaCy loaded) while the
        # caller goes on. On an error the pool is still waited for, as it was.
        pool.shutdown(wait=False)


def start_early(preload: Sequence[str]) -> None:
    """Start the fork server of `_context(preload)` now, so that it loads its modules while the caller
    does other work (ingest reads every seed's lines first); the pool started later finds it running."""
    context = _context(preload)
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _context(preload: Sequence[str]) -> BaseContext:
    """How workers start. Never by forking the caller: `digest serve` runs builds from a process with
    watcher and server threads. With `preload`, a fork server (one per process, started once, with no
    threads) imports those modules and forks every worker from itself, so that workers begin with
    them loaded (ingest's language model: two seconds a worker) and share their memory; else each
    worker is a fresh interpreter."""
    if preload and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")


# The caller's own work while a step runs apart: called with a function telling whether it is done.
Meanwhile = Callable[[Callable[[], bool]], Any]


class Pending(Protocol[R]):
    """A chunk's results to come: a concurrent.futures or a Dask future."""

    def result(self) -> list[R]: ...


def _windowed(
    submit: Callable[[list[T]], Pending[R]],
    items: Iterable[T],
    chunk_size: int,
    window: int,
    on_done: Optional[Callable[[int], None]],
) -> Iterator[R]:
    """Chunks submitted with at most `window` in flight; results yielded in order as the oldest completes."""
    pending: deque[Pending[R]] = deque()
    for chunk in _chunked(items, chunk_size):
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield from _collect(pending.popleft(), on_done)
    while pending:
        yield from _collect(pending.popleft(), on_done)


def _collect(future: Pending[R], on_done: Optional[Callable[[int], None]]) -> list[R]:
    results = future.result()
    if on_done:
        on_done(len(results))
    return results


def run_apart(
    fn: Callable[..., R], *args: Any, meanwhile: Optional[Meanwhile] = None, interrupt: Optional[Interrupt] = None
) -> R:
    """fn(*args) in a fresh process of its own, its result returned: for a step whose libraries and
    working memory should not stay with the caller once it is done. `meanwhile` is called with a
    function telling whether that process is done, for the caller's own work while it waits. Raises
    what fn raises, BrokenProcessPool when the process could not start or died, and Interrupted
    once `interrupt` is set (the process is killed then)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=_context(()), initializer=_ignore_interrupts) as pool:
        future = pool.submit(fn, *args)
        with ExitStack() as watched:
            if interrupt is not None:
                for process in list(pool._processes.values()):  # started by submit
                    watched.enter_context(interrupt.watching(process))
            if meanwhile is not None:
                meanwhile(future.done)
            try:
                return future.result()
            except BrokenProcessPool:
                if interrupt is not None and interrupt.is_set():
                    raise Interrupted("the work apart was interrupted") from None
                raise


def pool_jobs(count: int, jobs: Optional[int] = None, min_items: int = MIN_ITEMS_FOR_POOL) -> int:
    """How many processes `parallel_batches` works `count` items with (1: in the caller's, no pool)."""
    return min(jobs or os.cpu_count() or 1, max(1, count // max(1, min_items)))


def parallel_map(fn: Callable[[T], R], items: Sequence[T], **options: Any) -> list[R]:
    """fn over items, in order, all at once; the options are `parallel_batches`'."""
    return parallel_batches(functools.partial(_apply_chunk, fn), items, **options)


def parallel_batches(
    fn: Callable[[list[T]], list[R]],
    items: Sequence[T],
    *,
    jobs: Optional[int] = None,
    scheduler: Optional[str] = None,
    on_done: Optional[Callable[[int], None]] = None,
    min_items: int = MIN_ITEMS_FOR_POOL,
    preload: Sequence[str] = (),
    alone_at_once: int = 32,
) -> list[R]:
    """fn over chunks of the items (see `stream_batches`), the results in order, all at once; a pool only
    when there is enough work for one; in the caller's process, chunks of `alone_at_once` items."""
    items = list(items)
    jobs = pool_jobs(len(items), jobs, min_items)
    # Many chunks per worker keep both cores busy to the end (the last chunk is worked on alone);
    # chunks amortise pickling.
    pooled = jobs > 1 or scheduler
    chunk_size = max(1, min(256, len(items) // (jobs * CHUNKS_PER_WORKER)) if pooled else alone_at_once)
    return list(
        stream_batches(
            fn, items, jobs=jobs, scheduler=scheduler, chunk_size=chunk_size, on_done=on_done, preload=preload
        )
    )


def _dask_stream(
    fn: Callable[[list[T]], list[R]],
    items: Iterable[T],
    scheduler: str,
    chunk_size: int,
    on_done: Optional[Callable[[int], None]],
) -> Iterator[R]:
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask: pip install 'digest[dask]'") from None
    try:
        client = Client(scheduler, timeout="5s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    try:
        window = max(8, 4 * len(client.scheduler_info().get("workers", {})))

        def submit(chunk: list[T]) -> Pending[R]:
            return client.submit(fn, chunk, pure=False)

        yield from _windowed(submit, items, chunk_size, window, on_done)
    finally:
        client.close()
