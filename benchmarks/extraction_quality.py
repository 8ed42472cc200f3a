"""Chrome removal on real pages as text: article lines kept, chrome lines dropped, line by line.

    python benchmarks/extraction_quality.py PATH [--folds 5] [--alone] [--fold-models FILE] [--sites]
        [--show-lost] [--show-kept CATEGORY]

PATH is the article-extraction benchmark (/work/shared/corpora/article-extraction-benchmark).
Each page becomes scraper-style text and each line is labelled article or chrome
(benchmarks/extraction_corpus.py says how); the text is ingested with digest's own entry
point (`ingest_seed`), and a line counts as kept when at least half of it is in the article
body digest wrote (an article line that became the title counts as kept).

The chrome classifier was trained on these very pages, so scoring the shipped model here
would flatter it. With `--folds K` (the default, 5) the pages are split by site (GroupKFold
by domain): each fold is ingested with a model trained, by benchmarks/train_chrome.py's
recipe, on the other folds' sites only. `--folds 0` scores the shipped model as it is.
No network is used.

The pages are ingested as the seeds of one build: lines that pages of one site share are that
site's template (digest.ingest.template), as when an editor scrapes several pages of a site.
`--alone` ingests each page as the only seed of its site, as when every page comes from a
different site: report both.

Prints: lines and share kept/dropped overall; chrome dropped by category (a rough category
from the page's words and markup, for reporting); per site (`--sites`); and the time ingest
took per article.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extraction_corpus import CATEGORIES, PageText, align, chrome_category, load_pages, page_text, tokens  # noqa: E402

from digest.config import Config  # noqa: E402
from digest.ingest.chrome import chrome_mask  # noqa: E402
from digest.ingest.decode import decode  # noqa: E402
from digest.ingest.seed import ingest_seed  # noqa: E402

KEPT_COVER = 0.5


@dataclass(frozen=True)
class LineResult:
    domain: str
    text: str
    article: bool
    category: str  # "article" for article lines
    kept: bool


def score_page(
    page: PageText, config: Config, template: frozenset[int] = frozenset()
) -> tuple[list[LineResult], tuple[float, float]]:
    """Ingest one page's text (`template`: its lines that other pages hold too, as in a build of
    all the pages): each line's label and whether digest kept it, and the seconds that ingest
    took, and chrome removal alone."""
    lines = [block.text for block in page.blocks]
    labels = align(lines, page.page.body).labels
    start = time.perf_counter()
    outcome = ingest_seed(page.text.encode("utf-8"), f"seeds/{page.page.sha[:16]}.txt", config, template)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    chrome_mask(decode(page.text).split("\n"), template=template)
    chrome_seconds = time.perf_counter() - start
    body = outcome.article.body if outcome.article else ""
    title = tokens(outcome.article.title) if outcome.article else []
    kept = [label.cover >= KEPT_COVER for label in align(lines, body).labels]
    results = []
    for line, block, label, in_body in zip(lines, page.blocks, labels, kept):
        as_title = label.article and bool(title) and tokens(line) == title
        category = "article" if label.article else chrome_category(line, block.hints, page.headline)
        results.append(LineResult(page.page.domain, line, label.article, category, in_body or as_title))
    return results, (seconds, chrome_seconds)


@contextlib.contextmanager
def fold_model(model: Optional[object]) -> Iterator[None]:
    """Ingest with another chrome model (one that never saw this fold's sites)."""
    if model is None:
        yield
        return
    from unittest import mock

    from digest.ingest import chrome

    with mock.patch.object(chrome, "default_model", lambda: model):
        yield


def run(
    pages: list[PageText], folds: int, keep: Optional[float], alone: bool = False, saved: Optional[Path] = None
) -> tuple[list[LineResult], list[tuple[float, float]]]:
    """Every page ingested as if all of them were the seeds of one build (their shared lines are
    each other's template), or each as the only seed of its site (`alone`), each by a model that
    never saw its site (or the shipped one: folds 0)."""
    from train_chrome import corpus_templates

    config = Config()
    templates = [frozenset[int]()] * len(pages) if alone else corpus_templates(pages)
    plan = [(None, list(range(len(pages))))] if folds == 0 else _fold_plan(pages, folds, keep, saved)
    results: list[LineResult] = []
    seconds: list[tuple[float, float]] = []
    for model, indices in plan:
        with fold_model(model):
            ingest_seed(b"Warm-up line.\nAnother line of text.", "seeds/warm-up.txt", config)  # models load untimed
            for index in indices:
                lines, took = score_page(pages[index], config, templates[index])
                results.extend(lines)
                seconds.append(took)
    return results, seconds


def _fold_plan(
    pages: list[PageText], folds: int, keep: Optional[float], saved: Optional[Path] = None
) -> list[tuple[object, list[int]]]:
    """Each fold's model and pages: trained (by far the longest step), or read from `saved` when a
    run with the same pages, folds and target wrote it there, so that `--alone` need not train again."""
    from train_chrome import KEEP_TARGET, cross_validation_models

    from digest.ingest.chrome import ChromeModel

    keep = KEEP_TARGET if keep is None else keep
    key = {"pages": [page.page.sha for page in pages], "folds": folds, "keep": keep}
    if saved is not None and saved.exists():
        data = json.loads(saved.read_text(encoding="utf-8"))
        if data["key"] == key:
            return [(ChromeModel.from_json(model), indices) for model, indices in data["plan"]]
    plan = list(cross_validation_models(pages, folds, keep))
    if saved is not None:
        stored = [(model.to_json(), indices) for model, indices in plan]
        saved.write_text(json.dumps({"key": key, "plan": stored}), encoding="utf-8")
    return plan


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.1f}%" if whole else "      -"


