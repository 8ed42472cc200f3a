"""Who published an article, from the evidence that names the publisher.

Evidence, strongest first: the editor's own rules in digest.yaml, a copyright
line, an agency in the dateline ("LONDON (Reuters) -", "New York, Feb 26 (dpa) -",
"(MENAFN)"), the organisation in a byline, an attribution ("as reported by UNN",
"originally published by …") and an agency sign-off at the end ("— AP", "(AFP)",
a bare "Reuters" on the last line, "…he said. dpa"). An outlet the story merely
quotes ("The Hill reported", "told the BBC") names a source, not the publisher,
so no rule reads those phrasings; nor does an image credit ("Photo: AFP"). No
evidence: no source. Rules read the shape of a line (dateline grammar, a
sign-off's position); the short list of wire agencies below is one signal, so
that a bare word on the last line counts only when it is an agency's name.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import Optional

from ..config import SourceRule
from .boilerplate import chrome_category
from .dateline import parse_dateline

# A publisher's name as it is written: capitalised words, perhaps "of"/"the"/"&" between.
_WORD = r"[A-Z](?:[\w&'’-]|\.(?=\w))*"
_NAME = rf"(?P<name>(?:[Tt]he\s+)?{_WORD}(?:\s+(?:of\s+|the\s+|and\s+|&\s+|for\s+)?{_WORD}){{0,4}})"

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
_AGENCY_NAME = r"[^\W\d_][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}"
# "— AP", "-- dpa", "(Reuters)", "with AFP", "AFP/dpa": a line that is nothing but the sign-off
_SIGN_OFF = re.compile(rf"^(?:[-–—]+\s*|(?i:with)\s+|\()?(?P<name>{_AGENCY_NAME})(?:\s*/\s*{_AGENCY_NAME})*\)?\s*\.?$")
_MARKED_SIGN_OFF = re.compile(r"^(?:[-–—]|with\s|\()", re.IGNORECASE)
# "…the ministry said. (Reuters)", "…on Monday. — AP": the sign-off glued to the last paragraph
_TRAILING_SIGN_OFF = re.compile(rf"[.!?”\"]\s+(?:[-–—]+\s*|\()?(?P<name>{_AGENCY_NAME})\)?\s*\.?$")
_CREDIT = re.compile(r"\b(?:photo|image|picture|video|graphic|credit|getty|file)\b", re.IGNORECASE)
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
# The wire agencies whose name alone may sign a story off, written as the agencies write it.
WIRE_AGENCIES = {
    name.lower(): name
    for name in (
        "Reuters",
        "AP",
        "Associated Press",
        "AFP",
        "Agence France-Presse",
        "dpa",
        "EFE",
        "ANSA",
        "Xinhua",
        "Kyodo",
        "Yonhap",
        "TASS",
        "Interfax",
        "PTI",
        "IANS",
        "ANI",
        "UNI",
        "UPI",
        "Bloomberg",
        "PA",
        "PA Media",
        "AAP",
        "The Canadian Press",
        "CP",
        "Anadolu",
        "Bernama",
        "Antara",
        "Jiji",
        "APA",
        "Belga",
        "ANP",
        "Lusa",
        "PAP",
        "CTK",
        "KNA",
        "epd",
        "Ukrinform",
        "RIA Novosti",
        "NTB",
        "TT",
        "Ritzau",
        "STT",
        "MENA",
        "WAM",
        "SPA",
        "IRNA",
    )
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


def find_source(lines: list[str], byline_org: str = "", site: str = "") -> str:
    """The publisher named by the text's own evidence (header lines already taken out); `site` is the
    name a page title carried ("Storm hits coast | Example News"), weaker than what the story says."""
    content = [line.strip() for line in lines if line.strip()]
    for finder in (_from_copyright, _from_dateline):
        name = finder(content)
        if name:
            return name
    if byline_org and not _is_job_title(byline_org):
        return clean_name(byline_org)
    return _from_attribution(content) or clean_name(site) or _from_sign_off(content)


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
        dateline = parse_dateline(line)
        if dateline and dateline.agency and len(dateline.agency.split()) <= 4:
            name = agency_name(dateline.agency)
            if name.lower() not in _NOT_PUBLISHERS:
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
    """The agency signing the story off in its last lines; a credit line is not a sign-off."""
    for line in [line for line in lines if chrome_category(line) is None][-3:][::-1]:
        if _CREDIT.search(line):
            continue
        match = _SIGN_OFF.match(line)
        if match is not None:
            marked = bool(_MARKED_SIGN_OFF.match(line))
            name = _sign_off_name(match.group("name"), marked)
        elif (trailing := _TRAILING_SIGN_OFF.search(line)) is not None:
            # glued to a sentence, only a bracketed or dashed name or an agency's own counts ("… said. NASA" does not)
            marked = bool(re.search(r"[-–—(]", trailing.group(0)[1:]))
            name = _sign_off_name(trailing.group("name"), marked) if marked else _wire_agency(trailing.group("name"))
        else:
            continue
        if name:
            return name
    return ""


def _sign_off_name(name: str, marked: bool) -> str:
    """A marked sign-off ("— Gazette Wire") names any publisher; a bare word must be an agency's name."""
    name = name.strip()
    if name.lower() in _NOT_PUBLISHERS:
        return ""
    if name.lower() in WIRE_AGENCIES:
        return WIRE_AGENCIES[name.lower()]
    if (marked and name[:1].isupper()) or (name.isupper() and 2 <= len(name) <= 6 and " " not in name):
        return clean_name(name)
    return ""


def _wire_agency(name: str) -> str:
    return WIRE_AGENCIES.get(name.strip().lower(), "")


def agency_name(name: str) -> str:
    """ "REUTERS", "reuters" → "Reuters": a wire agency as it writes its own name."""
    cleaned = clean_name(name)
    return WIRE_AGENCIES.get(cleaned.lower(), cleaned)


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
