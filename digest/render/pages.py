"""The site as a list of pages: output path, template, a key of what it shows, and its context on demand.

A page's context (everything its template can see) is made only when the page
is rendered. Its key is computed beforehand from the same inputs the context is
made from, named cheaply: an article by its fingerprints (hashes of its fields
and of its body, computed when the content file was parsed), a card by the first
plus the digest and tag/source addresses it links to, a digest by the keys of
what it shows. Each page kind below has one function that names the inputs
once and hands them both to the key and to the context maker, so a change to
anything a page shows changes its key, and nothing else does.

Data shared by many pages (an article's card, a digest's summary: render/shared.py) is made once
per build, on first use, so planning and rendering stay linear in the site's size.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence
from urllib.parse import urlsplit

from markupsafe import Markup

from .. import site as urls
from ..model import Article, DateValue, Digest
from ..site import Site, Term
from .dates import date_info
from .inputs import key_of
from .shared import Lazy, Shared

HOME_DIGESTS = 6  # digests shown on the home page
HOME_OVERVIEW_POINTS = 4  # overview points per digest there
PAGER_WINDOW = 2  # page links either side of the current one
# A long list's pages, and a large digest's article pages, are planned in parts: an edit expands
# the part that shows the article (a list's ten pages around it), not the list's every page.
PAGES_AT_ONCE = 10
ARTICLES_AT_ONCE = 100


@dataclass
class Page:
    path: str  # site-relative output path
    template: str
    title: str
    key: str  # a hash of everything the page shows (its templates aside)
    make: Callable[[], dict[str, Any]]  # the full context, made only when the page is rendered
    date: DateValue = None  # an article page's date: the sitemap's lastmod
    noindex: bool = False
    body: str = ""  # an article's Markdown: rendered at render time (it is in the key by the article's fingerprint)


@dataclass
class Group:
    """Pages planned together: when the group's key and files are as the last build left them,
    none of its pages needs planning one by one (what keeps a one-article edit cheap)."""

    id: str
    template: str  # every page of the group uses it ("" when the group is always planned page by page)
    key: str  # changes whenever the key of any of its pages would ("" for always)
    expand: Callable[[], list[Page]]


UNDIGESTED_GROUP = 200  # articles outside any digest, grouped in runs of this many (by slug)


def plan_pages(site: Site, feed_paths: frozenset[str], styles: bytes = b"") -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    return [page for group in plan_groups(site, feed_paths, styles) for page in group.expand()]


def plan_groups(
    site: Site,
    feed_paths: frozenset[str],
    styles: bytes = b"",
    shared: Optional[Shared] = None,
    keys: Mapping[str, str] = {},
) -> list[Group]:
    """The site's pages in groups, in a stable order. A group's key is made from the keys of
    what its pages show (cards, summaries, bodies), which name their neighbours and titles too.
    `styles`: the theme's stylesheet, which the not-found page carries in itself.
    `shared`: this site's, made already; `keys`: group id → its key, known unchanged since the
    last plan (render/kept.py): not computed again."""
    shared = shared or Shared(site, feed_paths)
    each = functools.partial(Group, template="", key="")
    groups = _home_groups(shared)
    groups.append(each("lists", expand=lambda: [*_index_pages(shared), _not_found_page(shared, styles)]))
    groups.append(each("digests", expand=lambda: [_digest_page(shared, digest) for digest in site.digests]))
    for digest in site.digests:
        groups += _digest_article_groups(shared, digest, keys)
    for run in undigested_runs(site):
        gid = f"articles:{run[0].slug}"
        key = keys.get(gid) or key_of([shared.config_key, *map(shared.article_key, run)])
        groups.append(Group(gid, "article.html", key, functools.partial(_lone_article_pages, shared, run)))
    groups += _term_groups(shared, keys)
    return groups


def part_id(family: str, part: int) -> str:
    """The id of the part-th group of a family (a list's pages, a digest's articles); the first keeps the family's."""
    return family if part == 0 else f"{family}@{part}"


def family_of(group_id: str) -> str:
    """The family a group belongs to (slugs hold no "@")."""
    return group_id.partition("@")[0]


def _parts(count: int, size: int) -> list[tuple[int, int, int]]:
    """(part, start, stop) of `count` items, `size` a part; one part, empty, when there are none."""
    return [(part, start, min(start + size, count)) for part, start in enumerate(range(0, max(count, 1), size))]


