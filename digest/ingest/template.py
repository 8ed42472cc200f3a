"""Lines a site's template repeats: what seeds of one site share and no story does.

Two pages of one site carry the same menus, rails, appeals, bylines of staff and
footers around different stories. A line that another seed holds too, when the two
seeds are not copies of one story, is the site's: a signal for the chrome classifier
that no rule over one page can give. Copies of one wire story share paragraphs (a
boilerplate paragraph in every page of a site is one of many, not most of them), so
their common lines are the story's and are not counted.

Lines are known by a stable 64-bit hash of their words, so the cache can hold every
seed's lines cheaply and a seed's template is the same in every process.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

PARAGRAPH_WORDS = 20  # a line this long is the story's, however it ends
SENTENCE_WORDS = 8  # a whole sentence this long is the story's too: a short story is made of them
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*$")
NO_LINES = np.zeros(0, dtype=np.uint64)


@dataclass(frozen=True)
class SeedLines:
    """The keys of a seed's lines, and of the paragraphs among them."""

    lines: np.ndarray  # uint64, sorted, unique
    paragraphs: frozenset[int]  # of the lines that tell the story: what copies of one story share


EMPTY = SeedLines(NO_LINES, frozenset())


def line_key(line: str) -> int:
    """The same for lines that differ only in case and spacing."""
    words = " ".join(line.casefold().split())
    return int.from_bytes(hashlib.blake2b(words.encode("utf-8", "replace"), digest_size=8).digest(), "little")


def seed_lines(texts: Iterable[str]) -> SeedLines:
    """The lines of a seed's texts (one per article it makes)."""
    keys: set[int] = set()
    paragraphs: set[int] = set()
    for text in texts:
        for line in text.split("\n"):
            if not line.strip():
                continue
            key = line_key(line)
            keys.add(key)
            if _tells(line):
                paragraphs.add(key)
    return SeedLines(np.array(sorted(keys), dtype=np.uint64), frozenset(paragraphs))


def _tells(line: str) -> bool:
    """A paragraph, or a whole sentence of some length: a menu, a rail or a footer has few of them."""
    words = len(line.split())
    return words >= PARAGRAPH_WORDS or (words >= SENTENCE_WORDS and bool(_SENTENCE_END.search(line.strip())))


def copies(one: SeedLines, other: SeedLines) -> bool:
    """Two texts of one story: they share at least half the paragraphs of the shorter one."""
    fewer = min(len(one.paragraphs), len(other.paragraphs))
    return fewer > 0 and len(one.paragraphs & other.paragraphs) * 2 >= fewer


@dataclass(frozen=True)
class LineIndex:
    """Every line of every seed, sorted by key: who holds a line is a binary search away."""

    seeds: Mapping[str, SeedLines]
    origins: list[str]
    keys: np.ndarray  # uint64, sorted
    owners: np.ndarray  # the index in `origins` of the seed holding each key

    @classmethod
    def of(cls, seeds: Mapping[str, SeedLines]) -> "LineIndex":
        origins = list(seeds)
        keys = np.concatenate([seeds[o].lines for o in origins] or [NO_LINES])
        owners = np.repeat(np.arange(len(origins)), [len(seeds[o].lines) for o in origins])
        order = np.argsort(keys, kind="stable")
        return cls(seeds, origins, keys[order], owners[order])

    def holders(self, keys: np.ndarray) -> set[str]:
        """The seeds that hold any of these lines."""
        found = np.isin(self.keys, keys)
        return {self.origins[owner] for owner in np.unique(self.owners[found]).tolist()}

    def template(self, origin: str) -> frozenset[int]:
        """The keys of the seed's lines that a seed other than a copy of it holds too."""
        own = self.seeds.get(origin, EMPTY)
        starts = np.searchsorted(self.keys, own.lines, side="left")
        ends = np.searchsorted(self.keys, own.lines, side="right")
        held = np.flatnonzero(ends - starts >= 2)  # most of a page's lines are its own: skipped at numpy speed
        shared = set()
        for index in held.tolist():
            # Usually the first other holder settles it: only copies of this story are passed over.
            for owner in self.owners[starts[index] : ends[index]].tolist():
                other = self.origins[owner]
                if other != origin and not copies(own, self.seeds[other]):
                    shared.add(int(own.lines[index]))
                    break
        return frozenset(shared)


def template_lines(seeds: Mapping[str, SeedLines], wanted: Sequence[str]) -> dict[str, frozenset[int]]:
    """For each wanted seed, the keys of its lines that a seed other than a copy of it holds too."""
    index = LineIndex.of(seeds)
    return {origin: index.template(origin) for origin in wanted}


def in_template(members: Sequence[Sequence[str]], template: frozenset[int]) -> list[bool]:
    """For each block (its lines), whether every line of it is the template's."""
    if not template:
        return [False] * len(members)
    return [all(line_key(line) in template for line in lines) for lines in members]
