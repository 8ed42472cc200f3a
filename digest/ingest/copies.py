"""One article per story, however many seeds hold it word for word.

The same feed entry comes back in every fetch of its feed, and may be in two feed
files at once; a page may be saved twice. Copies are known by the keys they share
(an entry's guid, an article's link; see readers.base.RawArticle.identity), and the
best copy is kept: full text over a summary, then the newest by its own dates, then by its file's.
The kept copy updates the content file any copy made before, so a story that moves
from one seed to another keeps its file, its slug and its links. Stories told
twice in different words (the same wire story on two sites) are not copies: the
grouping's near-duplicate detection keeps those together (group/duplicates.py).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .store import ContentFile

if TYPE_CHECKING:  # the ingest package imports this module
    from . import Made, SeedOutcome


def keep_one_copy(outcomes: list[SeedOutcome], recency: dict[str, float]) -> tuple[list[Made], dict[str, str]]:
    """(the articles to store, in seed order; seed → the seed whose copies replace all it made).

    `recency`: seed → when it was last written; of two copies alike in everything else the newer file's wins.
    """
    entries = [
        (made.rank + (recency.get(outcome.origin, 0.0), seed_index, entry_index), made, outcome.origin)
        for seed_index, outcome in enumerate(outcomes)
        for entry_index, made in enumerate(outcome.made)
    ]
    group_of = _groups([made.identity for _, made, _ in entries])
    best: dict[int, int] = {}  # group → the index of its best copy
    for index, (rank, _, _) in enumerate(entries):
        group = group_of[index]
        if group not in best or rank > entries[best[group]][0]:
            best[group] = index
    kept = set(best.values())
    made_by = Counter(seed for _, _, seed in entries)
    lost_by = Counter(seed for index, (_, _, seed) in enumerate(entries) if index not in kept)
    superseded: dict[str, str] = {}
    for index, (_, _, seed) in enumerate(entries):
        if index not in kept and lost_by[seed] == made_by[seed]:
            superseded.setdefault(seed, entries[best[group_of[index]]][2])
    return [entries[index][1] for index in sorted(kept)], superseded


def _groups(identities: list[tuple[str, ...]]) -> list[int]:
    """Each item's group: items sharing any key are one group (union-find over the keys)."""
    parent = list(range(len(identities)))

    def root(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    owner: dict[str, int] = {}
    for item, keys in enumerate(identities):
        for key in keys:
            if key in owner:
                parent[root(item)] = root(owner[key])
            else:
                owner[key] = item
    return [root(item) for item in range(len(identities))]


def match_content(kept: list[Made], existing: dict[str, ContentFile]) -> dict[str, ContentFile]:
    """Article origin → the content file it updates: the one its own seed made, else one a copy of it made."""
    matched = {made.origin: existing[made.origin] for made in kept if made.origin in existing}
    claimed = {content.path for content in matched.values()}
    by_key: dict[str, ContentFile] = {}
    for content in existing.values():
        if content.path not in claimed:
            for key in content.identity:
                by_key.setdefault(key, content)
    for made in kept:
        if made.origin in matched:
            continue
        found = next((by_key[key] for key in made.identity if key in by_key and by_key[key].path not in claimed), None)
        if found is not None:
            matched[made.origin] = found
            claimed.add(found.path)
    return matched
