"""Saved web pages, and the HTML of feed entries: the article found by trafilatura, as Markdown blocks.

trafilatura (with htmldate for dates) is the maintained tool made for this: it finds
the article in a page of menus, rails and footers, and reads the title, author,
date, site name, canonical URL and lead image the page states. It runs offline on
the bytes given; nothing is downloaded. Its output tree is cut into blocks here, so
that digest's own rules (chrome, bylines, titles) can judge each block on its own.

Nothing from a page is trusted: links keep only http(s) targets (relative ones are
made absolute against the page's own address, or dropped), no raw HTML survives the
conversion, and the render path sanitises the Markdown again.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import logging
import re
from typing import Any, Optional
from urllib.parse import urljoin, urlsplit

from ..decode import Rejected, clean_text, decode_markup
from .base import PAGE, Block, RawArticle, identity_url

# WHATWG: these labels mean windows-1252 in HTML, whatever Python's codecs call them.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819", "ibm819"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_BLOCK_KINDS = {"head": "heading", "list": "list", "quote": "quote", "table": "table", "code": "code"}
_SAFE_SCHEMES = ("http", "https", "mailto")
MIN_ARTICLE_WORDS = 25  # less than this after extraction is a stub, not an article: a home page, a login wall
MIN_PARAGRAPH_WORDS = 20  # an article has at least one paragraph this long; teasers, menus and forms do not


def decode_html(data: bytes) -> str:
    """The page's text in the encoding it declares (BOM, XML declaration, `<meta charset>`), else UTF-8, else a guess."""
    declared = _declared_encoding(data)
    if declared is not None:
        try:
            return clean_text(data.decode(declared))
        except UnicodeDecodeError:
            pass  # the declaration is wrong: read it as an undeclared page
    return decode_markup(data)


def _declared_encoding(data: bytes) -> Optional[str]:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # decode_markup() honours byte-order marks
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return (
        None if name.startswith("utf-16") or name.startswith("utf-32") else name
    )  # a page in ASCII bytes cannot be UTF-16


@functools.cache
def _quiet_logs() -> None:
    """trafilatura and htmldate log each page they give up on; the build says it once, in its own words."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False


def _parse(html: str) -> Any:
    """The page's tree, as trafilatura parses it (it copies the tree before it changes it)."""
    from trafilatura.utils import load_html

    return load_html(html)


def _stated_headlines(tree: Any) -> list[str]:
    """The headline as the page shows it, free of the site's name: its og:title and twitter:title, its <h1>."""
    found = [str(value) for value in tree.xpath("//meta[@property='og:title' or @name='twitter:title']/@content")]
    found += [" ".join(h1.text_content().split()) for h1 in tree.iter("h1")][:1]
    return [" ".join(clean_text(text).split()) for text in found if text.strip()]


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·:»/]+\s+|:\s+")
_SEPARATOR_AT_END = re.compile(r"(?:\s+[|\-–—·:»/]+|:)\s+$")


def headline(title: str, stated: list[str], site: str, page_title: str = "") -> str:
    """A document title without the site's name in it: "Storm hits coast - The Courier" → "Storm hits coast".

    A headline the page states on its own (its <h1>, og:title) that the title holds whole, beside only a
    short name, is the headline; else a leading or trailing part that names the site is dropped. A title that
    is only the site's name is no headline: the page's <title> is read again instead.
    """
    site_words = set(re.findall(r"\w+", site.casefold()))
    if site_words and set(re.findall(r"\w+", title.casefold())) <= site_words and page_title:
        title = page_title
    folded = title.casefold()
    for candidate in sorted(stated, key=len, reverse=True):
        start = folded.find(candidate.casefold())
        if candidate == title or len(candidate.split()) < 3 or start < 0:
            continue
        before, after = title[:start], title[start + len(candidate) :]
        apart = (not before or _SEPARATOR_AT_END.search(before)) and (not after or _TITLE_SEPARATOR.match(after))
        if apart and len(re.findall(r"\w+", before + after)) <= 8:  # beside it, only a name
            return candidate
    return _without_site_name(title, site_words)


