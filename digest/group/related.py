"""Related stories: for each story, the closest stories elsewhere in the archive.

"Elsewhere" is another digest, or earlier coverage in the same one (its later
articles are one click away on the digest's page already). Closeness is the cosine
of the vectors grouping already made: the TF-IDF rows themselves for a small
archive, their LSA projection (which clustering computes anyway) for a large one,
where comparing sparse rows costs seconds. Rows are compared a block at a time,
so memory stays about BLOCK_CELLS similarities whatever the archive's size, and only
the top few of each row are kept (numpy's argpartition, linear in the row).

Comparing every pair grows as the square of the archive: 1 s at 10,000 stories, 103 s
at 100,000. From APPROXIMATE_FROM stories on, each story's CANDIDATES nearest come from
an inverted-file index (faiss's IVF: stories gathered into cells by k-means, and only
the PROBES cells nearest a story searched), and those are scored exactly by the same
rules; a close story in a cell not searched is missed now and then
(tests/test_related_stories.py measures how often).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import scipy.sparse as sp

RELATED_COUNT = 5
# Below this cosine two stories share little more than common words (cluster.TOPIC_SIMILARITY says the same).
RELATED_MIN = 0.1
BLOCK_CELLS = 2**22  # similarities computed at once: 32 MB, however many stories
APPROXIMATE_FROM = 20_000
CANDIDATES = 64  # the nearest stories an index search proposes, of which RELATED_COUNT are kept
PROBES = 16  # cells searched per story, of about √stories
SEED = 0


def related_stories(
    vectors: np.ndarray | sp.csr_matrix, digest_of: np.ndarray, dates: np.ndarray, names: list[str]
) -> list[list[int]]:
    """For each story (a row of `vectors`, unit length), up to RELATED_COUNT other stories, closest first.
    `digest_of`: each story's digest number; `dates`: a sortable date per story; `names`: tie-breakers."""
    count = vectors.shape[0]
    if count < 2:
        return [[] for _ in range(count)]
    if count >= APPROXIMATE_FROM and not sp.issparse(vectors):
        return _approximate(np.asarray(vectors), digest_of, dates, names)
    others = sp.csr_matrix(vectors.T) if sp.issparse(vectors) else vectors.T
    related: list[list[int]] = []
    block = max(1, BLOCK_CELLS // count)
    for start in range(0, count, block):
        rows = range(start, min(count, start + block))
        similarity = vectors[start : rows.stop] @ others
        similarity = similarity.toarray() if sp.issparse(similarity) else np.asarray(similarity)
        _exclude(similarity, rows, digest_of, dates)
        related.extend(_top(row, names) for row in similarity)
    return related


def _approximate(vectors: np.ndarray, digest_of: np.ndarray, dates: np.ndarray, names: list[str]) -> list[list[int]]:
    """related_stories' answer over the candidates an IVF index proposes, each scored exactly."""
    candidates = _nearest(vectors, min(CANDIDATES, len(vectors) - 1) + 1)
    related: list[list[int]] = []
    block = max(1, BLOCK_CELLS // (candidates.shape[1] * vectors.shape[1]))
    for start in range(0, len(vectors), block):
        rows = np.arange(start, min(len(vectors), start + block))
        found = candidates[rows]
        similarity = np.einsum("ij,ikj->ik", vectors[rows], vectors[np.maximum(found, 0)])
        same_digest = digest_of[found] == digest_of[rows][:, None]
        not_earlier = dates[found] >= dates[rows][:, None]
        similarity[(found < 0) | (found == rows[:, None]) | (same_digest & not_earlier)] = -np.inf
        related.extend(_best(row_found, row_similarity, names) for row_found, row_similarity in zip(found, similarity))
    return related


def _nearest(vectors: np.ndarray, wanted: int) -> np.ndarray:
    """Each row's `wanted` nearest rows by inner product (-1 where fewer were found), from faiss's IVF
    index; on one thread, so the cells, and so the answer, are the same on every machine."""
    import faiss

    rows = np.ascontiguousarray(vectors, dtype=np.float32)
    cells = max(1, int(np.sqrt(len(rows))))
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(rows.shape[1]), rows.shape[1], cells, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = SEED
        index.train(rows)
        index.add(rows)
        index.nprobe = min(PROBES, cells)
        _, found = index.search(rows, wanted)
    finally:
        faiss.omp_set_num_threads(threads)
    return found


def _exclude(similarity: np.ndarray, rows: range, digest_of: np.ndarray, dates: np.ndarray) -> None:
    """The story itself, and later (or same-day) stories of its own digest, never count."""
    block = np.arange(rows.start, rows.stop)
    same_digest = digest_of[block][:, None] == digest_of[None, :]
    not_earlier = dates[None, :] >= dates[block][:, None]
    similarity[same_digest & not_earlier] = -np.inf
    similarity[np.arange(len(block)), block] = -np.inf


def _top(row: np.ndarray, names: list[str]) -> list[int]:
    wanted = min(RELATED_COUNT * 2, len(row) - 1)  # a margin, so ties at the edge are broken by name
    candidates = np.argpartition(-row, wanted)[: wanted + 1]
    return _best(candidates, row[candidates], names)


def _best(candidates: Iterable[int], similarity: Iterable[float], names: list[str]) -> list[int]:
    """Of the candidates (with their similarities), the RELATED_COUNT closest at RELATED_MIN or more;
    a tie (to five places) goes by name."""
    close = [(int(i), float(s)) for i, s in zip(candidates, similarity) if s >= RELATED_MIN]
    close.sort(key=lambda pair: (-round(pair[1], 5), names[pair[0]]))
    return [i for i, _ in close[:RELATED_COUNT]]
