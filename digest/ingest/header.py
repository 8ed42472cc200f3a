"""Header lines atop a scraped article: publication dates and bylines.

Scrapers leave metadata as loose lines before the story ("Published: August 14,
2025", "14 Aug 2025 10:32 GMT", "By Jane Doe, Reuters", or "date 2025-08-14 403"
with the story glued on). They become front matter and leave the body.
Parsing itself is dateutil's; the rules here only decide which lines are dates.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from typing import Optional

from dateutil import parser as date_parser
from dateutil.tz import tzoffset, tzutc

from ..model import DateValue, FrontMatterError, parse_date

HEAD_LINES = 8  # non-empty lines at the top that may hold metadata

_HOUR = 3600
# Only unambiguous abbreviations: "ET", "IST" or "CST" mean different offsets in different places.
TZINFOS = {
    "UTC": tzutc(),
    "GMT": tzutc(),
    "Z": tzutc(),
    "BST": tzoffset("BST", _HOUR),
    "CET": tzoffset("CET", _HOUR),
    "CEST": tzoffset("CEST", 2 * _HOUR),
    "EET": tzoffset("EET", 2 * _HOUR),
    "EEST": tzoffset("EEST", 3 * _HOUR),
    "MSK": tzoffset("MSK", 3 * _HOUR),
    "EST": tzoffset("EST", -5 * _HOUR),
    "EDT": tzoffset("EDT", -4 * _HOUR),
    "CDT": tzoffset("CDT", -5 * _HOUR),
    "MST": tzoffset("MST", -7 * _HOUR),
    "MDT": tzoffset("MDT", -6 * _HOUR),
    "PST": tzoffset("PST", -8 * _HOUR),
    "PDT": tzoffset("PDT", -7 * _HOUR),
    "JST": tzoffset("JST", 9 * _HOUR),
    "KST": tzoffset("KST", 9 * _HOUR),
    "HKT": tzoffset("HKT", 8 * _HOUR),
    "SGT": tzoffset("SGT", 8 * _HOUR),
    "AEST": tzoffset("AEST", 10 * _HOUR),
    "AEDT": tzoffset("AEDT", 11 * _HOUR),
}

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

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    "september|october|november|december"
)
_DAYS = "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# What may stand in a line that is nothing but a date.
_DATE_TOKEN = re.compile(
    rf"\b(?:{_MONTHS}|{_DAYS}|at|on|am|pm|a\.m|p\.m|utc|gmt|[a-z]{{2,4}}t|z)\b\.?|\d{{1,4}}(?:st|nd|rd|th)?|[,.:/\-–—|()+\s]",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_HAS_MONTH = re.compile(rf"\b(?:{_MONTHS})\b|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}\b", re.IGNORECASE)
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?=\s*(?:[ap]\.?m\b|[A-Z]{2,4}\b|$))", re.IGNORECASE)
_READ_TIME = re.compile(r"^\s*\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\s*(?:read|reading)\b\.?\s*$", re.IGNORECASE)

_BYLINE = re.compile(r"^\s*by\s+(?P<who>[A-Z][^|•·]{1,80}?)\s*(?:[|•·]\s*(?P<more>.*))?$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w.'’-]*|[A-Z]{2,}|de|van|von|der|al|bin|da|di|la|le)$")
_NOT_NAMES = re.compile(rf"^(?:{_DAYS}|{_MONTHS}|the|this|then|now|late|early)\b", re.IGNORECASE)
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
    return _parse_free(candidate)


def _parse_iso(value: str) -> DateValue:
    try:
        return parse_date(value)
    except FrontMatterError:
        return None


def _parse_free(value: str) -> DateValue:
    has_time = bool(re.search(r"\d:\d\d", value))
    sentinel = dt.datetime(1, 1, 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: we drop them on purpose
            parsed = date_parser.parse(value, default=sentinel, tzinfos=TZINFOS, fuzzy=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.year == 1 or not 1900 <= parsed.year <= 2200:
        return None
    if not has_time:
        return parsed.date()
    return parsed


def iso_header(line: str) -> Optional[tuple[DateValue, str]]:
    """("date 2025-08-14 403 Story…") → (date, "Story…"); None when the line is not such a header."""
    match = _ISO_HEADER.match(line)
    if match is None:
        return None
    value = _parse_iso(match.group("date"))
    if value is None:
        return None
    return value, (match.group("rest") or "").strip()


def parse_byline(line: str) -> Optional[tuple[str, str]]:
    """("By Jane Doe, Associated Press") → ("Jane Doe", "Associated Press"); None if not a byline."""
    match = _BYLINE.match(line)
    if match is None or len(line.split()) > 14:
        return None
    who, _, org = match.group("who").partition(",")
    names = re.split(r"\s+(?:and|&)\s+", who.strip())
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 5 or not all(_NAME_WORD.match(word) for word in words):
            return None
        if _DATE_TOKEN.sub("", name).strip() == "" or _NOT_NAMES.search(name):
            return None
    org = org.strip() or (match.group("more") or "").strip()
    if org and not _ORG_WORDS.match(org):
        return None
    return who.strip(), org


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
    byline: Optional[tuple[str, str]] = None
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
            continue
        if byline is not None and not byline[1] and len(part.split()) <= 5 and _ORG_WORDS.match(part):
            byline = (byline[0], part)  # "By Jane Doe | Reuters | …"
            continue
        return False
    if byline is None and not found:
        return False
    stated.extend(found)
    if byline is not None and not header.author:
        header.author, header.byline_org = byline
    return True
