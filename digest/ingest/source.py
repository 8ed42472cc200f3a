"""Who published an article, from the evidence that names the publisher.

Evidence, strongest first: the editor's own rules in digest.yaml, a copyright
line, an agency tag in the dateline ("LONDON (Reuters) -", "(MENAFN)"), the
organisation in a byline, an attribution ("as reported by UNN", "originally
published by …") and an agency sign-off at the end. An outlet the story merely
quotes ("The Hill reported", "told the BBC") names a source, not the publisher,
so no rule reads those phrasings. No evidence: no source.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Iterable, Optional

from ..config import SourceRule
from .boilerplate import chrome_category

# A publisher's name as it is written: capitalised words, perhaps "of"/"the"/"&" between.
_WORD = r"[A-Z](?:[\w&'’-]|\.(?=\w))*"
_NAME = rf"(?P<name>(?:[Tt]he\s+)?{_WORD}(?:\s+(?:of\s+|the\s+|and\s+|&\s+|for\s+)?{_WORD}){{0,4}})"

# "LONDON (Reuters) -", "KYIV, Ukraine (AP) —", "WASHINGTON, Aug 14 (Reuters) -", or a bare "(MENAFN)".
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,2})?\s+)?"
    r"\((?P<name>[A-Z][\w&.'’ -]{0,38}[\w.])\)\s*(?:[-–—:]|\s)"
)
_COPYRIGHT = re.compile(
    r"^(?i:copyright\s*)?(?:©|\((?i:c)\)|(?i:copyright)\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    + _NAME
    + r"\s*(?:[.,;|]|$|\s+(?i:all\s+rights|unless|inc\b|ltd\b|llc\b))",
)
_ATTRIBUTION = tuple(
    re.compile(pattern + _NAME)
    for pattern in (
        r"\bas (?:reported|published|first reported) by\s+",
        r"\b(?:[Oo]riginally|[Ff]irst) (?:published|appeared|ran) (?:by|in|on|at)\s+",
        r"\b(?:[Rr]epublished|[Rr]eprinted) (?:with permission )?(?:from|by)\s+",
        r"^(?:[Ss]ource|[Cc]ourtesy(?: of)?|[Vv]ia)\s*[:\-–—]?\s*",
    )
)
_SIGN_OFF = re.compile(r"^(?:[-–—]+\s*|with\s+|\()?(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\)?\s*\.?$")
_MARKED_SIGN_OFF = re.compile(r"^(?:[-–—]|with\s|\()", re.IGNORECASE)
_NOT_PUBLISHERS = {
    "photo",
    "file",
    "video",
    "ap photo",
    "reuters photo",
    "update",
    "updated",
    "all",
    "the",
    "getty images",
}
_CORPORATE_SUFFIX = re.compile(r"[\s,]+(?:inc|ltd|llc|plc|limited|gmbh|corp|corporation)\.?$", re.IGNORECASE)


def rule_source(rules: Iterable[SourceRule], file_name: str, text: str) -> str:
    """The editor's digest.yaml rules first: they know their sources better than any guess."""
    lowered = text.lower()
    for rule in rules:
        if rule.file and fnmatch.fnmatchcase(file_name.lower(), rule.file.lower()):
            return rule.source
        if rule.phrase and rule.phrase.lower() in lowered:
            return rule.source
    return ""


def find_source(lines: list[str], byline_org: str = "") -> str:
    """The publisher named by the text's own evidence (header lines already taken out)."""
    content = [line.strip() for line in lines if line.strip()]
    for finder in (_from_copyright, _from_dateline):
        name = finder(content)
        if name:
            return name
    if byline_org and not _is_job_title(byline_org):
        return clean_name(byline_org)
    return _from_attribution(content) or _from_sign_off(content)


def _from_copyright(lines: list[str]) -> str:
    for line in reversed(lines):
        if len(line) > 300:
            continue
        match = _COPYRIGHT.match(line)
        if match:
            name = clean_name(match.group("name"))
            if name and name.lower() not in _NOT_PUBLISHERS:
                return name
    return ""


def _from_dateline(lines: list[str]) -> str:
    for line in lines[:3]:
        match = _DATELINE.match(line)
        if match and len(match.group("name").split()) <= 4:
            name = clean_name(match.group("name"))
            if name.lower() not in _NOT_PUBLISHERS and not re.search(r"\d", name):
                return name
    return ""


def _from_attribution(lines: list[str]) -> str:
    for line in lines:
        for pattern in _ATTRIBUTION:
            match = pattern.search(line)
            if match:
                name = clean_name(match.group("name"))
                if name and name.lower() not in _NOT_PUBLISHERS:
                    return name
    return ""


def _from_sign_off(lines: list[str]) -> str:
    for line in [line for line in lines if chrome_category(line) is None][-3:][::-1]:
        match = _SIGN_OFF.match(line)
        if not match:
            continue
        name = match.group("name")
        marked = bool(_MARKED_SIGN_OFF.match(line))
        # An unmarked sign-off must look like a wire tag ("AFP", "AP"), not a stray heading.
        if (marked or (name.isupper() and len(name) <= 8)) and name.lower() not in _NOT_PUBLISHERS:
            return clean_name(name)
    return ""


_JOB_WORDS = re.compile(
    r"\b(?:correspondent|editor|reporter|writer|staff|contributor|columnist|analyst|chief|senior|bureau|"
    r"producer|intern|desk|team|special|news service)\b",
    re.IGNORECASE,
)


def _is_job_title(text: str) -> bool:
    return bool(_JOB_WORDS.search(text))


def clean_name(name: Optional[str]) -> str:
    name = (name or "").strip().strip(".,;:-–— ")
    name = _CORPORATE_SUFFIX.sub("", name)
    return re.sub(r"\s+", " ", name).strip()
