"""The site as a list of pages: output path, template, and the plain data it shows.

A page's context is JSON-shaped data (dicts, lists, strings, numbers) and is
everything its template can see, so hashing it says exactly when the page must
be rendered again. Data shared by many pages (an article's card, a digest's
summary) is built once and shared, so planning stays linear in the site's size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Optional, Sequence
from urllib.parse import urlsplit

from .. import site as urls
from ..model import Article, Digest, date_sort_value
from ..site import Site, Term
from .dates import date_info, range_text

HOME_DIGESTS = 6  # digests shown on the home page
HOME_OVERVIEW_POINTS = 4  # overview points per digest there
PAGER_WINDOW = 2  # page links either side of the current one

FEED_TYPES = (("RSS", "application/rss+xml"), ("Atom", "application/atom+xml"), ("JSON Feed", "application/feed+json"))


class Shared:
    """Data many pages show (an article's card, a digest's summary): hashed once, shown many times.

    Templates read its fields as attributes; a page's fingerprint includes only its hash.
    """

    __slots__ = ("data", "fp")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.fp = hashlib.sha256(to_json(data).encode("utf-8", "surrogatepass")).hexdigest()

    def __getattr__(self, name: str) -> Any:
        try:
            return object.__getattribute__(self, "data")[name]
        except (KeyError, AttributeError):
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def to_json(value: Any) -> str:
    """Stable JSON of page data, Shared parts by their hash."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=lambda shared: shared.fp)


@dataclass
class Page:
    path: str  # site-relative output path
    template: str
    context: dict[str, Any]
    body: str = ""  # an article's Markdown: rendered at render time, its hash is in the context


def plan_pages(site: Site, feed_paths: frozenset[str]) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    shared = _Shared(site, feed_paths)
    pages: list[Page] = []
    pages += _home_pages(shared)
    pages += _index_pages(shared)
    pages.append(_page(shared, urls.NOT_FOUND, "404.html", "Page not found", "", section="", noindex=True))
    pages += [_digest_page(shared, digest) for digest in site.digests]
    for digest in site.digests:
        pages += _article_pages(shared, digest)
    undigested = [a for a in site.articles if a.slug not in site.digest_of]
    pages += [_article_page(shared, article, None, None, None) for article in undigested]
    for kind, terms, first, nth in (
        ("tag", site.tags, urls.TAG, urls.TAG_PAGE),
        ("source", site.sources, urls.SOURCE, urls.SOURCE_PAGE),
        ("month", site.months, urls.MONTH, urls.MONTH_PAGE),
    ):
        for term in terms:
            pages += _term_pages(shared, kind, term, first, nth)
    return pages


# ---------------------------------------------------------------- shared data


class _Shared:
    """Per-build data many pages show: site facts, article cards, digest summaries."""

    def __init__(self, site: Site, feed_paths: frozenset[str]) -> None:
        config = site.config
        self.site = site
        self.zone = config.tz
        self.language = config.language
        self.feed_paths = feed_paths
        self.facts = {
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "base_url": config.base_url,
            "author": config.author,
            # a build time makes every build differ, so only when asked for
            "generated": date_info(dt.datetime.now(self.zone), self.zone, config.language) if config.timestamp else None,
        }
        self.site_feeds = self.feeds(config.title, urls.RSS, urls.ATOM, urls.JSON_FEED)
        self.cards = {article.slug: Shared(self._card(article)) for article in site.articles}
        self.summaries = {digest.slug: Shared(self._summary(digest)) for digest in site.digests}

    def feeds(self, title: str, *paths: str) -> list[dict[str, str]]:
        """Alternate links to the feeds that were actually written."""
        return [
            {"title": f"{title} ({label})", "label": label, "type": mime, "path": path}
            for (label, mime), path in zip(FEED_TYPES, paths)
            if path in self.feed_paths
        ]

    def _card(self, article: Article) -> dict[str, Any]:
        site = self.site
        digest = site.digest_of.get(article.slug)
        return {
            "slug": article.slug,
            "title": article.title,
            "url": urls.ARTICLE.format(slug=article.slug),
            "date": date_info(article.date, self.zone, self.language, article.date_inferred),
            "source": _link(article.source, urls.SOURCE, site.source_slug.get(article.source)),
            "summary": article.summary,
            "tags": [_link(tag, urls.TAG, site.tag_slug.get(tag)) for tag in _unique(article.tags)],
            "digest": {"name": digest.name, "url": urls.DIGEST.format(slug=digest.slug)} if digest else None,
        }

    def _summary(self, digest: Digest) -> dict[str, Any]:
        cards = {article.slug: self.cards.get(article.slug) for article in digest.articles}
        overview = []
        for point in digest.overview:
            card = cards.get(point.article)
            overview.append({
                "text": point.text,
                "url": card["url"] if card else None,
                "title": card["title"] if card else "",
                "source": card["source"]["name"] if card and card["source"] else "",
            })
        return {
            "slug": digest.slug,
            "name": digest.name,
            "url": urls.DIGEST.format(slug=digest.slug),
            "first": date_info(digest.date_from, self.zone, self.language),
            "last": date_info(digest.date_to, self.zone, self.language),
            "dates": range_text(digest.date_from, digest.date_to, self.zone, self.language),
            "count": len(digest.articles),
            "overview": overview,
            "tags": [_link(tag, urls.TAG, self.site.tag_slug.get(tag)) for tag in _unique(digest.tags)],
            "sources": [_link(s, urls.SOURCE, self.site.source_slug.get(s)) for s in _unique(digest.sources)],
            "feeds": self.feeds(digest.name, *(p.format(slug=digest.slug) for p in (urls.DIGEST_RSS, urls.DIGEST_ATOM, urls.DIGEST_JSON))),
        }

    def digests_newest_first(self) -> list[Digest]:
        return sorted(self.site.digests, key=lambda d: (date_sort_value(d.date_to), d.slug), reverse=True)


