"""`serve`'s memory of the last plan, so that an edit's rebuild plans what the edit affects, not the archive.

Planning names every page group by a key made from the cards and articles it shows
(pages.py): at ten thousand articles that is ten thousand cards and some seventy thousand
card keys hashed into tag, source and month keys on every build. Between two builds of
`serve` most of the archive is the very same objects (load.py keeps unchanged articles).
When the edit left the site's shape as it was — the same articles by slug, the same
digests, the same settings, and every edited article with its tags, source and dates
unchanged (so every list holds the same articles in the same order) — the last plan's
terms, cards and group keys are taken over, and only what shows an edited article is
keyed again. Anything else (an article added, removed or moved, a digest renamed, a
setting changed) plans the whole site, as a build without this memory does. Either way
the groups are the ones a full plan makes: the memory saves time, never changes output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..model import Article, Digest, slugify
from ..site import Site, Term, month_key
from .inputs import config_key
from .pages import Group, family_of, plan_groups, undigested_runs
from .shared import Lazy, Shared


@dataclass
class KeptPlan:
    """The last plan's inputs and what was made from them; empty: nothing kept yet."""

    settings: Optional[tuple] = None  # what every page shows of the settings, the feeds and the theme
    articles: dict[str, Article] = field(default_factory=dict)  # slug → the article planned
    digests: list[tuple] = field(default_factory=list)  # each digest's every field, in order
    terms: tuple[list[Term], list[Term], list[Term]] = ([], [], [])  # tags, sources, months
    cards: dict[str, Lazy] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # group id → key
    run_of: dict[str, str] = field(default_factory=dict)  # an undigested article's slug → its group id
    related_by: dict[str, set[str]] = field(default_factory=dict)  # slug → groups of the pages listing it as related
    taken_over: int = 0  # group keys the latest plan took from the one before (0: it planned the whole site)


def plan_groups_kept(site: Site, feed_paths: frozenset[str], styles: bytes, kept: KeptPlan) -> list[Group]:
    """plan_groups(site, feed_paths, styles), from the last plan where it still holds; `kept` becomes this plan."""
    settings = (config_key(site), feed_paths, styles)
    by_slug = {article.slug: article for article in site.articles}
    edited = _edited(site, by_slug, settings, kept)
    if edited is None:
        shared = Shared(site, feed_paths)
        groups = plan_groups(site, feed_paths, styles, shared)
        _remember_shape(site, kept)
    else:
        _take_terms(site, kept, by_slug, edited)
        shared = Shared(site, feed_paths, {slug: card for slug, card in kept.cards.items() if slug not in edited})
        restyled = {slug for slug in edited if shared.cards[slug].key != kept.cards[slug].key}
        stale = _stale_groups(by_slug, site, edited, restyled, kept)
        keys = {group: key for group, key in kept.keys.items() if family_of(group) not in stale}
        groups = plan_groups(site, feed_paths, styles, shared, keys)
    kept.taken_over = 0 if edited is None else len(keys)
    kept.settings, kept.articles, kept.cards = settings, by_slug, shared.cards
    kept.keys = {group.id: group.key for group in groups if group.key}
    return groups


def _edited(site: Site, by_slug: dict[str, Article], settings: tuple, kept: KeptPlan) -> Optional[set[str]]:
    """The slugs of the articles edited since the last plan, when the site's shape is as it was; else None."""
    if kept.settings != settings or by_slug.keys() != kept.articles.keys():
        return None
    if [_digest_fields(digest) for digest in site.digests] != kept.digests:
        return None
    edited = {slug for slug, article in by_slug.items() if kept.articles[slug] is not article}
    if any(_placing(by_slug[slug]) != _placing(kept.articles[slug]) for slug in edited):
        return None
    return edited


def _placing(article: Article) -> tuple:
    """What decides which lists an article is in, and where."""
    return (tuple(article.tags), article.source, repr(article.date), repr(article.added), article.date_inferred)


def _digest_fields(digest: Digest) -> tuple:
    return (
        digest.slug,
        digest.name,
        digest.how,
        tuple(article.slug for article in digest.articles),
        tuple((point.text, point.article) for point in digest.overview),
        tuple(digest.tags),
        tuple(digest.sources),
        tuple(map(tuple, digest.duplicates)),
        tuple((slug, tuple(others)) for slug, others in digest.related.items()),
    )


def _remember_shape(site: Site, kept: KeptPlan) -> None:
    """What a whole plan found, for the next one to compare with."""
    kept.digests = [_digest_fields(digest) for digest in site.digests]
    kept.terms = (site.tags, site.sources, site.months)
    kept.run_of = {article.slug: f"articles:{run[0].slug}" for run in undigested_runs(site) for article in run}
    kept.related_by = {}
    for digest in site.digests:
        for slug, others in digest.related.items():
            shown_in = site.digest_of.get(slug)  # the group of the page that lists them
            group = f"digest:{shown_in.slug}" if shown_in else kept.run_of.get(slug, "")
            for other in others if group else ():
                kept.related_by.setdefault(other, set()).add(group)


def _take_terms(site: Site, kept: KeptPlan, by_slug: dict[str, Article], edited: set[str]) -> None:
    """The last plan's tags, sources and months, with the edited articles' new versions in them."""
    listed = [_term_slugs(by_slug[slug]) for slug in edited]  # the same as before the edit: their placing is
    kept.terms = tuple(  # type: ignore[assignment]
        [_with_new(term, by_slug) if term.slug in slugs else term for term in terms]
        for kind, terms in enumerate(kept.terms)
        for slugs in [set().union(*(found[kind] for found in listed))]
    )
    site.take_terms(*kept.terms)


def _term_slugs(article: Article) -> tuple[set[str], set[str], set[str]]:
    """The slugs of the tags, source and month an article is listed under (as site.py makes them)."""
    return (
        {slugify(tag) for tag in article.tags},
        {slugify(article.source)} if article.source else set(),
        {month_key(article.date)},
    )


def _with_new(term: Term, by_slug: dict[str, Article]) -> Term:
    return Term(term.name, term.slug, tuple(by_slug[article.slug] for article in term.articles))


def _stale_groups(
    by_slug: dict[str, Article], site: Site, edited: set[str], restyled: set[str], kept: KeptPlan
) -> set[str]:
    """The groups whose key may have changed: those showing an edited article's page, or its card
    when the card changed (its tags', source's and month's lists, and other digests' related stories).
    By family (pages.family_of): every part of a list or of a digest's article pages is keyed again."""
    stale = set()
    for slug in edited:
        digest = site.digest_of.get(slug)
        stale.add(f"digest:{digest.slug}" if digest else kept.run_of[slug])
    for slug in restyled:
        stale.update(kept.related_by.get(slug, ()))
        for kind, slugs in zip(("tag", "source", "month"), _term_slugs(by_slug[slug])):
            stale.update(f"{kind}:{term}" for term in slugs)
    return stale
