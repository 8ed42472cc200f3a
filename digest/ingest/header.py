"""Header lines atop a scraped article: publication dates and bylines.

Scrapers leave metadata as loose lines before the story ("Published: August 14,
2025", "14 Aug 2025 10:32 GMT", "By Jane Doe, Reuters", or "date 2025-08-14 403"
with the story glued on). They become front matter and leave the body.
Parsing itself is dateutil's; the rules here only decide which lines are dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import DateValue, FrontMatterError, parse_date
from .dates import MONTH, WEEKDAY, parse_date_text
from .nlp import entities

HEAD_LINES = 8  # non-empty lines at the top that may hold metadata

_LABEL = (
    r"(?:(?:originally\s+|first\s+|last\s+)?(?:published|posted|updated|modified|released|created)|"
    r"publication\s+date|date(?:d|line)?)"
)
_LABEL_PREFIX = re.compile(rf"^\s*{_LABEL}(?:\s+(?:on|at))?\s*[:\-–—]?\s*", re.IGNORECASE)
_UPDATE_LABEL = re.compile(r"^\s*(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)

# "date 2025-08-14 403 The question …": a label, an ISO date or timestamp, a stray
# number a scraper appended, and possibly the first words of the story itself.
_ISO_HEADER = re.compile(
    rf"^\s*{_LABEL}\s*[:\-–—]?\s*"
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?:\s+\d{1,9}(?![\d:./-]))?"
    r"(?:\s+(?P<rest>\S.*))?$",
    re.IGNORECASE,
)
_BARE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")

# What may stand in a line that is nothing but a date.
_DATE_TOKEN = re.compile(
    rf"(?<!\w)(?:{MONTH}|{WEEKDAY})(?!\w)|\b(?:at|on|am|pm|a\.m|p\.m|utc|gmt|[a-z]{{1,3}}t|z)\b\.?"
    r"|\d{1,4}(?:st|nd|rd|th)?|[,.:/\-–—|()+\s]",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_HAS_MONTH = re.compile(rf"(?<!\w){MONTH}(?!\w)|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}\b", re.IGNORECASE)
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?=\s*(?:[ap]\.?m\b|[A-Z]{2,4}\b|$))", re.IGNORECASE)
_READ_TIME = re.compile(r"^\s*\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\s*(?:read|reading)\b\.?\s*$", re.IGNORECASE)

_BYLINE = re.compile(
    r"^\s*(?:(?:written|words|story|text|reporting|reported)\s+)?by\s*:?\s+(?P<who>[A-Z][^|•·]{1,80}?)\s*(?:[|•·]\s*(?P<more>.*))?$",
    re.IGNORECASE,
)
# What may follow the names in a byline: ", Reuters", " for the Daily Mail", " on Oct 14, 2024", " - BBC News"
_BYLINE_JOINS = re.compile(r"(,\s*|\s+on\s+|\s+[-–—]\s+|\s+for\s+(?:the\s+)?)")
# "(Reporting by Andy Bruce in London and Jo Mason; Editing by Toby Chopra)": the reporters at the foot
_CREDIT_LINE = re.compile(r"^\(?\s*(?:reporting|reported|writing|written)\s+by\s+(?P<names>[^;)]+)", re.IGNORECASE)
_CREDIT_LINES = 4  # the last lines of the story where a credit line stands
# Any staff credit at the foot: "(Reporting by …; Editing by …)", "--With assistance from …", "Additional
# reporting by …", "Compiled by …": who made the story, never what it is about.
_STAFF_CREDIT = re.compile(
    r"^[(\[]?\s*(?:[-–—]+\s*)?(?:(?:with\s+)?(?:additional\s+)?(?:reporting|writing|editing|assistance|research|"
    r"contributions?|graphics|translation)\s+(?:by|from)|(?:edited|compiled|written|reported|contributed|produced|"
    r"translated)\s+by)\s+(?-i:[A-Z])",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w.'’-]*|[A-Z]{2,}|de|van|von|der|al|bin|da|di|la|le)$")
_NOT_NAMES = re.compile(rf"^(?:{WEEKDAY}|{MONTH}|the|this|then|now|late|early)\b", re.IGNORECASE)
_ORG_WORDS = re.compile(r"^(?:(?:[A-Z][\w.&'’-]*|of|the|and|for|in|on|de)\s*)+\.?$")
_SEPARATORS = re.compile(r"\s*[|•·]\s*")


@dataclass
class Header:
    date: DateValue = None
    author: str = ""
    byline_org: str = ""  # "By Jane Doe, Associated Press": the organisation named in the byline
    lines: list[str] = field(default_factory=list)  # the text with header lines taken out


def parse_stated_date(text: str) -> DateValue:
    """A line or phrase that is a date (and maybe a time) → date/datetime; None otherwise."""
    candidate = _LABEL_PREFIX.sub("", text.strip()).strip(" .,;|")
    if not candidate or len(candidate) > 60:
        return None
    if _BARE_ISO.match(candidate):
        return _parse_iso(candidate)
    if not (_HAS_YEAR.search(candidate) and _HAS_MONTH.search(candidate)):
        return None
    if _DATE_TOKEN.sub("", candidate).strip():
        return None  # something other than a date is on the line
    candidate = _DOTTED_TIME.sub(r"\1:\2", candidate)
    candidate = re.sub(r"\b(at|on)\b", " ", candidate, flags=re.IGNORECASE).replace("|", " ")
    return parse_date_text(candidate)


def _parse_iso(value: str) -> DateValue:
    try:
        return parse_date(value)
    except FrontMatterError:
        return None


def iso_header(line: str) -> Optional[tuple[DateValue, str]]:
    """("date 2025-08-14 403 Story…") → (date, "Story…"); None when the line is not such a header."""
    match = _ISO_HEADER.match(line)
    if match is None:
        return None
    value = _parse_iso(match.group("date"))
    if value is None:
        return None
    return value, (match.group("rest") or "").strip()


def parse_byline(line: str) -> Optional[tuple[str, str, DateValue]]:
    """("By Jane Doe, Associated Press") → ("Jane Doe", "Associated Press", None); None if not a byline.
    The names may be followed by an outlet, a job title, a place or a date, in any of the usual joins."""
    match = _BYLINE.match(line)
    if match is None or len(line.split()) > 16:
        return None
    pieces = _BYLINE_JOINS.split(match.group("who").strip())
    who = pieces[0].strip()
    if not _are_names(who):
        return None
    chunks = [piece.strip() for piece in pieces[2::2] if piece.strip()]
    more = (match.group("more") or "").strip()
    date: DateValue = None
    for start in range(len(chunks)):  # the date is the tail: "Oct 14, 2024" spans a comma
        date = parse_stated_date(", ".join(chunks[start:]))
        if date is not None:
            chunks = chunks[:start]
            break
    if more and (date is None and (value := parse_stated_date(more)) is not None):
        date, more = value, ""
    orgs = chunks + ([more] if more else [])
    if any(not _ORG_WORDS.match(org) for org in orgs):
        return None
    return _name_case(who), (orgs[0] if orgs else ""), date


def _name_case(names: str) -> str:
    """ "JANE DOE" (a wire byline in capitals) → "Jane Doe"."""
    return names.title().replace(" And ", " and ") if names.isupper() else names


def _are_names(who: str) -> bool:
    """ "Jane Doe", "JANE DOE and John Roe": people's names, not a phrase that starts with "By"."""
    for name in re.split(r"\s+(?:and|&)\s+", who):
        words = name.split()
        if not 1 <= len(words) <= 5 or not all(_NAME_WORD.match(word) for word in words):
            return False
        if _DATE_TOKEN.sub("", name).strip() == "" or _NOT_NAMES.search(name):
            return False
    return True


