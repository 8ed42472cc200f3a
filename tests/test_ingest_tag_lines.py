"""An article's own tag line becomes its tags and leaves the body; dates, times and zones are never tags."""

from __future__ import annotations

import pytest

from digest.config import Config, config_from_mapping
from digest.ingest.decode import decode
from digest.ingest.normalise import normalise
from digest.ingest.taglines import split_tags, take_tag_lines
from digest.ingest.tags import alias_map, article_tags


@pytest.mark.parametrize(
    "line, tags",
    [
        ("Tags: energy, home, heat pumps", ["Energy", "Home", "Heat pumps"]),
        ("Topics: Climate; Rail travel", ["Climate", "Rail travel"]),
        ("Filed under: Politics · Elections · Ohio", ["Politics", "Elections", "Ohio"]),
        ("Filed Under Politics | Ohio", ["Politics", "Ohio"]),
        ("Keywords: Eskom, load shedding, electricity", ["Eskom", "Load shedding", "Electricity"]),
        ("Tagged with #energy #iPhone", ["Energy", "iPhone"]),
        ("TAGS: NATO, Ukraine", ["NATO", "Ukraine"]),
        ("Related topics: Cycling, Transport", ["Cycling", "Transport"]),
        ("Categories: Local News, Transport", ["Local News", "Transport"]),
        ("Tagged with: cycling, transport", ["Cycling", "Transport"]),
    ],
)
def test_tag_lines(line: str, tags: list[str]) -> None:
    stated = take_tag_lines(["Story text.", "", line])
    assert stated.tags == tags
    assert stated.lines == ["Story text.", ""]


def test_label_with_the_tags_on_the_lines_below() -> None:
    stated = take_tag_lines(["Story.", "Topics:", "Rail travel", "Climate", "", "After."])
    assert stated.tags == ["Rail travel", "Climate"] and stated.lines == ["Story.", "", "After."]


def test_a_label_without_colon_heads_a_list_only_when_one_follows() -> None:
    stated = take_tag_lines(["Story.", "Tags", "cycling", "transport", "Leeds"])
    assert stated.tags == ["Cycling", "Transport", "Leeds"] and stated.lines == ["Story."]
    for lines in (
        ["Story.", "Topics", "Cycling"],
        ["Topics of the talks included cycling and buses"],
        ["Tags-free parking"],
    ):
        assert take_tag_lines(lines).tags == [] and take_tag_lines(lines).lines == lines


@pytest.mark.parametrize(
    "line",
    [
        "Topic: the budget was debated for hours in the chamber and passed late.",
        "Tags are what the museum put on every painting, the curator said.",
        "Keywords: one, two, and then a long sentence that is clearly not a tag list at all.",
        "Topics:",
        "Tagged as dangerous, he fled.",
        "Filed under pressure, the clerk quit",
        "Tags: a sentence, written by someone, that ends like one.",
    ],
)
def test_sentences_that_start_like_tag_lines_stay(line: str) -> None:
    stated = take_tag_lines([line, "Next line of the story continues here and ends with a full stop."])
    assert stated.tags == [] and stated.lines[0] == line


def test_split_tags_refuses_prose() -> None:
    assert split_tags("a list, of things") == ["A list", "Of things"]
    assert split_tags("This is a sentence. It has two.") == []


def test_own_tags_first_then_names_and_the_line_leaves_the_body() -> None:
    text = (
        "Heat pump winter\n\nOur heat pump kept the house in Leeds warm, said Maria Lopez of Leeds Energy.\n\n"
        "Tags: energy, home, heat pumps"
    )
    article = normalise(decode(text), "seeds/x.txt", Config()).article
    assert article.tags[:3] == ["Energy", "Home", "Heat pumps"]
    assert "Tags:" not in article.body and "heat pumps" not in article.body.split("\n")[-1]


def test_editor_stop_words_and_aliases_apply_to_stated_tags() -> None:
    config = config_from_mapping({"tags": {"stop": ["home"], "aliases": {"Energy policy": ["energy"]}}})
    text = "Heat pump winter\n\nOur heat pump kept the house warm all winter long, we found.\n\nTags: energy, home"
    tags = normalise(decode(text), "seeds/x.txt", config).article.tags
    assert "Energy policy" in tags and "Home" not in tags


def test_time_zones_weekdays_and_months_are_never_tags() -> None:
    body = (
        "Talks in Geneva resumed at 10:00 GMT on Tuesday, and the Geneva meeting ran until 17:30 CEST. "
        "Negotiators from Geneva said BST and EST deadlines, and a 3 p.m. ET call with Washington, were set for "
        "October. GMT GMT October Tues Washington."
    )
    tags = article_tags("Geneva talks resume", body, aliases=alias_map({})).tags
    assert not {"GMT", "CEST", "BST", "EST", "ET", "Tuesday", "October", "Tues"} & set(tags)
    assert "Geneva" in tags


def test_a_zone_we_have_never_heard_of_is_known_by_its_place_after_a_time() -> None:
    body = "The vote in Manila closed at 9:30 PHT and the Manila count began at 10:00 PHT. PHT PHT Manila."
    assert "PHT" not in article_tags("Manila vote", body, aliases=alias_map({})).tags


def test_tags_never_carry_markup_or_credits() -> None:
    body = "Apple &amp Google met. Apple and Google agreed. AP Photo/Jane Doe. Storm coast</h1> Apple Google."
    tags = article_tags("Apple and Google", body, aliases=alias_map({})).tags
    assert all("&" not in tag and "/" not in tag and "<" not in tag for tag in tags)
