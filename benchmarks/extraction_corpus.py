"""The article-extraction benchmark as scraper-style text, each line labelled article or chrome.

Shared by benchmarks/extraction_quality.py (scoring ingest) and benchmarks/train_chrome.py
(training the chrome classifier), so both see exactly the same lines and labels.

The corpus (Scrapinghub's article-extraction-benchmark, see /work/shared/corpora/README.md)
holds `html/<sha>.html.gz` and `ground-truth.json` ({sha: {"url", "articleBody"}}). Nothing
here touches the network.

Scraper-style text
    The visible text of the page's main element, one block per line, as a naive scraper hands
    it over: `script`, `style`, `noscript`, `template`, `svg` and elements marked hidden
    (`hidden`, `display:none`) are removed; every block-level element (p, div, li, h1-h6,
    td, br, …) starts a new line; inline elements run on; whitespace is collapsed.
    The main element is the `<article>` with the most text, else the `<main>` with the most
    text, else `<body>`. When that element holds less than half of the marked article text
    (a teaser card, a paywall stub) `<body>` is used instead, so that every page is scored
    on its article: the benchmark measures chrome removal, not the choice of a container.

Labelling rule (a line is *article* or *chrome*)
    Page text and articleBody are normalised (NFKC, case-folded, words only: punctuation,
    quote styles and whitespace do not count) and aligned as two token sequences with
    difflib, in order, so a word of chrome can only match the article where the article
    has that word at that place. Runs of at least MIN_RUN aligned tokens count; a shorter
    run counts only when it is a whole line (a one-word section heading). A line is
    *article* when the aligned tokens cover at least half of its letters, or when at least
    SENTENCE_TOKENS of its tokens are aligned (a line that is part chrome, part article —
    a dateline glued to the lead — holds an article sentence, and dropping it would lose
    it); otherwise it is *chrome*. Lines with a partial cover are counted as `mixed`.
    Lines without a letter or digit are chrome.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlparse

MIN_RUN = 3
SENTENCE_TOKENS = 10
CONTAINER_MIN_COVER = 0.5

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "math"}
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "option",
    "select",
    "button",
    "textarea",
    "label",
}
_CELLS = {"td", "th"}  # a table row is one line, its cells side by side, as a text browser shows it
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    text: str
    hints: tuple[str, ...]  # "tag id class" of each ancestor, outermost first: for reporting only


@dataclass(frozen=True)
class Page:
    sha: str
    url: str
    domain: str
    html: bytes
    body: str  # the article text a person marked


@dataclass
class PageText:
    page: Page
    blocks: list[Block]
    container: str  # "article", "main", "body" or "body (fallback)"
    headline: str  # the page's <h1>, for reporting a headline line as such

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


@dataclass(frozen=True)
class Label:
    article: bool
    cover: float  # share of the line's letters aligned with the article body
    aligned: int  # aligned tokens


@dataclass
class Alignment:
    labels: list[Label] = field(default_factory=list)
    body_cover: float = 0.0  # share of the article body's tokens found in the lines


def load_pages(root: Path, limit: Optional[int] = None) -> list[Page]:
    """The corpus pages in a stable order (by sha)."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for sha in sorted(truth)[:limit]:
        entry = truth[sha]
        html = gzip.decompress((root / "html" / f"{sha}.html.gz").read_bytes())
        domain = urlparse(entry["url"]).netloc.lower().removeprefix("www.")
        pages.append(Page(sha, entry["url"], domain, html, entry["articleBody"]))
    return pages


def decode_html(data: bytes) -> str:
    """The page as text: its declared charset, else UTF-8, else Windows-1252."""
    declared = _META_CHARSET.search(data[:4096])
    for encoding in ([declared.group(1).decode("ascii", "replace")] if declared else []) + ["utf-8"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", "replace")


def page_text(page: Page) -> PageText:
    import lxml.html  # a test dependency; the benchmark needs it, digest itself does not

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_html(page.html))
    document = lxml.html.document_fromstring(text)
    headline = _headline(document)
    body = document.find("body")
    root = body if body is not None else document
    container, kind = _main_element(document, root)
    blocks = list(_blocks(container))
    if kind != "body" and _cover(blocks, page.body) < CONTAINER_MIN_COVER:
        body_blocks = list(_blocks(root))
        if _cover(body_blocks, page.body) > _cover(blocks, page.body):
            blocks, kind = body_blocks, "body (fallback)"
    return PageText(page, blocks, kind, headline)


