"""Grouping quality on a labelled corpus: NMI and ARI against the labels, digests, singletons, names, time.

    python benchmarks/digest_quality.py PATH [--count 5] [--runs 3]
    python benchmarks/digest_quality.py PATH --count 0 --per-label 12 --ingest --names

PATH holds one article per file (title on the first line) and labels.csv (file,label).
Each run shuffles the input order with a different seed: the grouping sorts by slug
itself, so every run must give identical figures; a spread would mean instability.

`--per-label N` measures a sample (N articles of each label, drawn with `--seed`);
`--ingest` makes the articles as a build does (the files become seeds, ingest finds
their titles, tags and summaries) instead of reading title and body as they are;
`--names` prints every digest: its size, its labels and its name.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from digest.config import Config
from digest.group import group_articles
from digest.model import Article, Digest, slugify


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # the corpus has a latin-1 file
        return data.decode("latin-1")


def read_labels(root: Path, per_label: int | None, seed: int) -> list[tuple[str, str]]:
    """(file, label) rows, all of them or `per_label` of each label drawn at random."""
    with (root / "labels.csv").open(newline="", encoding="utf-8") as handle:
        rows = [(row["file"], row["label"]) for row in csv.DictReader(handle)]
    if per_label is None:
        return rows
    rng = random.Random(seed)
    by_label: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        by_label.setdefault(row[1], []).append(row)
    return [
        row
        for label in sorted(by_label)
        for row in rng.sample(sorted(by_label[label]), min(per_label, len(by_label[label])))
    ]


def load_corpus(root: Path, rows: list[tuple[str, str]]) -> tuple[list[Article], dict[str, str]]:
    """Articles as the files give them: headline, body, nothing else."""
    articles, labels = [], {}
    for name, label in rows:
        title, _, body = read_text(root / name).strip().partition("\n")
        slug = slugify(Path(name).stem)
        articles.append(Article(slug=slug, title=title.strip(), body=body.strip(), origin=name))
        labels[slug] = label
    return articles, labels


def ingest_corpus(root: Path, rows: list[tuple[str, str]]) -> tuple[list[Article], dict[str, str]]:
    """Articles as a build makes them: each file a seed, ingested into content/ and loaded back."""
    from digest.config import load_config
    from digest.ingest import ingest_all
    from digest.load import load_articles

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "seeds").mkdir()
        for name, _ in rows:
            shutil.copyfile(root / name, project / "seeds" / Path(name).with_suffix(".txt").name)
        config = load_config(project)
        ingest_all(config)
        articles = load_articles(config).articles
    label_of = {f"seeds/{Path(name).with_suffix('.txt').name}": label for name, label in rows}
    return articles, {a.slug: label_of[a.origin] for a in articles}


def measure(articles: list[Article], labels: dict[str, str], count: int | None, seed: int, trace: bool) -> dict:
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
        "singletons": sum(len(d.articles) == 1 for d in digests),
        "nmi": normalized_mutual_info_score(truth, predicted),
        "ari": adjusted_rand_score(truth, predicted),
        "seconds": seconds,
        "peak_mb": peak / 2**20,
        "duplicates": sum(len(g) - 1 for d in digests for g in d.duplicates),
        "digests": sorted(digests, key=lambda d: (-len(d.articles), d.slug)),
    }


def label_mix(digest: Digest, labels: dict[str, str]) -> str:
    counts = Counter(labels[a.slug] for a in digest.articles)
    return " ".join(f"{label} {n}" for label, n in counts.most_common(3))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=5, help="digests asked for (0: automatic)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--per-label", type=int, default=None, help="measure a sample: this many articles of each label"
    )
    parser.add_argument("--seed", type=int, default=0, help="which sample --per-label draws")
    parser.add_argument("--ingest", action="store_true", help="make the articles as a build does (tags, summaries)")
    parser.add_argument("--names", action="store_true", help="print every digest: size, labels, name")
    args = parser.parse_args(argv)
    if not (args.path / "labels.csv").is_file():
        print(f"{args.path}: no labels.csv", file=sys.stderr)
        return 2
    rows = read_labels(args.path, args.per_label, args.seed)
    articles, labels = (ingest_corpus if args.ingest else load_corpus)(args.path, rows)
    count = args.count or None
    print(
        f"corpus {args.path} · {len(articles)} articles · {len(set(labels.values()))} labels · count {count or 'auto'}"
        f"{' · ingested' if args.ingest else ''}"
    )
    print(f"{'run':>3} {'n':>6} {'k':>4} {'single':>6} {'NMI':>6} {'ARI':>6} {'time s':>7} {'peak MB':>8} {'dups':>5}")
    results = []
    for run in range(args.runs):
        r = measure(articles, labels, count, seed=run, trace=run == 0)
        results.append(r)
        peak = f"{r['peak_mb']:.1f}" if r["peak_mb"] == r["peak_mb"] else "-"  # traced on the first run only
        print(
            f"{run:>3} {len(articles):>6} {r['k']:>4} {r['singletons']:>6} {r['nmi']:>6.3f} {r['ari']:>6.3f} "
            f"{r['seconds']:>7.2f} {peak:>8} {r['duplicates']:>5}"
        )
    stable = len({(r["nmi"], r["ari"], r["k"], tuple(d.name for d in r["digests"])) for r in results}) == 1
    print(f"identical across runs: {'yes' if stable else 'NO'}")
    digests = results[0]["digests"]
    if args.names:
        print(f"\n{'size':>4}  {'labels':<28} name")
        for digest in digests:
            print(f"{len(digest.articles):>4}  {label_mix(digest, labels):<28} {digest.name}")
    else:
        print("digests (largest first): " + " | ".join(d.name for d in digests[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
