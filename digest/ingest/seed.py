"""One seed → its articles: read by the reader of its kind (readers/), each article normalised
(normalise.py for scraped text, document.py for pages, feeds and notes), then the articles of
many seeds tagged at once (tagging.py).

A plain top-level function over a chunk of seeds (`ingest_seeds`), so that ingest can map it over
processes or a cluster. Ingest imports this module only when a seed is to be read: a build whose
seeds did not change never loads the normalisers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence, Union

from ..config import Config
from ..model import date_sort_value
from .copies import Entry
from .decode import Rejected, read_seed
from .document import draft_document, normalise_note
from .normalise import Normalised, draft_text, settle_tags
from .outcome import Made, SeedOutcome
from .readers import NOTE, TEXT, RawArticle, read_articles
from .store import short_hash

Seed = Union[str, Path, bytes]  # a path, or the seed's bytes


def ingest_seed(seed: Seed, origin: str, config: Config, template: frozenset[int] = frozenset()) -> SeedOutcome:
    """One seed → its articles, or the reason it was refused; `template`: the keys of its lines that
    other seeds of its site hold too (template.py)."""
    return ingest_seeds([(seed, origin, template)], config)[0]


def ingest_seeds(seeds: Sequence[tuple[Seed, str, frozenset[int]]], config: Config) -> list[SeedOutcome]:
    """Each (seed, origin, template) → its outcome (`ingest_seed`); the articles of all of them tagged
    at once, which is cheaper than one by one (tagging.py)."""
    read = [_read_seed(seed, origin, config, template) for seed, origin, template in seeds]
    tagged = iter(settle_tags([draft for _, drafts in read for _, draft in drafts], config))
    for outcome, drafts in read:
        for entry, _ in drafts:
            normalised = next(tagged)
            outcome.made.append(Made(entry, normalised.article, normalised.tag_kinds, normalised.tags_stated))
    return [outcome for outcome, _ in read]


def _read_seed(
    seed: Seed, origin: str, config: Config, template: frozenset[int]
) -> tuple[SeedOutcome, list[tuple[Entry, Normalised]]]:
    """The seed's outcome without its articles yet, and their drafts, still to be tagged."""
    try:
        data = seed if isinstance(seed, bytes) else read_seed(Path(seed), config.seeds_dir)
        origin.encode("utf-8")
        reading = read_articles(data, origin)[1]
    except Rejected as reason:
        return SeedOutcome(origin, rejected=str(reason)), []
    except UnicodeEncodeError:
        return SeedOutcome(origin, rejected="file name is not valid UTF-8"), []
    except RecursionError:
        return SeedOutcome(origin, rejected="text too deeply nested to process"), []
    outcome = SeedOutcome(origin, short_hash(data), notes=list(reading.notes))
    failures: list[str] = []
    drafts: list[tuple[Entry, Normalised]] = []
    for raw in reading.articles:
        try:
            draft = draft_raw(raw, config, template)
        except Rejected as reason:
            failures.append(str(reason))
            continue
        except RecursionError:
            failures.append("text too deeply nested to process")
            continue
        own_hash = outcome.seed_hash if raw.origin == origin else raw.fingerprint()
        drafts.append((Entry(raw.origin, own_hash, raw.identity, _rank(raw)), draft))
    if not drafts:
        return SeedOutcome(origin, rejected=failures[0] if failures else "no article in it"), []
    if failures:
        outcome.notes.append(f"{len(failures)} entr{'y' if len(failures) == 1 else 'ies'} skipped: {failures[0]}")
    return outcome, drafts


def draft_raw(raw: RawArticle, config: Config, template: frozenset[int] = frozenset()) -> Normalised:
    """Each kind's rules: the text rules for a scrape, the document rules for what states itself; the
    tags left to be found with other articles' (`settle_tags`)."""
    if raw.kind == TEXT:
        return draft_text(raw.text, raw.origin, config, template)
    if raw.kind == NOTE:
        return normalise_note(raw, config)
    return draft_document(raw, config)


def _rank(raw: RawArticle) -> tuple:
    return (not raw.summary_only, date_sort_value(raw.updated or raw.date))
