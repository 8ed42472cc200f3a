"""What a seed made: its articles, or the reason it was refused. Light on purpose: the manifest
(manifest.py) keeps these, and a build whose seeds did not change reads them without loading
the normalisers (seed.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..model import Article
from .copies import Entry


@dataclass
class Made:
    """One article a seed made: a text, a page or a note makes one, a feed one per entry."""

    entry: Entry  # its origin, seed hash, identity and rank: what choosing among copies needs
    article: Article
    tag_kinds: dict[str, str] = field(default_factory=dict)
    tags_stated: bool = False


@dataclass(frozen=True)
class SeedSummary:
    """What a run needs to know of a seed's outcome without unpickling its articles."""

    rejected: str
    seed_hash: str
    notes: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()


@dataclass
class SeedOutcome:
    origin: str
    seed_hash: str = ""
    made: list[Made] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines for the user about a seed that was used
    rejected: str = ""  # the reason, when the seed cannot become an article

    @property
    def article(self) -> Optional[Article]:
        """The article of a seed that makes one (text, page, note)."""
        return self.made[0].article if self.made else None

    def summary(self) -> SeedSummary:
        return SeedSummary(self.rejected, self.seed_hash, tuple(self.notes), tuple(m.entry for m in self.made))
