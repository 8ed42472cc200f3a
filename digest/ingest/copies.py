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
from collections.abc import Mapping
from dataclasses import dataclass

from .store import ContentFile


@dataclass(frozen=True)
class Entry:
    """One article a seed made, as far as choosing among copies goes (the article itself stays pickled)."""

    origin: str  # the seed, or one entry of it: "seeds/world.xml#3f2a9c1d7e6b5a40"
    seed_hash: str  # of the seed's bytes; of the entry's own data for a feed entry
    identity: tuple[str, ...] = ()  # keys another copy of the same article shares (see readers.base)
    rank: tuple = ()  # of two copies, the higher rank is kept: full text over a summary, then the newer


def keep_one_copy(
    seeds: list[tuple[str, tuple[Entry, ...]]], recency: Mapping[str, float]
) -> tuple[list[Entry], dict[str, str]]:
    """(the articles to store, in seed order; seed → the seed whose copies replace all it made).

    `seeds`: each seed and the articles it made, in seed order. `recency`: seed → when it was last
    written; of two copies alike in everything else the newer file's wins.
    """
    entries = [
        (entry.rank + (recency.get(seed, 0.0), seed_index, entry_index), entry, seed)
        for seed_index, (seed, made) in enumerate(seeds)
        for entry_index, entry in enumerate(made)
    ]
    group_of = _groups([entry.identity for _, entry, _ in entries])
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


def match_content(kept: list[Entry], existing: dict[str, ContentFile]) -> dict[str, ContentFile]:
    """Article origin → the content file it updates: the one its own seed made, else one a copy of it made."""
    matched = {entry.origin: existing[entry.origin] for entry in kept if entry.origin in existing}
    claimed = {content.path for content in matched.values()}
    by_key: dict[str, ContentFile] = {}
    for content in existing.values():
        if content.path not in claimed:
            for key in content.identity:
                by_key.setdefault(key, content)
    for entry in kept:
        if entry.origin in matched:
            continue
        found = next((by_key[key] for key in entry.identity if key in by_key and by_key[key].path not in claimed), None)
        if found is not None:
            matched[entry.origin] = found
            claimed.add(found.path)
    return matched