def _a_person(text: str) -> bool:
    """The entity recogniser reads the whole text as one person's name ("Helen Price", not "World News")."""
    found = entities(text)
    return found is not None and len(found) == 1 and found[0][1] == "PERSON" and found[0][0] == text.strip()


def is_staff_credit(line: str) -> bool:
    """A line that credits the story's reporters, editors or helpers."""
    return _STAFF_CREDIT.match(line.strip()) is not None


def credited_reporters(lines: list[str]) -> str:
    """The reporters a wire story credits at its foot ("Reporting by Andy Bruce in London; Editing by …")."""
    for line in [line.strip() for line in lines if line.strip()][-_CREDIT_LINES:]:
        match = _CREDIT_LINE.match(line)
        if match is None:
            continue
        listed = re.split(r",\s*|\s+and\s+", match.group("names"))
        names = [re.sub(r"\s+(?:in|at|from)\s+.*$", "", name).strip() for name in listed]  # "Jo Lee in Paris"
        names = [name for name in names if name]
        if names and all(_are_names(name) for name in names):
            return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    return ""


def split_header(lines: list[str]) -> Header:
    """Take date lines, "date …" headers and bylines out of the first few lines."""
    header = Header()
    stated: list[tuple[bool, DateValue]] = []  # (is an update, value)
    kept: list[str] = []
    seen = 0
    for index, line in enumerate(lines):
        if seen >= HEAD_LINES:
            kept.extend(lines[index:])
            break
        if not line.strip():
            kept.append(line)
            continue
        seen += 1
        iso = iso_header(line)
        if iso is not None:
            stated.append((bool(_UPDATE_LABEL.match(line)), iso[0]))
            if iso[1]:
                kept.append(iso[1])
            continue
        if _read_header_parts(line, header, stated):
            continue
        kept.append(line)
    header.lines = kept
    originals = [value for is_update, value in stated if not is_update]
    header.date = (originals or [value for _, value in stated] or [None])[0]
    return header


def _read_header_parts(line: str, header: Header, stated: list[tuple[bool, DateValue]]) -> bool:
    """True when every part of the line ("By X | Updated 14 Aug 2025") is header material."""
    if _READ_TIME.match(line):
        return True
    found: list[tuple[bool, DateValue]] = []
    byline: Optional[tuple[str, str, DateValue]] = None
    bare_name = ""  # "Helen Price · Mon 9 Sep 2024": a name without "By", a byline only beside a date
    for part in _SEPARATORS.split(line.strip()):
        if not part:
            continue
        value = parse_stated_date(part)
        if value is not None:
            found.append((bool(_UPDATE_LABEL.match(part)), value))
            continue
        if _READ_TIME.match(part):
            continue
        if byline is None and (candidate := parse_byline(part)) is not None:
            byline = candidate
            if candidate[2] is not None:
                found.append((False, candidate[2]))
            continue
        if byline is not None and not byline[1] and len(part.split()) <= 5 and _ORG_WORDS.match(part):
            byline = (byline[0], part, byline[2])  # "By Jane Doe | Reuters | …"
            continue
        if byline is None and not bare_name and 2 <= len(part.split()) <= 4 and _are_names(part):
            bare_name = part
            continue
        return False
    if byline is None and not found:
        return False
    if not found and bare_name:
        return False
    if bare_name and byline is None and _a_person(bare_name):
        byline = (_name_case(bare_name), "", None)
    stated.extend(found)
    if byline is not None and not header.author:
        header.author, header.byline_org = byline[0], byline[1]
    return True
