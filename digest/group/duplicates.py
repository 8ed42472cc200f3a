"""Near-duplicates: the same story published more than once, small edits and boilerplate aside.

Articles are compared as sets of word 3-grams (shingles): two rewrites of one wire
story share most of their shingles, while two different stories on the same topic
share almost none, which plain word overlap cannot tell apart.

Comparing every pair costs n² however it is chunked, so pairs are first proposed
by the shingles they share that few articles have (copies of one story share
those; a stock phrase such as "said in a statement" is in hundreds of articles and
proposes nothing), then the proposed pairs alone are measured exactly.
Identical texts are matched by hash, however common their shingles.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable, Iterator

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import HashingVectorizer

from ..model import Article

SHINGLE = 3
FEATURES = 2**20
# A shingle in more articles than this is a stock phrase, not evidence of copying;
# a story syndicated more often than this is still caught through its other shingles.
RARE_MAX = 32
MIN_SHARED_RARE = 3  # fewer shared rare shingles than this is chance
# Copies share most of their rare shingles; two articles on one topic share a few.
MIN_SHARED_SHARE = 0.5
COUNT_AT_ONCE = 2**22  # shingles counted at once (as int64: 32 MB)


def duplicate_groups(articles: list[Article], similarity: float, plain: list[str]) -> list[list[int]]:
    """Groups of indices into `articles` (each sorted, groups ordered by first index), singletons included.
    `plain`: each article's body as `plain_text` gives it."""
    if not articles:
        return []

    def texts() -> Iterator[str]:  # made twice rather than held: as large as the archive's text
        return (f"{a.title}\n{body}" for a, body in zip(articles, plain))

    shingles = HashingVectorizer(
        analyzer=shingles_of,
        n_features=FEATURES,
        binary=True,
        alternate_sign=False,
        norm="l2",
        dtype=np.float32,
    ).transform(texts())
    rows, cols = _similar_pairs(shingles, similarity)
    same_rows, same_cols = _identical_pairs(texts())
    n = len(articles)
    graph = sp.coo_matrix(
        (np.ones(len(rows) + len(same_rows), dtype=np.int8), (np.r_[rows, same_rows], np.r_[cols, same_cols])),
        shape=(n, n),
    )
    _, component = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(component):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda group: group[0])


# HashingVectorizer's own words: two or more word characters
_WORD = re.compile(r"(?u)\b\w\w+\b")


def shingles_of(text: str) -> list[str]:
    """The word SHINGLE-grams of `text`, as HashingVectorizer(ngram_range=(SHINGLE, SHINGLE)) makes them
    (lower case, its words), in one pass over the words instead of a slice per shingle: the most
    of finding near-duplicates in a large archive (tests/test_group_duplicates.py checks they are the same)."""
    words = _WORD.findall(text.lower())
    return list(map(" ".join, zip(*(words[start:] for start in range(SHINGLE)))))


def _similar_pairs(shingles: sp.csr_matrix, similarity: float) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i < j whose shingle cosine is at least `similarity`."""
    document_frequency = _document_frequency(shingles)
    rare = shingles[:, np.flatnonzero(document_frequency <= RARE_MAX)]  # a copy: counts, not weights
    rare.data[:] = 1
    proposals = sp.triu(rare @ rare.T, k=1).tocoo()  # shared rare shingles per pair
    rare_count = np.diff(rare.indptr)
    smaller = np.minimum(rare_count[proposals.row], rare_count[proposals.col])
    keep = (proposals.data >= MIN_SHARED_RARE) & (proposals.data >= MIN_SHARED_SHARE * smaller)
    rows, cols = proposals.row[keep], proposals.col[keep]
    if len(rows) == 0:
        return rows, cols
    cosine = np.asarray(shingles[rows].multiply(shingles[cols]).sum(axis=1)).ravel()
    close = cosine >= similarity - 1e-6
    return rows[close], cols[close]


def _document_frequency(shingles: sp.csr_matrix) -> np.ndarray:
    """How many articles have each shingle, counted a slice at a time: bincount widens what it counts to int64."""
    counts = np.zeros(shingles.shape[1], dtype=np.int64)
    for start in range(0, shingles.nnz, COUNT_AT_ONCE):
        counts += np.bincount(shingles.indices[start : start + COUNT_AT_ONCE], minlength=shingles.shape[1])
    return counts


def _identical_pairs(texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    first: dict[bytes, int] = {}
    rows, cols = [], []
    for index, text in enumerate(texts):
        key = hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8", "surrogatepass")).digest()
        if key in first:
            rows.append(first[key])
            cols.append(index)
        else:
            first[key] = index
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
