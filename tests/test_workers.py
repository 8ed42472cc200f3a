import atexit
import functools
import time
from pathlib import Path

import pytest

from digest.workers import SchedulerError, parallel_map


def square(value: int) -> int:
    return value * value


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_input_order(jobs):
    items = list(range(300))
    assert parallel_map(square, items, jobs=jobs) == [i * i for i in items]


def test_progress_is_reported_for_every_item():
    seen = []
    parallel_map(square, list(range(100)), jobs=2, on_done=seen.append)
    assert sum(seen) == 100


def test_dask_cluster_runs_the_same_work():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        assert parallel_map(square, list(range(200)), scheduler=cluster.scheduler_address) == [
            i * i for i in range(200)
        ]


def test_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler"):
        parallel_map(square, [1, 2], scheduler="tcp://127.0.0.1:9")


def _pid_held_at_exit(release: str) -> int:
    """The worker's pid; the worker, once told to stop, does not exit before `release` exists."""
    import os

    _hold_exit_until(release)
    return os.getpid()


@functools.cache  # once per worker process
def _hold_exit_until(release: str) -> None:
    def hold() -> None:
        for _ in range(600):  # a hang guard: 60 s
            if Path(release).exists():
                return
            time.sleep(0.1)

    atexit.register(hold)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_results_are_returned_without_waiting_for_the_workers_to_exit(tmp_path):
    release = tmp_path / "release"
    pids = set(parallel_map(_pid_held_at_exit, [str(release)] * 200, jobs=2, min_items=1))
    try:
        assert pids and all(_alive(pid) for pid in pids)  # still winding down: not waited for
    finally:
        release.touch()


def _loaded(module: str) -> bool:
    import sys

    return module in sys.modules


def test_workers_start_with_the_modules_preloaded_for_them():
    """Ingest's workers begin with its models loaded, from a fork server that loaded them once."""
    warm = "digest.ingest.warm"
    assert all(parallel_map(_loaded, [warm] * 8, jobs=2, min_items=1, preload=[warm]))
    assert not any(parallel_map(_loaded, [warm] * 8, jobs=2, min_items=1))  # fresh interpreters


def _parent(_: int) -> int:
    import os

    return os.getppid()


def test_the_fork_server_started_early_serves_every_later_pool():
    import os

    from digest.workers import start_early

    warm = "digest.ingest.warm"
    start_early([warm])
    first = set(parallel_map(_parent, range(8), jobs=2, min_items=1, preload=[warm]))
    second = set(parallel_map(_parent, range(8), jobs=2, min_items=1, preload=[warm]))
    assert first == second and len(first) == 1 and os.getpid() not in first


def _sizes_and_squares(chunk: list[int]) -> list[tuple[int, int]]:
    """Each item's square, and how many items its chunk held."""
    return [(len(chunk), value * value) for value in chunk]


@pytest.mark.parametrize("jobs", [1, 2])
def test_work_done_a_chunk_at_a_time_comes_back_an_item_at_a_time_in_order(jobs):
    from digest.workers import parallel_batches

    items = list(range(300))
    results = parallel_batches(_sizes_and_squares, items, jobs=jobs, alone_at_once=32)
    assert [square for _, square in results] == [i * i for i in items]
    sizes = {size for size, _ in results}
    assert max(sizes) > 1  # the function saw several items at once
    assert max(sizes) <= (32 if jobs == 1 else 300 // 2)


def test_work_done_a_chunk_at_a_time_reports_progress_for_every_item():
    from digest.workers import parallel_batches

    seen: list[int] = []
    parallel_batches(_sizes_and_squares, list(range(100)), jobs=1, on_done=seen.append, alone_at_once=8)
    assert sum(seen) == 100 and len(seen) == 13
