"""How much of an article the entity recogniser must read: tags and time against reading all of it.

    python benchmarks/tag_sample.py PATH [--count 300] [--samples 600:400 400:200 600:0]

PATH is a folder of plain-text articles (the BBC News corpus: /work/shared/corpora/bbc-news),
first line the headline. Tagging runs spaCy's entity recogniser on a sample of the body (the
lead, NER_CHARS, then later sentences that bring in new names, LATER_CHARS): it is most of
ingest's time. For each sample size this prints the milliseconds the recogniser took per
article and how the article's tags compare with the tags made from the whole body: the share
of the whole-body tags found (recall), the share of the sample's tags that the whole body
gives too (precision), and the share of articles whose first tag is the same.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Optional
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.ingest import tags as tagging  # noqa: E402
from digest.ingest.nlp import Entity, entities, entities_of_many  # noqa: E402

WHOLE = 10**9


def read_articles(path: Path, count: int) -> list[tuple[str, str]]:
    """(headline, body) of the first `count` files, by name."""
    articles = []
    for file in sorted(path.glob("*.txt"))[:count]:
        text = file.read_bytes().decode("utf-8", errors="replace").strip()
        title, _, body = text.partition("\n")
        articles.append((title.strip(), body.strip()))
    return articles


def tag_all(articles: list[tuple[str, str]], lead: int, later: int) -> tuple[list[list[str]], float]:
    """Each article's tags with this sample size, and the recogniser's milliseconds per article."""
    spent = [0.0]

    def timed(texts: list[str]) -> Optional[list[list[Entity]]]:
        start = time.perf_counter()
        found = entities_of_many(texts)
        spent[0] += time.perf_counter() - start
        return found

    with (
        mock.patch.object(tagging, "NER_CHARS", lead),
        mock.patch.object(tagging, "LATER_CHARS", later),
        mock.patch.object(tagging, "entities_of_many", timed),
    ):
        tags = [tagging.article_tags(title, body, aliases={}).tags for title, body in articles]
    return tags, 1000 * spent[0] / max(1, len(articles))


def compare(sample: list[list[str]], whole: list[list[str]]) -> tuple[float, float, float]:
    """(recall, precision, same first tag) of the sample's tags against the whole body's."""
    found = sum(len(set(s) & set(w)) for s, w in zip(sample, whole))
    recall = found / max(1, sum(len(w) for w in whole))
    precision = found / max(1, sum(len(s) for s in sample))
    first = statistics.mean(float(s[:1] == w[:1]) for s, w in zip(sample, whole))
    return recall, precision, first


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--samples", nargs="+", default=["600:400", "600:200", "400:200", "600:0", "400:0"])
    args = parser.parse_args(argv)
    articles = read_articles(args.path, args.count)
    entities("Warm-up sentence about London.")  # the model loads untimed
    whole, whole_ms = tag_all(articles, WHOLE, 0)
    print(f"{len(articles)} articles; tags from the whole body: {whole_ms:.1f} ms per article\n")
    print(f"{'lead:later chars':>16} {'ms/article':>10} {'recall':>7} {'precision':>9} {'same first':>10}")
    for spec in args.samples:
        lead, later = (int(part) for part in spec.split(":"))
        tags, ms = tag_all(articles, lead, later)
        recall, precision, first = compare(tags, whole)
        print(f"{spec:>16} {ms:>10.1f} {recall:>7.1%} {precision:>9.1%} {first:>10.1%}")


if __name__ == "__main__":
    main()
