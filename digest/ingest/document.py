"""RawArticles that state things (saved pages, feed entries, Markdown notes) → Articles.

A page or an entry arrives with what its markup states (title, date, author, site,
link, image, categories) and a body of blocks. What it states is taken; digest's
own rules then do what the markup cannot: bylines and date lines the extractor
kept at the top, page chrome between the paragraphs, the publisher by the editor's
`sources` rules, tags, a title and summary where none is stated. A note states
its own front matter, which is kept as written; the rules fill only its gaps.

Pure: data in, data out.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from ..config import Config
from ..markdown import plain_paragraphs
from ..model import Article, DateValue, article_from_front_matter
from .boilerplate import chrome_category
from .dates import infer_date
from .header import Header, split_header
from .normalise import Normalised, lead_paragraph, reading_length, split_sentences, summarise
from .readers.base import Block, RawArticle
from .source import _is_job_title, find_source, rule_source
from .store import split_origin
from .tagging import TagRequest, tag_article
from .title import headline_from_lead, strip_dateline

HEAD_BLOCKS = 6  # blocks at the top that may be a byline or a date line the extractor kept
_WORDS = re.compile(r"\w+")
_LEADING_HEADING = re.compile(r"\A\s*#\s+(?P<title>[^\n]+?)\s*#*\s*(?:\n|\Z)")


def draft_document(raw: RawArticle, config: Config) -> Normalised:
    """A saved page or a feed entry → its Article, the tags left to be found with other articles'
    (normalise.settle_tags)."""
    blocks = _without_title(list(raw.blocks), raw.title)
    header, blocks = _take_header(blocks)
    blocks = [block for block, chrome in zip(blocks, _chrome_flags([b.text for b in blocks])) if not chrome]
    lines = [block.text for block in blocks]
    plain_body = "\n\n".join(lines)
    prose = [block.text for block in blocks if block.kind == "p"] or lines
    file_name = PurePosixPath(split_origin(raw.origin)[0]).name
    source = rule_source(config.sources, file_name, plain_body) or raw.source or find_source(lines, header.byline_org)
    title = raw.title or _title_from(prose, file_name)
    date, inferred = _date(raw.date or header.date, plain_body)
    untagged = TagRequest(title, tuple(prose), source, categories=raw.tags)
    extra: dict[str, Any] = {}
    author = _clean_author(raw.author, source) or header.author
    for key, value in (("author", author), ("url", raw.url), ("image", raw.image)):
        if value:
            extra[key] = value
    if raw.summary_only:
        extra["summary_only"] = True
    extra.update(reading_length(plain_body))
    article = Article(
        slug="",
        title=title,
        body="\n\n".join(block.markdown for block in blocks),
        date=date,
        date_inferred=inferred,
        source=source,
        summary=summarise(lead_paragraph(prose)),
        origin=raw.origin,
        extra=extra,
    )
    return Normalised(article, untagged=untagged)


def _chrome_flags(texts: list[str]) -> list[bool]:
    """Which blocks are page chrome the extractor let through (share prompts, related links, …)."""
    return [chrome_category(text) is not None for text in texts]


def _without_title(blocks: list[Block], title: str) -> list[Block]:
    """The headline as the body's first block would be shown twice: under the page title and as it."""
    key = _words(title)
    for index, block in enumerate(blocks[:3]):
        if key and _words(block.text) == key:
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _take_header(blocks: list[Block]) -> tuple[Header, list[Block]]:
    """Bylines and date lines among the first blocks leave the body; what they state is kept."""
    found = Header()
    kept = [
        block
        for index, block in enumerate(blocks)
        if not (index < HEAD_BLOCKS and block.kind == "p" and _read_header(block.text, found))
    ]
    return found, kept


def _read_header(text: str, found: Header) -> bool:
    """True when the whole block is header material (its date and byline then go into `found`)."""
    header = split_header([text])
    if header.lines:
        return False
    found.date = found.date or header.date
    if header.author and not found.author:
        found.author, found.byline_org = header.author, header.byline_org
    return True


def _title_from(prose: list[str], file_name: str) -> str:
    lead = strip_dateline(split_sentences(prose[0])[0]) if prose else ""
    title = headline_from_lead(lead) if lead else ""
    return title or re.sub(r"[_\s]+", " ", PurePosixPath(file_name).stem).strip() or "Article"


def _date(stated: DateValue, plain_body: str) -> tuple[DateValue, bool]:
    if stated is not None:
        return stated, False
    inferred = infer_date(plain_body)
    return inferred, inferred is not None


def _clean_author(author: str, source: str) -> str:
    """ "Tom Krisher; AP Auto Writer" → "Tom Krisher", "Phil Helsel is a reporter" → "Phil Helsel": the names
    only, without job titles, dates, or the publisher's own name."""
    parts = [p for p in re.split(r"\s*[;|]\s*|\s*,\s*|\s+and\s+|\s+&\s+", author or "") if p.strip()]
    # after the first name, a part with a job title in it is that person's title ("…; AP Auto Writer")
    names = [_leading_name(part) for index, part in enumerate(parts) if index == 0 or not _is_job_title(part)]
    people = [name for name in names if name and _words(name) != _words(source)]
    return ", ".join(dict.fromkeys(people))


_CALENDAR = {name.casefold() for name in (*calendar.day_name, *calendar.month_name) if name}


def _leading_name(part: str) -> str:
    """The capitalised words a part starts with, up to an ordinary word, a date or a job title (and the
    desk word before it: "Tom Gillespie News reporter")."""
    name: list[str] = []
    for word in part.split():
        if _is_job_title(word):
            return " ".join(name[:-1] if len(name) >= 3 else name)
        if not word[:1].isupper() or word.strip(".,").casefold() in _CALENDAR or len(name) == 4:
            break
        name.append(word)
    return " ".join(name)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text.casefold()))


# ---------------------------------------------------------------- Markdown notes


def normalise_note(raw: RawArticle, config: Config) -> Normalised:
    """An editor's note: its front matter as stated, its body as written; the rules fill only the gaps."""
    stated = dict(raw.front_matter or {})
    body = raw.body
    if not stated.get("title") and (heading := _LEADING_HEADING.match(body)):
        stated["title"], body = heading.group("title"), body[heading.end() :].lstrip("\n")
    plain_body = plain_paragraphs(body)
    prose = [part for part in plain_body.split("\n\n") if part.strip()]
    file_name = PurePosixPath(raw.origin).name
    data: dict[str, Any] = {"title": _title_from(prose, file_name), **stated, "origin": raw.origin}
    data.setdefault("source", rule_source(config.sources, file_name, plain_body) or find_source(prose))
    data.setdefault("summary", summarise(lead_paragraph(prose)))
    if "date" not in stated:
        data["date"], data["date_inferred"] = _date(None, plain_body)
    kinds: dict[str, str] = {}
    if "tags" not in stated:
        tagged = tag_article(str(data["title"]), plain_body.split("\n\n"), str(data.get("source") or ""), config)
        data["tags"], kinds = tagged.tags, tagged.kinds
    for key, value in reading_length(plain_body).items():
        data.setdefault(key, value)
    article = article_from_front_matter(data, body)
    if "slug" not in stated:  # given when the file is written, among the other content files
        article = replace(article, slug="")
    return Normalised(article, kinds, tags_stated="tags" in stated)
