"""Articles → vectors: TF-IDF over title, body and tags, and an LSA projection of it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from ..model import Article

TITLE_WEIGHT = 2  # a headline says what the story is about more densely than any body sentence
TAG_WEIGHT = 0.5  # the tag block's norm next to the words' norm of 1
LSA_DIMENSIONS = 150
MAX_BIGRAM_FEATURES = 2**17  # the most frequent terms; bounds the LSA's cost at any corpus size
SMALL_CORPUS = 50  # below this, document-frequency cut-offs would remove the very words articles share

# Words every news report uses: they say nothing about a topic, so they never name a digest.
# (Clustering keeps them: measured, they carry a little signal about broad sections.)
NEWS_STOP_WORDS = frozenset(
    ENGLISH_STOP_WORDS
    | {
        "said",
        "says",
        "say",
        "told",
        "according",
        "reported",
        "mr",
        "mrs",
        "ms",
        "just",
        "like",
        "including",
        "year",
        "years",
        "president",
        "official",
        "officials",
        "week",
        "day",
        "time",
        "new",
        "yesterday",
        "today",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
)


@dataclass
class Vectors:
    words: sp.csr_matrix  # articles × terms, rows l2-normalised (zero rows for empty texts)
    terms: np.ndarray  # the column names of `words`
    combined: sp.csr_matrix  # words and tags side by side, rows l2-normalised
    vectorizer: TfidfVectorizer | None


def article_text(article: Article, plain_body: str) -> str:
    return " ".join([article.title] * TITLE_WEIGHT + [plain_body])


def _tag_tokens(tags: list[str]) -> list[str]:
    return sorted({tag.casefold() for tag in tags})


def vectorize(articles: list[Article], bigrams: bool, plain: list[str]) -> Vectors:
    """TF-IDF (sublinear tf: a word said ten times is not ten times the topic) plus a tag block.
    `plain`: each article's body as `plain_text` gives it."""
    small = len(articles) < SMALL_CORPUS
    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        ngram_range=(1, 2) if bigrams else (1, 1),
        min_df=1 if small else 2,
        max_df=1.0 if small else 0.5,
        max_features=MAX_BIGRAM_FEATURES if bigrams else None,
        dtype=np.float32,
    )
    try:
        words = vectorizer.fit_transform(article_text(a, body) for a, body in zip(articles, plain))
        terms = vectorizer.get_feature_names_out()
    except ValueError:  # nothing but stop words, or no text at all
        words, terms, vectorizer = sp.csr_matrix((len(articles), 1), dtype=np.float32), np.array([""]), None
    combined = words
    if any(a.tags for a in articles):
        tag_vectorizer = TfidfVectorizer(analyzer=_tag_tokens, sublinear_tf=True, dtype=np.float32)
        tags = tag_vectorizer.fit_transform(a.tags for a in articles)
        combined = normalize(sp.hstack([words, TAG_WEIGHT * tags], format="csr"))
    return Vectors(words=sp.csr_matrix(words), terms=terms, combined=sp.csr_matrix(combined), vectorizer=vectorizer)


def lsa(matrix: sp.csr_matrix, seed: int = 0) -> np.ndarray:
    """Latent semantic analysis: synonyms and related words pulled onto shared axes, unit rows."""
    dims = min(LSA_DIMENSIONS, matrix.shape[0] - 1, matrix.shape[1] - 1)
    if dims < 2:
        return matrix.toarray()
    reduced = TruncatedSVD(n_components=dims, random_state=seed).fit_transform(matrix)
    return normalize(reduced).astype(np.float32)
