"""[Article] → [Digest] (placeholder: replaced by the grouping stage)."""

from __future__ import annotations

from .config import Config
from .model import Article, Digest


def group_articles(articles: list[Article], config: Config) -> list[Digest]:
    if not articles:
        return []
    return [Digest(slug="all", name="All articles", articles=sorted(articles, key=lambda a: a.sort_key))]
