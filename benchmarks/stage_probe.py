"""`digest build` as its command line runs it, printing each stage's time and memory as it ends.

    python benchmarks/stage_probe.py build -C PROJECT [digest's options]

One line a stage, on standard error:
    stage-probe NAME SECONDS LARGEST_MB TREE_MB
LARGEST_MB is the peak resident memory of the largest single process (this one, the
grouping process, a render worker, a Pagefind process) sampled every 100 ms while the
stage ran; TREE_MB the peak of the whole process tree's summed RSS (shared pages counted
in every process that maps them: RSS is read from /proc/PID/status, cheap, where PSS would
slow the build it measures). build_speed.py reads them.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PROBE, tree_memory_kb  # noqa: E402

import digest.build as pipeline  # noqa: E402
from digest.cli import cli  # noqa: E402


class _Sampler:
    """The tree's memory every 50 ms; `peaks()` gives the peaks since it was last asked."""

    def __init__(self) -> None:
        self._peaks = [0, 0]
        self._lock = threading.Lock()
        threading.Thread(target=self._run, daemon=True, name="stage-probe").start()

    def _run(self) -> None:
        while True:
            tree, largest = tree_memory_kb(os.getpid(), pss=False)
            with self._lock:
                self._peaks = [max(self._peaks[0], tree), max(self._peaks[1], largest)]
            time.sleep(0.1)

    def peaks(self) -> tuple[float, float]:
        tree, largest = tree_memory_kb(os.getpid(), pss=False)  # the stage's last moment, however short it was
        with self._lock:
            peaks, self._peaks = self._peaks, [0, 0]
        return max(peaks[1], largest) / 1024, max(peaks[0], tree) / 1024


def main() -> None:
    sampler = _Sampler()
    timed = pipeline._timed

    @contextlib.contextmanager
    def probed(report: pipeline.BuildReport, stage: str) -> Iterator[None]:
        sampler.peaks()  # what came before the stage is not its own
        with timed(report, stage):
            yield
        largest, tree = sampler.peaks()
        print(f"{PROBE} {stage} {report.timings[stage]:.3f} {largest:.0f} {tree:.0f}", file=sys.stderr, flush=True)

    pipeline._timed = probed  # type: ignore[assignment]
    cli(prog_name="digest")


if __name__ == "__main__":
    main()
