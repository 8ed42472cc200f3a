"""Dates in article text: the words that write them, parsing them, and estimating one when none is stated.

The vocabulary (month and weekday names, time-zone abbreviations) is dateutil's,
extended only by the short forms newsrooms write ("Tues", "Thurs"); every parse
goes through dateutil. An estimate is the latest past date the text names: an
article is published on or after the events it dates. A day without a year
("On June 25") counts only with a year anchor in the same text (a copyright year
or a fully dated mention). Weekdays and "last week" need a known date to resolve
against and are not used. Never today's date, never a file time.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import ClassVar

from dateutil import parser as date_parser
from dateutil.tz import gettz, tzoffset, tzutc

from ..model import DateValue


class NewsParserInfo(date_parser.parserinfo):
    """dateutil's English names plus the weekday abbreviations style guides use."""

    WEEKDAYS: ClassVar[list[tuple[str, ...]]] = [
        ("Mon", "Monday"),
        ("Tue", "Tues", "Tuesday"),
        ("Wed", "Weds", "Wednesday"),
        ("Thu", "Thur", "Thurs", "Thursday"),
        ("Fri", "Friday"),
        ("Sat", "Saturday"),
        ("Sun", "Sunday"),
    ]


INFO = NewsParserInfo()


def _alternation(groups: list[tuple[str, ...]]) -> str:
    names = sorted({name for group in groups for name in group}, key=lambda name: (-len(name), name))
    return "|".join(names)


MONTH = rf"(?:{_alternation(INFO.MONTHS)})\.?"  # "Sept.", "October"
WEEKDAY = rf"(?:{_alternation(INFO.WEEKDAYS)})\.?"

_HOUR = 3600
# Unambiguous abbreviations only ("IST" or "CST" mean different offsets in different places).
# The US zone letters follow daylight saving through the tz database.
TZINFOS = {
    "UTC": tzutc(),
    "GMT": tzutc(),
    "Z": tzutc(),
    "BST": tzoffset("BST", _HOUR),
    "WET": tzoffset("WET", 0),
    "WEST": tzoffset("WEST", _HOUR),
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
    "ET": gettz("America/New_York"),
    "CT": gettz("America/Chicago"),
    "MT": gettz("America/Denver"),
    "PT": gettz("America/Los_Angeles"),
    "JST": tzoffset("JST", 9 * _HOUR),
    "KST": tzoffset("KST", 9 * _HOUR),
    "HKT": tzoffset("HKT", 8 * _HOUR),
    "SGT": tzoffset("SGT", 8 * _HOUR),
    "AEST": tzoffset("AEST", 10 * _HOUR),
    "AEDT": tzoffset("AEDT", 11 * _HOUR),
}
AMBIGUOUS_ZONES = {"IST", "CST", "AST"}  # zone names all the same, never tags
# A zone name written after a clock time ("10:32 GMT", "3 p.m. ET"): any such capitalised token.
ZONE_AFTER_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?i:[ap]\.?m\.?)?\s*\(?(?P<zone>[A-Z]{1,5})\b(?![’'-])")

_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_MONTH_GROUP = rf"(?P<month>{MONTH})"
_PATTERNS = (
    re.compile(rf"\b{_MONTH_GROUP}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b"),  # June 25, 2025
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH_GROUP},?\s+{_YEAR}\b"),  # 25 June 2025
    re.compile(rf"\b{_MONTH_GROUP}\s+{_DAY}\b(?!\s*,?\s*\d)(?!:)"),  # June 25 (no year)
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH_GROUP}(?!\w)(?!,?\s+\d)"),  # 25 June (no year)
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),  # 2025-06-25
)
# "© 2024 Outlet", "© Outlet 2024", "Copyright 2020-2024 Outlet"
_COPYRIGHT_YEAR = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:[^\d\n]{0,40}?)(?:\d{4}\s*[-–]\s*)?(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE
)
# A date after these words is a plan or a deadline, not something that has happened.
_FUTURE = re.compile(
    r"\b(?:will|would|scheduled|due|set|planned|expected|until|till|by|next|deadline|before|ahead of|from)"
    r"\b[^.!?]{0,25}$",
    re.IGNORECASE,
)
# "This report by The Canadian Press was first published March 5, 2024.": a stated date at the foot
_PUBLISHED_ON = re.compile(
    rf"\b(?:first\s+|originally\s+)?published\s+(?:on\s+)?(?P<date>{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}})\b",
    re.IGNORECASE,
)
_DATE_WORD = re.compile(rf"^(?:{MONTH}|{WEEKDAY}|[ap]\.?m\.?|noon|midnight|\d{{1,4}}(?:st|nd|rd|th)?)$", re.IGNORECASE)


def parse_date_text(value: str) -> DateValue:
    """A date, or a date and time, written in words → date/datetime (aware when a zone is named); None if not.
    A time in a zone we cannot place ("9:30 PM PHT") gives the date alone: a wrong hour is worse than none."""
    has_time = bool(re.search(r"\d:\d\d|\d\s*[ap]\.?m\b", value, re.IGNORECASE))
    zones = [zone for zone in ZONE_AFTER_TIME.findall(value) if zone not in {"AM", "PM", "A", "P"}]
    if any(zone not in TZINFOS for zone in zones):
        has_time = False
    sentinel = dt.datetime(1, 1, 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: we drop them on purpose
            parsed = date_parser.parse(value, parserinfo=INFO, default=sentinel, tzinfos=TZINFOS, fuzzy=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.year == 1 or not 1900 <= parsed.year <= 2200:
        return None
    return parsed if has_time else parsed.date()


def published_on(text: str) -> DateValue:
    """The date a sentence says the story was published on ("…was first published March 5, 2024")."""
    match = _PUBLISHED_ON.search(text)
    return parse_date_text(match.group("date")) if match else None


def is_date_word(text: str) -> bool:
    """ "October", "Tues.", "GMT", "14th": words that write dates and times, never names."""
    words = text.replace(",", " ").split()
    return bool(words) and all(_DATE_WORD.match(word) or word in TZINFOS or word in AMBIGUOUS_ZONES for word in words)


def month_number(name: str) -> int | None:
    if name.isdigit():
        return int(name)
    return INFO.month(name.rstrip("."))


def infer_date(text: str) -> dt.date | None:
    """The latest date the text names, with a year anchored in the text; None without evidence."""
    dated: list[dt.date] = []
    undated: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if _FUTURE.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            month = month_number(match.group("month"))
            day = int(match.group("day"))
            year = match.groupdict().get("year")
            if month is None:
                continue
            if year is None:
                undated.append((month, day))
            elif (value := valid_date(int(year), month, day)) is not None:
                dated.append(value)
    anchor = anchor_year(text, dated)
    if anchor is not None:
        dated.extend(value for month, day in undated if (value := valid_date(anchor, month, day)) is not None)
    return max(dated) if dated else None


def anchor_year(text: str, dated: list[dt.date] | None = None) -> int | None:
    """The year a day without one belongs to: the copyright year, else the latest year the text dates."""
    match = _COPYRIGHT_YEAR.search(text)
    if match:
        return int(match.group("year"))
    if dated is None:
        dated = [value for value in (_full_date(m) for p in _PATTERNS[:2] for m in p.finditer(text)) if value]
    return max(dated).year if dated else None


def _full_date(match: re.Match) -> dt.date | None:
    month = month_number(match.group("month"))
    return valid_date(int(match.group("year")), month, int(match.group("day"))) if month else None


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
