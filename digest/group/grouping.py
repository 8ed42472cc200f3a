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

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from ..config import Config
from ..model import Article, Digest, date_sort_value, slugify
from . import naming
from .cluster import cluster_auto, cluster_count
from .duplicates import duplicate_groups
from .overview import overview
from .rules import RuleMatcher
from .vectors import NEWS_STOP_WORDS, Vectors, plain_text, vectorize


@dataclass
class _Pending:
    """A digest being assembled: its stories (indices of duplicate groups) and who decided them."""

    name: str
    slug: str
    how: str
    stories: list[int] = field(default_factory=list)


def group_from_scratch(articles: list[Article], config: Config) -> list[Digest]:
    """Digests, newest first (by their latest article), then by slug."""
    # One thread: sums in a fixed order give the same bits on every machine, whatever its
    # core count, and on a shared machine spinning BLAS threads were measured 5–10× slower.
    with threadpool_limits(limits=1):
        return _group(articles, config)


def _group(articles: list[Article], config: Config) -> list[Digest]:
    settings = config.digests
    articles = sorted(articles, key=lambda a: a.slug)
    plain = [plain_text(a.body) for a in articles]  # what duplicates, rules and vectors all read
    stories = duplicate_groups(articles, settings.duplicate_similarity, plain)
    leads = [articles[group[0]] for group in stories]  # one article speaks for each story

    pins, ruled, free = _route(stories, articles, plain, RuleMatcher(settings.rules))
    rule_digests = _rule_digests(settings.rules, ruled)
    editor_count = len(rule_digests) + len(pins)
    vectors = vectorize(leads, settings.count is not None, [plain[group[0]] for group in stories])

    auto = _auto_digests(free, leads, vectors, settings.count, editor_count, taken={d.slug for d in rule_digests})
    digests = rule_digests + auto
    _place_pins(pins, digests)
    digests = [d for d in digests if d.stories]
    built = [_finish(d, stories, articles, leads, vectors) for d in digests]
    return sorted(built, key=lambda d: (-date_sort_value(d.date_to), d.slug))


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
    free: list[int], leads: list[Article], vectors: Vectors, count: int | None, editor_count: int, taken: set[str]
) -> list[_Pending]:
    if not free:
        return []
    rows = vectors.combined[free]
    if count is None:
        labels = cluster_auto(rows)
    else:
        labels = cluster_count(rows, max(1, count - editor_count))
    clusters: dict[int, list[int]] = {}
    for story, label in zip(free, labels):
        clusters.setdefault(int(label), []).append(story)
    # Intrinsic order (by each cluster's first story, i.e. its smallest slug), never the label number.
    groups = sorted(clusters.values(), key=lambda members: members[0])
    present = (vectors.words > 0).astype(np.float32).tocsr()
    totals = np.asarray(present.sum(axis=0)).ravel()
    in_titles = _title_terms(leads, vectors)
    names = _unique_names([_name_candidates(g, leads, vectors, present, in_titles, totals) for g in groups])
    slugs = naming.unique_slugs(names, taken)
    return [_Pending(name, slug, "auto", group) for name, slug, group in zip(names, slugs, groups)]


def _title_terms(leads: list[Article], vectors: Vectors):
    if vectors.vectorizer is None:
        return sp.csr_matrix(vectors.words.shape, dtype=np.float32)
    return (vectors.vectorizer.transform(a.title for a in leads) > 0).astype(np.float32).tocsr()


def _name_candidates(
    stories: list[int], leads: list[Article], vectors: Vectors, present, in_titles, totals
) -> list[str]:
    """The digest's name, then longer variants to fall back on if another digest has the same name."""
    members = [leads[s] for s in stories]
    if len(stories) == 1:
        return [naming.compose_name([], [members[0].title])]
    central = _most_central(stories, leads, vectors)
    shared = naming.shared_tags(members)
    tags = shared[: naming.MAX_TAGS_IN_NAME]
    skip = {word.casefold() for tag in shared for word in tag.split()} | NEWS_STOP_WORDS
    limit = naming.MAX_TERMS_IN_NAME if tags else naming.MAX_TERMS_IN_NAME + 1
    terms = naming.topic_terms(np.array(stories), present, in_titles, vectors.terms, limit + 2, skip, totals)
    terms = [naming.surface_form(term, members) for term in terms]
    names = [naming.compose_name(tags, terms[:n]) for n in range(limit, limit + 3) if terms or tags]
    return [name for name in names if name] + [naming.compose_name([], [central.title])]


def _most_central(stories: list[int], leads: list[Article], vectors: Vectors) -> Article:
    rows = vectors.words[stories]
    centre = np.asarray(rows.mean(axis=0)).ravel()
    closeness = rows @ centre
    best = min(range(len(stories)), key=lambda i: (-round(float(closeness[i]), 6), leads[stories[i]].slug))
    return leads[stories[best]]


def _unique_names(candidates: list[list[str]]) -> list[str]:
    taken: set[str] = set()
    names = []
    for options in candidates:
        name = next((n for n in options if n.casefold() not in taken), options[0])
        taken.add(name.casefold())
        names.append(name)
    return names


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
    pending: _Pending, stories: list[list[int]], articles: list[Article], leads: list[Article], vectors: Vectors
) -> Digest:
    story_ids = sorted(pending.stories)
    members = sorted((articles[i] for s in story_ids for i in stories[s]), key=lambda a: a.sort_key)
    tags, sources = naming.tags_and_sources(members)
    return Digest(
        slug=pending.slug,
        name=pending.name,
        articles=members,
        overview=overview([leads[s] for s in story_ids], vectors.words[story_ids], vectors.vectorizer),
        tags=tags,
        sources=sources,
        duplicates=[[articles[i].slug for i in stories[s]] for s in story_ids if len(stories[s]) > 1],
        how=pending.how,
    )
