"""Near-duplicates: the same story published more than once, small edits and boilerplate aside.

Articles are compared as sets of word 3-grams (shingles): two rewrites of one wire
story share most of their shingles, while two different stories on the same topic
share almost none, which plain word overlap cannot tell apart.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn import config_context
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.neighbors import radius_neighbors_graph

from ..model import Article
from .vectors import plain_text

SHINGLE = 3
WORKING_MB = 64  # distances are computed this many megabytes of rows at a time


def duplicate_groups(articles: list[Article], similarity: float) -> list[list[int]]:
    """Groups of indices into `articles` (each sorted, groups ordered by first index), singletons included."""
    if not articles:
        return []
    if len(articles) == 1:
        return [[0]]
    shingles = HashingVectorizer(
        ngram_range=(SHINGLE, SHINGLE),
        n_features=2**20,
        binary=True,
        alternate_sign=False,
        norm="l2",
        dtype=np.float32,
    ).transform(f"{a.title}\n{plain_text(a.body)}" for a in articles)
    # Brute force over sparse rows works in chunks: memory stays bounded, no n×n matrix.
    with config_context(working_memory=WORKING_MB):
        graph = radius_neighbors_graph(shingles, radius=1.0 - similarity, metric="cosine", mode="connectivity")
    _, component = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(component):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda group: group[0])
