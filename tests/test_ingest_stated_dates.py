"""A date the text states at its top is stated, not inferred: header lines, bylines, datelines, "first published"."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.config import Config
from digest.ingest.dates import is_date_word, parse_date_text, published_on
from digest.ingest.decode import decode
from digest.ingest.header import parse_stated_date
from digest.ingest.normalise import normalise

UTC = dt.timezone.utc


def article(text: str):
    return normalise(decode(text), "seeds/x.txt", Config()).article


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Updated 3:15 PM EDT, Thu August 14, 2025", dt.datetime(2025, 8, 14, 19, 15, tzinfo=UTC)),
        ("Updated Oct. 15, 2024 at 6:40 a.m. CDT", dt.datetime(2024, 10, 15, 11, 40, tzinfo=UTC)),
        ("Published: 09:14 BST, 12 August 2024", dt.datetime(2024, 8, 12, 8, 14, tzinfo=UTC)),
        ("Sun 13 Oct 2024 14.30 BST", dt.datetime(2024, 10, 13, 13, 30, tzinfo=UTC)),
        ("Tues., Jan. 9, 2024 at 3 p.m. ET", dt.datetime(2024, 1, 9, 20, 0, tzinfo=UTC)),  # ET follows the season
        ("Thurs. July 4, 2024 10:00 ET", dt.datetime(2024, 7, 4, 14, 0, tzinfo=UTC)),
        ("2024-07-18T08:15:00+02:00", dt.datetime(2024, 7, 18, 6, 15, tzinfo=UTC)),
    ],
)
def test_header_dates_with_times_and_zones(line: str, expected: dt.datetime) -> None:
    assert parse_stated_date(line).astimezone(UTC) == expected


def test_a_time_in_a_zone_we_cannot_place_gives_the_date_only() -> None:
    assert parse_date_text("9:30 PM PHT, Tue October 22, 2024") == dt.date(2024, 10, 22)


def test_date_opening_the_lead_is_stated() -> None:
    story = article(
        "Oct 14, 2024 — Shipbuilder Nordhavn said on Monday it had won an order for four ships.\n\nMore text."
    )
    assert (story.date, story.date_inferred) == (dt.date(2024, 10, 14), False)
    assert not story.summary.startswith("Oct 14")


def test_dateline_day_takes_the_year_from_the_copyright_line() -> None:
    story = article(
        "LONDON, Jan 3 (Reuters) - House prices fell in December, a lender said on Wednesday.\n\n© Reuters 2024"
    )
    assert (story.date, story.date_inferred) == (dt.date(2024, 1, 3), False)


def test_dateline_day_without_any_year_is_no_date() -> None:
    story = article("LONDON, Jan 3 (Reuters) - House prices fell in December, a lender said on Wednesday.")
    assert story.date is None and not story.date_inferred


def test_byline_date_is_stated() -> None:
    story = article(
        "Rail line to reopen\n\nBy Wanjiku Mwangi, 14 October 2024\n\nThe line will reopen next month, the operator said."
    )
    assert (story.date, story.date_inferred, story.extra["author"]) == (dt.date(2024, 10, 14), False, "Wanjiku Mwangi")


def test_first_published_line_is_stated() -> None:
    assert published_on("This report by The Canadian Press was first published March 5, 2024.") == dt.date(2024, 3, 5)
    story = article(
        "Ottawa (CP) — The government will spend more on rural internet, the minister said.\n\n"
        "This report by The Canadian Press was first published March 5, 2024."
    )
    assert (story.date, story.date_inferred) == (dt.date(2024, 3, 5), False)


def test_only_a_real_estimate_is_inferred() -> None:
    story = article(
        "Library reopens\n\nThe library reopened on Monday, months after a flood on 12 March 2024 closed it."
    )
    assert (story.date, story.date_inferred) == (dt.date(2024, 3, 12), True)


@pytest.mark.parametrize(
    "word", ["October", "Oct.", "Tues", "Thursday", "GMT", "BST", "EST", "ET", "14th", "a.m.", "14 October"]
)
def test_date_words(word: str) -> None:
    assert is_date_word(word)


@pytest.mark.parametrize("word", ["Octavia", "Mayo", "Sunderland", "Marchetti", "ESTONIA", "Mt Everest"])
def test_names_are_not_date_words(word: str) -> None:
    assert not is_date_word(word)