def undigested_runs(site: Site) -> list[list[Article]]:
    """The articles outside any digest, by slug, in runs of UNDIGESTED_GROUP."""
    undigested = sorted((a for a in site.articles if a.slug not in site.digest_of), key=lambda a: a.slug)
    return [undigested[start : start + UNDIGESTED_GROUP] for start in range(0, len(undigested), UNDIGESTED_GROUP)]


TERM_KINDS = (
    ("tag", urls.TAG, urls.TAG_PAGE),
    ("source", urls.SOURCE, urls.SOURCE_PAGE),
    ("month", urls.MONTH, urls.MONTH_PAGE),
)


def _term_groups(shared: Shared, keys: Mapping[str, str]) -> list[Group]:
    site, groups = shared.site, []
    # Every article is in several terms: one pass in C over each term's articles (the largest part of planning).
    card_key = functools.cache(lambda: {slug: card.key for slug, card in shared.cards.items()}.__getitem__)
    for (kind, first, nth), terms in zip(TERM_KINDS, (site.tags, site.sources, site.months)):
        for term in terms:
            count = _page_count(len(term.articles), shared.per_page)
            listed = functools.cache(
                functools.partial(_ListPages, term.articles, shared.per_page, first, nth, term.slug)
            )
            named = repr((kind, term.name, term.slug, len(term.articles)))
            for part, start, stop in _parts(count, PAGES_AT_ONCE):
                gid = part_id(f"{kind}:{term.slug}", part)
                # the part's articles sliced only when its key is made: on an edit most keys are known
                key = keys.get(gid) or key_of(
                    [
                        shared.config_key,
                        named,
                        str(count),
                        str(start),
                        *map(card_key(), map(_slug, term.articles[start * shared.per_page : stop * shared.per_page])),
                    ]
                )
                make = functools.partial(_term_pages, shared, kind, term, listed, range(start, stop))
                groups.append(Group(gid, f"{kind}.html", key, make))
    return groups


_slug = operator.attrgetter("slug")


def _not_found_page(shared: Shared, styles: bytes) -> Page:
    """Hosts serve it at any missing address, and people open it from disk: its styles are in
    the page itself (a stylesheet link would need one of the two to be wrong)."""
    css = styles.decode("utf-8", "replace").replace("</", "<\\/")  # cannot close the <style> element
    return _entry(
        shared,
        urls.NOT_FOUND,
        "404.html",
        "Page not found",
        "",
        [key_of([css])],
        lambda: {"inline_css": Markup(css)},
        section="",
        noindex=True,
    )


def _home_groups(shared: Shared) -> list[Group]:
    latest = [shared.summaries[d.slug].key for d in shared.digests_newest_first[:HOME_DIGESTS]]
    articles, per_page = shared.site.articles, shared.per_page
    count = _page_count(len(articles), per_page)
    listed = functools.cache(functools.partial(_ListPages, articles, per_page, urls.HOME, urls.HOME_PAGE, ""))
    groups = []
    for part, start, stop in _parts(count, PAGES_AT_ONCE):
        shown = articles[start * per_page : stop * per_page]
        data_key = [*(latest if start == 0 else []), "", str(count), str(start)]
        key = key_of([shared.config_key, *data_key, *(shared.cards[a.slug].key for a in shown)])
        make = functools.partial(_home_pages, shared, listed, range(start, stop))
        groups.append(Group(part_id("home", part), "index.html", key, make))
    return groups


def _digest_article_groups(shared: Shared, digest: Digest, keys: Mapping[str, str]) -> list[Group]:
    """A digest's article pages, ARTICLES_AT_ONCE a group. A group's key names its articles and
    the articles just outside it that its pages link to as Earlier and Later."""
    story = functools.cache(lambda: _Story(digest.articles))  # not made for the parts whose keys are known
    groups = []
    for part, start, stop in _parts(len(digest.articles), ARTICLES_AT_ONCE):
        gid = part_id(f"digest:{digest.slug}", part)
        run = digest.articles[start:stop]
        key = keys.get(gid) or key_of(
            [
                shared.config_key,
                shared.brief_keys[digest.slug],
                *map(shared.article_key, run),
                *map(_neighbour_key, story().around(run)),
            ]
        )
        groups.append(Group(gid, "article.html", key, functools.partial(_article_pages, shared, digest, story, run)))
    return groups


def _lone_article_pages(shared: Shared, articles: list[Article]) -> list[Page]:
    return [_article_page(shared, article, None, None, None) for article in articles]


def _root(path: str) -> str:
    """The relative way from a page back to the site's top folder."""
    return "../" * path.count("/")


