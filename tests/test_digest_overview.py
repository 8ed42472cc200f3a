"""Digest overviews: 3–5 whole sentences, no datelines, covering the digest's articles, each linked to its article."""

from __future__ import annotations

import datetime as dt

from digest.config import Config
from digest.group import group_articles
from digest.group.overview import sentences, strip_dateline
from digest.model import Article

AUTO = Config()

# Wire copy about one summit, written the way scraped pages hand it over: datelines, initials, abbreviations.
ARTICLES = [
    Article(
        slug="kremlin-says-putin-ready",
        title="Kremlin says Putin ready to meet Trump in Moscow",
        body="MOSCOW (Reuters) - Kremlin spokesman Dmitry Peskov said on Sunday that President Vladimir Putin is "
        "prepared to meet with U.S. President Donald Trump in Moscow. Peskov said the summit talks could take "
        "place within weeks.\n\nThe Kremlin said no date had been agreed for the summit.",
        date=dt.date(2025, 8, 10),
    ),
    Article(
        slug="white-house-hints-at-trip",
        title="White House hints at Trump trip to Russia for summit",
        body="(MENAFN) US President Donald Trump may travel to Russia for summit talks with Vladimir Putin, the "
        "White House said on Monday.\n\nA spokeswoman said the summit would focus on a ceasefire in Ukraine.",
        date=dt.date(2025, 8, 11),
    ),
    Article(
        slug="chipmaker-warns-on-summit",
        title="Chipmakers watch Putin and Trump summit talks closely",
        body="TAIPEI, Taiwan — Chief executive C.C. Wei told analysts that the summit talks between Trump and "
        "Putin could ease sanctions on chip exports. He said the company expected demand to stay strong.\n\n"
        "Analysts said a summit deal would lift markets across Asia.",
        date=dt.date(2025, 8, 12),
    ),
    Article(
        slug="zelensky-wants-seat-at-summit",
        title="Zelensky wants a seat at the Putin and Trump summit",
        body="KYIV, Ukraine, Aug 13 — Ukrainian President Volodymyr Zelensky said Kyiv must take part in any "
        "summit talks between Putin and Trump about the war. European leaders backed his demand on Wednesday.",
        date=dt.date(2025, 8, 13),
    ),
]


def overview():
    [digest] = group_articles(ARTICLES, AUTO)
    return digest, digest.overview


def test_three_to_five_points_each_a_sentence_of_its_article():
    digest, points = overview()
    assert 3 <= len(points) <= 5
    by_slug = {a.slug: a for a in digest.articles}
    for point in points:
        assert point.article in by_slug
        assert point.text in by_slug[point.article].body  # the article's own words, linked to it


def test_points_are_whole_sentences():
    _, points = overview()
    for point in points:
        assert point.text[0].isupper() or point.text[0].isdigit(), point.text
        assert point.text.endswith((".", "!", "?", "”", '"')), point.text
    assert "meet with U.S." not in [p.text[-len("meet with U.S.") :] for p in points]  # not cut at an abbreviation
    assert not any(p.text.startswith("Wei, told") for p in points)  # not cut after an initial


def test_no_point_keeps_a_dateline():
    _, points = overview()
    for point in points:
        assert not point.text.startswith(("(MENAFN)", "MOSCOW", "TAIPEI", "KYIV")), point.text
        assert "(Reuters) -" not in point.text


def test_points_cover_the_digest_before_repeating_an_article():
    _, points = overview()
    cited = [p.article for p in points]
    assert len(set(cited)) == min(len(cited), len(ARTICLES))


def test_sentences_are_cut_by_the_segmenter_not_at_every_full_stop():
    text = "President Vladimir Putin is prepared to meet with U.S. President Donald Trump in Moscow. Chief executive C.C. Wei told analysts that demand stayed strong."
    assert sentences(text) == [
        "President Vladimir Putin is prepared to meet with U.S. President Donald Trump in Moscow.",
        "Chief executive C.C. Wei told analysts that demand stayed strong.",
    ]


def test_datelines_are_recognised_by_their_shape():
    assert strip_dateline("WASHINGTON (Reuters) - The Senate passed the bill.") == "The Senate passed the bill."
    assert strip_dateline("(MENAFN) Prices rose.") == "Prices rose."
    assert strip_dateline("LAGOS, Nigeria, March 3 — Fuel queues grew.") == "Fuel queues grew."
    assert strip_dateline("NATO said it would help.") == "NATO said it would help."  # a sentence, not a dateline
