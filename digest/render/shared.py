"""What many pages of a build show, made once per build on first use: article cards, digest
summaries, the site's facts and feeds (render/pages.py plans the pages that show them).

Each item carries a key naming exactly what it is made from, so that a page's key can name
what it shows without making it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from typing import Any, Callable, Mapping, Optional, Sequence

from .. import site as urls
from ..model import Article, Digest, date_sort_value
from ..site import Site
from .dates import date_info, span_text
from .inputs import key_of

FEED_TYPES = (("RSS", "application/rss+xml"), ("Atom", "application/atom+xml"), ("JSON Feed", "application/feed+json"))


class Lazy:
    """Data many pages show, made on first use; `key` names exactly what it is made from."""

    __slots__ = ("key", "_make", "_data")

    def __init__(self, key: str, make: Callable[[], dict[str, Any]], data: Optional[dict[str, Any]] = None) -> None:
        self.key = key
        self._make = make
        self._data = data

    @property
    def made(self) -> Optional[dict[str, Any]]:
        """The data, if made already."""
        return self._data

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self._make()
        return self._data


class Shared:
    """Per-build data many pages show: site facts, article cards, digest summaries.

    The config is read here only; `config_key` names every setting a page can show.
    """

    def __init__(self, site: Site, feed_paths: frozenset[str], kept_cards: Mapping[str, Lazy] = {}) -> None:
        """`kept_cards`: cards of the last plan known to show the same (render/kept.py): their keys
        and data are taken over, not made again."""
        config = site.config
        self.site = site
        self.zone = config.tz
        self.language = config.language
        self.per_page = config.per_page
        self.feed_paths = feed_paths
        self.facts: dict[str, Any] = {
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "base_url": config.base_url,
            "author": config.author,
            # a build time makes every build differ, so only when asked for
            "generated": date_info(dt.datetime.now(self.zone), self.zone, config.language)
            if config.timestamp
            else None,
        }
        self.site_feeds = self.feeds(config.title, urls.RSS, urls.ATOM, urls.JSON_FEED)
        self.config_key = key_of([repr((self.facts, config.timezone, self.per_page, self.site_feeds))])
        self.spans = {
            d.slug: (d.date_from, d.date_to, d.undated) for d in site.digests
        }  # each a pass over its articles
        self.articles = {article.slug: article for article in site.articles}
        self._tag_slugs = defaultdict(str, site.tag_slug)  # a spelling that lost to another has none
        self.cards = {article.slug: self._card_ref(article, kept_cards.get(article.slug)) for article in site.articles}
        self.digest_feeds = {
            d.slug: self.feeds(
                d.name, *(p.format(slug=d.slug) for p in (urls.DIGEST_RSS, urls.DIGEST_ATOM, urls.DIGEST_JSON))
            )
            for d in site.digests
        }
        self.summaries = {digest.slug: self._summary_ref(digest) for digest in site.digests}

    def feeds(self, title: str, *paths: str) -> list[dict[str, str]]:
        """Alternate links to the feeds that were actually written."""
        return [
            {"title": f"{title} ({label})", "label": label, "type": mime, "path": path}
            for (label, mime), path in zip(FEED_TYPES, paths)
            if path in self.feed_paths
        ]

    def article_key(self, article: Article) -> str:
        """Everything an article page shows of its own article (its neighbours' pages show less), and its related list."""
        return f"{self.cards[article.slug].key}|{article.fingerprints[1]}|{self.related_key(article)}"

    @functools.cached_property
    def _related(self) -> dict[str, list[str]]:
        return {slug: others for digest in self.site.digests for slug, others in digest.related.items()}

    def related_cards(self, article: Article) -> list[Lazy]:
        """The related stories an article page lists (group/related.py chose them)."""
        return [self.cards[slug] for slug in self._related.get(article.slug, ()) if slug in self.cards]

    def related_key(self, article: Article) -> str:
        return "/".join(card.key for card in self.related_cards(article))

    def _card_ref(self, article: Article, kept: Optional[Lazy] = None) -> Lazy:
        site = self.site
        digest = site.digest_of.get(article.slug)
        if kept is not None:  # made anew, so that nothing of the last plan's site is held through it
            return Lazy(kept.key, functools.partial(self._card, article, digest), kept.made)
        fields = article.fingerprints[0]  # a card shows no body
        # slugs hold no "|" or "/"; a missing one is "" (slugify never returns "")
        key = "|".join(
            (
                fields,
                repr((digest.slug, digest.name)) if digest else "",
                site.source_slug.get(article.source) or "",
                "/".join(map(self._tag_slugs.__getitem__, article.tags)),  # the card's tags follow from these
            )
        )
        return Lazy(key, functools.partial(self._card, article, digest))

    def _card(self, article: Article, digest: Optional[Digest]) -> dict[str, Any]:
        site = self.site
        return {
            "slug": article.slug,
            "title": article.title,
            "url": urls.ARTICLE.format(slug=article.slug),
            "date": date_info(article.date, self.zone, self.language, article.date_inferred),
            "source": _link(article.source, urls.SOURCE, site.source_slug.get(article.source)),
            "author": article.author,
            "summary": article.summary,
            "tags": [_link(tag, urls.TAG, site.tag_slug.get(tag)) for tag in _unique(article.tags)],
            "digest": {"name": digest.name, "url": urls.DIGEST.format(slug=digest.slug)} if digest else None,
        }

    def _summary_ref(self, digest: Digest) -> Lazy:
        site = self.site
        members = {article.slug for article in digest.articles}
        key = key_of(
            [
                repr(
                    (
                        digest.slug,
                        digest.name,
                        len(digest.articles),
                        self.spans[digest.slug],
                        [
                            (
                                point.text,
                                point.article,
                                self._overview_key(point.article) if point.article in members else None,
                            )
                            for point in digest.overview
                        ],
                        [(tag, site.tag_slug.get(tag)) for tag in digest.tags],
                        [(source, site.source_slug.get(source)) for source in digest.sources],
                        self.digest_feeds[digest.slug],
                    )
                )
            ]
        )
        return Lazy(key, functools.partial(self._summary, digest, members))

    def _overview_key(self, slug: str) -> tuple[str, str]:
        """What an overview point shows of its article (besides the address its slug makes)."""
        article = self.articles[slug]
        return (article.title, article.source)

    def _summary(self, digest: Digest, members: set[str]) -> dict[str, Any]:
        overview = []
        for point in digest.overview:
            card = self.cards[point.article].data if point.article in members else None
            overview.append(
                {
                    "text": point.text,
                    "url": card["url"] if card else None,
                    "title": card["title"] if card else "",
                    "source": card["source"]["name"] if card and card["source"] else "",
                }
            )
        return {
            "slug": digest.slug,
            "name": digest.name,
            "url": urls.DIGEST.format(slug=digest.slug),
            "first": date_info(self.spans[digest.slug][0], self.zone, self.language),
            "last": date_info(self.spans[digest.slug][1], self.zone, self.language),
            "dates": self.briefs[digest.slug]["dates"],
            "count": len(digest.articles),
            "overview": overview,
            "tags": [_link(tag, urls.TAG, self.site.tag_slug.get(tag)) for tag in _unique(digest.tags)],
            "sources": [_link(s, urls.SOURCE, self.site.source_slug.get(s)) for s in _unique(digest.sources)],
            "feeds": self.digest_feeds[digest.slug],
        }

    @functools.cached_property
    def briefs(self) -> dict[str, dict[str, Any]]:
        """What an article page shows of its digest (not its other articles: an edit there leaves the page alone)."""
        return {
            d.slug: {
                "name": d.name,
                "url": urls.DIGEST.format(slug=d.slug),
                "dates": span_text(*self.spans[d.slug], self.zone, self.language),
                "count": len(d.articles),
            }
            for d in self.site.digests
        }

    @functools.cached_property
    def digests_newest_first(self) -> list[Digest]:
        return sorted(self.site.digests, key=lambda d: (date_sort_value(self.spans[d.slug][1]), d.slug), reverse=True)

    @functools.cached_property
    def brief_keys(self) -> dict[str, str]:
        return {slug: repr((brief, self.digest_feeds[slug])) for slug, brief in self.briefs.items()}


def _link(name: str, pattern: str, slug: Optional[str]) -> Optional[dict[str, Any]]:
    if not name:
        return None
    return {"name": name, "url": pattern.format(slug=slug) if slug else None}


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))
