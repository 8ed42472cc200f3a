"""One reader per kind of seed, the kind told by the content: bytes → RawArticles.

| kind | recognised by | reader |
|---|---|---|
| page | `<!DOCTYPE html>`, `<html>`, `<head>` or `<body>` first, or any suffix `.html`/`.htm`/`.xhtml` with markup | `html.read_page` (trafilatura) |
| feed | XML whose first element is `<rss>`, `<feed>` or `<rdf:RDF>` | `feed.read_feed` (feedparser) |
| feed | JSON with `"version": "https://jsonfeed.org/version/1…"` | `feed.read_json_feed` |
| note | the suffix `.md` or `.markdown` (plain text is Markdown too: only the name can tell), unless it holds a whole page or feed | `note.read_note` |
| text | anything else that is text | the text rules (`ingest.normalise`) |

So a page saved as `.txt` is read as a page, and a feed saved as `.txt` as a feed.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..decode import Rejected, decode
from .base import FEED, NOTE, PAGE, TEXT, Block, RawArticle, Reading, head_text

__all__ = ["FEED", "NOTE", "PAGE", "TEXT", "Block", "RawArticle", "Reading", "detect_kind", "read_articles"]

NOTE_SUFFIXES = {".md", ".markdown", ".mdown"}
PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}

XML = "xml"  # XML that is neither a feed nor a page: refused by name
JSON = "json"  # JSON that is not a JSON Feed: refused by name

_PROLOGUE = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>)\s*)*", re.DOTALL)
_DOCTYPE = re.compile(r"<!doctype\s+([\w:.-]+)", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<([A-Za-z][\w:.-]*)")
_PAGE_ELEMENTS = {"html", "head", "body"}
_FEED_ELEMENTS = {"rss", "feed", "rdf:rdf", "rdf"}
# A fragment of a page (a saved article body): markup first, and paragraphs or divisions closed in it.
_FRAGMENT_TAGS = re.compile(r"</(?:p|div|article|section|h[1-6]|li|table|span)>", re.IGNORECASE)


def detect_kind(name: str, data: bytes) -> str:
    """The kind of seed the bytes hold; the file name counts only where content cannot tell."""
    suffix = PurePosixPath(name).suffix.lower()
    head = head_text(data)
    prologue = _PROLOGUE.match(head)  # always matches: every part of it is optional
    start = head[prologue.end() if prologue else 0 :] if head.lstrip().startswith("<") else head.lstrip()
    if suffix in NOTE_SUFFIXES:  # Markdown may hold markup; a whole page or feed saved as .md is not a note
        whole = start.startswith("<") and _markup_kind(start, head, suffix) in (PAGE, FEED) and _is_document(start)
        return _markup_kind(start, head, suffix) if whole else NOTE
    if start.startswith("<"):
        return _markup_kind(start, head, suffix)
    if start.startswith(("{", "[")) and (suffix == ".json" or _is_json_feed(data)):
        return FEED if _is_json_feed(data) else JSON
    return TEXT


def _is_document(start: str) -> bool:
    """Markup that starts a whole page or feed (not a fragment an editor wrote into a note)."""
    element = _DOCTYPE.match(start) or _FIRST_ELEMENT.match(start)
    return element is not None and element.group(1).lower() in _PAGE_ELEMENTS | _FEED_ELEMENTS


def _markup_kind(start: str, head: str, suffix: str) -> str:
    doctype = _DOCTYPE.match(start)
    if doctype is not None:
        root = doctype.group(1).lower()
        if root in _PAGE_ELEMENTS:
            return PAGE
        if root in _FEED_ELEMENTS:
            return FEED
        return XML  # a DTD of its own: the feed reader refuses it by name
    element = _FIRST_ELEMENT.match(start)
    first = element.group(1).lower() if element else ""
    if first in _PAGE_ELEMENTS:
        return PAGE
    if first in _FEED_ELEMENTS:
        return FEED
    if head.lstrip().startswith("<?xml"):
        return XML
    if suffix in PAGE_SUFFIXES or len(_FRAGMENT_TAGS.findall(head)) >= 2:
        return PAGE
    return TEXT


def _is_json_feed(data: bytes) -> bool:
    from .feed import is_json_feed

    if b"jsonfeed.org/version/" not in data[:65536]:
        return False
    try:
        import json

        return is_json_feed(json.loads(data.decode("utf-8-sig")))
    except (ValueError, RecursionError):
        return False


def read_articles(data: bytes, origin: str) -> tuple[str, Reading]:
    """(kind, what its reader read); Rejected with a reason the user can act on."""
    kind = detect_kind(origin, data)
    if kind == TEXT:
        return kind, Reading((RawArticle(origin=origin, kind=TEXT, text=decode(data)),))
    if kind == PAGE:
        from .feed import refuse_dtd
        from .html import read_page

        refuse_dtd(data, "page")
        return kind, Reading((read_page(data, origin),))
    if kind == NOTE:
        from .note import read_note

        return kind, Reading((read_note(data, origin),))
    return FEED, _read_feed(kind, data, origin)


def _read_feed(kind: str, data: bytes, origin: str) -> Reading:
    from . import feed

    if kind == XML:
        feed.refuse_dtd(data, "XML")
        raise Rejected("XML, but not a feed or a page (RSS, Atom or HTML expected)")
    if kind == JSON:
        document = feed.parse_json(data)
        raise Rejected(
            'JSON, but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")'
            if isinstance(document, (dict, list))
            else "JSON, but not a JSON Feed"
        )
    if head_text(data).lstrip().startswith(("{", "[")):
        return feed.read_json_feed(feed.parse_json(data), origin)
    return feed.read_feed(data, origin)