def _headline(document) -> str:
    for h1 in document.iter("h1"):
        words = " ".join(h1.text_content().split())
        if words:
            return words
    return ""


def _main_element(document, body):
    for tag in ("article", "main"):
        found = [element for element in document.iter(tag) if not _hidden(element)]
        if found:
            return max(found, key=lambda element: len(" ".join(element.text_content().split()))), tag
    return body, "body"


def _hidden(element) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _blocks(container) -> Iterator[Block]:
    """Lines of visible text: block elements break lines, inline ones run on."""
    parts: list[str] = []
    hints: list[tuple[str, ...]] = []

    def flush() -> Iterator[Block]:
        line = " ".join("".join(parts).split())
        parts.clear()
        if line:
            yield Block(line, hints[-1] if hints else ())

    def walk(element, trail: tuple[str, ...]) -> Iterator[Block]:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag.lower() in _SKIP or _hidden(element):
            if element.tail:
                parts.append(element.tail)
            return
        tag = tag.lower()
        here = (*trail, " ".join(f"{tag} {element.get('id') or ''} {element.get('class') or ''}".split()))
        is_block = tag in _BLOCKS
        if is_block:
            yield from flush()
        if tag in _CELLS:
            parts.append(" ")
        hints.append(here)
        if element.text:
            parts.append(element.text)
        for child in element:
            yield from walk(child, here)
        if is_block:
            yield from flush()
        if tag in _CELLS:
            parts.append(" ")
        hints.pop()
        if element.tail:
            parts.append(element.tail)

    yield from walk(container, ())
    yield from flush()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def _cover(blocks: list[Block], body: str) -> float:
    return align([block.text for block in blocks], body).body_cover


def align(lines: list[str], body: str) -> Alignment:
    """Label each line article or chrome by aligning it, in order, with the article body."""
    line_tokens = [tokens(line) for line in lines]
    flat = [token for line in line_tokens for token in line]
    owner = [index for index, line in enumerate(line_tokens) for _ in line]
    body_tokens = tokens(body)
    matched = [False] * len(flat)
    matcher = difflib.SequenceMatcher(None, flat, body_tokens, autojunk=False)
    found = 0
    for start, _, size in matcher.get_matching_blocks():
        if size == 0:
            continue
        whole_line = owner[start] == owner[start + size - 1] and size == len(line_tokens[owner[start]])
        if size >= MIN_RUN or whole_line:
            matched[start : start + size] = [True] * size
            found += size
    labels = []
    position = 0
    for line in line_tokens:
        hits = matched[position : position + len(line)]
        position += len(line)
        letters = sum(len(token) for token in line)
        covered = sum(len(token) for token, hit in zip(line, hits) if hit)
        cover = covered / letters if letters else 0.0
        aligned = sum(hits)
        labels.append(Label(bool(line) and (cover >= 0.5 or aligned >= SENTENCE_TOKENS), cover, aligned))
    return Alignment(labels, found / len(body_tokens) if body_tokens else 0.0)


def kept_lines(lines: list[str], output: str) -> list[float]:
    """For each input line, the share of its letters found, in order, in the output text."""
    return [label.cover for label in align(lines, output).labels]


# ---------------------------------------------------------------- chrome categories (reporting only)
# A rough category for each chrome line, so that the figures say *what* chrome stays. The
# benchmark may look at the page's markup for this (ingest never does): the class and id names
# around a line say more about a rail of headlines than the headlines themselves.

CATEGORIES = (
    "video rail",
    "related/trending list",
    "newsletter/donation appeal",
    "byline/dateline/time",
    "filed-under/tags",
    "recipe/print widget",
    "author bio",
    "comments/sort",
    "footer",
    "share/social",
    "caption/credit",
    "navigation/menu",
    "advertising",
    "headline",
    "other",
)

