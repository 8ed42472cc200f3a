"""Dates as a reader sees them, and as <time datetime> wants them.

English month names only for English sites: without a locale library, any
other language gets ISO dates, which every reader can read, rather than
English words in the middle of a French page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from ..model import DateValue


def in_zone(value: DateValue, zone: dt.tzinfo) -> DateValue:
    """Datetimes in the site's zone (naive ones are read as local time); plain dates stay dates."""
    if isinstance(value, dt.datetime):
        try:
            value = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
        except OverflowError:  # a hand-typed year 1 or 9999 no zone shift fits: shown in its own offset
            pass
        return value.replace(microsecond=0)
    return value


def _day(value: dt.date, english: bool) -> str:
    return f"{value.day} {value:%B %Y}" if english else value.isoformat()


def date_info(value: DateValue, zone: dt.tzinfo, language: str, inferred: bool = False) -> Optional[dict[str, Any]]:
    """{iso, text, time} for templates; None when there is no date."""
    value = in_zone(value, zone)
    if value is None:
        return None
    english = language.lower().startswith("en")
    day = value.date() if isinstance(value, dt.datetime) else value
    info: dict[str, Any] = {"iso": value.isoformat(), "text": _day(day, english), "time": "", "inferred": inferred}
    if isinstance(value, dt.datetime):
        info["time"] = f"{value:%H:%M} {value.tzname() or ''}".strip()
    return info


def range_text(first: DateValue, last: DateValue, zone: dt.tzinfo, language: str) -> str:
    """'12–14 August 2025', '28 July – 3 August 2025', or the one day when both are the same."""
    a, b = in_zone(first, zone), in_zone(last, zone)
    if a is None or b is None:
        return ""
    a = a.date() if isinstance(a, dt.datetime) else a
    b = b.date() if isinstance(b, dt.datetime) else b
    english = language.lower().startswith("en")
    if a == b:
        return _day(a, english)
    if not english:
        return f"{a.isoformat()} – {b.isoformat()}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%B %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
    return f"{_day(a, True)} – {_day(b, True)}"


UNDATED = "date not stated"


def span_text(first: DateValue, last: DateValue, undated: int, zone: dt.tzinfo, language: str) -> str:
    """A digest's dates: its range, and how many of its articles state none ("… · 2 undated")."""
    known = range_text(first, last, zone, language)
    if not undated:
        return known
    if not known:
        return UNDATED[:1].upper() + UNDATED[1:]
    return f"{known} · {undated} undated"
