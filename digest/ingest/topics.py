"""Topic tags: what an article is about in general terms ("Diplomacy", "Sport"), beside who and where.

Entity recognition finds names; topics are told by vocabulary. A topic applies
when several different of its signal words occur, often enough for the article's
length; a single "war" in a football report does not make it a war story. The
lexicon is general news vocabulary (digest/data/topics.yaml), not tuned to any
corpus, and users add their own topics or spellings through `tags.aliases`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON = Path(__file__).resolve().parent.parent / "data" / "topics.yaml"
MAX_TOPICS = 2
MIN_DISTINCT = 3  # different signal words, so one repeated word is not a topic
MIN_PER_THOUSAND = 4.0  # signal-word occurrences per 1,000 words


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    lexicon = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    return tuple(
        (topic, tuple(re.compile(r"\b" + re.escape(word.lower()).replace(r"\ ", r"\s+")) for word in words))
        for topic, words in lexicon.items()
    )


def topic_tags(title: str, body: str, limit: int = MAX_TOPICS) -> list[str]:
    """Up to `limit` topics, strongest first."""
    text = f"{title}\n{title}\n{body}".lower()  # the headline says what the story is about: it counts twice
    words = max(1, len(text.split()))
    scored = []
    for topic, patterns in _patterns():
        counts = [len(pattern.findall(text)) for pattern in patterns]
        distinct = sum(1 for count in counts if count)
        density = 1000 * sum(counts) / words
        if distinct >= MIN_DISTINCT and density >= MIN_PER_THOUSAND:
            scored.append((-density, topic))
    return [topic for _, topic in sorted(scored)[:limit]]
