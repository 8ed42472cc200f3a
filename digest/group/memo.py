"""Remembering a grouping between builds, as plain data the build keeps in its cache.

A grouping depends on every article's text, tags, date, source and pin, and on the
`digests` settings. When none of that changed, the previous digests are rebuilt
from the snapshot. When the same articles are there, pins unchanged, and only a
few were edited, memberships, names and related stories are kept (an editor fixing a headline does
not want the digests reshuffled, nor to wait for a clustering of the archive) and
what the edit can change is refreshed: the order, dates, tags, sources, and any
overview sentence that is no longer in its article. Anything else — an article
added or removed, a pin or rule changed, many edits — groups from scratch; `serve`
first shows an added or removed article in the digests as they were (`provisional`).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import Any, Optional

from ..config import Config
from ..model import Article, Digest, OverviewPoint, date_sort_value
from .listing import headline_name, tags_and_sources

# A digest's slug is fixed when it is first made: a later grouping gives it to the digest that holds
# most of its articles (more than this share of them), whatever that digest is now called.
KEEP_SLUG_SHARE = 0.5
KEPT_KINDS = ("auto",)  # rule and pinned digests are slugged by the editor's name, "others" by its fixed name

# Above this share of edited articles the digests may really have moved: regroup.
PATCH_LIMIT = 0.01
PATCH_MIN = 3


@dataclass(frozen=True)
class FrozenDigest:
    slug: str
    name: str
    how: str
    members: tuple[str, ...]
    overview: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    duplicates: tuple[tuple[str, ...], ...]
    related: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Snapshot:
    settings: str
    fingerprints: dict[str, str]  # article slug → fingerprint of what grouping reads
    pins: dict[str, Optional[str]]
    digests: tuple[FrozenDigest, ...]


Past = tuple[tuple[str, str, tuple[str, ...]], ...]  # (slug, how, article slugs) of the digests last published


def settings_key(config: Config) -> str:
    return config.digests.model_dump_json()


def past_of(snapshot: Snapshot) -> Past:
    return tuple((d.slug, d.how, d.members) for d in snapshot.digests)


def past_from_json(data: Any) -> Past:
    """The digests as site/digests.json published them (what a deleted cache forgot); () when unreadable."""
    try:
        return tuple(
            (str(d["slug"]), str(d.get("how", "auto")), tuple(str(a["slug"]) for a in d["articles"]))
            for d in data["digests"]
        )
    except (KeyError, TypeError, AttributeError):
        return ()


def kept_slugs(current: list[tuple[str, str, list[str]]], past: Past) -> list[str]:
    """The slug of each new digest, given as (how, slug, article slugs): each past digest's slug goes
    to the new digest holding most of its articles (when that is more than KEEP_SLUG_SHARE of them);
    the others keep theirs, made unique."""
    slugs = [slug for _, slug, _ in current]
    fixed = {slug for how, slug, _ in current if how not in KEPT_KINDS}
    index = {member: i for i, (how, _, members) in enumerate(current) if how in KEPT_KINDS for member in members}
    pairs = []
    for slug, how, members in past:
        if how not in KEPT_KINDS or slug in fixed:
            continue
        overlap: dict[int, int] = {}
        for member in members:
            if member in index:
                overlap[index[member]] = overlap.get(index[member], 0) + 1
        pairs += [(-shared, slug, i) for i, shared in overlap.items() if shared > KEEP_SLUG_SHARE * len(members)]
    renamed: dict[int, str] = {}
    for _, slug, i in sorted(pairs):
        if i not in renamed and slug not in renamed.values():
            renamed[i] = slug
    used = fixed | set(renamed.values())
    for i, (how, slug, _) in enumerate(current):
        if i in renamed:
            slugs[i] = renamed[i]
        elif how in KEPT_KINDS:
            slugs[i] = _free(slug, used)
    return slugs


def _free(slug: str, used: set[str]) -> str:
    from .naming import unique_slug

    return unique_slug(slug, used)


def article_fingerprints(articles: list[Article]) -> dict[str, str]:
    # Every field and the body: a superset of what grouping reads, hashed once at load and cached there.
    return {article.slug: "".join(article.fingerprints) for article in articles}


def freeze(settings: str, fingerprints: dict[str, str], digests: list[Digest]) -> Snapshot:
    frozen = tuple(
        FrozenDigest(
            slug=d.slug,
            name=d.name,
            how=d.how,
            members=tuple(a.slug for a in d.articles),
            overview=tuple((p.text, p.article) for p in d.overview),
            tags=tuple(d.tags),
            sources=tuple(d.sources),
            duplicates=tuple(tuple(group) for group in d.duplicates),
            related=tuple((slug, tuple(others)) for slug, others in d.related.items()),
        )
        for d in digests
    )
    pins = {a.slug: a.digest for d in digests for a in d.articles}
    return Snapshot(settings, dict(fingerprints), pins, frozen)


def _rebuild(frozen: FrozenDigest, by_slug: dict[str, Article]) -> Digest:
    return Digest(
        slug=frozen.slug,
        name=frozen.name,
        articles=[by_slug[slug] for slug in frozen.members],
        overview=[OverviewPoint(text, article) for text, article in frozen.overview],
        tags=list(frozen.tags),
        sources=list(frozen.sources),
        duplicates=[list(group) for group in frozen.duplicates],
        how=frozen.how,
        related={slug: list(others) for slug, others in frozen.related},
    )


def thaw(snapshot: Snapshot, articles: list[Article]) -> list[Digest]:
    """The snapshot's digests over these (unchanged) articles."""
    by_slug = {article.slug: article for article in articles}
    return [_rebuild(frozen, by_slug) for frozen in snapshot.digests]


