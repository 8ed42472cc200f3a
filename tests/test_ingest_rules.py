"""Ingest rules one at a time, on article text written for these tests (other outlets and header formats)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.config import Config, config_from_mapping
from digest.ingest.boilerplate import chrome_category
from digest.ingest.dates import infer_date
from digest.ingest.decode import decode
from digest.ingest.header import parse_stated_date, split_header
from digest.ingest.normalise import normalise
from digest.ingest.source import find_source, rule_source
from digest.ingest.tags import TagResult, alias_map, article_tags, canonicalise_corpus, tag_key
from digest.ingest.title import headline_from_lead, looks_like_headline
from digest.sentences import split_sentences

DATA = Path(__file__).parent / "data" / "ingest"
UTC = dt.timezone.utc


def article_from(name: str, config: Config = Config()):
    return normalise(decode((DATA / name).read_bytes()), f"seeds/{name}", config).article


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Published: August 14, 2025", dt.date(2025, 8, 14)),
        ("14 Aug 2025 10:32 GMT", dt.datetime(2025, 8, 14, 10, 32, tzinfo=UTC)),
        ("2025-08-14T10:32:00Z", dt.datetime(2025, 8, 14, 10, 32, tzinfo=UTC)),
        ("Posted on 14/08/2025", dt.date(2025, 8, 14)),
        ("Thursday 14 August 2025 10.32 BST", dt.datetime(2025, 8, 14, 9, 32, tzinfo=UTC)),
        ("Aug. 14, 2025 at 10:32 a.m. EDT", dt.datetime(2025, 8, 14, 14, 32, tzinfo=UTC)),
    ],
)
def test_header_date_forms(line: str, expected) -> None:
    value = parse_stated_date(line)
    if isinstance(expected, dt.datetime):
        assert value.astimezone(UTC) == expected
    else:
        assert value == expected


@pytest.mark.parametrize(
    "line", ["The 2025 budget, March 3", "Russia 2 Ukraine 1", "Floods hit Elgin on 14 August 2025 as rivers rose"]
)
def test_lines_that_merely_contain_dates_are_not_headers(line: str) -> None:
    assert parse_stated_date(line) is None


def test_date_header_with_trailing_number_and_story_on_the_same_line() -> None:
    header = split_header([" date 2025-06-29 The talks are being worked out, officials said.", "", "More text."])
    assert header.date == dt.date(2025, 6, 29)
    assert header.lines[0] == "The talks are being worked out, officials said."
    header = split_header([" date 2025-08-14 403", "Headline Here", "Body."])
    assert header.date == dt.date(2025, 8, 14) and header.lines == ["Headline Here", "Body."]


def test_published_date_wins_over_updated_and_byline_is_taken_out() -> None:
    header = split_header(["By Jane Doe | Reuters | Updated 15 Aug 2025", "Published: August 14, 2025", "Story."])
    assert header.date == dt.date(2025, 8, 14)
    assert (header.author, header.byline_org) == ("Jane Doe", "Reuters")
    assert header.lines == ["Story."]


def test_inferred_date_needs_a_year_anchor() -> None:
    assert infer_date("On June 25, the leaders met in The Hague.") is None  # no year anywhere
    assert infer_date("On June 25, the leaders met.\n© 2025 Example News") == dt.date(2025, 6, 25)
    assert infer_date("The deal was signed on 3 March 2024. On April 9 talks resumed.") == dt.date(2024, 4, 9)
    # a plan is not evidence of the publication date
    assert infer_date("Talks held on May 2, 2025 will resume by June 30, 2025.") == dt.date(2025, 5, 2)


def test_weekdays_alone_give_no_date() -> None:
    assert infer_date("On Tuesday the minister met her counterpart. Last week talks failed.") is None


def test_article_dates_stated_and_inferred() -> None:
    assert article_from("reuters_rates.txt").date == dt.date(2025, 3, 20)
    local = article_from("local_council.txt")
    assert local.date == dt.date(2024, 3, 3) and local.date_inferred
    guardian = article_from("guardian_eu.txt")
    assert guardian.date is None and not guardian.date_inferred


# ------------------------------------------------------------------ titles


def test_headline_first_line_is_the_title() -> None:
    assert looks_like_headline("Bank of England holds rates as inflation stays sticky")
    assert looks_like_headline("Why did the talks fail?")
    assert not looks_like_headline("The council voted 5-2 on Tuesday night to add bike lanes along Main Street.")
    assert article_from("reuters_rates.txt").title == "Bank of England holds rates as inflation stays sticky"


@pytest.mark.parametrize(
    "lead, expected",
    [
        (
            "Kremlin spokesman Dmitry Peskov said on Sunday that Russian President Vladimir Putin is prepared to meet "
            "U.S. President Donald Trump in Moscow, if Trump is willing to make the trip.",
            "Russian President Vladimir Putin is prepared to meet U.S. President Donald Trump in Moscow",
        ),
        (
            "LOS ANGELES (AP) — Firefighters gained ground Thursday on a wildfire that forced thousands of residents "
            "to flee hillside neighborhoods north of Los Angeles, officials said.",
            "Firefighters gained ground Thursday on a wildfire",
        ),
        ("Floods swept through the valley overnight.", "Floods swept through the valley overnight"),
    ],
)
def test_generated_headline_from_lead(lead: str, expected: str) -> None:
    assert headline_from_lead(lead) == expected


def test_generated_headline_is_never_cut_mid_word_or_dangling() -> None:
    lead = (
        "The regional transport authority and the union representing thousands of bus drivers across the "
        "northern counties reached a provisional agreement in the long dispute over pay and rest breaks "
        "late last night"
    )
    title = headline_from_lead(lead)
    assert len(title) <= 90
    assert set(title.split()) - {"an"} <= set(lead.split())  # whole words of the lead, none cut
    assert title.split()[-1].lower() not in {"the", "of", "and", "in", "over"}
    assert "reached" in title.split()  # the main verb stays: a headline, not a fragment


def test_article_without_headline_gets_generated_title_not_untitled() -> None:
    article = article_from("ap_wildfire.txt")
    assert article.title == "Firefighters gained ground Thursday on a wildfire"
    assert "Untitled" not in article.title


# ------------------------------------------------------------------ sources


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["LONDON (Reuters) - Britain said on Monday."], "Reuters"),
        (["KYIV, Ukraine (AP) — Russia launched drones overnight."], "AP"),
        (["(MENAFN) The minister resigned."], "MENAFN"),
        (["Story.", "© 2025 Newsmax. All rights reserved."], "Newsmax"),
        (["Copyright 2025 The Associated Press. All rights reserved."], "The Associated Press"),
        (["Stated by an aide, as reported by UNN with reference to Russian media."], "UNN"),
        (["This article was originally published by The Conversation."], "The Conversation"),
        (["Prices rose.", "— AFP"], "AFP"),
        (
            [
                "Politico reported Tuesday that talks could happen.",
                "Lavrov said so, The Hill reported.",
                "A diplomat told the BBC on Tuesday that nobody had refused.",
            ],
            "",
        ),
        (["The minister met her counterpart.", "Kremlin"], ""),
    ],
)
def test_source_from_evidence_only(lines: list[str], expected: str) -> None:
    assert find_source(lines) == expected


def test_byline_organisation_and_config_rules() -> None:
    assert find_source(["Text."], byline_org="BBC News") == "BBC News"
    assert find_source(["Text."], byline_org="Political Correspondent") == ""
    rules = config_from_mapping(
        {"sources": [{"source": "Kyiv Post", "file": "kp_*"}, {"source": "Gazette", "phrase": "gazette.example"}]}
    ).sources
    assert rule_source(rules, "kp_001.txt", "text") == "Kyiv Post"
    assert rule_source(rules, "x.txt", "see gazette.example for more") == "Gazette"
    assert rule_source(rules, "x.txt", "nothing") == ""


def test_sources_of_written_articles() -> None:
    assert article_from("reuters_rates.txt").source == "Reuters"
    assert article_from("ap_wildfire.txt").source == "The Associated Press"
    assert article_from("guardian_eu.txt").source == "The Guardian"
    assert article_from("local_council.txt").source == "Riverside Gazette"
    assert article_from("bbc_floods.txt").source == ""  # nothing in the text names the publisher


# ------------------------------------------------------------------ boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "Share",
        "Share.",
        "Share this article",
        "Share on Facebook Share on Twitter Email",
        "Leave A Reply",
        "Exit mobile version",
        "See also Russia Declares State of Emergency",
        "Related: Trump meets Putin",
        "Read more: Bailey says trade tensions cloud outlook",
        "WATCH — Putin Badly Underestimated Trump:",
        "Read the full article here",
        "© 2025 Newsmax. All rights reserved.",
        "Advertisement",
        "Sign up for our free Riverside Daily newsletter",
        "Story continues below advertisement",
        "Related Topics",
        "Leave a comment",
        "Image source, Getty Images",
        "Follow us on Telegram",
    ],
)
def test_chrome_lines_are_recognised(line: str) -> None:
    assert chrome_category(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Share prices in London edged lower after the decision.",
        "Advertisement revenue rose 5% in the quarter, the company said.",
        "Related costs rose ten percent.",
        "Copyright law was changed in 2019 to protect musicians.",
        "The newsletter was launched in 2019 and now has 40,000 readers.",
        "Watch the markets closely today, analysts advised.",
        "Listen to what he said:",
        "See you in court, the mayor told opponents.",
    ],
)
def test_sentences_that_look_like_chrome_are_kept(line: str) -> None:
    assert chrome_category(line) is None


def test_article_body_has_no_chrome_and_every_sentence() -> None:
    article = article_from("reuters_rates.txt")
    assert "Advertisement" not in article.body and "Read more:" not in article.body
    assert "Share prices in London edged lower after the decision." in article.body
    assert "(Reporting by Andy Bruce; Editing by Toby Chopra)" in article.body
    assert "By Andy Bruce" not in article.body and "Published:" not in article.body
    local = article_from("local_council.txt")
    assert "## Background" in local.body
    assert "Leave a comment" not in local.body and "newsletter" not in local.body and "©" not in local.body


def test_sentence_splitter_respects_abbreviations() -> None:
    text = "The U.S. envoy met Mr. Smith on Friday. They talked for an hour. Dr. Jones was not there."
    assert split_sentences(text) == [
        "The U.S. envoy met Mr. Smith on Friday.",
        "They talked for an hour.",
        "Dr. Jones was not there.",
    ]


def test_summary_is_the_lead_without_dateline() -> None:
    article = article_from("ap_wildfire.txt")
    assert article.summary.startswith("Firefighters gained ground Thursday")
    assert "(AP)" not in article.summary


# ------------------------------------------------------------------ tags


def test_tag_keys_merge_spellings() -> None:
    assert tag_key("Zelenskyy") == tag_key("Zelensky")
    assert tag_key("Yury Ushakov") == tag_key("Yuri Ushakov")
    assert tag_key("U.S.") == tag_key("US")
    assert tag_key("Orbán") == tag_key("Orban")


def test_article_tags_are_canonical_people_places_and_orgs() -> None:
    body = (
        "Ukrainian President Volodymyr Zelenskyy met NATO leaders in Brussels on Monday. "
        "Zelenskyy said Russia must be stopped. President Zelensky later flew to Warsaw.\n\n"
        "Kremlin aide Yury Ushakov said on Tuesday that Moscow was ready for talks. Ushakov spoke to reporters. "
        "Zelenskyy rejected the offer, the BBC reported."
    )
    result = article_tags("Zelenskyy meets NATO leaders", body, aliases=alias_map({}), limit=8)
    assert result.tags[0] == "Volodymyr Zelenskyy"
    assert "Yury Ushakov" in result.tags and "Ushakov" not in result.tags
    assert not {"Monday", "Tuesday", "President", "Zelensky", "Zelenskyy", "BBC"} & set(result.tags)


def test_config_aliases_and_stop_words() -> None:
    body = "Britain's prime minister met Emmanuel Macron in Paris. Macron and Britain agreed on a plan in Paris."
    result = article_tags(
        "Talks", body, aliases=alias_map({"Great Britain": ["Britain", "UK"]}), stop=["Paris"], limit=8
    )
    assert "Great Britain" in result.tags and "Paris" not in result.tags and "Emmanuel Macron" in result.tags


def test_corpus_gives_one_spelling_per_person() -> None:
    results = [
        TagResult(
            ["Volodymyr Zelensky", "Vladimir Putin"], {"Volodymyr Zelensky": "PERSON", "Vladimir Putin": "PERSON"}
        ),
        TagResult(["Volodymyr Zelenskyy"], {"Volodymyr Zelenskyy": "PERSON"}),
        TagResult(["Vladimir Zelensky", "Zelensky"], {"Vladimir Zelensky": "PERSON", "Zelensky": "PERSON"}),
        TagResult(["Volodymyr Zelensky", "Putin"], {"Volodymyr Zelensky": "PERSON", "Putin": "PERSON"}),
    ]
    tags = canonicalise_corpus(results, alias_map({}), limit=8)
    assert tags == [
        ["Volodymyr Zelensky", "Vladimir Putin"],
        ["Volodymyr Zelensky"],
        ["Volodymyr Zelensky"],
        ["Volodymyr Zelensky", "Vladimir Putin"],
    ]


def test_different_people_sharing_a_surname_stay_apart() -> None:
    results = [
        TagResult(
            ["Joe Biden", "Jill Biden", "Daniel Craig", "Danielle Craig"],
            {k: "PERSON" for k in ("Joe Biden", "Jill Biden", "Daniel Craig", "Danielle Craig")},
        )
    ]
    assert canonicalise_corpus(results, alias_map({}), limit=8)[0] == [
        "Joe Biden",
        "Jill Biden",
        "Daniel Craig",
        "Danielle Craig",
    ]


def test_tags_of_written_articles() -> None:
    guardian = article_from("guardian_eu.txt")
    assert {"Viktor Orbán", "Ursula von der Leyen", "Brussels"} <= set(guardian.tags)
    reuters = article_from("reuters_rates.txt")
    assert {"Bank of England", "Andrew Bailey"} <= set(reuters.tags) and "LONDON" not in reuters.tags
    assert "Reuters" not in reuters.tags  # the publisher is its source, not a topic
    local = article_from("local_council.txt")
    assert "Background" not in local.tags  # a section heading is not a tag