def _without_site_name(title: str, site_words: set[str]) -> str:
    """ "The Courier | Storm hits coast" → "Storm hits coast": a first or last part made of the site's words goes."""
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not separators or not site_words:
        return title
    first, last = separators[0], separators[-1]
    if set(re.findall(r"\w+", title[: first.start()].casefold())) <= site_words:
        title = title[first.end() :]
    elif set(re.findall(r"\w+", title[last.end() :].casefold())) <= site_words:
        title = title[: last.start()]
    return title.strip() or title


def _extract(html: Any, *, with_metadata: bool) -> Any:
    """A page's article (with what the page states of it), or all of a fragment that is all article."""
    import trafilatura

    _quiet_logs()
    return trafilatura.bare_extraction(
        html,
        with_metadata=with_metadata,
        favor_recall=not with_metadata,
        include_comments=False,
        include_tables=True,
        include_links=True,
        include_formatting=True,
        include_images=False,
        output_format="python",
        # a date only where the page states one (markup, URL); none guessed from stray numbers in the text
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def read_page(data: bytes, origin: str) -> RawArticle:
    """A saved page → its article, or Rejected when the page holds none."""
    html = decode_html(data)
    _check_size(html)
    try:
        tree = _parse(html)
        document = _extract(tree, with_metadata=True) if tree is not None else None
    except RecursionError:
        raise Rejected("page: markup too deeply nested to read") from None
    if document is None or document.body is None:
        raise Rejected("page: no article found (a home page, a list of links or a login wall?)")
    url = _http_url(document.url or "")
    blocks = page_blocks(document.body, url)
    words = sum(_word_count(block.text) for block in blocks)
    if words < MIN_ARTICLE_WORDS:
        raise Rejected(
            f"page: no article found (only {words} words of text; a home page, a list of links or a login wall?)"
        )
    if not any(_word_count(block.text) >= MIN_PARAGRAPH_WORDS for block in blocks if block.kind != "heading"):
        raise Rejected(
            f"page: no article found (no paragraph of {MIN_PARAGRAPH_WORDS} words or more: "
            "headlines and teasers of a home page or a list?)"
        )
    return RawArticle(
        origin=origin,
        kind=PAGE,
        blocks=blocks,
        title=headline(
            _one_line(document.title),
            _stated_headlines(tree),
            _one_line(document.sitename),
            _one_line(tree.findtext(".//title")),
        ),
        date=_iso_date(document.date),
        author=_one_line(document.author),
        source=_one_line(document.sitename),
        url=url,
        image=_http_url(urljoin(url, document.image) if url and document.image else document.image or ""),
        identity=(f"url:{identity_url(url)}",) if url else (),
    )


# Scripts written without spaces between words: about two characters make a word.
_UNSPACED = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _word_count(text: str) -> int:
    unspaced = len(_UNSPACED.findall(text))
    return len(_UNSPACED.sub(" ", text).split()) + unspaced // 2


# Real pages hold well under 200 KB of markup once scripts, styles and inline images are out, however
# large the file; extraction time grows with it, so a page far beyond that is refused rather than read for minutes.
MAX_PAGE_MARKUP = 2 * 1024 * 1024
_NOT_TEXT = re.compile(
    r"<(script|style|svg|noscript|template)\b.*?</\1\s*>|<!--.*?-->|data:[\w/+.-]+;base64,[\w+/=]+",
    re.IGNORECASE | re.DOTALL,
)


def _check_size(html: str) -> None:
    if len(html) <= MAX_PAGE_MARKUP:
        return
    size = len(_NOT_TEXT.sub("", html))
    if size > MAX_PAGE_MARKUP:
        raise Rejected(
            f"page: too much markup for one article ({size / 2**20:.0f} MB without scripts and styles; "
            f"the limit is {MAX_PAGE_MARKUP / 2**20:.0f} MB)"
        )


def fragment_blocks(html: str, base_url: str) -> tuple[Block, ...]:
    """The blocks of an HTML fragment that is all article (a feed entry's content)."""
    if "<" not in html:
        return text_blocks(html)
    try:
        document = _extract(f"<html><body><article>{html}</article></body></html>", with_metadata=False)
    except RecursionError:
        document = None
    if document is None or document.body is None:
        return text_blocks(_visible_text(html))
    return page_blocks(document.body, base_url)


def text_blocks(text: str) -> tuple[Block, ...]:
    """Plain text (a feed entry's text content) as paragraphs."""
    from ..normalise import escape_markdown

    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n|\n", clean_text(text))]
    return tuple(Block(escape_markdown(p), p) for p in paragraphs if p)


def _visible_text(html: str) -> str:
    """What a browser would show of some markup: its text, without what scripts and styles hold."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return re.sub(r"<[^>]*>", " ", html)
    for hidden in tree.xpath("//script|//style|//template"):
        hidden.drop_tree()
    return tree.text_content()


def page_blocks(body: Any, base_url: str) -> tuple[Block, ...]:
    """trafilatura's output tree → blocks, links made absolute or dropped."""
    from trafilatura.xml import xmltotxt

    _mend_links(body, base_url)
    _unwrap_layout_tables(body)
    _detach_tails(body)
    blocks = []
    for element in body:
        kind = _BLOCK_KINDS.get(element.tag, "p")
        markdown = clean_text(xmltotxt(element, True)).strip()
        text = " ".join(clean_text(_words_of(element)).split())  # the words a reader sees: links as their words
        if not text or not markdown:
            continue
        if kind == "quote" and not markdown.startswith(">"):
            markdown = "\n".join(f"> {line}" if line else ">" for line in markdown.split("\n"))
        blocks.append(Block(markdown, text, kind))
    return tuple(blocks)


# Elements of trafilatura's tree that stand apart from their neighbours: their words are not run together.
_SEPARATE = {"item", "lb", "row", "cell", "head", "p", "list", "quote", "table", "code"}


def _words_of(element: Any) -> str:
    """An output element's text, as shown: inline markup runs on, items, cells and line breaks stand apart."""
    parts = [" " if element.tag in _SEPARATE else "", element.text or ""]
    for child in element:
        parts.append(_words_of(child))
        parts.append(child.tail or "")
    return "".join(parts) + (" " if element.tag in _SEPARATE else "")


_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code"}


def _detach_tails(body: Any) -> None:
    """Text left between two blocks (after a heading, say) is a paragraph of its own, not part of the block before."""
    from lxml import etree

    for element in list(body):
        if (element.tail or "").strip():
            loose = etree.Element("p")
            loose.text, element.tail = element.tail, None
            element.addnext(loose)


def _unwrap_layout_tables(body: Any) -> None:
    """A table whose cells hold paragraphs or headings lays a page out; it is not data. Its cells' blocks
    take its place, so that the article reads as paragraphs instead of one table row."""
    from lxml import etree

    layout = [
        table
        for table in body
        if table.tag == "table" and any(child.tag in _BLOCK_TAGS for cell in table.iter("cell") for child in cell)
    ]
    for table in layout:
        replacement = []
        for cell in table.iter("cell"):
            loose = etree.Element("p")  # text and inline markup between the cell's blocks
            loose.text = cell.text
            for child in list(cell):
                if child.tag in _BLOCK_TAGS:
                    replacement += [loose, child]
                    loose = etree.Element("p")
                    loose.text = child.tail
                    child.tail = None
                else:
                    loose.append(child)
            replacement.append(loose)
        position = body.index(table)
        body.remove(table)
        for offset, element in enumerate(e for e in replacement if len(e) or (e.text or "").strip()):
            body.insert(position + offset, element)


def _mend_links(body: Any, base_url: str) -> None:
    """Relative links point at the page's site, not this one: absolute against it, else plain text."""
    for ref in body.iter("ref"):
        target = (ref.get("target") or "").strip()
        absolute = urljoin(base_url, target) if base_url and target else target
        scheme = urlsplit(absolute).scheme.lower()
        if target and scheme in _SAFE_SCHEMES and (scheme == "mailto" or urlsplit(absolute).netloc):
            ref.set("target", absolute)
        else:
            ref.tag = "hi"  # trafilatura writes a "hi" without a rendition as its plain text
            ref.attrib.clear()


def _one_line(value: Optional[str]) -> str:
    return " ".join(clean_text(value or "").split())


def _http_url(value: str) -> str:
    """An absolute http(s) URL, or "" for anything else (javascript:, data:, relative)."""
    value = value.strip()
    parts = urlsplit(value)
    return (
        value
        if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c.isspace() for c in value)
        else ""
    )


def _iso_date(value: Optional[str]) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
