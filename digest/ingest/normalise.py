"""Raw article text → Article: header, title, source, body, summary, date, tags.

Pure: text and config in, data out. No file is read or written here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Optional, Sequence

from ..config import Config
from ..model import Article, DateValue
from ..sentences import split_sentences
from .boilerplate import chrome_category
from .chrome import chrome_mask
from .dateline import parse_dateline, strip_dateline
from .dates import anchor_year, infer_date, parse_date_text, published_on
from .decode import strip_tags
from .header import Header, credited_reporters, split_header
from .source import find_source, rule_source
from .tagging import TagRequest, tag_all
from .taglines import take_tag_lines
from .tags import TagResult
from .template import line_key
from .title import FoundTitle, find_headline, headline_from_lead, is_prose

WORDS_PER_MINUTE = 230
SUMMARY_CHARS = 320
MAX_HEADING_WORDS = 6
DATELINE_PARAGRAPHS = 2  # a dateline opens the story's first paragraph, or the one after a standfirst

_TERMINAL = re.compile(r"[.!?…:;,\"”’)\]]$")
_MARKDOWN_START = re.compile(r"^(?:[#>+*=|`~_-]|\d{1,9}[.)](?:\s|$))")


@dataclass(frozen=True)
class Normalised:
    article: Article  # slug not yet given: that needs the other content files
    tag_kinds: dict[str, str] = field(default_factory=dict)
    title_stated: bool = False  # the text's own headline, not one written from its lead
    tags_stated: bool = False  # an editor's own tags: kept as written, never respelled across the corpus
    untagged: Optional[TagRequest] = None  # a draft: its tags still to be found, with others' (settle_tags)


def settle_tags(drafts: Sequence[Normalised], config: Config) -> list[Normalised]:
    """The drafts with their tags, found for all of them at once (see tagging.py)."""
    waiting = [draft.untagged for draft in drafts if draft.untagged is not None]
    tagged = iter(tag_all(waiting, config))
    return [draft if draft.untagged is None else _with_tags(draft, next(tagged)) for draft in drafts]


def _with_tags(draft: Normalised, tagged: TagResult) -> Normalised:
    return replace(draft, article=replace(draft.article, tags=tagged.tags), tag_kinds=tagged.kinds, untagged=None)


@dataclass(frozen=True)
class StoryText:
    """A seed's text taken apart before chrome removal: what it states about itself, and the story's lines."""

    stated_tags: list[str]
    header: Header
    found: FoundTitle  # the headline among the lines below the header, if it states one
    story: list[str]  # the lines less the headline: what the chrome classifier reads


def story_text(text: str, template: frozenset[int] = frozenset()) -> StoryText:
    """The lines of a text that the chrome classifier reads (its training reads them the same way).
    A line of the site's template (`template`, see template.py) is never the headline."""
    stated_tags = take_tag_lines(text.split("\n"))
    header = split_header(stated_tags.lines)
    lines = header.lines
    # The headline is found before the chrome classifier runs: to it, a headline looks much like a
    # line of a rail of headlines. The classifier then reads the page as it came, less the headline:
    # lines the precise rules drop ("Share", "Advertisement") are context it was trained with.
    candidates = [
        index
        for index, line in enumerate(lines)
        if chrome_category(line) is None and not (template and line_key(line) in template)
    ]
    found = find_headline([lines[index] for index in candidates])
    headline = {candidates[index] for index in found.dropped}
    story = [line for index, line in enumerate(lines) if index not in headline]
    return StoryText(stated_tags.tags, header, found, story)


def normalise(text: str, origin: str, config: Config, template: frozenset[int] = frozenset()) -> Normalised:
    """The article a cleaned seed text makes (see decode.clean_text for the cleaning); `template`:
    the keys of its lines that other seeds of its site hold too (template.py)."""
    return settle_tags([draft_text(text, origin, config, template)], config)[0]


