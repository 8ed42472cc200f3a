"""Raw article text → Article: header, title, source, body, summary, date, tags.

Pure: text and config in, data out. No file is read or written here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..config import Config
from ..model import Article
from .boilerplate import chrome_category
from .dates import infer_date
from .header import split_header
from .source import find_source, rule_source
from .tags import TagResult, alias_map, article_tags, tag_key
from .title import headline_from_lead, looks_like_headline, strip_dateline
from .topics import topic_tags

WORDS_PER_MINUTE = 230
SUMMARY_CHARS = 320
MAX_HEADING_WORDS = 6

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sr",
    "jr",
    "gen",
    "gov",
    "sen",
    "rep",
    "col",
    "capt",
    "lt",
    "sgt",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "a.m",
    "p.m",
    "approx",
    "dept",
    "est",
    "fig",
    "mt",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_TERMINAL = re.compile(r"[.!?…:;,\"”’)\]]$")
_MARKDOWN_START = re.compile(r"^(?:[#>+*=|`~_-]|\d{1,9}[.)](?:\s|$))")


@dataclass
class Normalised:
    article: Article  # slug not yet given: that needs the other content files
    tag_kinds: dict[str, str] = field(default_factory=dict)
    tags_stated: bool = False  # an editor's own tags: kept as written, never respelled across the corpus


def normalise(text: str, origin: str, config: Config) -> Normalised:
    """The article a cleaned seed text makes (see decode.clean_text for the cleaning)."""
    header = split_header(text.split("\n"))
    lines = header.lines
    file_name = PurePosixPath(origin).name
    source = rule_source(config.sources, file_name, text) or find_source(lines, header.byline_org)

    content = [line for line in lines if chrome_category(line) is None]
    title, content = _take_title(content)
    paragraphs = to_paragraphs(content)
    prose = [p for p in paragraphs if not p.startswith("## ")]
    lead = strip_dateline(split_sentences(prose[0])[0]) if prose else ""
    if not title:
        title = headline_from_lead(lead) if lead else ""
    title = title or _fallback_title(file_name)

    plain_body = "\n\n".join(paragraphs)
    date, inferred = header.date, False
    if date is None:
        date = infer_date("\n".join(lines))
        inferred = date is not None
    tagged = tag_article(title, "\n\n".join(prose), plain_body, source, config)
    extra: dict = {}
    if header.author:
        extra["author"] = header.author
    extra.update(reading_length(plain_body))
    article = Article(
        slug="",
        title=title,
        body="\n\n".join(escape_markdown(p) for p in paragraphs),
        date=date,
        date_inferred=inferred,
        source=source,
        tags=tagged.tags,
        summary=summarise(prose),
        origin=origin,
        extra=extra,
    )
    return Normalised(article, tagged.kinds)


def tag_article(title: str, prose: str, plain_body: str, publisher: str, config: Config) -> TagResult:
    """Names (people, places, organisations) the article is about, then at most two topics."""
    aliases = alias_map(config.tags.aliases)
    limit = config.tags.max_per_article
    tagged = article_tags(title, prose, aliases=aliases, stop=config.tags.stop, limit=limit, publisher=publisher)
    # Topics come on top of the names (at most two), and only where names were wanted at all.
    topics = [
        t
        for t in topic_tags(title, plain_body)
        if limit and t.casefold() not in {w.casefold() for w in config.tags.stop}
    ]
    for topic in topics:
        name = aliases.get(tag_key(topic), topic)  # an editor may rename a topic with an alias
        if name not in tagged.tags:
            tagged.tags.append(name)
            tagged.kinds[name] = "TOPIC"
    return tagged


def reading_length(plain_body: str) -> dict[str, int]:
    words = len(plain_body.split())
    return {"word_count": words, "reading_time": max(1, math.ceil(words / WORDS_PER_MINUTE))}


def _take_title(lines: list[str]) -> tuple[str, list[str]]:
    """The first line when it reads as a headline (and is not the whole article)."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if len(filled) >= 2 and looks_like_headline(lines[filled[0]]):
        first = filled[0]
        return lines[first].strip(), lines[:first] + lines[first + 1 :]
    return "", lines


def _fallback_title(file_name: str) -> str:
    """An article with no words to make a headline from is named after its file."""
    stem = PurePosixPath(file_name).stem
    return re.sub(r"[_\s]+", " ", stem).strip() or "Article"


def to_paragraphs(lines: list[str]) -> list[str]:
    """Blocks between blank lines; a line per paragraph unless a line was hard-wrapped mid-sentence."""
    paragraphs: list[str] = []
    current = ""
    for line in lines + [""]:
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current and _continues(current, line):
            current = f"{current} {line}"
        else:
            if current:
                paragraphs.append(current)
            current = line
    return _mark_headings(paragraphs)


def _continues(previous: str, line: str) -> bool:
    """A wrapped line: the one before stops mid-sentence and this one carries on in lower case."""
    return not _TERMINAL.search(previous) and (line[:1].islower() or len(previous) >= 60)


def _mark_headings(paragraphs: list[str]) -> list[str]:
    """A short line without punctuation between paragraphs is a section heading ("Addition")."""
    marked = []
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if (
            0 < index
            and len(paragraph.split()) <= MAX_HEADING_WORDS
            and len(paragraph) <= 60
            and paragraph[:1].isupper()
            and not _TERMINAL.search(paragraph)
            and not paragraph.endswith("?")
            and len(following.split()) > MAX_HEADING_WORDS
            and _TERMINAL.search(following)
        ):
            marked.append("## " + paragraph)
        else:
            marked.append(paragraph)
    return marked


def escape_markdown(paragraph: str) -> str:
    """Text that would start a Markdown list, quote, heading or rule by accident is escaped."""
    if paragraph.startswith("## "):
        return "## " + _escape_start(paragraph[3:])
    return _escape_start(paragraph)


def _escape_start(text: str) -> str:
    match = _MARKDOWN_START.match(text)
    if match is None:
        return text
    if text[:1].isdigit():
        marker = len(text) - len(text.lstrip("0123456789"))
        return text[:marker] + "\\" + text[marker:]
    return "\\" + text


def split_sentences(paragraph: str) -> list[str]:
    """Sentences, not split after abbreviations ("U.S.", "Mr.") or initials."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip('"”’)]')
        last_word = before.split()[-1].rstrip(".").lower() if before.split() else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        sentences.append(paragraph[start : match.start()].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences or [paragraph]


def summarise(prose: list[str]) -> str:
    """The lead: its first sentence, and the second too when both are short."""
    if not prose:
        return ""
    sentences = [strip_dateline(s) if i == 0 else s for i, s in enumerate(split_sentences(prose[0]))]
    summary = sentences[0]
    if len(sentences) > 1 and len(summary) + len(sentences[1]) < SUMMARY_CHARS - 100:
        summary = f"{summary} {sentences[1]}"
    if len(summary) > SUMMARY_CHARS:
        cut = summary[:SUMMARY_CHARS]
        summary = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "…"
    return summary
