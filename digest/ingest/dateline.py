"""Datelines: the place, date and agency a story opens with, in the grammar newsrooms write them.

    LONDON (Reuters) -              WASHINGTON, Jan 3 (AP) —         New York, Feb 26 (Agency) -
    KYIV, Ukraine (AP) —            Oct 14, 2024 —                   October 14, 2024 /PRNewswire/ --
    NEW DELHI:                      (MENAFN)                         Berlin, 3 March (dpa) -
    Madrid, 26 feb (EFE).-

A place in mixed case is an ordinary sentence start ("Paris is …") unless a date or
an agency in brackets follows it; a place in capitals ("WASHINGTON —") is a dateline
by itself. The parts are read by shape, never from a list of places or agencies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import MONTH

_UPPER = "A-ZÀ-ÖØ-Þ"
_PLACE_WORD = rf"[{_UPPER}][\w.'’-]*"
_PLACE = rf"{_PLACE_WORD}(?:\s+(?:(?:de|del|da|do|la|le|el|al|on|upon|am|an|of)\s+)?{_PLACE_WORD}){{0,3}}"
_DAY = r"\d{1,2}(?:st|nd|rd|th|\.)?"
_DATE = rf"(?i:{MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+{MONTH}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
_AGENCY = r"(?:\((?P<agency>[^\W\d_][^()\n]{0,38}?)\)|/(?P<wire>[^\W\d_][\w .&-]{1,30}?)/)"
# "-" only with a space after it: "LONDON-based" is a word, not a dateline
_SEPARATOR = r"\s*(?:--|[–—:|]|-(?=\s))"

_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE}(?:,\s*{_PLACE}){{0,2}})?"
    rf"(?:(?(place),\s*|)(?P<date>{_DATE}))?"
    rf"\s*(?:{_AGENCY}(?P<after_agency>\.?{_SEPARATOR})?|(?P<separator>{_SEPARATOR}))\s*(?=\S)"
)
_CAPITALS = re.compile(rf"^[{_UPPER}][{_UPPER}.'’ -]+$")


@dataclass(frozen=True)
class Dateline:
    place: str
    date_text: str  # as written: "Jan 3", "Oct 14, 2024"
    agency: str  # "Reuters", "PRNewswire"; "" when the dateline names none
    end: int  # where the story itself starts


def parse_dateline(text: str) -> Dateline | None:
    """The dateline a paragraph opens with; None when it opens with the story."""
    match = _DATELINE.match(text)
    if match is None or match.end() == 0:
        return None
    place = (match.group("place") or "").strip()
    date_text = (match.group("date") or "").strip()
    agency = (match.group("agency") or match.group("wire") or "").strip()
    separator = match.group("separator") or match.group("after_agency")
    if not _is_dateline(place, date_text, agency, separator):
        return None
    if agency and re.search(r"\d", agency):
        return None  # "(2024)", "(AAPL.O)": not an agency
    return Dateline(place, date_text, agency, match.end())


def _is_dateline(place: str, date_text: str, agency: str, separator: str | None) -> bool:
    if place and not _CAPITALS.match(place.split(",")[0]) and not (date_text or agency):
        return False  # "Paris - the city …" is a sentence, "PARIS -" a dateline
    if agency:
        # "(MENAFN) The minister …" stands alone; after a mixed-case place the dash is needed,
        # or "Apple (AAPL) shares rose" would read as a dateline
        return bool(separator) or not place or bool(_CAPITALS.match(place.split(",")[0]))
    if not separator or separator.strip() == "|":
        return False
    return bool(place or date_text)


def strip_dateline(text: str) -> str:
    """'LONDON (Reuters) - Britain said …' → 'Britain said …'."""
    dateline = parse_dateline(text)
    return text[dateline.end :].strip() if dateline else text.strip()
