"""Tagging as a step over many articles: the language model reads a chunk's articles at once, and
each article gets the tags it gets alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import Config
from digest.ingest import tags
from digest.ingest.nlp import load_model
from digest.ingest.normalise import draft_text, normalise, settle_tags
from digest.ingest.seed import ingest_seed, ingest_seeds

pytestmark = pytest.mark.skipif(load_model() is None, reason="needs the spaCy model, a declared dependency")

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Config()
EMPTY: frozenset[int] = frozenset()
# text seeds of several outlets' styles, a saved page, feeds (an article an entry), an editor's note
SEEDS = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "ingest").glob("*.txt")),
    *(ROOT / "tests" / "data" / "kinds" / name for name in ("harbour-page.html", "courier-rss.xml", "editors-note.md")),
]


def _made(outcome) -> list[tuple]:
    return [(m.entry.origin, m.article.title, m.article.tags, m.tag_kinds, m.article.body) for m in outcome.made]


def _seeds() -> list[tuple[bytes, str, frozenset[int]]]:
    return [(path.read_bytes(), f"seeds/{path.name}", EMPTY) for path in SEEDS]


def test_seeds_ingested_together_get_the_articles_each_gets_alone() -> None:
    together = ingest_seeds(_seeds(), CONFIG)
    alone = [ingest_seed(data, origin, CONFIG, template) for data, origin, template in _seeds()]
    assert [_made(outcome) for outcome in together] == [_made(outcome) for outcome in alone]
    assert sum(len(outcome.made) for outcome in together) > len(SEEDS)  # the feed's entries too
    assert all(outcome.made and all(m.article.tags for m in outcome.made) for outcome in together[:5])


def test_the_model_reads_the_articles_of_a_chunk_of_seeds_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = tags.entities_of_many
    monkeypatch.setattr(tags, "entities_of_many", lambda texts: calls.append(len(texts)) or real(texts))
    outcomes = ingest_seeds(_seeds(), CONFIG)
    tagged_later = sum(len(o.made) for o in outcomes) - 1  # the note's tags are found as it is read
    assert tagged_later in calls and max(calls) == tagged_later


def test_a_draft_is_settled_with_the_tags_normalise_gives() -> None:
    text = (ROOT / "tests" / "data" / "ingest" / "reuters_rates.txt").read_text(encoding="utf-8")
    draft = draft_text(text, "seeds/rates.txt", CONFIG)
    assert draft.untagged is not None and draft.article.tags == []
    [settled] = settle_tags([draft], CONFIG)
    whole = normalise(text, "seeds/rates.txt", CONFIG)
    assert settled.untagged is None and whole.untagged is None
    assert settled == whole and settled.article.tags
    assert settle_tags([settled], CONFIG) == [settled]  # nothing left to find
