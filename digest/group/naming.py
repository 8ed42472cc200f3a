"""Digest names from what their articles share, and unique slugs derived from them.

Everything here depends on the digest's own articles first (how many of them carry a
tag or use a word) and only breaks ties with the rest of the corpus, so a digest keeps
its name, and its slug, when articles elsewhere come and go.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Iterable

from ..model import Article, slugify

if TYPE_CHECKING:  # numpy only where topic_terms runs: an edit's refresh of a digest must not wait for its import
    import numpy as np
    import scipy.sparse as sp

MAX_TAGS_IN_NAME = 3
MAX_TERMS_IN_NAME = 2
MAX_NAME = 90
SLUG_LENGTH = 60


def shared_tags(articles: list[Article]) -> list[str]:
    """Tags carried by at least half of the articles (all of them for one article), most common first."""
    counts = tag_counts(articles)
    needed = max(1, math.ceil(len(articles) / 2))
    return [tag for tag, count in counts if count >= needed]


def tag_counts(articles: list[Article]) -> list[tuple[str, int]]:
    """(tag, articles carrying it), most common first, then alphabetical; the first spelling seen wins."""
    return _ranked(article.tags for article in articles)


def ranked_sources(articles: list[Article]) -> list[str]:
    """The publishers of the articles, most frequent first, in the same order rules as tags."""
    return [source for source, _ in _ranked([article.source] if article.source else [] for article in articles)]


def tags_and_sources(members: list[Article]) -> tuple[list[str], list[str]]:
    """What a digest lists of its articles: a regrouping and a patched grouping must agree on it."""
    return [tag for tag, _ in tag_counts(members)], ranked_sources(members)


def _ranked(names_per_article: Iterable[list[str]]) -> list[tuple[str, int]]:
    """(name, articles naming it, case aside), most common first, then alphabetical; the first spelling seen wins."""
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for names in names_per_article:
        seen: set[str] = set()
        for name in names:
            key = name.casefold()
            spelling.setdefault(key, name)
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    return [(spelling[key], count) for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def topic_terms(
    member_rows: np.ndarray,
    present: sp.csr_matrix,
    in_titles: sp.csr_matrix,
    terms: np.ndarray,
    limit: int,
    skip: set[str],
    totals: np.ndarray,
) -> list[str]:
    """Words most of the digest's articles use (in headlines above all) and other articles mostly do not.

    `present` and `in_titles` are articles × terms 0/1 matrices (whole text, headline);
    `totals`, present's column sums (the same for every digest, so summed once).
    Rank by the share of members using a term plus the share whose headline has it, then
    by rarity elsewhere, then alphabetically: stable tie-breaks, mostly intrinsic.
    """
    import numpy as np

    n, size = present.shape[0], max(1, len(member_rows))
    inside = np.asarray(present[member_rows].sum(axis=0)).ravel()
    headline = np.asarray(in_titles[member_rows].sum(axis=0)).ravel()
    outside = totals - inside
    share_in = inside / size
    share_out = outside / max(1, n - len(member_rows))
    distinctive = (inside >= min(2, len(member_rows))) & (share_in >= 2 * share_out) & (share_in > 0)
    score = share_in + headline / size
    order = sorted(
        np.flatnonzero(distinctive), key=lambda j: (-round(float(score[j]), 3), round(float(share_out[j]), 2), terms[j])
    )
    chosen: list[str] = []
    for j in order:
        term = str(terms[j])
        if any(w in skip for w in term.split()) or any(_overlaps(term, c) for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


def _overlaps(a: str, b: str) -> bool:
    return bool(set(a.split()) & set(b.split()))


def surface_form(term: str, articles: list[Article]) -> str:
    """The term as the articles write it most often ("Alaska", "NATO"), not lower-cased."""
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, term.split())) + r"\b", re.IGNORECASE)
    forms: Counter[str] = Counter()
    for article in articles[:50]:
        forms.update(" ".join(m.split()) for m in pattern.findall(f"{article.title}\n{article.body}"))
    if not forms:
        return term
    return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def compose_name(tags: list[str], terms: list[str]) -> str:
    """ "Donald Trump, Vladimir Putin & Volodymyr Zelensky: summit, Alaska"."""
    people = _and_list(tags[:MAX_TAGS_IN_NAME])
    topic = ", ".join(terms)
    if people and topic:
        name = f"{people}: {topic}"
    else:
        name = people or topic
        name = name[:1].upper() + name[1:]
    return _shorten(name)


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " & " + items[-1]


def _shorten(name: str) -> str:
    if len(name) <= MAX_NAME:
        return name
    return name[: MAX_NAME - 1].rsplit(" ", 1)[0].rstrip(",:&;- ") + "…"


def unique_slugs(names: list[str], taken: set[str]) -> list[str]:
    """slugify(name), with -2, -3… for a slug already used (earlier names win: callers order them intrinsically)."""
    used = set(taken)
    slugs = []
    for name in names:
        base = slugify(name, max_length=SLUG_LENGTH)
        slug, number = base, 2
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        used.add(slug)
        slugs.append(slug)
    return slugs
