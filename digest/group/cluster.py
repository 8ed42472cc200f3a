"""Vectors → cluster labels, for a requested number of digests or one that follows the material.

Automatic: two groups are one topic when their articles are, on average, at least
TOPIC_SIMILARITY alike (cosine of TF-IDF vectors); agglomerative clustering with
average linkage applies exactly that rule. Up to MAX_POINTS articles are merged
directly; beyond that, k-means first gathers them into MAX_POINTS tight micro-groups
and those are merged by the same rule, so the distance matrix stays MAX_POINTS² at
any corpus size. The average similarity of two groups is the dot product of their
mean unit vectors, so micro-groups start out compared exactly, without any n×n matrix (later merges
weigh each micro-group as one point, a close approximation since they are tight).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans

from .vectors import lsa

TOPIC_SIMILARITY = 0.1  # same-story articles measure 0.1–0.25, unrelated news 0.02–0.08
MAX_POINTS = 300
KMEANS_STARTS = 10  # k-means keeps the start with the lowest inertia
SEED = 0


def cluster_count(vectors: sp.csr_matrix, count: int) -> np.ndarray:
    """About `count` clusters (fewer when there are fewer articles)."""
    n = vectors.shape[0]
    if count >= n:
        return np.arange(n)
    if n <= MAX_POINTS // 6:  # too few articles for LSA and k-means to be meaningful
        return _merge(_similarity_distances(vectors), n_clusters=count)
    reduced = lsa(vectors, seed=SEED)
    return KMeans(n_clusters=count, n_init=KMEANS_STARTS, random_state=SEED).fit_predict(reduced)


def cluster_auto(vectors: sp.csr_matrix) -> np.ndarray:
    n = vectors.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    if n <= MAX_POINTS:
        return _merge(_similarity_distances(vectors), threshold=1.0 - TOPIC_SIMILARITY)
    # Micro-groups only need to be tight, not optimal: mini-batches get there many times faster.
    micro = MiniBatchKMeans(n_clusters=MAX_POINTS, n_init=1, batch_size=2048, random_state=SEED).fit_predict(
        lsa(vectors, seed=SEED)
    )
    micro = np.unique(micro, return_inverse=True)[1]  # renumber: a micro-group may end up empty
    means = _group_means(vectors, micro)
    return _merge(_similarity_distances(means), threshold=1.0 - TOPIC_SIMILARITY)[micro]


def _group_means(vectors: sp.csr_matrix, labels: np.ndarray) -> sp.csr_matrix:
    groups = int(labels.max()) + 1
    membership = sp.csr_matrix(
        (np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))), shape=(groups, len(labels))
    )
    sizes = np.asarray(membership.sum(axis=1)).ravel()
    return sp.csr_matrix(sp.diags(1.0 / np.maximum(sizes, 1)) @ membership @ vectors)


def _similarity_distances(rows: sp.csr_matrix) -> np.ndarray:
    """1 − dot products: for unit rows the cosine distance, for group means the average-linkage distance."""
    similarity = (rows @ rows.T).toarray().astype(np.float64)
    distances = 1.0 - (similarity + similarity.T) / 2  # exactly symmetric, whatever the rounding
    np.fill_diagonal(distances, 0.0)
    return np.clip(distances, 0.0, 2.0)


def _merge(distances: np.ndarray, *, threshold: float | None = None, n_clusters: int | None = None) -> np.ndarray:
    if distances.shape[0] == 1:
        return np.zeros(1, dtype=int)
    model = AgglomerativeClustering(
        n_clusters=n_clusters,
        distance_threshold=threshold,
        metric="precomputed",
        linkage="average",
    )
    return model.fit_predict(distances)
