"""A digest's overview: a few of its articles' own sentences that best say what it is about.

Extractive on purpose: every point is a sentence an article really contains, so the
overview can link each one to its source. Sentences are ranked by similarity to the
digest's centroid, opening sentences get a bonus (news puts the point first), and a
sentence too close to one already chosen is skipped.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ..model import Article, OverviewPoint
from .vectors import plain_text

MAX_POINTS = 5
ARTICLES_READ = 30  # the articles nearest the centroid; enough for 5 sentences at any digest size
SENTENCES_READ = 12  # per article, from the top
LEAD_BONUS = (0.15, 0.08, 0.04)
SAME_ARTICLE_PENALTY = 0.8
REPEAT_SIMILARITY = 0.6
MIN_CHARS, MAX_CHARS = 40, 400

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")


def sentences(markdown: str) -> list[str]:
    text = plain_text(markdown)
    found = []
    for paragraph in text.split("\n"):
        for piece in _SENTENCE_END.split(paragraph):
            sentence = " ".join(piece.split())
            if MIN_CHARS <= len(sentence) <= MAX_CHARS and sentence[-1:] in '.!?"”’)':
                found.append(sentence)
    return found


def overview(
    articles: list[Article],
    rows: sp.csr_matrix,
    vectorizer: TfidfVectorizer | None,
) -> list[OverviewPoint]:
    """`rows`: the articles' word vectors (unit rows), same order as `articles`."""
    if vectorizer is None or not articles:
        return []
    centroid = normalize(sp.csr_matrix(rows.mean(axis=0)))
    closeness = np.asarray((rows @ centroid.T).todense()).ravel()
    nearest = sorted(range(len(articles)), key=lambda i: (-round(float(closeness[i]), 6), articles[i].slug))[
        :ARTICLES_READ
    ]
    candidates = [
        (articles[i].slug, position, sentence)
        for i in nearest
        for position, sentence in enumerate(sentences(articles[i].body)[:SENTENCES_READ])
    ]
    if not candidates:
        return []
    vectors = normalize(vectorizer.transform(text for _, _, text in candidates))
    scores = np.asarray((vectors @ centroid.T).todense()).ravel()
    scores += np.array([LEAD_BONUS[p] if p < len(LEAD_BONUS) else 0.0 for _, p, _ in candidates])
    wanted = min(MAX_POINTS, 2 + len(articles))
    return _pick(candidates, vectors, scores, wanted)


def _pick(candidates, vectors: sp.csr_matrix, scores: np.ndarray, wanted: int) -> list[OverviewPoint]:
    chosen: list[int] = []
    used_articles: dict[str, int] = {}
    seen_texts: set[str] = set()
    remaining = set(range(len(candidates)))
    while remaining and len(chosen) < wanted:

        def adjusted(i: int) -> tuple:
            penalty = SAME_ARTICLE_PENALTY ** used_articles.get(candidates[i][0], 0)
            return (-round(float(scores[i] * penalty), 6), candidates[i][0], candidates[i][1])

        best = min(remaining, key=adjusted)
        remaining.discard(best)
        slug, _, text = candidates[best]
        if text.casefold() in seen_texts:
            continue
        if chosen and (vectors[chosen] @ vectors[best].T).max() >= REPEAT_SIMILARITY:
            continue
        chosen.append(best)
        seen_texts.add(text.casefold())
        used_articles[slug] = used_articles.get(slug, 0) + 1
    return [OverviewPoint(text=candidates[i][2], article=candidates[i][0]) for i in chosen]
