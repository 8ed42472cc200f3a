"""The whole site as data: articles, digests, and the indexes pages are made from.

Indexes (tags, sources, months) are computed once here, so no page or feed ever
walks all articles again: that keeps every stage linear in the number of articles.
URLs live here too, so pages, feeds, the sitemap and the preview server agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urljoin

from .config import Config
from .model import Article, Digest, slugify

# Every output path, relative to site/. Pages end in .html so that links work
# from a file:// copy and from any static host without rewrite rules.
ARTICLE = "articles/{slug}.html"
DIGEST = "digests/{slug}.html"
DIGEST_RSS = "digests/{slug}.xml"
DIGEST_ATOM = "digests/{slug}.atom"
DIGEST_JSON = "digests/{slug}.json"
TAG = "tags/{slug}.html"
SOURCE = "sources/{slug}.html"
MONTH = "archive/{slug}.html"  # slug: YYYY-MM, or "undated"
HOME = "index.html"
HOME_PAGE = "page/{number}.html"  # the home list's pages 2, 3, …
TAG_PAGE = "tags/{slug}/page/{number}.html"  # a long list's pages 2, 3, …
SOURCE_PAGE = "sources/{slug}/page/{number}.html"
MONTH_PAGE = "archive/{slug}/page/{number}.html"
ARCHIVE = "archive/index.html"
DIGESTS = "digests/index.html"
TAGS = "tags/index.html"
SOURCES = "sources/index.html"
NOT_FOUND = "404.html"
RSS = "feed.xml"
ATOM = "atom.xml"
JSON_FEED = "feed.json"
DIGESTS_JSON = "digests.json"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
EDITION = "newsletter/{date}.html"  # an email edition's web copy
EDITIONS = "newsletter/index.html"


@dataclass(frozen=True)
class Term:
    """A tag or a source: its display name, URL slug, and articles (newest first)."""

    name: str
    slug: str
    articles: tuple[Article, ...]


@dataclass
class Site:
    config: Config
    articles: list[Article]
    digests: list[Digest]
    editions: list = field(default_factory=list)  # newsletter.Archived, newest first: the email editions sent

    def __post_init__(self) -> None:
        self.articles = sorted(self.articles, key=lambda a: a.sort_key, reverse=True)

    def url(self, path: str) -> str:
        """Absolute URL of a site-relative path."""
        return urljoin(self.config.base_url, path)

    def take_terms(self, tags: list[Term], sources: list[Term], months: list[Term]) -> None:
        """Indexes known already to be this site's (serve's kept plan, render/kept.py): not computed again."""
        self.__dict__.update(tags=tags, sources=sources, months=months)

    @cached_property
    def digest_of(self) -> dict[str, Digest]:
        """article slug → its digest."""
        return {article.slug: digest for digest in self.digests for article in digest.articles}

    @cached_property
    def tags(self) -> list[Term]:
        return _terms((tag, article) for article in self.articles for tag in article.tags)

    @cached_property
    def sources(self) -> list[Term]:
        return _terms((article.source, article) for article in self.articles if article.source)

    @cached_property
    def tag_slug(self) -> dict[str, str]:
        return {term.name: term.slug for term in self.tags}

    @cached_property
    def source_slug(self) -> dict[str, str]:
        return {term.name: term.slug for term in self.sources}

    @cached_property
    def months(self) -> list[Term]:
        """Archive by month, newest month first; articles that state no date last, in one list of their own."""
        by_month: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            by_month[month_key(article.date)].append(article)
        keys = sorted((k for k in by_month if k != "undated"), reverse=True)
        if "undated" in by_month:
            keys.append("undated")
        return [Term(name=month_name(k), slug=k, articles=tuple(by_month[k])) for k in keys]


def month_key(value: dt.date | None) -> str:
    return f"{value.year:04d}-{value.month:02d}" if value is not None else "undated"


def month_name(key: str) -> str:
    if key == "undated":
        return "Date not stated"
    year, month = key.split("-")
    return dt.date(int(year), int(month), 1).strftime("%B %Y")


def _terms(pairs) -> list[Term]:
    """Group (name, article) pairs; names that slugify alike are one term (first spelling wins)."""
    grouped: dict[str, list[Article]] = defaultdict(list)
    names: dict[str, str] = {}
    slugs: dict[str, str] = {}  # a name is on many articles: slugified once
    for name, article in pairs:
        slug = slugs.get(name) or slugs.setdefault(name, slugify(name))
        names.setdefault(slug, name)
        if not grouped[slug] or grouped[slug][-1] is not article:
            grouped[slug].append(article)
    return sorted(
        (Term(name=names[slug], slug=slug, articles=tuple(articles)) for slug, articles in grouped.items()),
        key=lambda term: (term.name.casefold(), term.slug),
    )
