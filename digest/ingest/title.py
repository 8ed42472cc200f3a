"""Headlines: find the one the page states, or write one from the lead.

In a page dump the headline is rarely the first line: a site name, section links
or a kicker come first, and the page's <title> ("Storm hits coast | Example News")
may stand above the headline itself. The stated headline is the line near the top,
before the story's first paragraph, that reads most like one: a short single clause
that shares its words with the story below it. A generated headline is the lead
sentence shortened by whole phrases (compress.py) to about 90 characters; without
a parser it falls back to cutting at a clause boundary, never mid-word and never on
a word that leaves it dangling ("… the", "… of").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .compress import compress
from .dateline import strip_dateline
from .nlp import parse

MAX_HEADLINE_CHARS = 130  # a stated line longer than this is not a headline
MAX_HEADLINE_WORDS = 22
TITLE_CHARS = 90  # a generated headline's length
FIRST_LINES = 3  # a headline is among the first lines of a clean text…
NEAR_LEAD = 10  # …or close above the story's first paragraph in a page dump
MIN_HEADLINE_WORDS = 3  # "News", "Top Stories": menu items, not headlines
PARSE_CHARS = 600  # a longer "sentence" is a run-on scrape: cut, not parsed
BODY_CHARS = 3000  # the part of the story a headline's words are looked for in

_TERMINAL = re.compile(r"[.;,]$")
# Short words of grammar: a headline neither ends on one nor is scored by one.
_GRAMMAR_WORDS = frozenset(
    {
        "a",
        "after",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "its",
        "not",
        "of",
        "on",
        "or",
        "than",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "who",
        "will",
        "with",
    }
)
_DANGLING = _GRAMMAR_WORDS | {
    "about",
    "because",
    "been",
    "before",
    "between",
    "can",
    "could",
    "dr",
    "had",
    "her",
    "his",
    "if",
    "may",
    "might",
    "minister",
    "mr",
    "mrs",
    "ms",
    "no",
    "our",
    "president",
    "should",
    "since",
    "their",
    "u.s",
    "which",
    "while",
    "whom",
    "whose",
    "would",
}
# Where a clause can be cut so that what is left still says something.
_CLAUSE_BREAKS = re.compile(
    r",\s|;\s|:\s|\s[—–]\s|\s(?=(?:which|who|after|as|while|because|but|although|amid|if|when|where|following)\s)"
)
_REPORTED = re.compile(
    r"^(?P<who>[^,;:]{3,90}?)\s+(?:said|says|told [^,;]{2,40}?|announced|stated|confirmed|warned|claimed|"
    r"reported|insisted|argued|added)(?:\s+(?:on|late on|early on)\s+\w+|\s+\w+day|\s+(?:today|yesterday|tonight))?"
    r",?\s+that\s+(?P<what>.+)$"
)
# "Storm hits coast | Example News", "Storm hits coast - example.com": a page title with the site after it
# "Storm hits coast | Example News": a pipe or bullet sets a site's name off; a dash does only before a domain,
# since "Choose hope over fear - Kennedy" names the speaker
_SITE_SUFFIX = re.compile(r"^(?P<headline>.+?)\s*(?:\s[|•·]|\||::)\s*(?P<site>[^|•·]{2,40})$")
_DOMAIN_SUFFIX = re.compile(r"^(?P<headline>.+?)\s+[-–—]\s+(?P<site>[\w.-]+\.[a-z]{2,6})$", re.IGNORECASE)
_TITLE_PARTS = re.compile(r"\s*\|\s*|\s+(?:[–—•·]|-|::)\s+")
_DOMAIN = re.compile(r"\.[a-z]{2,6}$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_STOPWORDS = _GRAMMAR_WORDS | {"how", "it", "more", "new", "out", "over", "say", "says", "up", "what", "why"}


@dataclass
class FoundTitle:
    title: str = ""
    lines: list[str] = field(default_factory=list)  # the text without the headline
    site: str = ""  # the site name a page title carried ("… | Example News")
    dropped: frozenset[int] = frozenset()  # indexes, in the lines given, of the headline and its repeats


def looks_like_headline(line: str) -> bool:
    """A line that reads as a headline: short, one clause, not a finished sentence."""
    text = line.strip()
    if not text or len(text) > MAX_HEADLINE_CHARS or len(text.split()) > MAX_HEADLINE_WORDS:
        return False
    if text.endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    if not re.match(r"^[\"“‘'(£$€¥#]?(?:[A-Z0-9]|[a-z]+[A-Z])", text):  # "iTunes …", "£1.8m fine …" too
        return False
    if re.search(r"(?:[a-z]{2}|[0-9%”’\")])[.!?][\"”’]?\s+[\"“A-Z]", text):  # two sentences: prose, not a headline
        return False
    return len(re.findall(r"[A-Za-z]", text)) >= 3


def is_prose(line: str) -> bool:
    """A paragraph of the story, not a line of page furniture above it. A question or an exclamation
    of headline length is a headline ("Does the plan add up?")."""
    words = len(line.split())
    return words >= 25 or (words >= 8 and bool(re.search(r"[.…][\"”’)]?$", line.strip())))


def find_headline(lines: list[str]) -> FoundTitle:
    """The stated headline among the lines above the story's first paragraph, if one reads as such."""
    top = _top_lines(lines)
    if not top:
        return FoundTitle(lines=lines)
    body_words = _stems(" ".join(lines[top[-1] + 1 :])[:BODY_CHARS])
    texts = {index: lines[index].strip() for index in top}
    parts = {index: _split_site(texts[index], set(texts.values())) for index in top}
    best: tuple[float, int] | None = None
    for rank, index in enumerate(top):
        headline, site = parts[index]
        if not looks_like_headline(headline) or len(headline.split()) < MIN_HEADLINE_WORDS:
            continue
        repeated = sum(part[0] == headline for part in parts.values()) > 1 or bool(site)
        place = (0.3 if rank == 0 else 0.0) - 0.05 * (len(top) - 1 - rank)  # first line, or close above the story
        score = _headline_score(headline, body_words, repeated) + place
        if best is None or score > best[0]:
            best = (score, index)
    if best is None or best[0] <= 0:
        return FoundTitle(lines=lines)
    chosen = parts[best[1]][0]
    site = next((site for headline, site in parts.values() if headline == chosen and site), "")
    # Only the headline (and a page title repeating it) leaves: lines above it may be chrome, but
    # telling chrome from text is the chrome filter's job, and what a user wrote is never lost here.
    dropped = {index for index in top if parts[index][0] == chosen}
    return FoundTitle(
        chosen, [line for index, line in enumerate(lines) if index not in dropped], site, frozenset(dropped)
    )


