"""Grouping from scratch: topical digests, named, with overviews, pins, rules and duplicates.

The steps, each in its own module:
1. `duplicates`: the same story published twice becomes one story (its copies follow it);
2. `rules`: stories pinned by an editor or matched by a rule in digest.yaml go where they said;
3. `vectors` + `cluster`: the rest are grouped by their text and tags;
4. `naming`: each group is named from what its articles share, and slugged from its name;
5. `overview`: a few of its articles' sentences say what it is about.

Same content, same digests: articles are sorted by slug first, every random step is seeded,
and every tie is broken by something in the content, never by position in a list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from ..config import Config
from ..markdown import plain_text
from ..model import Article, Digest, date_sort_value, slugify
from . import listing, naming
from .cluster import MAX_POINTS, SEED, STRAY, attach_strays, cluster_auto, cluster_count
from .duplicates import duplicate_groups
from .memo import Past, kept_slugs
from .overview import overview
from .related import related_stories
from .rules import RuleMatcher
from .vectors import NEWS_STOP_WORDS, Vectors, lsa, vectorize


@dataclass
class _Pending:
    """A digest being assembled: its stories (indices of duplicate groups) and who decided them."""

    name: str
    slug: str
    how: str
    stories: list[int] = field(default_factory=list)


def group_from_scratch(articles: list[Article], config: Config, past: Past = ()) -> list[Digest]:
    """Digests, newest first (by their latest article), then by slug."""
    # One thread: sums in a fixed order give the same bits on every machine, whatever its
    # core count, and on a shared machine spinning BLAS threads were measured 5–10× slower.
    with threadpool_limits(limits=1):
        return _group(articles, config, past)


def _group(articles: list[Article], config: Config, past: Past) -> list[Digest]:
    settings = config.digests
    articles = sorted(articles, key=lambda a: a.slug)
    plain = [plain_text(a.body) for a in articles]  # what duplicates, rules and vectors all read
    stories = duplicate_groups(articles, settings.duplicate_similarity, plain)
    leads = [articles[group[0]] for group in stories]  # one article speaks for each story

    pins, ruled, free = _route(stories, articles, plain, RuleMatcher(settings.rules))
    rule_digests = _rule_digests(settings.rules, ruled)
    editor_count = len(rule_digests) + len(pins)
    vectors = vectorize(leads, settings.count is not None, [plain[group[0]] for group in stories])
    # Clustering a large archive projects it (LSA) anyway; related stories compare in the same projection.
    reduced = lsa(vectors.combined, seed=SEED) if len(leads) > MAX_POINTS else None

    auto = _auto_digests(
        free,
        leads,
        vectors,
        settings.count,
        editor_count,
        taken={d.slug for d in rule_digests},
        reduced=reduced if len(free) == len(leads) else None,
    )
    digests = rule_digests + auto
    if past:  # before pins are placed: an editor pins to the address readers know
        current = [(d.how, d.slug, [articles[i].slug for s in d.stories for i in stories[s]]) for d in digests]
        for digest, slug in zip(digests, kept_slugs(current, past)):
            digest.slug = slug
    _place_pins(pins, digests)
    digests = [d for d in digests if d.stories]
    related = _related(digests, leads, vectors.combined if reduced is None else reduced)
    built = [_finish(d, stories, articles, leads, vectors, related) for d in digests]
    return sorted(built, key=lambda d: (-date_sort_value(d.date_to), d.slug))


def _related(digests: list[_Pending], leads: list[Article], rows) -> list[list[str]]:
    """Each story's related stories, as the slugs of the articles that lead them."""
    digest_of = np.zeros(len(leads), dtype=np.int64)
    for number, digest in enumerate(digests):
        digest_of[digest.stories] = number
    dates = np.array([date_sort_value(lead.date) for lead in leads])
    names = [lead.slug for lead in leads]
    return [[names[other] for other in found] for found in related_stories(rows, digest_of, dates, names)]


