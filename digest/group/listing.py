"""What a digest lists of its articles (tags, sources) and the name of a digest of one story: the
parts of naming that a patched grouping (memo.py) needs too, without the language and vector
models the rest of naming loads (importing those costs a one-edit build a second or more)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import Article

MAX_NAME = 60


def tag_counts(articles: list[Article]) -> list[tuple[str, int]]:
    """(tag, articles carrying it), most common first, then alphabetical; the first spelling seen wins."""
    return _ranked(article.tags for article in articles)


def ranked_sources(articles: list[Article]) -> list[str]:
    """The publishers of the articles, most frequent first, in the same order rules as tags."""
    return [source for source, _ in _ranked([article.source] if article.source else [] for article in articles)]


def tags_and_sources(members: list[Article]) -> tuple[list[str], list[str]]:
    """What a digest lists of its articles: a regrouping and a patched grouping must agree on it."""
    return [tag for tag, _ in tag_counts(members)], ranked_sources(members)


def _ranked(names_per_article: Iterable[list[str]]) -> list[tuple[str, int]]:
    """(name, articles naming it, case aside), most common first, then alphabetical; the first spelling seen wins."""
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for names in names_per_article:
        seen: set[str] = set()
        for name in names:
            key = name.casefold()
            spelling.setdefault(key, name)
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    return [(spelling[key], count) for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def headline_name(title: str) -> str:
    """A headline as a digest's name: as written, cut at a word when it is very long."""
    title = " ".join(title.split())
    if len(title) <= 2 * MAX_NAME:
        return title
    return title[: 2 * MAX_NAME - 1].rsplit(" ", 1)[0].rstrip(",:;–- ") + "…"
