"""Related stories at scale: the approximate search (faiss IVF) against every pair, in time and in
what it finds.

    python benchmarks/related_scale.py [--sizes 20000,100000]

Stories are unit vectors of LSA's shape (100 dimensions) around 400 topics, with the noise
of real coverage, in 200 digests over random dates. The exact answer is worked out for a
sample of 2,000 stories (its time scaled to all of them); "found" is the share of the exact
lists' stories the approximate lists hold.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import digest.group.related as related  # noqa: E402


def one_size(n: int, seed: int = 0) -> tuple[float, float, float]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(400, 100))
    rows = normalize(centres[rng.integers(0, 400, size=n)] + 1.2 * rng.normal(size=(n, 100)))
    digest_of, dates = rng.integers(0, 200, size=n), rng.random(n)
    names = [f"story-{i:06d}" for i in range(n)]
    start = time.perf_counter()
    found_lists = related._approximate(rows, digest_of, dates, names)
    approximate = time.perf_counter() - start
    sample = np.arange(0, n, max(1, n // 2000))
    start = time.perf_counter()
    exact = []
    for story, similarity in zip(sample, rows[sample] @ rows.T):
        similarity[(digest_of == digest_of[story]) & (dates >= dates[story])] = -np.inf
        similarity[story] = -np.inf
        exact.append(related._top(similarity, names))
    every_pair = (time.perf_counter() - start) * n / len(sample)
    shared = sum(len(set(found_lists[story]) & set(lists)) for story, lists in zip(sample, exact))
    return approximate, every_pair, shared / max(1, sum(len(lists) for lists in exact))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,100000")
    args = parser.parse_args()
    print(f"{'stories':>8} {'approximate s':>13} {'every pair s':>12} {'found':>6}")
    for n in (int(size) for size in args.sizes.split(",") if size):
        approximate, every_pair, found = one_size(n)
        print(f"{n:>8,} {approximate:>13.1f} {every_pair:>12.1f} {found:>6.3f}", flush=True)


if __name__ == "__main__":
    main()
