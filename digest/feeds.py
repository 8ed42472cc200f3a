"""RSS 2.0, Atom and JSON Feed 1.1 for the whole site and for each digest.

A pure function of the `Site`: the same site gives the same bytes, so no
clock is read unless `config.timestamp` asks for it; a channel's date is its
newest item's. RSS and Atom come from feedgen; JSON Feed is plain json
(no Python feed library writes it).

Every text a user or a scraped page supplied passes `strip_illegal` first:
one control character makes a whole feed unreadable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urlsplit

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from . import __version__
from .config import is_http_url
from .markdown import plain_excerpt, strip_illegal, to_html
from .model import Article, DateValue, slugify
from .site import (
    ARTICLE,
    ATOM,
    DIGEST,
    DIGEST_ATOM,
    DIGEST_JSON,
    DIGEST_RSS,
    HOME,
    JSON_FEED,
    RSS,
    SOURCE,
    Site,
)

GENERATOR = "digest"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# A feed with no dated item still needs a channel date; a fixed one keeps the
# bytes stable (the W3C validator calls dates before 1990 implausible).
UNDATED_FEED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class FeedSpec:
    """One feed: what it is called, which page it stands for, and its items."""

    title: str
    description: str
    page: str  # site-relative path of the HTML page the feed mirrors
    rss: str  # site-relative paths of the feed files
    atom: str
    json: str
    articles: tuple[Article, ...]  # newest first, already cut to config.feeds.items


def render_feeds(site: Site, specs: Optional[list[FeedSpec]] = None) -> dict[str, bytes]:
    """Site-relative path → bytes of every feed the configuration asks for (or of `specs` only)."""
    output: dict[str, bytes] = {}
    for spec in feed_specs(site) if specs is None else specs:
        writers = {spec.rss: rss_feed, spec.atom: atom_feed, spec.json: json_feed}
        for path in spec_paths(site, spec):
            output[path] = writers[path](site, spec)
    return output


def spec_paths(site: Site, spec: FeedSpec) -> list[str]:
    """The files `render_feeds` writes for one feed."""
    wanted = (True, site.config.feeds.atom, site.config.feeds.json_feed)
    return [path for path, on in zip((spec.rss, spec.atom, spec.json), wanted) if on]


def feed_specs(site: Site) -> list[FeedSpec]:
    config = site.config
    limit = config.feeds.items
    specs = [
        FeedSpec(
            title=config.title,
            description=config.description,
            page=HOME,
            rss=RSS,
            atom=ATOM,
            json=JSON_FEED,
            articles=tuple(site.articles[:limit]),
        )
    ]
    for digest in site.digests:
        newest_first = sorted(digest.articles, key=lambda article: article.sort_key, reverse=True)
        specs.append(
            FeedSpec(
                title=f"{digest.name} – {config.title}",
                description=f"{digest.name}: a digest of {len(digest.articles)} articles. {config.description}",
                page=DIGEST.format(slug=digest.slug),
                rss=DIGEST_RSS.format(slug=digest.slug),
                atom=DIGEST_ATOM.format(slug=digest.slug),
                json=DIGEST_JSON.format(slug=digest.slug),
                articles=tuple(newest_first[:limit]),
            )
        )
    return specs


# ---------------------------------------------------------------- dates


def in_zone(value: DateValue, zone: dt.tzinfo) -> Optional[dt.datetime]:
    """An aware datetime in the site's zone: dates are midnight there, naive times are read as local."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    try:
        return value.astimezone(zone).replace(microsecond=0)
    except OverflowError:  # a hand-typed year 1 or 9999 that no zone shift fits: treat as undated
        return None


def item_date(article: Article, zone: dt.tzinfo) -> Optional[dt.datetime]:
    """An item's date: the article's own, or for one that states none, when it entered the site
    (recorded once, so it is true and the same in every build; a feed reader that finds no date
    stamps the item with the time it fetched it, new on every reload)."""
    return in_zone(article.date if article.date is not None else article.added, zone)


def channel_date(site: Site, spec: FeedSpec) -> dt.datetime:
    """The build time when configured, else the newest entry's instant, so a rebuild changes nothing."""
    zone = site.config.tz
    if site.config.timestamp:
        return dt.datetime.now(zone).replace(microsecond=0)
    instants = distinct_instants(spec.articles, zone).values()
    return max(instants, default=UNDATED_FEED_DATE.astimezone(zone))


def distinct_instants(articles: tuple[Article, ...], zone: dt.tzinfo) -> dict[str, dt.datetime]:
    """Article slug → an atom:updated that no other entry of the feed shares.

    Atom wants entries' instants to differ (the W3C validator warns otherwise),
    but a date-only article has no time and news days hold many articles. Those
    are spread over the first hour of their day by a hash of the slug, which
    depends on nothing else in the feed, so an entry's instant stays put as the
    feed changes. An article that states no date has the instant it entered the site.
    """
    result: dict[str, dt.datetime] = {}
    used: set[dt.datetime] = set()
    for article in articles:
        when = item_date(article, zone) or UNDATED_FEED_DATE.astimezone(zone)
        if not isinstance(article.date, dt.datetime) and article.date is not None:
            when += dt.timedelta(seconds=_slug_seconds(article.slug))
        while when in used:  # two real times alike, or two hashes alike: rare
            when -= dt.timedelta(seconds=1)
        used.add(when)
        result[article.slug] = when
    return result


