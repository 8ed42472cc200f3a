"""Markdown → safe HTML, shared by the pages and the feeds.

Article text comes from the open web and from hand edits, so it is never
trusted: raw HTML is off in the parser, links are limited to safe schemes, and
the result still goes through nh3 (ammonia), a maintained sanitiser, because a
parser setting is one bug away from letting markup through.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Optional
from urllib.parse import urljoin, urlsplit

import nh3
from markdown_it import MarkdownIt

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, surrogates,
# U+FFFE/U+FFFF) plus those HTML calls parse errors (DEL and C1 controls,
# noncharacters): a feed with one of them is not XML at all, and readers drop it.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# The noncharacters of the other planes (U+1FFFE, U+1FFFF … U+10FFFF). A class of them is read ten
# times slower than the one above (a third of a millisecond an article), so only a text with a
# character beyond the first plane is searched for them.
_BEYOND_FIRST_PLANE = re.compile("[\U00010000-\U0010ffff]")
_ILLEGAL_BEYOND = re.compile(
    "[" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)) + "]"
)


def strip_illegal(text: str) -> str:
    """Text without the characters that make XML ill-formed or HTML invalid."""
    text = _ILLEGAL.sub("", text)
    if not text.isascii() and _BEYOND_FIRST_PLANE.search(text):
        text = _ILLEGAL_BEYOND.sub("", text)
    return text


def is_safe_link(url: str) -> bool:
    """Relative links and http(s)/mailto only: no javascript:, data:, vbscript:, file:."""
    match = _SCHEME.match(url.strip())
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False})
    # markdown-it-py's documented way to vet links is to replace this method on the instance
    parser.validateLink = is_safe_link  # type: ignore[method-assign]
    return parser


_MARKDOWN = _parser()


@functools.lru_cache(maxsize=4096)  # an item is in several feeds and formats: made once per process
def to_html(markdown_text: str, base_url: Optional[str] = None) -> str:
    """Sanitised HTML for a Markdown text.

    With base_url, relative links and images are made absolute against it: a
    feed item is read far from the site, where a relative link points nowhere.
    """
    raw = _MARKDOWN.render(strip_illegal(markdown_text))
    return nh3.clean(
        raw,
        url_schemes=set(SAFE_SCHEMES),
        attribute_filter=_absolutizer(base_url) if base_url else None,
    )


def _absolutizer(base_url: str):
    def absolute(tag: str, attribute: str, value: str) -> Optional[str]:
        if attribute in ("href", "src") and not urlsplit(value).scheme:
            return urljoin(base_url, value)
        return value

    return absolute


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|tr)>")


def plain_paragraphs(markdown_text: str) -> str:
    """A Markdown text's words as plain text, a paragraph per block (links as their words, no markup)."""
    rendered = _BLOCK_END.sub("\n\n", to_html(markdown_text))
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return "\n\n".join(" ".join(part.split()) for part in text.split("\n\n") if part.strip())


def plain_excerpt(markdown_text: str, words: int = 50) -> str:
    """The opening words of a Markdown text as plain text, for a summary an article lacks."""
    text = html.unescape(nh3.clean(to_html(markdown_text), tags=set()))
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Two passes, each with a pattern the regex engine scans fast (one alternation of both ran twice as long);
# both delete what they match, so the result is the one pass's.
_MARKDOWN_BLOCK_MARKS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_MARKDOWN_INLINE_MARKS = re.compile(r"[*_`~]+")


def plain_text(markdown: str) -> str:
    """Markdown to the words a reader sees, cheaply (no parse): links keep their text, markup goes.
    What grouping compares and search indexes; `plain_excerpt` parses, for text shown as written."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown) if "](" in markdown else markdown  # most articles link nowhere
    return _MARKDOWN_INLINE_MARKS.sub("", _MARKDOWN_BLOCK_MARKS.sub("", text))
