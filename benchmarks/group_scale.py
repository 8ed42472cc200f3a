"""Speed and memory of grouping at scale, on synthetic articles (related stories included, and timed apart).

    python benchmarks/group_scale.py [--n 10000] [--count 0]

Articles are drawn from TOPICS synthetic topics, each with its own vocabulary and
people, over a shared general vocabulary (the words every report uses), with bodies
of a few hundred words: the shape of a real news corpus, at any size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import tracemalloc

from digest.config import Config
from digest.group import group_articles, grouping
from digest.model import Article

TOPICS = 40
SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "su", "vo", "del", "pan", "ri", "gor", "ne", "tas", "bi", "ul", "zen"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_articles(n: int, seed: int = 0) -> list[Article]:
    rng = random.Random(seed)
    general = [_word(rng) for _ in range(3000)]
    topics = [
        ([_word(rng) for _ in range(80)], [f"{_word(rng).title()} {_word(rng).title()}" for _ in range(4)])
        for _ in range(TOPICS)
    ]
    start = dt.date(2024, 1, 1)
    articles = []
    for i in range(n):
        words, people = topics[rng.randrange(TOPICS)]
        sentences = []
        for _ in range(rng.randint(8, 25)):
            sentence = [
                rng.choice(words) if rng.random() < 0.3 else rng.choice(general) for _ in range(rng.randint(8, 20))
            ]
            sentences.append(" ".join(sentence).capitalize() + ".")
        title = " ".join(rng.choice(words) for _ in range(6)).capitalize()
        articles.append(
            Article(
                slug=f"article-{i:05d}",
                title=title,
                body="\n\n".join(" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)),
                date=start + dt.timedelta(days=rng.randrange(365)),
                source=f"Source {rng.randrange(20)}",
                tags=rng.sample(people, 2),
            )
        )
    return articles


def _timing(module, name: str) -> list[float]:
    """Times each call of module.name (here: the related-stories step inside grouping)."""
    real, seconds = getattr(module, name), []

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - start)

    setattr(module, name, timed)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--count", type=int, default=0, help="digests asked for (0: automatic)")
    args = parser.parse_args(argv)
    articles = synthetic_articles(args.n)
    config = Config(digests={"count": args.count or None})
    print(
        f"{'n':>6} {'count':>6} {'digests':>8} {'time s':>7} {'cpu s':>7} {'of which related s':>19} "
        f"{'peak MB (traced)':>17}"
    )
    related_seconds = _timing(grouping, "related_stories")
    start, cpu = time.perf_counter(), time.process_time()
    digests = group_articles(articles, config)
    seconds, cpu = (
        time.perf_counter() - start,
        time.process_time() - cpu,
    )  # CPU time: less at the mercy of a busy machine
    tracemalloc.start()  # a second, traced run: tracing slows Python down, so it is not the one timed
    group_articles(articles, config)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{args.n:>6} {args.count or 'auto':>6} {len(digests):>8} {seconds:>7.2f} {cpu:>7.2f} "
        f"{sum(related_seconds[:1]):>19.2f} {peak / 2**20:>17.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
