"""Headlines: recognise the one a scraper kept, or write one from the lead.

A generated headline is a clause of the lead sentence, never cut mid-word and
never ending on a word that leaves it dangling ("… the", "… of").
"""

from __future__ import annotations

import re

MAX_HEADLINE_CHARS = 130  # a clause longer than this is not a headline
MAX_HEADLINE_WORDS = 22
TARGET_CHARS = 100  # where a generated headline is cut when no clause fits

_TERMINAL = re.compile(r"[.;,]$")
_DANGLING = {
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "and",
    "or",
    "but",
    "as",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "his",
    "her",
    "its",
    "their",
    "our",
    "this",
    "these",
    "those",
    "into",
    "about",
    "than",
    "between",
    "if",
    "while",
    "after",
    "before",
    "because",
    "since",
    "not",
    "no",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "can",
    "mr",
    "mrs",
    "ms",
    "dr",
    "u.s",
    "president",
    "minister",
}
# Where a clause can be cut so that what is left still says something.
_CLAUSE_BREAKS = re.compile(
    r",\s|;\s|:\s|\s[—–]\s|\s(?=(?:that|which|who|after|as|while|because|but|although|amid|if|when|where|following)\s)"
)
# "Peskov said on Sunday that Putin is ready …" → the news is what follows "that".
_REPORTED = re.compile(
    r"^(?P<who>[^,;:]{3,90}?)\s+(?:said|says|told [^,;]{2,40}?|announced|stated|confirmed|warned|claimed|"
    r"reported|insisted|argued|added)(?:\s+(?:on|late on|early on)\s+\w+|\s+\w+day|\s+(?:today|yesterday|tonight))?"
    r",?\s+that\s+(?P<what>.+)$"
)
_LEADING_TAG = re.compile(r"^(?:[A-Z][A-Z.'’ -]+(?:,\s*[\w.]+(?:\s+[\w.]+){0,2})?\s+)?\([^)]{1,40}\)\s*[-–—:]?\s*")


def looks_like_headline(line: str) -> bool:
    """A first line that reads as a headline: short, one clause, not a finished sentence."""
    text = line.strip()
    if not text or len(text) > MAX_HEADLINE_CHARS or len(text.split()) > MAX_HEADLINE_WORDS:
        return False
    if text.endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    if not re.match(r"^[\"“‘'(]?[A-Z0-9]", text):
        return False
    if re.search(r"(?:[a-z]{2}|[0-9%”’\")])[.!?][\"”’]?\s+[\"“A-Z]", text):  # two sentences: prose, not a headline
        return False
    return len(re.findall(r"[A-Za-z]", text)) >= 3


def strip_dateline(sentence: str) -> str:
    """'LONDON (Reuters) - Britain said …' → 'Britain said …'."""
    return _LEADING_TAG.sub("", sentence, count=1).strip()


def headline_from_lead(sentence: str) -> str:
    """A headline-length title from the lead sentence."""
    text = strip_dateline(sentence).strip().rstrip(".!?;:").strip()
    reported = _REPORTED.match(text)
    if reported and len(reported.group("what").split()) >= 4:
        text = reported.group("what")
    if len(text) > MAX_HEADLINE_CHARS or len(text) > TARGET_CHARS and _CLAUSE_BREAKS.search(text):
        text = _first_clause(text)
    if len(text) > MAX_HEADLINE_CHARS:
        text = _cut_at_word(text, TARGET_CHARS)
    text = _trim_dangling(text)
    return text[:1].upper() + text[1:] if text else text


def _first_clause(text: str) -> str:
    """The longest clause prefix that fits a headline and still has at least five words."""
    best = ""
    for match in _CLAUSE_BREAKS.finditer(text):
        prefix = text[: match.start()].strip()
        if len(prefix) > MAX_HEADLINE_CHARS:
            break
        if len(prefix.split()) >= 5:
            best = prefix
            if len(prefix) >= 40:
                break  # the first clause that says enough is the most headline-like
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
    while len(words) > 3 and (words[-1].lower().strip("“”\"'‘’,;:") in _DANGLING or _TERMINAL.search(words[-1])):
        if _TERMINAL.search(words[-1]) and words[-1].lower().strip(".,;") not in _DANGLING:
            words[-1] = words[-1].rstrip(".,;")
            break
        words.pop()
    text = " ".join(words)
    # an opening quote or bracket without its partner reads as a mistake
    for opening, closing in (("“", "”"), ("(", ")"), ("‘", "’")):
        if text.count(opening) > text.count(closing):
            text = text.replace(opening, "")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text.strip()
