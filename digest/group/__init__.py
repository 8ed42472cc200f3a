"""[Article] → [Digest]: topical digests, named, with overviews, pins, rules and duplicates.

`group_articles` groups from scratch (grouping.py: duplicates → rules and pins →
vectors and clustering → names → overviews). `regroup` is what a build calls: it
reuses the previous grouping when nothing that grouping reads has changed, and
keeps memberships when only a few articles were edited (see memo.py), so a typo
fix neither reshuffles the digests nor costs a clustering of the whole archive.
The numeric libraries are imported only when clustering really runs.
"""

from __future__ import annotations

from typing import Optional

from ..config import Config
from ..model import Article, Digest
from .export import digests_json
from .memo import Snapshot, article_fingerprints, freeze, patch, settings_key, thaw

__all__ = ["group_articles", "regroup", "digests_json", "Snapshot"]


def group_articles(articles: list[Article], config: Config) -> list[Digest]:
    """Digests, newest first (by their latest article), then by slug."""
    if not articles:
        return []
    from .grouping import group_from_scratch

    return group_from_scratch(articles, config)


def regroup(
    articles: list[Article], config: Config, previous: Optional[Snapshot]
) -> tuple[list[Digest], Snapshot, str]:
    """(digests, the snapshot to keep for next time, how: "reused", "patched" or "grouped")."""
    fingerprints = article_fingerprints(articles)
    settings = settings_key(config)
    if previous is not None and previous.settings == settings:
        if previous.fingerprints == fingerprints:
            return thaw(previous, articles), previous, "reused"
        patched = patch(previous, articles, fingerprints)
        if patched is not None:
            return patched, freeze(settings, fingerprints, patched), "patched"
    digests = group_articles(articles, config)
    return digests, freeze(settings, fingerprints, digests), "grouped"
