"""Feed files: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 from json; one RawArticle per entry.

An entry is one article. It is named within its seed by a hash of its guid (else its
link), `seeds/world.xml#3f2a9c1d7e6b5a40`, and carries that guid and its link as its
identity, so the same entry met again — in the next fetch of the feed, or in another
feed file — updates one article instead of making a second.

XML is refused before any parser sees it when it declares a DTD of its own: entities
are never expanded (billion laughs) and no file or URL they name is read (XXE).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from typing import Any, Iterable, Optional
from urllib.parse import urljoin

from ...model import DateValue
from ..decode import Rejected, clean_text
from ..store import short_hash
from .base import FEED, Block, RawArticle, Reading, head_text, identity_url
from .html import _http_url, fragment_blocks, text_blocks

JSON_FEED_PREFIX = "https://jsonfeed.org/version/1"
SUMMARY_WORDS = 150  # an entry without full content and with fewer words than this carries a summary, not the story
_INTERNAL_SUBSET = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*<!DOCTYPE\s[^\[>]*\[", re.DOTALL | re.IGNORECASE
)
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.|\[(?:…|\.\.\.)\])\W*$")
# WordPress names entries without a category so; it says nothing about the story.
_EMPTY_CATEGORIES = {"uncategorized", "uncategorised", "non classé", "sin categoría", "allgemein"}


def refuse_dtd(data: bytes, kind: str) -> None:
    """An XML or XHTML document that declares its own DTD (entities) is refused, unread."""
    if _INTERNAL_SUBSET.match(head_text(data)):
        raise Rejected(f"{kind}: declares its own XML entities (a DTD); refused unread, as entity bombs and XXE do")


def is_json_feed(document: Any) -> bool:
    return isinstance(document, dict) and str(document.get("version", "")).startswith(JSON_FEED_PREFIX)


def read_feed(data: bytes, origin: str) -> Reading:
    """An RSS or Atom file → one RawArticle per usable entry."""
    import feedparser

    refuse_dtd(data, "feed")
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if not parsed.version and not parsed.entries:
        problem = _xml_problem(data)
        raise Rejected(
            f"feed: not well-formed XML ({problem})"
            if problem
            else "feed: not RSS or Atom (no channel or feed element)"
        )
    home = _http_url(parsed.feed.get("link", ""))
    feed_title = _plain(parsed.feed.get("title", ""))
    entries = [_entry(entry, origin, feed_title, home) for entry in parsed.entries]
    problem = _xml_problem(data) if parsed.bozo else ""
    if problem and not any(entries):
        raise Rejected(f"feed: not well-formed XML ({problem}); no entry could be read")
    return _reading(entries, [f"feed: not well-formed XML ({problem}); read what could be read"] if problem else [])


def read_json_feed(document: Any, origin: str) -> Reading:
    """A parsed JSON Feed document → one RawArticle per usable item."""
    if not isinstance(document.get("items"), list):
        raise Rejected('JSON Feed: no "items" list')
    home = _http_url(_text(document.get("home_page_url")))
    feed_title = _plain(_text(document.get("title")))
    feed_authors = _json_authors(document)
    entries = [
        _json_item(item, origin, feed_title, home, feed_authors) if isinstance(item, dict) else None
        for item in document["items"]
    ]
    return _reading(entries, [])


def parse_json(data: bytes) -> Any:
    """JSON text → its value; Rejected with the line of the first mistake."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Rejected("JSON: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise Rejected(f"JSON: not valid (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise Rejected("JSON: nested too deeply to read") from None


def _reading(entries: list[Optional[RawArticle]], notes: list[str]) -> Reading:
    usable = [entry for entry in entries if entry is not None]
    skipped = len(entries) - len(usable)
    if skipped:
        notes.append(f"{skipped} entr{'y' if skipped == 1 else 'ies'} skipped: no title, link or text")
    if not usable:
        raise Rejected("feed: no entries" if not entries else "feed: no entry with a title, link or text")
    return Reading(_unique_origins(usable), tuple(notes))


def _unique_origins(entries: list[RawArticle]) -> tuple[RawArticle, ...]:
    """Two entries of one file with one guid: the later one is the same entry updated."""
    by_origin: dict[str, RawArticle] = {}
    for entry in entries:
        by_origin[entry.origin] = entry
    return tuple(by_origin.values())


def _xml_problem(data: bytes) -> str:
    """Where the XML first goes wrong, as libxml2 says it ("line 3: mismatched tag"); "" when it is well-formed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        message = (error.msg or "not well-formed").split(", line ")[0].strip()
        return f"line {error.lineno}: {message}" if error.lineno else message
    except ValueError as error:  # e.g. a str with an encoding declaration: not the case for bytes
        return str(error)
    return ""


# ---------------------------------------------------------------- RSS and Atom entries


def _entry(entry: Any, origin: str, feed_title: str, home: str) -> Optional[RawArticle]:
    link = _http_url(urljoin(home, entry.get("link", ""))) if entry.get("link") else ""
    guid = str(entry.get("id", "") or "").strip()
    title = _plain(entry.get("title", ""))
    content = entry.get("content") or []
    full = next((part for part in content if part.get("value")), None)
    summary = entry.get("summary", "") or ""
    body = _blocks(full.get("value", ""), full.get("type", ""), link or home) if full else ()
    summary_only = False
    if not body and summary:
        detail = entry.get("summary_detail") or {}
        body = _blocks(summary, detail.get("type", "text/html"), link or home)
        summary_only = _is_summary(body)
    if not (title or body) or not (title or link or guid):
        return None
    source = entry.get("source") or {}
    key = _entry_key(guid, link, title, entry.get("published", ""))
    # read as stored: feedparser's own get() would hand the published date over as the updated one
    updated = _struct_date(dict.get(entry, "updated_parsed"))
    return RawArticle(
        origin=f"{origin}#{key}",
        kind=FEED,
        blocks=body,
        title=title,
        date=_struct_date(entry.get("published_parsed")) or updated,
        updated=updated,
        author=_plain((entry.get("author_detail") or {}).get("name") or entry.get("author", "")),
        source=_plain(source.get("title", "")) or feed_title,
        url=link,
        image=_entry_image(entry),
        tags=_categories(tag.get("label") or tag.get("term") for tag in entry.get("tags") or []),
        summary_only=summary_only,
        identity=_identity(key, link),
    )


def _blocks(value: str, media_type: str, base: str) -> tuple[Block, ...]:
    return fragment_blocks(value, base) if "html" in (media_type or "html") else text_blocks(value)


def _is_summary(blocks: tuple[Block, ...]) -> bool:
    """A short text, or one that breaks off ("…", "Continue reading"), stands for a story it does not hold."""
    from ..boilerplate import chrome_category

    words = sum(len(block.text.split()) for block in blocks)
    last = blocks[-1].text if blocks else ""
    return words < SUMMARY_WORDS or bool(_ELLIPSIS_END.search(last)) or chrome_category(last) == "full-article link"


def _entry_image(entry: Any) -> str:
    candidates = [item.get("url", "") for item in entry.get("media_content") or [] if _is_image(item)]
    candidates += [item.get("url", "") for item in entry.get("media_thumbnail") or []]
    candidates += [
        link.get("href", "")
        for link in entry.get("links") or []
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/")
    ]
    return next((url for url in map(_http_url, candidates) if url), "")


def _is_image(media: dict) -> bool:
    return media.get("medium") == "image" or str(media.get("type", "")).startswith("image/")


def _struct_date(value: Optional[time.struct_time]) -> Optional[dt.datetime]:
    """feedparser's UTC struct_time → an aware datetime."""
    if not value:
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.timezone.utc)
    except (ValueError, TypeError, OverflowError):
        return None


