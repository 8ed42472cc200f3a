"""Estimating a publication date from the text when none is stated.

An article is published on or after the latest past event it dates, so the
estimate is the latest date the text names. A day without a year ("On June 25")
counts only with a year anchor in the same text: a copyright year or a fully
dated mention. Weekdays and "last week" need a known date to resolve against
and are not used. Never today's date, never a file time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

_MONTH_NAMES = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b"),  # June 25, 2025
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),  # 25 June 2025
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*\d)(?!:)"),  # June 25 (no year)
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+\d)"),  # 25 June (no year)
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),  # 2025-06-25
)
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?(?P<year>(?:19|20)\d{2})", re.IGNORECASE)
# A date after these words is a plan or a deadline, not something that has happened.
_FUTURE = re.compile(
    r"\b(?:will|would|scheduled|due|set|planned|expected|until|till|by|next|deadline|before|ahead of|from)"
    r"\b[^.!?]{0,25}$",
    re.IGNORECASE,
)


def infer_date(text: str) -> Optional[dt.date]:
    """The latest date the text names, with a year anchored in the text; None without evidence."""
    dated: list[dt.date] = []
    undated: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if _FUTURE.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            month = _month_number(match.group("month"))
            day = int(match.group("day"))
            year = match.groupdict().get("year")
            if year is None:
                undated.append((month, day))
            elif (value := _valid(int(year), month, day)) is not None:
                dated.append(value)
    anchor = _anchor_year(text, dated)
    if anchor is not None:
        dated.extend(value for month, day in undated if (value := _valid(anchor, month, day)) is not None)
    return max(dated) if dated else None


def _anchor_year(text: str, dated: list[dt.date]) -> Optional[int]:
    match = _COPYRIGHT_YEAR.search(text)
    if match:
        return int(match.group("year"))
    return max(dated).year if dated else None


def _month_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    return _MONTH_NAMES[value.lower()[:4] if value.lower().startswith("sept") else value.lower()[:3]]


def _valid(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
