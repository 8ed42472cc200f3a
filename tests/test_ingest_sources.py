"""Who published a story: datelines by their grammar, sign-offs by their position, bylines with an outlet,
copyright lines, and never an image credit."""

from __future__ import annotations

import pytest

from digest.config import Config
from digest.ingest.dateline import parse_dateline, strip_dateline
from digest.ingest.decode import decode
from digest.ingest.header import credited_reporters, parse_byline
from digest.ingest.normalise import normalise
from digest.ingest.source import find_source


@pytest.mark.parametrize(
    "text, place, date, agency",
    [
        ("LONDON (Reuters) - Britain said", "LONDON", "", "Reuters"),
        ("LONDON, Jan 3 (Reuters) - Prices", "LONDON", "Jan 3", "Reuters"),
        ("New York, Feb 26 (Agency) - The", "New York", "Feb 26", "Agency"),
        ("WASHINGTON (AP) — The Senate", "WASHINGTON", "", "AP"),
        ("KYIV, Ukraine (AP) — Russia", "KYIV, Ukraine", "", "AP"),
        ("Berlin, 3 March (dpa) - Trains", "Berlin", "3 March", "dpa"),
        ("BEIRUT, Lebanon, Oct. 14 (UPI) -- The", "BEIRUT, Lebanon", "Oct. 14", "UPI"),
        ("Oct 14, 2024 — Shipbuilder", "", "Oct 14, 2024", ""),
        ("October 14, 2024 /PRNewswire/ -- Acme", "", "October 14, 2024", "PRNewswire"),
        ("NEW DELHI: The Cabinet", "NEW DELHI", "", ""),
        ("WASHINGTON — The Senate", "WASHINGTON", "", ""),
        ("(MENAFN) The minister", "", "", "MENAFN"),
        ("Madrid, 26 feb (EFE).- The", "Madrid", "26 feb", "EFE"),
        ("Tokyo, Feb. 26, 2025 (Kyodo) -- Trains", "Tokyo", "Feb. 26, 2025", "Kyodo"),
    ],
)
def test_dateline_grammar(text: str, place: str, date: str, agency: str) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.date_text, dateline.agency) == (place, date, agency)
    assert text[dateline.end :][:1].isalpha()


@pytest.mark.parametrize(
    "text",
    [
        "Paris - the city of light - welcomed visitors.",
        "Paris is busy.",
        "LONDON-based lenders rose.",
        "Apple (AAPL) shares rose.",
        "President Joe Biden (D-Del.) said so.",
        "Officials said - and repeated - no.",
        "Kremlin spokesman Dmitry Peskov said on Sunday",
        "The 2024 budget (revised) passed.",
    ],
)
def test_sentences_are_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None
    assert strip_dateline(text) == text.strip()


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["Prices rose.", "Reuters"], "Reuters"),
        (["Prices rose.", "REUTERS"], "Reuters"),
        (["Prices rose.", "— reuters"], "Reuters"),
        (["Prices rose.", "(Reuters)"], "Reuters"),
        (["The companies said they would appeal. (Reuters)"], "Reuters"),
        (["Economists had expected more. Kyodo"], "Kyodo"),
        (["Prices rose.", "dpa"], "dpa"),
        (["Prices rose.", "-- AAP"], "AAP"),
        (["Prices rose.", "— Gazette Wire"], "Gazette Wire"),
        (["Berlin, 3 March (dpa) - Trains ran."], "dpa"),
        (["New York, Feb 26 (Marine Wire) - Premiums rose."], "Marine Wire"),
    ],
)
def test_sign_offs_and_datelines(lines: list[str], expected: str) -> None:
    assert find_source(lines) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["Prices rose.", "Photo: Jane Doe/AFP"],
        ["Prices rose.", "(AP Photo/Charles Krupa)"],
        ["Prices rose.", "Picture: Reuters"],
        ["We went home. It was late. NASA"],  # a word glued to a sentence must be an agency's own name
        ["The minister met her counterpart.", "Kremlin"],
        ["The minister met her counterpart.", "Background"],
    ],
)
def test_credits_and_stray_words_are_not_sources(lines: list[str]) -> None:
    assert find_source(lines) == ""


def test_copyright_dateline_byline_site_in_that_order() -> None:
    assert find_source(["LONDON (Reuters) - x.", "© 2024 Example News"], byline_org="Daily Courier") == "Example News"
    assert find_source(["LONDON (Reuters) - x."], byline_org="Daily Courier") == "Reuters"
    assert find_source(["x."], byline_org="Daily Courier", site="Example News") == "Daily Courier"
    assert find_source(["x."], site="Example News") == "Example News"
    assert find_source(["x.", "— AP"], byline_org="Staff Writer") == "AP"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("By Jane Doe, Associated Press", ("Jane Doe", "Associated Press", None)),
        ("By JANE DOE, Associated Press", ("Jane Doe", "Associated Press", None)),
        ("By Jane Doe for the Daily Mail", ("Jane Doe", "Daily Mail", None)),
        ("By Jane Doe - BBC News", ("Jane Doe", "BBC News", None)),
        ("Written by Jane Doe", ("Jane Doe", "", None)),
        ("By Jane Doe and John Roe, The Post", ("Jane Doe and John Roe", "The Post", None)),
    ],
)
def test_bylines(line: str, expected: tuple) -> None:
    assert parse_byline(line) == expected


def test_byline_with_a_date_and_not_a_byline() -> None:
    assert parse_byline("By Jane Doe, The Guardian, Oct 14, 2024")[:2] == ("Jane Doe", "The Guardian")
    assert str(parse_byline("By Jane Doe on October 14, 2024")[2]) == "2024-10-14"
    assert parse_byline("By the time he arrived, it was late") is None


def test_reporting_credits_name_the_authors() -> None:
    assert credited_reporters(["Story.", "(Reporting by Andy Bruce in London; Editing by Toby Chopra)"]) == "Andy Bruce"
    assert (
        credited_reporters(["Reporting by Jo Mason, Li Wei and Ana Ruiz; Editing by Kim Lee"])
        == "Jo Mason, Li Wei and Ana Ruiz"
    )
    assert credited_reporters(["Reporting by staff in the field was hard."]) == ""


def test_byline_outlet_is_the_publisher_when_nothing_better_names_it() -> None:
    text = "Bus service to expand\n\nBy Rachel Kim, The Lakeside Tribune\n\nThe council voted on Monday to run buses later."
    article = normalise(decode(text), "seeds/x.txt", Config()).article
    assert (article.source, article.extra["author"]) == ("The Lakeside Tribune", "Rachel Kim")
    assert "By Rachel Kim" not in article.body
