"""Topic tags: what an article is about in general terms ("Diplomacy", "Sport"), beside who and where.

Entity recognition finds names; topics are told by vocabulary. A topic applies
when several different of its signal words occur, often enough for the article's
length; a single "war" in a football report does not make it a war story. The
lexicon is general news vocabulary (digest/data/topics.yaml), not tuned to any
corpus, and users add their own topics or spellings through `tags.aliases`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON = Path(__file__).resolve().parent.parent / "data" / "topics.yaml"
MAX_TOPICS = 2
MIN_DISTINCT = 3  # different signal words, so one repeated word is not a topic
MIN_PER_THOUSAND = 4.0  # signal-word occurrences per 1,000 words


@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern, dict[str, tuple[str, ...]], tuple[str, ...]]:
    """(one pattern for every signal word, signal word → its topics, the topics in file order)."""
    lexicon = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    topics_of: dict[str, list[str]] = {}
    for topic, words in lexicon.items():
        for word in words:
            topics_of.setdefault(" ".join(word.lower().split()), []).append(topic)
    # Longest first, so "foreign minister" is one signal, not "minister" too.
    alternatives = sorted(topics_of, key=lambda word: (-len(word), word))
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alternatives) + ")")
    return pattern, {word: tuple(topics) for word, topics in topics_of.items()}, tuple(lexicon)


def topic_tags(title: str, body: str, limit: int = MAX_TOPICS) -> list[str]:
    """Up to `limit` topics, strongest first."""
    text = f"{title}\n{title}\n{body}".lower()  # the headline says what the story is about: it counts twice
    pattern, topics_of, order = _lexicon()
    hits: dict[str, Counter] = {}
    for match in pattern.findall(text):
        word = " ".join(match.split())
        for topic in topics_of[word]:
            hits.setdefault(topic, Counter())[word] += 1
    words = max(1, len(text.split()))
    scored = []
    for topic, counts in hits.items():
        density = 1000 * sum(counts.values()) / words
        if len(counts) >= MIN_DISTINCT and density >= MIN_PER_THOUSAND:
            scored.append((-density, order.index(topic), topic))
    return [topic for _, _, topic in sorted(scored)[:limit]]