def _route(stories: list[list[int]], articles: list[Article], plain: list[str], matcher: RuleMatcher):
    """(pins: pin text → stories, ruled: rule index → stories, free stories); a story goes as its first pinned copy says."""
    pins: dict[str, list[int]] = {}
    ruled: dict[int, list[int]] = {}
    free: list[int] = []
    for story, group in enumerate(stories):
        pin = next((articles[i].digest for i in group if articles[i].digest), None)
        if pin:
            pins.setdefault(pin, []).append(story)
            continue
        matches = [m for m in (matcher.first_match(articles[i], plain[i]) for i in group) if m is not None]
        if matches:
            ruled.setdefault(min(matches), []).append(story)
        else:
            free.append(story)
    return pins, ruled, free


def _rule_digests(rules, ruled: dict[int, list[int]]) -> list[_Pending]:
    slugs = naming.unique_slugs([rule.name for rule in rules], taken=set())
    return [_Pending(rule.name, slug, "rule", ruled.get(i, [])) for i, (rule, slug) in enumerate(zip(rules, slugs))]


def _auto_digests(
    free: list[int],
    leads: list[Article],
    vectors: Vectors,
    count: int | None,
    editor_count: int,
    taken: set[str],
    reduced: np.ndarray | None = None,
) -> list[_Pending]:
    if not free:
        return []
    rows = vectors.combined[free]
    if count is None:
        labels = attach_strays(rows, cluster_auto(rows, reduced))
    else:
        labels = cluster_count(rows, max(1, count - editor_count), reduced)
    clusters: dict[int, list[int]] = {}
    for story, label in zip(free, labels):
        clusters.setdefault(int(label), []).append(story)
    strays = clusters.pop(STRAY, [])
    # Intrinsic order (by each cluster's first story, i.e. its smallest slug), never the label number.
    groups = sorted(clusters.values(), key=lambda members: members[0])
    strays = _join_by_topic_label(strays, groups, leads, vectors)
    if len(strays) == 1 or (strays and not groups):
        groups = sorted(groups + [[story] for story in strays], key=lambda members: members[0])
        strays = []
    names = _names(groups, leads, vectors)
    # A story alone is slugged like its article, so editing its headline (which renames it) keeps its address.
    bases = [leads[group[0]].slug if len(group) == 1 else name for name, group in zip(names, groups)]
    slugs = naming.unique_slugs(bases, taken | ({naming.slugify(naming.ALSO_IN_THE_NEWS)} if strays else set()))
    pending = [_Pending(name, slug, "auto", group) for name, slug, group in zip(names, slugs, groups)]
    if strays:
        pending.append(_Pending(naming.ALSO_IN_THE_NEWS, naming.slugify(naming.ALSO_IN_THE_NEWS), "others", strays))
    return pending


def _join_by_topic_label(
    strays: list[int], groups: list[list[int]], leads: list[Article], vectors: Vectors
) -> list[int]:
    """Strays that carry the general topic label ("Sport") most of a digest's articles carry join
    the most alike such digest; the others stay strays. Changes `groups` in place."""
    labels = naming.topic_labels()
    carried = []
    for group in groups:
        counts = listing.tag_counts([leads[s] for s in group])
        carried.append({tag.casefold() for tag, n in counts if tag.casefold() in labels and 2 * n >= len(group)})
    left = []
    for story in strays:
        own = {tag.casefold() for tag in leads[story].tags} & labels
        fits = [i for i, kind in enumerate(carried) if own & kind]
        if not fits:
            left.append(story)
            continue
        row = vectors.combined[story]
        best = max(
            fits, key=lambda i: (float((vectors.combined[groups[i]] @ row.T).sum()) / len(groups[i]), -groups[i][0])
        )
        groups[best].append(story)
    for group in groups:
        group.sort()
    return left


