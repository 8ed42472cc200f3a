"""Grouping quality on a labelled corpus: NMI and ARI against the labels, time and peak memory.

    python benchmarks/digest_quality.py PATH [--count 5] [--runs 3]

PATH holds one article per file (title on the first line) and labels.csv (file,label).
Each run shuffles the input order with a different seed: the grouping sorts by slug
itself, so every run must give identical figures; a spread would mean instability.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import tracemalloc
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from digest.config import Config
from digest.group import group_articles
from digest.model import Article, slugify


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # the corpus has a latin-1 file
        return data.decode("latin-1")


def load_corpus(root: Path) -> tuple[list[Article], dict[str, str]]:
    articles, labels = [], {}
    with (root / "labels.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            title, _, body = read_text(root / row["file"]).strip().partition("\n")
            slug = slugify(Path(row["file"]).stem)
            articles.append(Article(slug=slug, title=title.strip(), body=body.strip(), origin=row["file"]))
            labels[slug] = row["label"]
    return articles, labels


def measure(
    articles: list[Article], labels: dict[str, str], count: int | None, seed: int, trace: bool
) -> dict[str, float]:
    shuffled = articles[:]
    random.Random(seed).shuffle(shuffled)
    config = Config(digests={"count": count})
    start = time.perf_counter()
    digests = group_articles(shuffled, config)
    seconds = time.perf_counter() - start
    peak = float("nan")
    if trace:  # a separate run: tracing slows Python down, so the timed run is untraced
        tracemalloc.start()
        group_articles(shuffled, config)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    found = {a.slug: d.slug for d in digests for a in d.articles}
    slugs = sorted(labels)
    truth, predicted = [labels[s] for s in slugs], [found[s] for s in slugs]
    return {
        "k": len(digests),
        "nmi": normalized_mutual_info_score(truth, predicted),
        "ari": adjusted_rand_score(truth, predicted),
        "seconds": seconds,
        "peak_mb": peak / 2**20,
        "duplicates": sum(len(g) - 1 for d in digests for g in d.duplicates),
        "names": [d.name for d in sorted(digests, key=lambda d: -len(d.articles))],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=5, help="digests asked for (0: automatic)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not (args.path / "labels.csv").is_file():
        print(f"{args.path}: no labels.csv", file=sys.stderr)
        return 2
    articles, labels = load_corpus(args.path)
    count = args.count or None
    print(
        f"corpus {args.path} · {len(articles)} articles · {len(set(labels.values()))} labels · count {count or 'auto'}"
    )
    print(f"{'run':>3} {'n':>6} {'k':>4} {'NMI':>6} {'ARI':>6} {'time s':>7} {'peak MB':>8} {'dups':>5}")
    results = []
    for run in range(args.runs):
        r = measure(articles, labels, count, seed=run, trace=run == 0)
        results.append(r)
        peak = f"{r['peak_mb']:.1f}" if r["peak_mb"] == r["peak_mb"] else "-"  # traced on the first run only
        print(
            f"{run:>3} {len(articles):>6} {r['k']:>4} {r['nmi']:>6.3f} {r['ari']:>6.3f} {r['seconds']:>7.2f} {peak:>8} {r['duplicates']:>5}"
        )
    stable = len({(r["nmi"], r["ari"], r["k"]) for r in results}) == 1
    print(f"identical across runs: {'yes' if stable else 'NO'}")
    print("digests (largest first): " + " | ".join(results[0]["names"][:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