def _link(name: str, pattern: str, slug: Optional[str]) -> Optional[dict[str, Any]]:
    if not name:
        return None
    return {"name": name, "url": pattern.format(slug=slug) if slug else None}


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def _root(path: str) -> str:
    """The relative way from a page back to the site's top folder."""
    return "../" * path.count("/")


def _page(shared: _Shared, path: str, template: str, title: str, description: str, *,
          section: str, og_type: str = "website", feeds: Optional[list] = None, noindex: bool = False,
          published: Optional[str] = None, **data: Any) -> Page:
    base_path = urlsplit(shared.site.config.base_url).path if noindex else ""
    # base_url always ends in "/" and paths never climb, so joining is concatenation (urljoin is slow)
    canonical = shared.facts["base_url"] + path.removesuffix("index.html") if not noindex else ""
    context = {
        "site": shared.facts,
        # 404 pages are served at any depth, so they link from the site's base path instead
        "root": base_path or _root(path),
        "page": {
            "path": path,
            "title": title,
            "description": _shorten(description or shared.facts["description"]),
            "canonical": canonical,
            "og_type": og_type,
            "published": published,
            "section": section,
            "noindex": noindex,
        },
        "feeds": shared.site_feeds + (feeds or []),
        "site_feeds": shared.site_feeds,
        **data,
    }
    return Page(path=path, template=template, context=context)


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- pagination


def _pager_pages(first: str, nth: str, slug: str, count: int) -> list[str]:
    return [first.format(slug=slug)] + [nth.format(slug=slug, number=n) for n in range(2, count + 1)]


def _paginate(items: Sequence[Any], per_page: int) -> list[Sequence[Any]]:
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [items[:0]]


def _pager(paths: list[str], index: int) -> Optional[dict[str, Any]]:
    """Links to the first, last, previous, next and nearby pages: never every page (that grows quadratically)."""
    if len(paths) < 2:
        return None
    shown = sorted({0, len(paths) - 1, *range(max(0, index - PAGER_WINDOW), min(len(paths), index + PAGER_WINDOW + 1))})
    links, previous = [], -1
    for i in shown:
        if i - previous > 1:
            links.append({"gap": True})
        links.append({"gap": False, "number": i + 1, "path": paths[i], "current": i == index})
        previous = i
    return {
        "number": index + 1,
        "count": len(paths),
        "prev": paths[index - 1] if index > 0 else None,
        "next": paths[index + 1] if index + 1 < len(paths) else None,
        "links": links,
    }


# ---------------------------------------------------------------- the pages


def _home_pages(shared: _Shared) -> list[Page]:
    site = shared.site
    chunks = _paginate(site.articles, site.config.per_page)
    paths = [urls.HOME] + [urls.HOME_PAGE.format(number=n) for n in range(2, len(chunks) + 1)]
    latest = []
    for digest in shared.digests_newest_first()[:HOME_DIGESTS]:
        summary = dict(shared.summaries[digest.slug].data)
        summary["more"] = max(0, len(summary["overview"]) - HOME_OVERVIEW_POINTS)
        summary["overview"] = summary["overview"][:HOME_OVERVIEW_POINTS]
        latest.append(summary)
    pages = []
    for index, (path, chunk) in enumerate(zip(paths, chunks)):
        title = "Latest news" if index == 0 else f"Latest articles, page {index + 1}"
        pages.append(_page(
            shared, path, "index.html", title, "", section="home",
            digests=latest if index == 0 else [],
            articles=[shared.cards[a.slug] for a in chunk],
            pager=_pager(paths, index),
        ))
    return pages


