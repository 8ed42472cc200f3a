"""A digest's overview: 3–5 of its articles' own sentences that together say what it is about.

Extractive on purpose: every point is a whole sentence an article really contains
(cut by the abbreviation-aware segmenter, so "U.S." and "C.C. Wei" stay whole), and
the overview links each one to its article. Sentences are picked by maximal marginal
relevance over their word vectors: close to the digest's centre (with a bonus for an
article's opening sentences, where news puts the point), unlike the sentences already
picked, and from articles not cited yet, so the overview covers the digest instead of
repeating its biggest story. A dateline ("WASHINGTON (Reuters) -", "(MENAFN)") is not
part of a sentence: it is recognised by its shape and left out.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ..markdown import plain_text
from ..model import Article, OverviewPoint
from ..sentences import split_sentences

MIN_POINTS, MAX_POINTS = 3, 5
ARTICLES_READ = 30  # the articles nearest the centroid; enough for 5 sentences at any digest size
SENTENCES_READ = 12  # per article, from the top
LEAD_BONUS = (0.15, 0.08, 0.04)
RELEVANCE = 0.7  # MMR's balance: relevance to the digest against novelty next to what is chosen
CITED_PENALTY = 0.1  # per sentence already taken from the same article: cover the others first
REPEAT_SIMILARITY = 0.6  # closer than this to a chosen sentence says the same thing again
MIN_CHARS, MAX_CHARS = 40, 400
MIN_WORDS = 6

# Datelines, by shape: an agency in brackets "(MENAFN)", "(Reuters) —"; a capitalised place, maybe with
# a region and a date, then the agency or a dash: "WASHINGTON (Reuters) -", "KYIV, Ukraine, Aug 14 —".
_AGENCY = r"\([A-Z][\w&.' -]{1,30}\)"
_PLACE = r"[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}(?:,\s*[A-Z][\w.'-]*(?:\s+[\w.'-]+){0,2}){0,2}"
_DATELINE = re.compile(rf"^(?:{_AGENCY}\s*(?:[-–—:]\s*)?|{_PLACE}\s*(?:{_AGENCY}\s*)?[-–—]+\s+)")
_OPENS_A_SENTENCE = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")
_CLOSES_A_SENTENCE = re.compile(r"[.!?…][\"”’')\]]*$")


def strip_dateline(sentence: str) -> str:
    stripped = _DATELINE.sub("", sentence, count=1)
    return stripped if _OPENS_A_SENTENCE.match(stripped) else sentence


def sentences(markdown: str, language: str = "en") -> list[str]:
    """The article's whole sentences, in order: each opens with a capital or a digit and ends a sentence."""
    found = []
    for line in plain_text(markdown).split("\n"):
        for sentence in split_sentences(line, language):
            sentence = strip_dateline(sentence)
            if _whole(sentence):
                found.append(sentence)
    return found


def _whole(sentence: str) -> bool:
    return (
        MIN_CHARS <= len(sentence) <= MAX_CHARS
        and len(sentence.split()) >= MIN_WORDS
        and bool(_OPENS_A_SENTENCE.match(sentence))
        and bool(_CLOSES_A_SENTENCE.search(sentence))
        and sentence.count("(") == sentence.count(")")
    )


def overview(articles: list[Article], rows: sp.csr_matrix, vectorizer: TfidfVectorizer | None) -> list[OverviewPoint]:
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
    relevance = np.asarray((vectors @ centroid.T).todense()).ravel()
    relevance += np.array([LEAD_BONUS[p] if p < len(LEAD_BONUS) else 0.0 for _, p, _ in candidates])
    wanted = min(MAX_POINTS, max(MIN_POINTS, len(articles) + 1))
    return _pick(candidates, vectors, relevance, wanted)


def _pick(
    candidates: list[tuple[str, int, str]], vectors: sp.csr_matrix, relevance: np.ndarray, wanted: int
) -> list[OverviewPoint]:
    """Maximal marginal relevance, with a penalty per sentence already cited from the same article."""
    similarity = (vectors @ vectors.T).toarray()
    chosen: list[int] = []
    cited: dict[str, int] = {}
    seen: set[str] = set()
    remaining = [i for i in range(len(candidates))]
    while remaining and len(chosen) < wanted:

        def value(i: int) -> tuple:
            redundancy = max((similarity[i, j] for j in chosen), default=0.0)
            score = (
                RELEVANCE * relevance[i] - (1 - RELEVANCE) * redundancy - CITED_PENALTY * cited.get(candidates[i][0], 0)
            )
            return (-round(float(score), 6), candidates[i][0], candidates[i][1])

        best = min(remaining, key=value)
        remaining.remove(best)
        slug, _, text = candidates[best]
        if text.casefold() in seen or any(similarity[best, j] >= REPEAT_SIMILARITY for j in chosen):
            continue
        chosen.append(best)
        seen.add(text.casefold())
        cited[slug] = cited.get(slug, 0) + 1
    return [OverviewPoint(text=candidates[i][2], article=candidates[i][0]) for i in chosen]