def _slug_seconds(slug: str) -> int:
    return int(hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8], 16) % 3600


# ---------------------------------------------------------------- shared item data


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    summary: str  # plain text, never empty: the article's own, else the body's opening words
    content_html: Optional[str]  # None when the feed carries summaries only
    published: Optional[dt.datetime]
    source: str
    source_url: Optional[str]  # the source's page on this site
    author: str  # the byline's person ("" when unknown): never the publisher
    tags: tuple[str, ...]
    original: str = ""  # the article's own address on the web: JSON Feed's external_url, an Atom "related" link
    image: str = ""  # its lead image: media:content in RSS and Atom, "image" in JSON Feed


def feed_item(site: Site, article: Article) -> Item:
    url = site.url(ARTICLE.format(slug=article.slug))
    original, image = _web_address(article.extra.get("url")), _web_address(article.extra.get("image"))
    content = to_html(article.body, base_url=url) if site.config.feeds.full_text else None
    if content is not None and original:
        content += _original_note(original, article.extra.get("summary_only") is True)
    title = clean_line(article.title) or article.slug
    return Item(
        url=url,
        title=title,
        summary=clean_line(article.summary) or plain_excerpt(article.body) or title,
        content_html=content,
        published=item_date(article, site.config.tz),
        source=clean_line(article.source),
        source_url=site.url(SOURCE.format(slug=slugify(article.source))) if article.source else None,
        author=clean_line(article.author),
        tags=tuple(tag for tag in (clean_line(t) for t in article.tags) if tag),
        original=original,
        image=image,
    )


def _web_address(value: object) -> str:
    """A front-matter address as a feed may carry it (load checked it is http(s); this keeps it one clean line)."""
    return clean_line(value) if isinstance(value, str) and is_http_url(value) else ""


def _original_note(original: str, summary_only: bool) -> str:
    """The article page's last line, in the item's content too: a reader sees where the story is from."""
    site = html.escape(urlsplit(original).hostname or original)
    lead = "<strong>Summary only</strong> — read the full story at" if summary_only else "Read the original at"
    return f'\n<p>{lead} <a href="{html.escape(original)}">{site.removeprefix("www.")}</a></p>'


def clean_line(text: str) -> str:
    """One line of plain text: legal characters, single spaces."""
    return " ".join(strip_illegal(text).split())


# ---------------------------------------------------------------- RSS and Atom


def _generator(site: Site, spec: FeedSpec, self_path: str, self_type: str) -> FeedGenerator:
    config = site.config
    feed = FeedGenerator()
    feed.id(site.url(self_path))
    feed.title(clean_line(spec.title))
    feed.description(clean_line(spec.description) or clean_line(spec.title))
    feed.language(config.language)
    feed.generator(GENERATOR, version=__version__)
    feed.author(name=clean_line(config.author) or clean_line(config.title))
    feed.link(href=site.url(self_path), rel="self", type=self_type)
    # feedgen takes the channel's RSS <link> from the last link added
    feed.link(href=site.url(spec.page), rel="alternate", type="text/html")
    when = channel_date(site, spec)
    feed.updated(when)
    feed.lastBuildDate(when)
    return feed


def rss_feed(site: Site, spec: FeedSpec) -> bytes:
    feed = _generator(site, spec, spec.rss, "application/rss+xml")
    feed.load_extension("dc", atom=False, rss=True)
    items = [feed_item(site, article) for article in spec.articles]
    _media_if_any(feed, items, atom=False)
    for item in items:
        entry = feed.add_entry(order="append")
        entry.guid(item.url, permalink=True)
        entry.title(rss_text(item.title))
        entry.link(href=item.url)
        # RSS descriptions are HTML: plain text is escaped once more so "<b>" stays text.
        entry.description(html.escape(item.summary, quote=False), isSummary=True)
        if item.content_html:
            entry.content(item.content_html, type="html")
        if item.published:
            entry.pubDate(item.published)
        for tag in item.tags:
            entry.category(term=rss_text(tag))
        if item.image:
            entry.media.content(url=item.image, medium="image", group=None)  # one image: no media:group
        if item.author:
            # RSS <author> must be an e-mail address; Dublin Core's creator is the byline as written.
            entry.dc.dc_creator(rss_text(item.author))
        if item.source and item.source_url:
            entry.source(url=item.source_url, title=rss_text(item.source))
    return rss_char_refs(feed.rss_str(pretty=True))


def _media_if_any(feed: FeedGenerator, items: list[Item], *, atom: bool) -> None:
    """Media RSS for lead images, declared only in a feed that has one: other feeds stay byte for byte as they were."""
    if any(item.image for item in items):
        feed.load_extension("media", atom=atom, rss=not atom)