def _digest_page(shared: _Shared, digest: Digest) -> Page:
    summary = shared.summaries[digest.slug]
    duplicate_of = {}
    for group in digest.duplicates:
        for later in group[1:]:
            duplicate_of[later] = group[0]
    articles = []
    for article in digest.articles:
        card = dict(shared.cards[article.slug].data)
        first = shared.cards.get(duplicate_of.get(article.slug, ""))
        card["duplicate_of"] = {"title": first["title"], "url": first["url"]} if first else None
        articles.append(card)
    first_point = summary["overview"][0]["text"] if summary["overview"] else ""
    description = first_point or f"A digest of {summary['count']} articles. {summary['dates']}"
    return _page(
        shared, summary["url"], "digest.html", digest.name, description,
        section="digests", feeds=summary["feeds"], digest=summary, articles=articles,
    )


def _article_pages(shared: _Shared, digest: Digest) -> list[Page]:
    ordered = digest.articles  # oldest first: previous is earlier in the story
    return [
        _article_page(
            shared, article, digest,
            ordered[i - 1] if i > 0 else None,
            ordered[i + 1] if i + 1 < len(ordered) else None,
        )
        for i, article in enumerate(ordered)
    ]


def _article_page(shared: _Shared, article: Article, digest: Optional[Digest],
                  previous: Optional[Article], following: Optional[Article]) -> Page:
    card = shared.cards[article.slug]
    words = len(article.body.split())
    summary = shared.summaries[digest.slug] if digest else None
    page = _page(
        shared, card["url"], "article.html", article.title, article.summary,
        section="", og_type="article",
        feeds=summary["feeds"] if summary else [],
        published=card["date"]["iso"] if card["date"] else None,
        article={
            **card.data,
            "body_sha": hashlib.sha256(article.body.encode("utf-8", "surrogatepass")).hexdigest(),
            "words": words,
            "minutes": max(1, round(words / 230)),
            "standfirst": article.summary if not _opens_with(article.body, article.summary) else "",
        },
        digest={k: summary[k] for k in ("name", "url", "dates", "count")} if summary else None,
        previous=_neighbour(shared, previous),
        next=_neighbour(shared, following),
    )
    page.body = article.body
    return page


def _opens_with(body: str, summary: str) -> bool:
    """Whether the body already starts with the summary's words (then showing both repeats it)."""
    words = summary.split()[:12]
    return not words or " ".join(words) in " ".join(body[:2000].split())


def _neighbour(shared: _Shared, article: Optional[Article]) -> Optional[dict[str, Any]]:
    if article is None:
        return None
    card = shared.cards[article.slug]
    return {"title": card["title"], "url": card["url"], "date": card["date"]}


_TERM_TITLES = {"tag": "Tagged “{}”", "source": "From {}", "month": "{}"}
_TERM_SECTIONS = {"tag": "tags", "source": "sources", "month": "archive"}


def _term_pages(shared: _Shared, kind: str, term: Term, first: str, nth: str) -> list[Page]:
    chunks = _paginate(term.articles, shared.site.config.per_page)
    paths = _pager_pages(first, nth, term.slug, len(chunks))
    heading = _TERM_TITLES[kind].format(term.name)
    count = len(term.articles)
    pages = []
    for index, (path, chunk) in enumerate(zip(paths, chunks)):
        title = heading if index == 0 else f"{heading}, page {index + 1}"
        description = f"{count} article{'s' if count != 1 else ''}: {heading}."
        pages.append(_page(
            shared, path, f"{kind}.html", title, description, section=_TERM_SECTIONS[kind],
            term={"kind": kind, "name": term.name, "slug": term.slug, "count": count, "heading": heading},
            articles=[shared.cards[a.slug] for a in chunk],
            pager=_pager(paths, index),
        ))
    return pages


def _index_pages(shared: _Shared) -> list[Page]:
    site = shared.site
    entries = lambda terms, pattern: [  # noqa: E731 - one shape for three lists
        {"name": t.name, "url": pattern.format(slug=t.slug), "count": len(t.articles)} for t in terms
    ]
    years: dict[str, list] = {}
    for term, entry in zip(site.months, entries(site.months, urls.MONTH)):
        years.setdefault(term.slug[:4] if term.slug[:4].isdigit() else term.name, []).append(entry)
    return [
        _page(shared, urls.DIGESTS, "digests.html", "All digests", "Every digest, newest first.", section="digests",
              digests=[shared.summaries[d.slug] for d in shared.digests_newest_first()]),
        _page(shared, urls.TAGS, "tags.html", "Tags", "Every tag and its articles.", section="tags",
              terms=entries(site.tags, urls.TAG)),
        _page(shared, urls.SOURCES, "sources.html", "Sources", "Every publisher and its articles.", section="sources",
              terms=entries(site.sources, urls.SOURCE)),
        _page(shared, urls.ARCHIVE, "archive.html", "Archive", "Every article, month by month.", section="archive",
              years=[{"name": year, "months": months} for year, months in years.items()]),
    ]
