"""[Article] → [Digest]: topical digests, named, with overviews, pins, rules and duplicates.

`group_articles` groups from scratch (grouping.py: duplicates → rules and pins →
vectors and clustering → names → overviews). `regroup` is what a build calls: it
reuses the previous grouping when nothing that grouping reads has changed, and
keeps memberships when only a few articles were edited (see memo.py), so a typo
fix neither reshuffles the digests nor costs a clustering of the whole archive.
The numeric libraries are imported only when clustering really runs, and a large archive
is clustered in a process of its own (`APART_FROM`): its vectors, models and libraries, some
hundreds of megabytes at 10,000 articles, leave with that process instead of staying with the
build that renders the site next. The digests are the same either way.
"""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Optional

from ..config import Config
from ..model import Article, Digest
from .export import digests_json
from .memo import (
    Past,
    Snapshot,
    article_fingerprints,
    freeze,
    past_from_json,
    past_of,
    patch,
    provisional,
    settings_key,
    thaw,
)

if TYPE_CHECKING:
    from ..interrupt import Interrupt
    from ..workers import Meanwhile

__all__ = ["Past", "Snapshot", "digests_json", "group_articles", "past_from_json", "regroup"]

# From this many articles grouping runs apart: starting the process and sending it the articles
# costs a second or two, less than a tenth of the clustering (and the memory it keeps) at this size.
APART_FROM = 2_000
# From this many articles a regroup takes seconds: `serve` shows an added or removed article at once
# in the digests as they were (regroup's `provisional_ok`), and regroups when the editor pauses.
PROVISIONAL_FROM = 1_000


def group_articles(articles: list[Article], config: Config, past: Past = ()) -> list[Digest]:
    """Digests, newest first (by their latest article), then by slug; `past`: the digests last
    published, whose slugs the digests that hold most of their articles keep (memo.kept_slugs)."""
    if not articles:
        return []
    from .grouping import group_from_scratch

    return group_from_scratch(articles, config, past)


def regroup(
    articles: list[Article],
    config: Config,
    previous: Optional[Snapshot],
    published: Past = (),
    *,
    provisional_ok: bool = False,
    meanwhile: Optional[Meanwhile] = None,
    interrupt: Optional[Interrupt] = None,
) -> tuple[list[Digest], Snapshot, str]:
    """(digests, the snapshot to keep for next time, how: "reused", "patched", "grouped" or "provisional").

    A digest keeps the slug it was first published under while most of its articles stay together
    (see memo.keep_slugs), remembered by `previous`, else by `published` (site/digests.json).
    `provisional_ok`: an archive of PROVISIONAL_FROM articles or more that would be grouped from
    scratch gets `previous`'s digests over its articles as they are now (memo.provisional), and
    `previous` stays the snapshot: the next regroup without it groups from scratch.
    `meanwhile`: the caller's own work while a large archive is grouped apart (see workers.run_apart).
    `interrupt`: once set, a grouping apart is stopped and Interrupted raised."""
    fingerprints = article_fingerprints(articles)
    settings = settings_key(config)
    if previous is not None and previous.settings == settings:
        if previous.fingerprints == fingerprints:
            return thaw(previous, articles), previous, "reused"
        patched = patch(previous, articles, fingerprints)
        if patched is not None:
            return patched, freeze(settings, fingerprints, patched), "patched"
        if provisional_ok and len(articles) >= PROVISIONAL_FROM:
            return provisional(previous, articles, fingerprints), previous, "provisional"
    past = past_of(previous) if previous is not None else published
    digests = _grouped_apart(articles, config, past, meanwhile, interrupt) if len(articles) >= APART_FROM else None
    if digests is None:
        digests = group_articles(articles, config, past)
    return digests, freeze(settings, fingerprints, digests), "grouped"


def _grouped_apart(
    articles: list[Article],
    config: Config,
    past: Past,
    meanwhile: Optional[Meanwhile],
    interrupt: Optional[Interrupt],
) -> Optional[list[Digest]]:
    """group_articles in a process of its own; its digests come back as plain data (a snapshot) and
    are rebuilt over the caller's own articles. None when that process could not run."""
    from ..workers import run_apart

    try:
        frozen = run_apart(_frozen_grouping, articles, config, past, meanwhile=meanwhile, interrupt=interrupt)
    except (BrokenProcessPool, OSError):  # no process to be had (a limit, memory): here, then
        return None
    return thaw(frozen, articles)


def _frozen_grouping(articles: list[Article], config: Config, past: Past) -> Snapshot:
    return freeze("", {}, group_articles(articles, config, past))