def patch(snapshot: Snapshot, articles: list[Article], fingerprints: dict[str, str]) -> Optional[list[Digest]]:
    """The snapshot's digests with a few edited articles refreshed in place; None when a regroup is due."""
    if fingerprints.keys() != snapshot.fingerprints.keys():
        return None
    edited = _edited(snapshot, fingerprints)
    if len(edited) > max(PATCH_MIN, PATCH_LIMIT * len(fingerprints)):
        return None
    by_slug = {article.slug: article for article in articles}
    if any(by_slug[slug].digest != snapshot.pins.get(slug) for slug in edited):
        return None
    return _refreshed(snapshot.digests, by_slug, edited)


def provisional(snapshot: Snapshot, articles: list[Article], fingerprints: dict[str, str]) -> list[Digest]:
    """The snapshot's digests over the articles there are now, for the moment until a regroup: an
    article removed leaves its digest (a digest left empty goes), an added one is in no digest yet,
    and edited ones are refreshed as `patch` refreshes them. What `serve` shows at once when an
    article is added or removed, the regroup following when the editor pauses."""
    by_slug = {article.slug: article for article in articles}
    edited = _edited(snapshot, fingerprints)
    return _refreshed(snapshot.digests, by_slug, edited, gone=snapshot.fingerprints.keys() - by_slug.keys())


def _edited(snapshot: Snapshot, fingerprints: dict[str, str]) -> set[str]:
    """The articles the snapshot knows whose fingerprint changed (an added one is not edited)."""
    return {slug for slug, fp in fingerprints.items() if snapshot.fingerprints.get(slug, fp) != fp}


def _refreshed(
    frozen_digests: tuple[FrozenDigest, ...],
    by_slug: dict[str, Article],
    edited: AbstractSet[str],
    gone: AbstractSet[str] = frozenset(),
) -> list[Digest]:
    digests = []
    for frozen in frozen_digests:
        touched = not (edited.isdisjoint(frozen.members) and gone.isdisjoint(frozen.members))
        if gone:
            frozen = _without(frozen, gone)
            if not frozen.members:
                continue
        digest = _rebuild(frozen, by_slug)
        if touched:
            digest.articles.sort(key=lambda a: a.sort_key)
            digest.tags, digest.sources = tags_and_sources(digest.articles)
            if digest.how in KEPT_KINDS and len(digest.articles) == 1:  # named by its headline: it follows an edit
                digest.name = headline_name(digest.articles[0].title)
            digest.overview = [
                p for p in digest.overview if p.article not in edited or _still_says(by_slug[p.article], p.text)
            ]
        digests.append(digest)
    return sorted(digests, key=lambda d: (-date_sort_value(d.date_to), d.slug))


def _without(frozen: FrozenDigest, gone: AbstractSet[str]) -> FrozenDigest:
    """The digest without the `gone` articles: as members, in its overview, duplicates and related stories."""

    def kept(slugs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(slug for slug in slugs if slug not in gone)

    return replace(
        frozen,
        members=kept(frozen.members),
        overview=tuple(point for point in frozen.overview if point[1] not in gone),
        duplicates=tuple(group for group in map(kept, frozen.duplicates) if len(group) > 1),
        related=tuple((slug, kept(others)) for slug, others in frozen.related if slug not in gone),
    )


def _still_says(article: Article, sentence: str) -> bool:
    return sentence in article.body or sentence in article.summary