def _top_lines(lines: list[str]) -> list[int]:
    """Indexes of the non-empty lines that may hold the headline: the first few, and those just above
    the story's first paragraph of prose (a page dump has its menus in between)."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    start = next((n for n, index in enumerate(filled) if is_prose(lines[index])), None)
    above = filled[:start] if start is not None else filled[:-1]  # the last line is the story, however short
    if len(above) <= FIRST_LINES + NEAR_LEAD:
        return above
    return above[:FIRST_LINES] + above[-NEAR_LEAD:]


def _split_site(line: str, others: set[str]) -> tuple[str, str]:
    """("Storm hits coast | Example News") → ("Storm hits coast", "Example News") when the tail is a site's
    name; ("Opinion|Storm hits coast") → ("Storm hits coast", "") when that part stands as a line of its own."""
    pieces = [piece.strip() for piece in _TITLE_PARTS.split(line) if piece.strip()]
    if len(pieces) > 1:
        for piece in pieces:
            if piece in others:
                return piece, pieces[-1] if piece != pieces[-1] and _site_name(pieces[-1]) else ""
    match = _SITE_SUFFIX.match(line) or _DOMAIN_SUFFIX.match(line)
    if match is None or not _site_name(match.group("site").strip()):
        return line, ""
    return match.group("headline").strip(), match.group("site").strip()


def _site_name(text: str) -> bool:
    """ "Example News", "example.co.uk": a short run of capitalised words, or a domain."""
    words = text.split()
    capitalised = all(word[:1].isupper() or word[:1].isdigit() for word in words)
    return bool(_DOMAIN.search(text)) or (len(words) <= 4 and capitalised)


def _headline_score(text: str, body_words: set[str], repeated: bool) -> float:
    """How much a line reads like this story's headline: its words recur below it and it has a
    headline's length and case; a page title repeating it says so outright. (Its place is scored by
    the caller: first line of the text, or close above the story.)"""
    words = _stems(text)
    overlap = len(words & body_words) / max(len(words), 3)  # two common words are not a headline's worth
    count = len(text.split())
    length = 1.0 if 5 <= count <= 14 else 0.8 if count == 4 else 0.6 if 15 <= count <= 22 else 0.3
    shouting = 0.5 if text.isupper() and count > 2 else 0.0
    return 2 * overlap + length - shouting + (1.0 if repeated else 0.0) - 0.5


def _stems(text: str) -> set[str]:
    """Content words without their endings, cut to five letters: "hiking" finds "hike", "sanctions" "sanctioned"."""
    return {_stem(word) for word in _WORD.findall(text) if word.lower() not in _STOPWORDS and len(word) > 2}


@functools.lru_cache(maxsize=1 << 16)  # a story repeats its words: each is stemmed once per process
def _stem(word: str) -> str:
    word = word.lower().removesuffix("’s").removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


def headline_from_lead(sentence: str, story: str = "") -> str:
    """A headline of at most about TITLE_CHARS characters from the lead sentence (`story`: the rest
    of the text, where people named in full in the lead are called by their surnames)."""
    text = strip_dateline(sentence).strip().rstrip(".!?;:").strip()
    if len(text) <= TITLE_CHARS:
        return _capitalise(_balance(text))
    doc = parse(text) if len(text) <= PARSE_CHARS else None
    title = compress(doc, TITLE_CHARS, _lone_names(story)) if doc is not None else _clause_cut(text[:PARSE_CHARS])
    if len(title) > TITLE_CHARS + 10:
        title = _clause_cut(title)
    return _capitalise(_trim_dangling(title))


def _lone_names(story: str) -> frozenset[str]:
    """Capitalised words the story writes on their own, not inside a longer name ("Putin said")."""
    words = story.split()
    lone = set()
    for index, word in enumerate(words):
        name = word.strip("“”\"‘’'(),.;:!?").removesuffix("’s").removesuffix("'s")
        if not name[:1].isupper() or not name[1:2].islower():
            continue
        before = words[index - 1] if index else "."
        after = words[index + 1] if index + 1 < len(words) else ""
        if (before[:1].islower() or before[-1:] in '.!?,:;”"') and not (after[:1].isupper() and word[-1:].isalpha()):
            lone.add(name)
    return frozenset(lone)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _clause_cut(text: str) -> str:
    """Without a parse: the reported clause, then the longest clause prefix that fits, then whole words."""
    reported = _REPORTED.match(text)
    if reported and len(reported.group("what").split()) >= 4:
        text = reported.group("what")
    if len(text) > TITLE_CHARS:
        text = _first_clause(text)
    return _cut_at_word(text, TITLE_CHARS)


def _first_clause(text: str) -> str:
    """The longest clause prefix that fits a headline and still has at least five words."""
    best = ""
    for match in _CLAUSE_BREAKS.finditer(text):
        prefix = text[: match.start()].strip()
        if len(prefix) > TITLE_CHARS:
            break
        if len(prefix.split()) >= 5:
            best = prefix
    return best or text


def _cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    if " " in cut:
        return cut[: cut.rfind(" ")]
    return cut[:limit].rstrip() + "…"  # one giant "word" is not a word a reader would miss


def _trim_dangling(text: str) -> str:
    words = text.split()
    if len(words) > 3 and re.search(r"[’']s$", words[-1]):  # "…, USA Track & Field's": an aside cut short
        comma = max((i for i, word in enumerate(words[:-1]) if word.endswith(",")), default=-1)
        words = words[: comma + 1] if comma >= 3 else words[:-1]
    while len(words) > 3 and (words[-1].lower().strip("“”\"'‘’,;:") in _DANGLING or _TERMINAL.search(words[-1])):
        if _TERMINAL.search(words[-1]) and words[-1].lower().strip(".,;") not in _DANGLING:
            words[-1] = words[-1].rstrip(".,;")
            break
        words.pop()
    return _balance(" ".join(words))


def _balance(text: str) -> str:
    """An opening quote or bracket without its partner reads as a mistake."""
    for opening, closing in (("“", "”"), ("(", ")"), ("‘", "’")):
        if text.count(opening) > text.count(closing):
            text = text.replace(opening, "")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text.strip()