def draft_text(text: str, origin: str, config: Config, template: frozenset[int] = frozenset()) -> Normalised:
    """`normalise`, the tags left to be found with other articles'."""
    parts = story_text(text, template)
    header, lines, found = parts.header, parts.header.lines, parts.found
    file_name = PurePosixPath(origin).name
    source = rule_source(config.sources, file_name, text) or find_source(lines, header.byline_org, found.site)
    chrome = chrome_mask(parts.story, template=template)
    paragraphs = to_paragraphs([line for line, is_chrome in zip(parts.story, chrome) if not is_chrome])
    prose = [p for p in paragraphs if not p.startswith("## ")]
    lead = lead_paragraph(prose)
    date, inferred = _date(header.date, prose, text, lines)
    # a generated headline repeats the lead: only a stated one weighs as the headline in tagging
    untagged = TagRequest(found.title, tuple(prose), source, stated=tuple(parts.stated_tags))
    plain_body = "\n\n".join(paragraphs)
    words = len(plain_body.split())
    extra: dict = {}
    author = header.author or credited_reporters(lines)
    if author:
        extra["author"] = author
    extra.update(word_count=words, reading_time=max(1, math.ceil(words / WORDS_PER_MINUTE)))
    article = Article(
        slug="",
        title=_title(found.title, lead, prose, file_name),
        body="\n\n".join(escape_markdown(p) for p in paragraphs),
        date=date,
        date_inferred=inferred,
        source=source,
        summary=summarise(lead),
        origin=origin,
        extra=extra,
    )
    return Normalised(article, title_stated=bool(found.title), untagged=untagged)


def _title(stated: str, lead: str, prose: list[str], file_name: str) -> str:
    """The stated headline, else one written from the lead, else the file's name; never with markup."""
    title = stated or (headline_from_lead(split_sentences(lead)[0], "\n".join(prose)) if lead else "")
    return strip_tags(title) or _fallback_title(file_name)


def _date(header_date: DateValue, prose: list[str], text: str, lines: list[str]) -> tuple[DateValue, bool]:
    """(date, inferred): a date the text states anywhere it states one, else an estimate from its events."""
    stated = header_date or _dateline_date(prose, text) or published_on(text)
    if stated is not None:
        return stated, False
    estimate = infer_date("\n".join(lines))
    return estimate, estimate is not None


def reading_length(plain_body: str) -> dict[str, int]:
    words = len(plain_body.split())
    return {"word_count": words, "reading_time": max(1, math.ceil(words / WORDS_PER_MINUTE))}


def lead_paragraph(prose: list[str]) -> str:
    """The story's first paragraph of prose (a caption or kicker above it is not the lead)."""
    return next((paragraph for paragraph in prose if is_prose(paragraph)), prose[0] if prose else "")


def _dateline_date(prose: list[str], text: str) -> DateValue:
    """A date the story opens with: "Oct 14, 2024 —", "LONDON, Jan 3 (Reuters) -" (the year from the text)."""
    for paragraph in prose[:DATELINE_PARAGRAPHS]:
        dateline = parse_dateline(paragraph)
        if dateline is None or not dateline.date_text:
            continue
        written = dateline.date_text
        if not re.search(r"\d{4}", written):
            year = anchor_year(text)
            if year is None:
                return None
            written = f"{written} {year}"
        return parse_date_text(written)
    return None


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


def summarise(lead: str) -> str:
    """The lead: its first sentence, and the second too when both are short."""
    if not lead:
        return ""
    sentences = [strip_dateline(s) if i == 0 else s for i, s in enumerate(split_sentences(lead))]
    summary = sentences[0]
    if len(sentences) > 1 and len(summary) + len(sentences[1]) < SUMMARY_CHARS - 100:
        summary = f"{summary} {sentences[1]}"
    if len(summary) > SUMMARY_CHARS:
        cut = summary[:SUMMARY_CHARS]
        summary = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "…"
    return summary
