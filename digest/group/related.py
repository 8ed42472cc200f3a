"""Related stories: for each story, the closest stories elsewhere in the archive.

"Elsewhere" is another digest, or earlier coverage in the same one (its later
articles are one click away on the digest's page already). Closeness is the cosine
of the vectors grouping already made: the TF-IDF rows themselves for a small
archive, their LSA projection (which clustering computes anyway) for a large one,
where comparing sparse rows costs seconds. Rows are compared a block at a time,
so memory stays about BLOCK_CELLS similarities whatever the archive's size, and only
the top few of each row are kept (numpy's argpartition, linear in the row).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

RELATED_COUNT = 5
# Below this cosine two stories share little more than common words (cluster.TOPIC_SIMILARITY says the same).
RELATED_MIN = 0.1
BLOCK_CELLS = 2**22  # similarities computed at once: 32 MB, however many stories


def related_stories(
    vectors: np.ndarray | sp.csr_matrix, digest_of: np.ndarray, dates: np.ndarray, names: list[str]
) -> list[list[int]]:
    """For each story (a row of `vectors`, unit length), up to RELATED_COUNT other stories, closest first.
    `digest_of`: each story's digest number; `dates`: a sortable date per story; `names`: tie-breakers."""
    count = vectors.shape[0]
    if count < 2:
        return [[] for _ in range(count)]
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
    close = [int(i) for i in candidates if row[i] >= RELATED_MIN]
    close.sort(key=lambda i: (-round(float(row[i]), 5), names[i]))
    return close[:RELATED_COUNT]