def print_overall(results: list[LineResult]) -> None:
    article = [r for r in results if r.article]
    chrome = [r for r in results if not r.article]
    kept = sum(r.kept for r in article)
    dropped = sum(not r.kept for r in chrome)
    words = sum(len(r.text.split()) for r in article)
    words_kept = sum(len(r.text.split()) for r in article if r.kept)
    print(f"{'':24} {'lines':>7} {'kept':>7} {'dropped':>8}")
    print(
        f"{'article lines':24} {len(article):>7} {share(kept, len(article))} {share(len(article) - kept, len(article)):>8}"
    )
    print(f"{'article words':24} {words:>7} {share(words_kept, words)} {share(words - words_kept, words):>8}")
    print(
        f"{'chrome lines':24} {len(chrome):>7} {share(len(chrome) - dropped, len(chrome))} {share(dropped, len(chrome)):>8}"
    )


def print_categories(results: list[LineResult]) -> None:
    counts: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for r in results:
        if not r.article:
            counts[r.category] += 1
            dropped[r.category] += not r.kept
    print(f"\n{'chrome category':28} {'lines':>6} {'kept':>7} {'dropped':>8}")
    for name in CATEGORIES:
        if counts[name]:
            n = counts[name]
            print(f"{name:28} {n:>6} {share(n - dropped[name], n)} {share(dropped[name], n):>8}")


def print_sites(results: list[LineResult]) -> None:
    by_site: dict[str, list[LineResult]] = defaultdict(list)
    for r in results:
        by_site[r.domain].append(r)
    print(f"\n{'site':34} {'article':>7} {'kept':>7} {'chrome':>7} {'dropped':>8}")
    for domain, rows in sorted(by_site.items()):
        article = [r for r in rows if r.article]
        chrome = [r for r in rows if not r.article]
        kept = sum(r.kept for r in article)
        dropped = sum(not r.kept for r in chrome)
        print(
            f"{domain[:34]:34} {len(article):>7} {share(kept, len(article))} {len(chrome):>7} {share(dropped, len(chrome)):>8}"
        )


def print_times(seconds: list[tuple[float, float]]) -> None:
    print(f"\n{'per article (ms)':24} {'mean':>7} {'median':>7} {'p95':>7} {'max':>7}")
    for name, column in (("ingest, all of it", 0), ("chrome removal alone", 1)):
        ms = sorted(1000 * pair[column] for pair in seconds)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(f"{name:24} {statistics.mean(ms):7.1f} {statistics.median(ms):7.1f} {p95:7.1f} {ms[-1]:7.1f}")
    print(f"({len(seconds)} articles, one process)")


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="the article-extraction-benchmark folder")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds by site; 0: the shipped model")
    parser.add_argument(
        "--keep-target", type=float, default=None, help="with --folds: the training's article-keep target"
    )
    parser.add_argument("--limit", type=int, help="only the first N pages (by sha)")
    parser.add_argument(
        "--alone", action="store_true", help="each page as the only seed of its site (no site template learned)"
    )
    parser.add_argument(
        "--fold-models", type=Path, help="a file to keep the folds' models in, and to read them from when it fits"
    )
    parser.add_argument("--sites", action="store_true", help="a row per site")
    parser.add_argument("--show-lost", action="store_true", help="print every article line that was dropped")
    parser.add_argument("--show-kept", metavar="CATEGORY", help="print the chrome lines of CATEGORY that were kept")
    args = parser.parse_args(argv)
    pages = [page_text(page) for page in load_pages(args.path, args.limit)]
    results, seconds = run(pages, args.folds, args.keep_target, args.alone, args.fold_models)
    what = f"cross-validated over sites, {args.folds} folds" if args.folds else "the shipped model (seen these pages)"
    what += "; each page alone" if args.alone else "; all pages as the seeds of one build"
    print(f"{len(pages)} pages, {len({p.page.domain for p in pages})} sites; {what}\n")
    print_overall(results)
    print_categories(results)
    if args.sites:
        print_sites(results)
    print_times(seconds)
    for r in results:
        if (args.show_lost and r.article and not r.kept) or (
            args.show_kept and r.category == args.show_kept and r.kept
        ):
            print(f"{r.domain[:24]:24} {r.category[:12]:12} {r.text[:150]}")


if __name__ == "__main__":
    main()
