"""How fast ingest turns seeds into content files, tagging included.

    python benchmarks/ingest_speed.py [SEEDS_DIR] [-n 500] [--jobs 1 2] [--runs 3]

Without SEEDS_DIR it writes N synthetic seeds (benchmarks/generate_corpus.py)
into a temporary project. Each jobs setting runs in a fresh process on an empty
content/ folder, so model loading and worker start-up are counted, as a user
would see them. Prints: jobs, articles, seconds, articles/s, articles per CPU
second (what two idle cores would give, halved: useful on a busy machine), peak
RSS (MB, the largest single process) and the machine's load average when the run
started (other processes' work slows every figure). With --runs N the settings take
turns N times, and a last row per setting gives the best of its runs. The first line names the
spaCy release: its entity recogniser is most of a seed's time, and releases differ (spaCy 3.8.8 and later
take and drop the GIL at every step of its decoder: about twice the time of 3.8.7).

    python benchmarks/ingest_speed.py [SEEDS_DIR] --ner-batches 4 8 16 32 64

times the entity recogniser alone, in this process, on the seeds' tagging samples read in batches
of each size (ms per article; digest reads batches of digest.ingest.nlp.NER_BATCH).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
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
    parser.add_argument("--ner-batches", type=int, nargs="+", help="time the entity recogniser at these batch sizes")
    args = parser.parse_args(argv)
    from importlib.metadata import version

    print(f"spaCy {version('spacy')}")
    with tempfile.TemporaryDirectory(prefix="digest-ingest-bench-") as tmp:
        project = Path(tmp)
        if args.seeds:
            shutil.copytree(args.seeds, project / "seeds")
        else:
            from benchmarks.generate_corpus import write_seeds

            write_seeds(project, args.count)
        if args.ner_batches:
            ner_batches(project / "seeds", args.ner_batches, args.runs)
            return
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


def ner_batches(seeds: Path, sizes: list[int], runs: int) -> None:
    """The recogniser's time per article on the seeds' samples, at each batch size, taking turns."""
    from digest.ingest.nlp import load_model
    from digest.ingest.tags import ner_sample

    samples = [ner_sample(path.read_text(encoding="utf-8", errors="replace"), "") for path in sorted(seeds.iterdir())]
    model = load_model()
    if model is None:
        raise SystemExit("the language model is not installed")
    model.many(samples[:16])  # warm
    times: dict[int, list[float]] = {size: [] for size in sizes}
    for _ in range(runs):
        for size in sizes:
            start = time.perf_counter()
            model.many(samples, size)
            times[size].append((time.perf_counter() - start) / len(samples) * 1000)
    print(f"{'batch':>5} {'ms/article (best)':>17} {'runs':>20}")
    for size, values in times.items():
        print(f"{size:>5} {min(values):>17.2f} {' '.join(f'{v:.2f}' for v in values):>20}")


def _line(label: str, row: dict, load: str) -> str:
    rate = row["read"] / row["seconds"] if row["seconds"] else float("inf")
    per_cpu = row["read"] / row["cpu"] if row["cpu"] else float("inf")
    return f"{label:>4} {row['read']:>8} {row['seconds']:>8.2f} {rate:>10.1f} {per_cpu:>9.1f} {row['peak_mb']:>11.0f} {load}"


if __name__ == "__main__":
    main()
