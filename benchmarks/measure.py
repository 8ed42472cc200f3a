"""Wall time and peak memory of one child process tree, for the build benchmarks."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

TIMEOUT = 3600  # seconds for one build
PSS_EVERY = 5  # samples
PROBE = "stage-probe"  # how benchmarks/stage_probe.py starts its lines


@dataclass
class Run:
    seconds: float = 0.0
    peak_mb: float = 0.0
    ok: bool = False
    note: str = ""  # why it is not ok, or what it printed
    largest_mb: float = 0.0  # peak resident memory of the largest single process of the tree
    stages: list["Stage"] = field(default_factory=list)

    def cell_seconds(self) -> str:
        return f"{self.seconds:.2f}" if self.ok else (self.note.split(":")[0] or "failed")

    def cell_mb(self) -> str:
        return f"{self.peak_mb:.0f}" if self.ok else "-"

    def cell_largest(self) -> str:
        return f"{self.largest_mb:.0f}" if self.ok and self.largest_mb else "-"


@dataclass
class Stage:
    """One stage of a build, as benchmarks/stage_probe.py reports it."""

    name: str
    seconds: float
    largest_mb: float  # the largest single process's resident memory during the stage
    tree_mb: float  # the whole tree's (PSS) during the stage

    @classmethod
    def parse(cls, output: str) -> list["Stage"]:
        stages = []
        for line in output.splitlines():
            if line.startswith(PROBE):
                name, seconds, largest, tree = line.split()[1:5]
                stages.append(cls(name, float(seconds), float(largest), float(tree)))
        return stages


# ------------------------------------------------------------------ measuring


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _memory_kb(pid: int) -> int:
    """PSS: shared pages (forked workers, the same libraries) are counted once across the tree."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
    except (OSError, ValueError):
        return 0


def tree_memory_kb(root: int, pss: bool = True) -> tuple[int, int]:
    """(the tree's PSS, the largest single process's RSS) of `root` and its descendants; with
    `pss` False the tree's summed RSS instead, far cheaper to read (smaps_rollup walks every
    page table of a process, and holds up its memory calls meanwhile)."""
    total, largest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        rss = _rss_kb(pid)
        total += _memory_kb(pid) if pss else rss
        largest = max(largest, rss)
        stack.extend(_children(pid))
    return total, largest


def measure(command: list[str], cwd: Path, log: Path, nice: int, env: Optional[dict] = None) -> Run:
    """Run a command to its end; wall time, peak memory, and whether it exited 0 or 1."""
    peak = [0, 0]
    done = threading.Event()

    def sample(pid: int) -> None:
        # RSS every 50 ms, PSS every 250 ms: reading PSS walks every page table of every process of
        # the tree and holds up their memory calls, which slows a build of many processes measurably
        for tick in itertools.count():
            if done.wait(0.05):
                return
            tree, largest = tree_memory_kb(pid, pss=tick % PSS_EVERY == 0)
            peak[1] = max(peak[1], largest)
            if tick % PSS_EVERY == 0:
                peak[0] = max(peak[0], tree)

    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        start = time.perf_counter()
        try:
            child = subprocess.Popen(
                command,
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                preexec_fn=lambda: os.nice(nice),
                start_new_session=True,
            )
        except OSError as error:
            return Run(note=f"not started: {error}")
        sampler = threading.Thread(target=sample, args=(child.pid,), daemon=True)
        sampler.start()
        timer = threading.Timer(TIMEOUT, lambda: os.killpg(child.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's so far
        seconds = time.perf_counter() - start
        timer.cancel()
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
    peak_kb, largest_kb = max(peak[0], usage.ru_maxrss), max(peak[1], usage.ru_maxrss)
    code = child.returncode
    if code < 0:
        note = "timeout" if seconds >= TIMEOUT else f"killed: signal {-code}"
        return Run(seconds, peak_kb / 1024, False, note, largest_kb / 1024)
    # digest exits 1 when some input was rejected but the rest was built
    return Run(seconds, peak_kb / 1024, code in (0, 1), "" if code in (0, 1) else f"exit {code}", largest_kb / 1024)


def html_pages(directory: Path) -> int:
    return sum(1 for _ in directory.rglob("*.html")) if directory.is_dir() else 0