_TEXT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("filed-under/tags", r"^(?:tags?|topics?|filed under|categor(?:y|ies)|related topics|keywords|more about)\b"),
        (
            "comments/sort",
            r"\bcomments?\b|\breplies\b|\bsort by\b|\b(?:newest|oldest)\b|\bjoin the (?:conversation|discussion)|\bdisqus\b|\bupvote",
        ),
        (
            "advertising",
            r"^(?:advertisement|advertising|sponsored|ad|ads|promoted|paid (?:post|content)|story continues below)\b",
        ),
        (
            "newsletter/donation appeal",
            r"newsletter|\bsubscri|\bsign up\b|\binbox\b|\bdonat|\bsupport (?:us|our)\b|\bmembership\b|\bpatreon\b|\bbecome a (?:member|supporter|patron)|\bfree trial\b",
        ),
        (
            "share/social",
            r"^(?:share|tweet|pin|email|e-mail|facebook|twitter|whatsapp|linkedin|pinterest|reddit|copy link|follow us|follow)\b",
        ),
        (
            "recipe/print widget",
            r"^(?:print|save|rate this|jump to recipe|servings?|yield|prep time|cook time|total time|ingredients)\b",
        ),
        (
            "byline/dateline/time",
            r"^(?:by|updated|published|posted|last updated|written by|reporting by)\b|\b\d+\s*(?:min|minute)s?\s*read\b|\b(?:hours?|minutes?|days?|weeks?) ago\b",
        ),
        ("footer", r"©|\bcopyright\b|\ball rights reserved\b|\bprivacy\b|\bterms of (?:use|service)\b|\bcookie"),
        (
            "related/trending list",
            r"^(?:related|more (?:from|stories|on)|trending|most (?:read|popular|viewed)|popular|latest|recommended|you (?:may|might) also|read (?:more|next|also)|see also|up next|also read|don'?t miss)\b",
        ),
        ("video rail", r"^(?:watch|video|now playing|play(?:list)?)\b"),
        ("caption/credit", r"\b(?:photo|image|picture|credit|getty|shutterstock|illustration|file photo)\b"),
        ("navigation/menu", r"^(?:skip to|menu|home|search|log ?in|sign in|back to top|next|previous|close|more)\b"),
    )
)

_HINT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("video rail", r"video|player|jwplayer|vjs|playlist|youtube|brightcove"),
        ("comments/sort", r"comment|disqus|discussion|reply"),
        (
            "newsletter/donation appeal",
            r"newsletter|subscri|signup|sign-up|donat|member|paywall|support|contribut|\bcta\b",
        ),
        (
            "author bio",
            r"\bbio\b|bio-|-bio|about-author|author-info|author-box|author-bio|authorbio|contributor|author-desc",
        ),
        (
            "byline/dateline/time",
            r"byline|author|dateline|timestamp|\bdate|\btime\b|publish|updated|posted|read-time|meta",
        ),
        ("filed-under/tags", r"\btags?\b|tag-|-tags?|tagged|topic|categor|filed|keyword"),
        ("recipe/print widget", r"recipe|print|ingredient|wprm|tasty"),
        ("share/social", r"share|social|sharing|\bsns\b|addthis|follow"),
        ("caption/credit", r"caption|credit|figcaption|figure|photo|\bimage|\bimg|gallery|media"),
        (
            "related/trending list",
            r"relat|recommend|trending|popular|most-?read|mostread|latest|more-?stories|read-?more|outbrain|taboola|next-?(?:article|post|story)|up-?next|\brail|carousel|teaser|promo|headlines|sidebar|widget|aside",
        ),
        ("advertising", r"\bads?\b|\bad-|-ad\b|advert|sponsor|dfp|\bgpt|banner"),
        ("footer", r"footer|copyright|legal|colophon"),
        ("navigation/menu", r"\bnav|menu|breadcrumb|header|masthead|skip|search|toolbar|pagination"),
    )
)
_GENERIC = re.compile(r"^(?:article|main|body|html|section|div|p|span|a|ul|ol|li)\b")


def chrome_category(text: str, hints: tuple[str, ...], headline: str) -> str:
    """A reporting category for a chrome line: its own words first, then the markup around it."""
    if headline and " ".join(text.split()).casefold() == headline.casefold():
        return "headline"
    words = len(text.split())
    if words >= 20 and re.search(
        r"\bis an? (?:\w+ ){0,4}(?:writer|reporter|editor|journalist|correspondent|author|contributor|columnist)\b",
        text,
    ):
        return "author bio"
    if words <= 15:
        for name, pattern in _TEXT_CUES:
            if pattern.search(text):
                return name
    for segment in reversed(hints):
        for name, pattern in _HINT_CUES:
            if pattern.search(segment):
                return name
    return "other"