def atom_feed(site: Site, spec: FeedSpec) -> bytes:
    feed = _generator(site, spec, spec.atom, "application/atom+xml")
    items = [feed_item(site, article) for article in spec.articles]
    _media_if_any(feed, items, atom=True)
    updated = distinct_instants(spec.articles, site.config.tz)
    for article, item in zip(spec.articles, items):
        entry = feed.add_entry(order="append")
        entry.id(item.url)
        entry.register_extension("html_title", _HtmlTitle, atom=True, rss=False)
        entry.register_extension("source_ids", _SourceIds, atom=True, rss=False)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        if item.original:
            entry.register_extension("related", _RelatedLink, atom=True, rss=False)
            entry.related.href = item.original
        if item.image:
            entry.media.content(url=item.image, medium="image", group=None)  # one image: no media:group
        entry.summary(*atom_text(item.summary))
        if item.content_html:
            entry.content(item.content_html, type="html")
        entry.updated(updated[article.slug])
        if item.published:
            entry.published(item.published)
        for tag in item.tags:
            entry.category(term=tag)
        if item.author:
            entry.author(name=item.author)
        if item.source and item.source_url:
            entry.source(url=item.source_url, title=item.source)
    return feed.atom_str(pretty=True)


def atom_text(text: str) -> tuple[str, Optional[str]]:
    """(value, type) of an Atom text construct.

    Plain text is exact in Atom, but readers and the W3C validator take "&" and
    "<" in it for undeclared HTML; the same text escaped and typed "html" is
    equally exact and reads the same everywhere.
    """
    if "&" in text or "<" in text:
        return html.escape(text, quote=False), "html"
    return text, None


class _SourceIds(BaseEntryExtension):
    """feedgen writes an Atom <source> with a title and link only; Atom wants its id and updated too
    (the source's page on this site, and the entry's own instant)."""

    def extend_atom(self, entry):
        source = entry.find("source")
        link = source.find("link") if source is not None else None
        if link is not None:
            for name, text in (("id", link.get("href")), ("updated", entry.findtext("updated"))):
                child = source.makeelement(name, {})
                child.text = text
                source.append(child)
        return entry


class _HtmlTitle(BaseEntryExtension):
    """feedgen cannot type an entry title; this retypes it as `atom_text` would."""

    def extend_atom(self, entry):
        title = entry.find("title")  # feedgen builds entries without a namespace
        value, kind = atom_text(title.text or "")
        if kind:
            title.text, title.attrib["type"] = value, kind
        return entry


class _RelatedLink(BaseEntryExtension):
    """The original article as an Atom "related" link (feedgen's own link() drops the rel attribute)."""

    def __init__(self) -> None:
        self.href = ""

    def extend_atom(self, entry):
        if self.href:
            etree.SubElement(entry, "link", rel="related", type="text/html", href=self.href)
        return entry


# RSS titles are sniffed: readers (and feedparser) treat a title holding an
# HTML end tag or entity as HTML. Such a title is escaped so it shows literally.
_LOOKS_LIKE_HTML = re.compile(r"</\w+>|&#?\w+;")


def rss_text(text: str) -> str:
    return html.escape(text, quote=False) if _LOOKS_LIKE_HTML.search(text) else text


def rss_char_refs(xml: bytes) -> bytes:
    """'&' and '<' as hexadecimal references, as the RSS Best Practices Profile advises.

    lxml only writes "&amp;" and "&lt;" as references (there is no CDATA here),
    so the swap is exact; the W3C validator warns about the named forms.
    """
    return xml.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")


# ---------------------------------------------------------------- JSON Feed 1.1


def json_feed(site: Site, spec: FeedSpec) -> bytes:
    config = site.config
    author = clean_line(config.author) or clean_line(config.title)
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": clean_line(spec.title),
        "home_page_url": site.url(spec.page),
        "feed_url": site.url(spec.json),
        "description": clean_line(spec.description),
        "language": config.language,
        "authors": [{"name": author}],
        "items": [json_item(feed_item(site, article), article) for article in spec.articles],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def json_item(item: Item, article: Article) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": item.url, "url": item.url, "title": item.title}
    if item.original:
        entry["external_url"] = item.original
    if item.image:
        entry["image"] = item.image
    if item.content_html:
        entry["content_html"] = item.content_html
    else:
        entry["content_text"] = item.summary  # the spec requires content_html or content_text
    entry["summary"] = item.summary
    if item.published:
        entry["date_published"] = item.published.isoformat()
    if item.tags:
        entry["tags"] = list(item.tags)
    if item.author:
        entry["authors"] = [{"name": item.author}]
    entry["_digest"] = {
        "source": item.source,
        "date_inferred": article.date_inferred,
        "date_stated": article.date is not None,
    }
    if item.source_url:
        entry["_digest"]["source_url"] = item.source_url
    return entry