def _names(groups: list[list[int]], leads: list[Article], vectors: Vectors) -> list[str]:
    """Topics by their key phrases; a single story by its headline."""
    by_centre = [_by_centrality(group, leads, vectors) for group in groups]
    topics = [i for i, group in enumerate(groups) if len(group) > 1]
    samples = [[leads[s] for s in by_centre[i][: naming.NAME_SAMPLE]] for i in topics]
    members = [[leads[s] for s in groups[i]] for i in topics]
    present = (vectors.words > 0).astype(np.float32).tocsr()
    totals = np.asarray(present.sum(axis=0)).ravel()
    rarities = [_rarity(vectors, present, totals, groups[i]) for i in topics]
    found = dict(zip(topics, naming.name_digests(naming.evidence_for(samples, members), rarities)))
    options = [found.get(i) or [listing.headline_name(leads[group[0]].title)] for i, group in enumerate(groups)]
    # The biggest digest gets a name two want (a broad "Technology" fits it best); the order is intrinsic.
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), groups[i][0]))
    chosen = dict(zip(order, naming.unique_names([options[i] for i in order])))
    return [chosen[i] for i in range(len(groups))]


def _by_centrality(stories: list[int], leads: list[Article], vectors: Vectors) -> list[int]:
    """The stories, most typical of the group first (nearest its mean), ties by slug."""
    rows = vectors.words[stories]
    centre = np.asarray(rows.mean(axis=0)).ravel()
    closeness = rows @ centre
    return [
        stories[i]
        for i in sorted(range(len(stories)), key=lambda i: (-round(float(closeness[i]), 6), leads[stories[i]].slug))
    ]


def _rarity(vectors: Vectors, present: sp.csr_matrix, totals: np.ndarray, members: list[int]):
    """A word → how rare it is in the articles outside the digest: 1 when none of them has it,
    near 0 when all do (an inverse document frequency over the rest of the corpus)."""
    vectorizer = vectors.vectorizer
    vocabulary = vectorizer.vocabulary_ if vectorizer is not None else {}
    outside = present.shape[0] - len(members)
    inside = present[members]
    ceiling = math.log(1 + outside) + 1

    def rarity(word: str) -> float:
        if word in NEWS_STOP_WORDS:
            return 0.0
        column = vocabulary.get(word)
        if column is None:
            return 1.0
        elsewhere = float(totals[column] - inside[:, column].sum())
        return (math.log((1 + outside) / (1 + elsewhere)) + 1) / ceiling

    return rarity


def _place_pins(pins: dict[str, list[int]], digests: list[_Pending]) -> None:
    """A pin joins the digest whose slug or name it gives, else starts a digest of that name."""
    by_key: dict[str, _Pending] = {}
    for digest in digests:
        by_key.setdefault(digest.slug, digest)
        by_key.setdefault(slugify(digest.name, max_length=naming.SLUG_LENGTH), digest)
    for pin in sorted(pins, key=lambda p: (slugify(p, max_length=naming.SLUG_LENGTH), p)):
        key = slugify(pin, max_length=naming.SLUG_LENGTH)
        target = by_key.get(key)
        if target is None:
            slug = naming.unique_slugs([pin], taken={d.slug for d in digests})[0]
            target = _Pending(pin, slug, "pinned")
            digests.append(target)
            by_key[key] = target
        target.stories.extend(pins[pin])


def _finish(
    pending: _Pending,
    stories: list[list[int]],
    articles: list[Article],
    leads: list[Article],
    vectors: Vectors,
    related: list[list[str]],
) -> Digest:
    story_ids = sorted(pending.stories)
    members = sorted((articles[i] for s in story_ids for i in stories[s]), key=lambda a: a.sort_key)
    tags, sources = listing.tags_and_sources(members)
    return Digest(
        slug=pending.slug,
        name=pending.name,
        articles=members,
        overview=overview([leads[s] for s in story_ids], vectors.words[story_ids], vectors.vectorizer),
        tags=tags,
        sources=sources,
        duplicates=[[articles[i].slug for i in stories[s]] for s in story_ids if len(stories[s]) > 1],
        how=pending.how,
        related={articles[i].slug: related[s] for s in story_ids for i in stories[s] if related[s]},
    )
