"""What every reader hands on: a RawArticle, the seed as its kind states it, before any rule.

A plain-text scrape states nothing but its text; a saved page or a feed entry states
its title, date, author, link and image in markup, and its body as blocks of HTML
made Markdown; an editor's note states its own front matter. The rules in
`ingest.normalise` and `ingest.document` turn each into an Article.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Optional

from ...model import DateValue
from ..store import split_origin

# The kinds of seed, as shown to users ("seeds/x.xml: rejected: feed: …").
TEXT = "text"
PAGE = "page"
FEED = "feed"
NOTE = "note"


@dataclass(frozen=True)
class Block:
    """One block of a page's article: a paragraph, heading, list, quote, table or code."""

    markdown: str  # as it goes into the content file
    text: str  # its words as plain text, one line: what the rules read
    kind: str = "p"  # "p", "heading", "list", "quote", "table", "code"


@dataclass(frozen=True)
class RawArticle:
    origin: str  # the seed, "seeds/x.html", or one entry of it, "seeds/feed.xml#3f2a9c1d7e6b5a40"
    kind: str
    text: str = ""  # TEXT: the cleaned text, for the text rules
    blocks: tuple[Block, ...] = ()  # PAGE and FEED entries: the body
    title: str = ""
    date: DateValue = None
    updated: DateValue = None
    author: str = ""
    source: str = ""  # the site or feed that states it published this
    url: str = ""  # where the article lives on the web
    image: str = ""  # its lead image
    tags: tuple[str, ...] = ()  # the categories it states
    summary_only: bool = False  # a feed entry that carries a summary, not the story
    identity: tuple[str, ...] = ()  # keys another copy of the same article shares: "entry:<guid hash>", "url:<link>"
    front_matter: Optional[dict[str, Any]] = None  # NOTE: the fields its editor stated
    body: str = ""  # NOTE: the Markdown body, as written

    def fingerprint(self) -> str:
        """A hash of what the entry says, wherever it is: a feed entry's `seed_hash` (a file's is its bytes')."""
        data = asdict(self)
        data["origin"] = split_origin(data["origin"])[1]  # the same entry in another file is the same entry
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Reading:
    """What a reader made of one seed file."""

    articles: tuple[RawArticle, ...]
    notes: tuple[str, ...] = ()  # what it had to leave out, one line each ("2 entries skipped: …")


def head_text(data: bytes) -> str:
    """The first few KB as text, enough to see the markup: UTF-16 by its mark, else byte for byte."""
    head = data[:65536]
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, "replace")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def identity_url(url: str) -> str:
    """The form of a link two copies of one article share: no fragment, no tracking parameters, host in lower case."""
    from courlan import normalize_url

    try:
        normal = normalize_url(url, strict=False)
    except (ValueError, AttributeError):
        normal = url
    return normal.split("#", 1)[0]