def _entry(
    shared: Shared,
    path: str,
    template: str,
    title: str,
    description: str,
    data_key: list[str],
    make_data: Callable[[], dict[str, Any]],
    *,
    section: str,
    og_type: str = "website",
    feeds: Optional[list] = None,
    feeds_key: str = "",
    noindex: bool = False,
    date: DateValue = None,
    body: str = "",
) -> Page:
    """A page whose key is the site's settings, these arguments and `data_key`, which must name
    everything `make_data` reads (`feeds_key`: the feeds', when there are any)."""
    meta = (path, title, description, section, og_type, feeds, noindex)
    make = functools.partial(_context, shared, meta, make_data)
    key = key_of(
        [
            shared.config_key,
            path,
            repr(title),
            repr(description),
            section,
            og_type,
            feeds_key,
            "1" if noindex else "",
            *data_key,
        ]
    )
    return Page(path=path, template=template, title=title, key=key, make=make, date=date, noindex=noindex, body=body)


def _context(shared: Shared, meta: tuple, make_data: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    path, title, description, section, og_type, feeds, noindex = meta
    data = make_data()
    base_path = urlsplit(shared.facts["base_url"]).path if noindex else ""
    # base_url always ends in "/" and paths never climb, so joining is concatenation (urljoin is slow)
    canonical = shared.facts["base_url"] + path.removesuffix("index.html") if not noindex else ""
    return {
        "site": shared.facts,
        # 404 pages are served at any depth, so they link from the site's base path instead
        "root": base_path or _root(path),
        "page": {
            "path": path,
            "title": title,
            "description": _shorten(description or shared.facts["description"]),
            "canonical": canonical,
            "og_type": og_type,
            "published": data.pop("published", None),
            "section": section,
            "noindex": noindex,
        },
        "feeds": shared.site_feeds + (feeds or []),
        "site_feeds": shared.site_feeds,
        **data,
    }


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- pagination


def _pager_pages(first: str, nth: str, slug: str, count: int) -> list[str]:
    return [first.format(slug=slug)] + [nth.format(slug=slug, number=n) for n in range(2, count + 1)]


class _ListPages:
    """A list's pages: its articles a page at a time and each page's path. Made once for all parts of
    the list (a part holding a list of its own would hold every page's path: quadratic in a long list)."""

    def __init__(self, articles: Sequence[Article], per_page: int, first: str, nth: str, slug: str) -> None:
        self.chunks = _paginate(articles, per_page)
        self.paths = _pager_pages(first, nth, slug, len(self.chunks))


def _page_count(items: int, per_page: int) -> int:
    """len(_paginate(...)) without making the pages: an empty list still has its one page."""
    return max(1, -(-items // per_page))


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


def _list_data(cards: list[Lazy], paths: list[str], index: int, **data: Any) -> dict[str, Any]:
    return {**data, "articles": [card.data for card in cards], "pager": _pager(paths, index)}


# ---------------------------------------------------------------- the pages
# Each function names a page's inputs once: `data_key` for its key, the same values for its maker.


def _home_pages(shared: Shared, listed: Callable[[], "_ListPages"], indexes: range) -> list[Page]:
    chunks, paths = listed().chunks, listed().paths
    latest = [shared.summaries[digest.slug] for digest in shared.digests_newest_first[:HOME_DIGESTS]]
    pages = []
    for index in indexes:
        path, chunk = paths[index], chunks[index]
        title = "Latest news" if index == 0 else f"Latest articles, page {index + 1}"
        cards = [shared.cards[a.slug] for a in chunk]
        shown = latest if index == 0 else []
        make = functools.partial(_home_data, shown, cards, paths, index)
        data_key = [*(s.key for s in shown), "", *(c.key for c in cards), str(len(paths)), str(index)]
        pages.append(_entry(shared, path, "index.html", title, "", data_key, make, section="home"))
    return pages


def _home_data(latest: list[Lazy], cards: list[Lazy], paths: list[str], index: int) -> dict[str, Any]:
    digests = []
    for ref in latest:
        summary = dict(ref.data)
        summary["more"] = max(0, len(summary["overview"]) - HOME_OVERVIEW_POINTS)
        summary["overview"] = summary["overview"][:HOME_OVERVIEW_POINTS]
        digests.append(summary)
    return _list_data(cards, paths, index, digests=digests)


def _digest_page(shared: Shared, digest: Digest) -> Page:
    duplicate_of = {}
    for group in digest.duplicates:
        for later in group[1:]:
            duplicate_of[later] = group[0]
    summary = shared.summaries[digest.slug]
    # Newest first, as every list: the undated last, by when they entered the site (Article.sort_key).
    rows = [(shared.cards[a.slug], shared.cards.get(duplicate_of.get(a.slug, ""))) for a in reversed(digest.articles)]
    first_point = digest.overview[0].text if digest.overview else ""
    description = first_point or f"A digest of {len(digest.articles)} articles. {shared.briefs[digest.slug]['dates']}"
    data_key = [summary.key, *(f"{card.key}>{first.key if first else ''}" for card, first in rows)]
    make = functools.partial(_digest_data, summary, rows)
    return _entry(
        shared,
        urls.DIGEST.format(slug=digest.slug),
        "digest.html",
        digest.name,
        description,
        data_key,
        make,
        section="digests",
        feeds=shared.digest_feeds[digest.slug],
        feeds_key=shared.brief_keys[digest.slug],
    )


def _digest_data(summary: Lazy, rows: list[tuple[Lazy, Optional[Lazy]]]) -> dict[str, Any]:
    articles = []
    for card, first in rows:
        shown = dict(card.data)
        shown["duplicate_of"] = {"title": first.data["title"], "url": first.data["url"]} if first else None
        articles.append(shown)
    return {"digest": summary.data, "articles": articles}


class _Story:
    """A digest's articles in time, for Earlier and Later: only articles that state a date have a place in it."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.ordered = [a for a in articles if a.date is not None]  # oldest first
        self.place = {a.slug: i for i, a in enumerate(self.ordered)}

    def neighbours(self, article: Article) -> tuple[Optional[Article], Optional[Article]]:
        i = self.place.get(article.slug)
        if i is None:
            return None, None
        return self.ordered[i - 1] if i > 0 else None, self.ordered[i + 1] if i + 1 < len(self.ordered) else None

    def around(self, run: Sequence[Article]) -> list[Optional[Article]]:
        """The articles just before and after a run of the digest's articles in time: its dated ones
        are one stretch of the story (a run of a list keeps its order), so only the two ends look out."""
        dated = [a for a in run if a.date is not None]
        return [self.neighbours(dated[0])[0], self.neighbours(dated[-1])[1]] if dated else []


def _article_pages(shared: Shared, digest: Digest, story: Callable[[], _Story], run: Sequence[Article]) -> list[Page]:
    return [_article_page(shared, article, digest, *story().neighbours(article)) for article in run]


def _neighbour_key(article: Optional[Article]) -> str:
    """What a page shows of the article before or after it: its title, address and date."""
    if article is None:
        return ""
    return repr((article.slug, article.title, article.date, article.date_inferred))


def _article_page(
    shared: Shared,
    article: Article,
    digest: Optional[Digest],
    previous: Optional[Article],
    following: Optional[Article],
) -> Page:
    card = shared.cards[article.slug]
    brief = shared.briefs[digest.slug] if digest else None
    feeds = shared.digest_feeds[digest.slug] if digest else []
    neighbours = (
        shared.cards[previous.slug] if previous else None,
        shared.cards[following.slug] if following else None,
    )
    body = article.fingerprints[1]
    related = shared.related_cards(article)
    data_key = [card.key, body, _neighbour_key(previous), _neighbour_key(following), shared.related_key(article)]
    make = functools.partial(_article_data, article, card, brief, neighbours, related)
    return _entry(
        shared,
        urls.ARTICLE.format(slug=article.slug),
        "article.html",
        article.title,
        article.summary,
        data_key,
        make,
        section="",
        og_type="article",
        feeds=feeds,
        feeds_key=shared.brief_keys[digest.slug] if digest else "",
        date=article.date,
        body=article.body,
    )


def _article_data(
    article: Article, card: Lazy, brief: Optional[dict], neighbours: tuple, related: list[Lazy]
) -> dict[str, Any]:
    words = len(article.body.split())
    shown = card.data
    return {
        "published": shown["date"]["iso"] if shown["date"] else None,
        "article": {
            **shown,
            "body_sha": hashlib.sha256(article.body.encode("utf-8", "surrogatepass")).hexdigest(),
            "words": words,
            "minutes": max(1, round(words / 230)),
            "standfirst": article.summary if not _opens_with(article.body, article.summary) else "",
            **_original(article),
        },
        "digest": brief,
        "previous": _neighbour(neighbours[0]),
        "next": _neighbour(neighbours[1]),
        "related": [card.data for card in related],
    }


def _original(article: Article) -> dict[str, Any]:
    """Where the article came from on the web, and its lead image (front matter checked them: http(s) only)."""
    url, image = article.extra.get("url"), article.extra.get("image")
    shown: dict[str, Any] = {"summary_only": article.extra.get("summary_only") is True, "original": None, "image": None}
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname or url
        shown["original"] = {"url": url, "site": host.removeprefix("www.")}
    if isinstance(image, str) and image:
        shown["image"] = image
    return shown


def _opens_with(body: str, summary: str) -> bool:
    """Whether the body already starts with the summary's words (then showing both repeats it)."""
    words = summary.split()[:12]
    return not words or " ".join(words) in " ".join(body[:2000].split())


def _neighbour(card: Optional[Lazy]) -> Optional[dict[str, Any]]:
    if card is None:
        return None
    data = card.data
    return {"title": data["title"], "url": data["url"], "date": data["date"]}


_TERM_TITLES = {"tag": "Tagged “{}”", "source": "From {}", "month": "{}"}
_TERM_SECTIONS = {"tag": "tags", "source": "sources", "month": "archive"}


def _term_pages(
    shared: Shared, kind: str, term: Term, listed: Callable[[], "_ListPages"], indexes: range
) -> list[Page]:
    chunks, paths = listed().chunks, listed().paths
    heading = _TERM_TITLES[kind].format(term.name)
    count = len(term.articles)
    info = {"kind": kind, "name": term.name, "slug": term.slug, "count": count, "heading": heading}
    info_key = repr(info)
    description = f"{count} article{'s' if count != 1 else ''}: {heading}."
    pages = []
    for index in indexes:
        path, chunk = paths[index], chunks[index]
        title = heading if index == 0 else f"{heading}, page {index + 1}"
        cards = [shared.cards[a.slug] for a in chunk]
        data_key = [info_key, *(c.key for c in cards), str(len(paths)), str(index)]
        make = functools.partial(_list_data, cards, paths, index, term=info)
        pages.append(
            _entry(shared, path, f"{kind}.html", title, description, data_key, make, section=_TERM_SECTIONS[kind])
        )
    return pages


def _index_pages(shared: Shared) -> list[Page]:
    site = shared.site
    entries = lambda terms, pattern: [  # noqa: E731 - one shape for three lists
        {"name": t.name, "url": pattern.format(slug=t.slug), "count": len(t.articles)} for t in terms
    ]
    years: dict[str, list] = {}
    for term, entry in zip(site.months, entries(site.months, urls.MONTH)):
        years.setdefault(term.slug[:4] if term.slug[:4].isdigit() else term.name, []).append(entry)
    summaries = [shared.summaries[d.slug] for d in shared.digests_newest_first]

    def plain(**data: Any) -> Callable[[], dict[str, Any]]:  # data already made: its repr is its key
        return functools.partial(dict, **data)

    tags, sources = entries(site.tags, urls.TAG), entries(site.sources, urls.SOURCE)
    archive = [{"name": year, "months": months} for year, months in years.items()]
    return [
        *_editions_page(shared),
        _entry(
            shared,
            urls.DIGESTS,
            "digests.html",
            "All digests",
            "Every digest, newest first.",
            [s.key for s in summaries],
            lambda: {"digests": [s.data for s in summaries]},
            section="digests",
        ),
        _entry(
            shared,
            urls.TAGS,
            "tags.html",
            "Tags",
            "Every tag and its articles.",
            [repr(tags)],
            plain(terms=tags),
            section="tags",
        ),
        _entry(
            shared,
            urls.SOURCES,
            "sources.html",
            "Sources",
            "Every publisher and its articles.",
            [repr(sources)],
            plain(terms=sources),
            section="sources",
        ),
        _entry(
            shared,
            urls.ARCHIVE,
            "archive.html",
            "Archive",
            "Every article, month by month.",
            [repr(archive)],
            plain(years=archive),
            section="archive",
        ),
    ]


def _editions_page(shared: Shared) -> list[Page]:
    """The list of email editions (`digest newsletter`), when there are any."""
    editions = [
        {
            "date": date_info(dt.date.fromisoformat(e.date), shared.zone, shared.language),
            "subject": e.subject,
            "preheader": e.preheader,
            "url": urls.EDITION.format(date=e.date),
        }
        for e in shared.site.editions
    ]
    if not editions:
        return []
    return [
        _entry(
            shared,
            urls.EDITIONS,
            "newsletters.html",
            "Newsletter",
            "Every email edition, newest first.",
            [repr(editions)],
            functools.partial(dict, editions=editions),
            section="newsletter",
        )
    ]
