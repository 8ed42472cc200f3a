"""How fast ingest turns seeds into content files, tagging included.

    python benchmarks/ingest_speed.py [SEEDS_DIR] [-n 500] [--jobs 1 2] [--runs 3]

Without SEEDS_DIR it writes N synthetic seeds (benchmarks/generate_corpus.py)
into a temporary project. Each jobs setting runs in a fresh process on an empty
content/ folder, so model loading and worker start-up are counted, as a user
would see them. Prints: jobs, articles, seconds, articles/s, articles per CPU
second (what two idle cores would give, halved: useful on a busy machine), peak
RSS (MB, the largest single process) and the machine's load average when the run
started (other processes' work slows every figure). With --runs N the settings take
turns N times, and a last row per setting gives the best of its runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CHILD = """
import ctypes, json, os, resource, sys, time
from pathlib import Path
from digest.config import load_config
from digest.ingest import ingest_all
# Workers are forked by a fork server, not by this process: as their subreaper (Linux), this process
# inherits them when the server ends, and waits for them all, so that their CPU and memory count below.
PR_SET_CHILD_SUBREAPER = 36
with_descendants = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
root, jobs = Path(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
report = ingest_all(load_config(root), jobs=jobs)
seconds = time.perf_counter() - start
from multiprocessing import forkserver, resource_tracker
for helper in (forkserver._forkserver, resource_tracker._resource_tracker):  # they would wait for this process
    getattr(helper, "_stop", lambda: None)()
while with_descendants:
    try:
        os.wait()
    except ChildProcessError:
        break
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
peak = max(u.ru_maxrss for u in usage)
cpu = sum(u.ru_utime + u.ru_stime for u in usage)
print(json.dumps({"read": report.read, "written": report.written, "rejected": len(report.rejected),
                  "seconds": seconds, "cpu": cpu, "peak_mb": peak / 1024}))
"""


def run_once(project: Path, jobs: int) -> dict:
    shutil.rmtree(project / "content", ignore_errors=True)
    shutil.rmtree(project / ".digest-cache", ignore_errors=True)  # a cold ingest: every seed normalised
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(project), str(jobs)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", nargs="?", type=Path, help="a folder of *.txt seeds (default: synthetic ones)")
    parser.add_argument("-n", "--count", type=int, default=500, help="synthetic seeds to generate")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=1, help="runs of each jobs setting, taking turns")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="digest-ingest-bench-") as tmp:
        project = Path(tmp)
        if args.seeds:
            shutil.copytree(args.seeds, project / "seeds")
        else:
            from benchmarks.generate_corpus import write_seeds

            write_seeds(project, args.count)
        print(
            f"{'jobs':>4} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'per CPU-s':>9} {'peak RSS MB':>11} {'load':>5}"
        )
        rows: dict[int, list[dict]] = {jobs: [] for jobs in args.jobs}
        for _ in range(args.runs):
            for jobs in args.jobs:
                load = os.getloadavg()[0]
                row = run_once(project, jobs)
                rows[jobs].append(row)
                print(_line(str(jobs), row, f"{load:>5.1f}"))
        if args.runs > 1:  # the fastest run, and the least CPU time of any run
            print(f"best of {args.runs} runs:")
            for jobs, runs in rows.items():
                best = min(runs, key=lambda row: row["seconds"])
                print(_line(str(jobs), best | {"cpu": min(row["cpu"] for row in runs)}, ""))


def _line(label: str, row: dict, load: str) -> str:
    rate = row["read"] / row["seconds"] if row["seconds"] else float("inf")
    per_cpu = row["read"] / row["cpu"] if row["cpu"] else float("inf")
    return f"{label:>4} {row['read']:>8} {row['seconds']:>8.2f} {rate:>10.1f} {per_cpu:>9.1f} {row['peak_mb']:>11.0f} {load}"


if __name__ == "__main__":
    main()