# ---------------------------------------------------------------- JSON Feed items


def _json_item(item: dict, origin: str, feed_title: str, home: str, feed_authors: str) -> Optional[RawArticle]:
    link = _http_url(urljoin(home, _text(item.get("url")))) if item.get("url") else ""
    guid = _text(item.get("id"))
    title = _plain(_text(item.get("title")))
    html, text, summary = _text(item.get("content_html")), _text(item.get("content_text")), _text(item.get("summary"))
    body = fragment_blocks(html, link or home) if html else text_blocks(text) if text else ()
    summary_only = False
    if not body and summary:
        body, summary_only = text_blocks(summary), True
    if not (title or body) or not (title or link or guid):
        return None
    published = _rfc3339(item.get("date_published"))
    key = _entry_key(guid, link, title, _text(item.get("date_published")))
    return RawArticle(
        origin=f"{origin}#{key}",
        kind=FEED,
        blocks=body,
        title=title,
        date=published or _rfc3339(item.get("date_modified")),
        updated=_rfc3339(item.get("date_modified")),
        author=_json_authors(item) or feed_authors,
        source=feed_title,
        url=link or _http_url(_text(item.get("external_url"))),
        image=_http_url(_text(item.get("image")) or _text(item.get("banner_image"))),
        tags=_categories(tag for tag in item.get("tags") or [] if isinstance(tag, str))
        if isinstance(item.get("tags"), list)
        else (),
        summary_only=summary_only,
        identity=_identity(key, link),
    )


def _json_authors(holder: dict) -> str:
    """JSON Feed 1.1 `authors`, or 1.0's single `author`."""
    authors = holder.get("authors")
    if not isinstance(authors, list):
        authors = [holder.get("author")]
    names = [_plain(_text(author.get("name"))) for author in authors if isinstance(author, dict)]
    return ", ".join(name for name in names if name)


def _rfc3339(value: Any) -> DateValue:
    if not isinstance(value, str) or not value.strip():
        return None
    from dateutil import parser as date_parser

    try:
        parsed = date_parser.isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- shared


def _entry_key(guid: str, link: str, title: str, published: str) -> str:
    """The entry's name within its file: its guid, else its link, else its title and date."""
    return short_hash((guid or link or f"{title}\n{published}").encode("utf-8", "surrogatepass"))


def _identity(key: str, link: str) -> tuple[str, ...]:
    """The entry's key (its guid's hash: the same in every file it is in) and its link."""
    return (f"entry:{key}", f"url:{identity_url(link)}") if link else (f"entry:{key}",)


def _categories(names: Iterable[Any]) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        text = _plain(str(name or ""))
        if text and len(text) <= 60 and text.casefold() not in _EMPTY_CATEGORIES and text not in found:
            found.append(text)
    return tuple(found)


def _plain(value: str) -> str:
    """A title or name as one line of text: markup a feed left in it taken out, entities decoded."""
    import html

    text = value or ""
    if "<" in text:
        from .html import _visible_text

        text = _visible_text(text)
    return " ".join(clean_text(html.unescape(text)).split())


def _text(value: Any) -> str:
    return (
        value.strip()
        if isinstance(value, str)
        else str(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else ""
    )
