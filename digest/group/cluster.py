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
# A lone article joins the topic it is most like when it is nearly as alike as a topic's
# own articles are, and clearly more than it is like any other topic; else it is a stray.
ATTACH_SIMILARITY = 0.08
ATTACH_MARGIN = 1.5
# Two articles alone make a story when they are this alike (one event, measured 0.2–0.6);
# a pair merely over TOPIC_SIMILARITY shares a section, not a story: its articles stand alone.
PAIR_SIMILARITY = 0.2
STRAY = -1
MAX_POINTS = 300
KMEANS_STARTS = 10  # k-means keeps the start with the lowest inertia
SEED = 0


def cluster_count(vectors: sp.csr_matrix, count: int, reduced: np.ndarray | None = None) -> np.ndarray:
    """About `count` clusters (fewer when there are fewer articles). `reduced`: `lsa(vectors)`, if made already."""
    n = vectors.shape[0]
    if count >= n:
        return np.arange(n)
    if n <= MAX_POINTS // 6:  # too few articles for LSA and k-means to be meaningful
        return _merge(_similarity_distances(vectors), n_clusters=count)
    reduced = lsa(vectors, seed=SEED) if reduced is None else reduced
    return KMeans(n_clusters=count, n_init=KMEANS_STARTS, random_state=SEED).fit_predict(reduced)


def cluster_auto(vectors: sp.csr_matrix, reduced: np.ndarray | None = None) -> np.ndarray:
    """`reduced`: `lsa(vectors)`, if made already."""
    n = vectors.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    if n <= MAX_POINTS:
        return _merge(_similarity_distances(vectors), threshold=1.0 - TOPIC_SIMILARITY)
    # Micro-groups only need to be tight, not optimal: mini-batches get there many times faster.
    reduced = lsa(vectors, seed=SEED) if reduced is None else reduced
    micro = MiniBatchKMeans(n_clusters=MAX_POINTS, n_init=1, batch_size=2048, random_state=SEED).fit_predict(reduced)
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


def attach_strays(rows: sp.csr_matrix, labels: np.ndarray) -> np.ndarray:
    """Labels with each lone article moved to the topic it fits, or marked STRAY.

    `rows`: unit vectors; a topic's fit is the article's average similarity to its
    articles (the dot product with their mean), the rule the clustering itself uses.
    """
    labels = _split_weak_pairs(rows, np.asarray(labels))
    sizes = np.bincount(labels)
    lone = np.flatnonzero(sizes[labels] == 1)
    topics = np.flatnonzero(sizes > 1)
    if len(lone) == 0:
        return labels
    if len(topics) == 0:
        labels[lone] = STRAY
        return labels
    renumbered = np.searchsorted(topics, labels)
    in_topic = sizes[labels] > 1
    means = _group_means(rows[in_topic], renumbered[in_topic])
    fit = (rows[lone] @ means.T).toarray()
    for article, scores in zip(lone, fit):
        order = np.argsort(-scores, kind="stable")
        best = scores[order[0]]
        runner_up = scores[order[1]] if len(order) > 1 else 0.0
        fits = best >= ATTACH_SIMILARITY and best >= ATTACH_MARGIN * runner_up
        labels[article] = topics[order[0]] if fits else STRAY
    return labels


def _split_weak_pairs(rows: sp.csr_matrix, labels: np.ndarray) -> np.ndarray:
    """Labels with each two-article group under PAIR_SIMILARITY made two lone articles."""
    labels = labels.copy()
    sizes = np.bincount(labels)
    fresh = len(sizes)
    for label in np.flatnonzero(sizes == 2):
        first, second = np.flatnonzero(labels == label)
        if (rows[first] @ rows[second].T).toarray()[0, 0] < PAIR_SIMILARITY:
            labels[second] = fresh
            fresh += 1
    return labels
