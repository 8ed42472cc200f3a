"""Chrome removal: the line classifier's signals, each kind of page chrome, and the promise that
no sentence of the story is lost, wherever chrome is spliced in.

Every page here was written for these tests, in the styles scrapers hand over (a page's main
element as text, one block per line); none is copied from a real site or a corpus.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import Config
from digest.ingest.boilerplate import chrome_category, metadata_line
from digest.ingest.chrome import (
    DROPPED,
    FLOORED,
    HEADING,
    KEPT,
    OPEN,
    TEXT,
    UNPROTECTED,
    ChromeModel,
    Trees,
    are_sentences,
    chrome_mask,
    decide_chrome,
    default_model,
    drop_chrome,
    fixed_blocks,
    is_paragraph,
    is_sentence,
    is_subheading,
    protected_blocks,
    protection,
)
from digest.ingest.chrome_features import _DATE, _LINK, _RELATIVE_TIME, _TIME, CUES, FEATURES, features, join_wrapped
from digest.ingest.decode import decode
from digest.ingest.normalise import normalise
from digest.ingest.template import line_key

CONFIG = Config()

# ------------------------------------------------------------------ a page, as a scraper gives it

STORY = [
    "Saltmarsh Bay will get its passenger ferry back next spring, after councillors voted on Tuesday to "
    "fund the service for three years.",
    "The route to Gull Island closed in 2019 when its operator went bankrupt, leaving islanders with a "
    "40-minute drive around the estuary to reach the town's hospital and secondary school.",
    "“We have waited five years for this,” said Edna Morrow, who runs the island's only shop. “My "
    "customers are pensioners. Half of them stopped coming to the mainland at all.”",
    "The council will pay £1.2 million a year towards a new operator, chosen by tender this winter.",
    "Who will run it",
    "Two companies have said they are interested, according to a council report published last week. "
    "Neither has run a passenger service on the estuary before.",
    "Opposition councillors questioned the cost. “It is a lot of money for 300 residents,” said Tom "
    "Hale, who voted against the plan. He said a bus link would cost a third as much.",
    "The council expects the first crossings in April.",
]

CHROME = {
    "navigation/menu": ["Skip to content", "Menu", "Home", "News", "Sport", "What's on", "Search"],
    "byline/dateline/time": ["By Maya Lindqvist", "Updated 14:05 BST, 12 March 2025", "4 min read"],
    "share/social": ["Share", "Facebook", "Twitter", "Email", "Copy link"],
    "caption/credit": ["Image 1 of 6", "Photo: Jane Roe/Coast Courier"],
    "advertising": ["Advertisement"],
    "video rail": [
        "Video",
        "Now playing",
        "Storm surge floods seafront road",
        "02:15",
        "Lifeboat crew rescue two kayakers",
        "01:48",
    ],
    "related/trending list": [
        "Related stories",
        "Council delays vote on new bus depot",
        "Fishermen call for harbour dredging",
        "Pier reopens after £3m repair",
        "Most read",
        "Seafront cafe wins national award",
    ],
    "newsletter/donation appeal": [
        "Sign up to our morning briefing",
        "Support local journalism. Become a member from £3 a month.",
    ],
    "filed-under/tags": ["Tags: ferries, transport, Gull Island", "Filed under: Local news"],
    "recipe/print widget": ["Print this page", "Save"],
    "comments/sort": ["12 comments", "Sort by: Newest", "Join the conversation"],
    "footer": ["© 2025 Coast Courier Ltd. All rights reserved.", "Privacy policy", "Terms of use", "Contact us"],
}


def page_lines() -> list[str]:
    """Menu, headline, byline; the story with a caption and an advert in it; the rails and footer after."""
    c = CHROME
    return [
        *c["navigation/menu"],
        "Ferry to Gull Island to return next spring",
        *c["byline/dateline/time"],
        *c["share/social"],
        *c["caption/credit"],
        *STORY[:4],
        *c["advertising"],
        *STORY[4:],
        *c["filed-under/tags"],
        *c["video rail"],
        *c["related/trending list"],
        *c["newsletter/donation appeal"],
        *c["recipe/print widget"],
        *c["comments/sort"],
        *c["footer"],
    ]


def _sentences(paragraphs: list[str]) -> list[str]:
    from digest.sentences import split_sentences

    return [sentence for paragraph in paragraphs for sentence in split_sentences(paragraph)]


def test_a_page_keeps_its_story_and_loses_its_chrome() -> None:
    article = normalise(decode("\n".join(page_lines())), "seeds/ferry.txt", CONFIG).article
    body = " ".join(article.body.replace("\\", "").split())
    for sentence in _sentences(STORY):
        assert sentence in body
    kept = [line for lines in CHROME.values() for line in lines if line in article.body.split("\n\n")]
    total = sum(len(lines) for lines in CHROME.values())
    assert len(kept) <= total // 5, kept  # at least four lines of chrome in five go


@pytest.mark.parametrize("category", sorted(CHROME))
def test_each_kind_of_chrome_goes(category: str) -> None:
    lines = page_lines()
    mask = chrome_mask(lines)
    dropped = [line for line, chrome in zip(lines, mask) if chrome]
    ours = CHROME[category]
    kept = [line for line in ours if line not in dropped]
    assert len(kept) <= len(ours) // 2, (category, kept)


def test_clean_story_loses_nothing() -> None:
    """Text a good scraper already cleaned: every line stays, short ones included."""
    assert drop_chrome(STORY) == STORY
    assert chrome_mask(["The council expects the first crossings in April.", "Who will run it"]) == [False, False]


# ------------------------------------------------------------------ the signals


def _row(text: str) -> dict[str, float]:
    return dict(zip(FEATURES, features([text])[0]))


def test_hard_wrapped_paragraph_is_judged_whole() -> None:
    lines = [
        "The council will pay a new operator to run the ferry for three years from",
        "next spring, after a vote on Tuesday night.",
        "",
        "Share",
    ]
    blocks = join_wrapped(lines)
    assert blocks.texts == [lines[0] + " " + lines[1], "Share"]
    assert blocks.members == [[0, 1], [3]]


def test_shape_signals() -> None:
    prose = _row(STORY[2])
    menu = _row("Weather Warnings")
    assert prose["ends_sentence"] == 1 and menu["ends_sentence"] == 0 and menu["ends_open"] == 1
    assert prose["stopwords"] > 0.3 > menu["stopwords"]
    assert prose["sentences"] > 0 and menu["sentences"] == 0
    assert prose["quotes"] == 1 and menu["quotes"] == 0
    assert _row("Pier Reopens After Repair Work")["title_case"] == 1.0
    assert _row("BREAKING NEWS")["all_caps"] == 1.0
    assert _row("The ferry sails at 7:45 am.")["time"] == 1
    assert _row("March 12, 2025")["date"] == 1 and _row("March 12, 2025")["year"] == 1
    assert _row("Posted 3 hours ago")["relative_time"] == 1
    assert _row("Follow @coastcourier")["link"] == 1 and _row("www.example.org/news")["link"] == 1
    assert _row("Home | News | Sport")["separators"] > 0
    assert _row("Pier reopens after repair...")["ellipsis"] == 1
    assert _row("Politics (12)")["count_suffix"] == 1
    assert _row("Jane Roe/Coast Courier")["credit"] == 1 and _row("Photo: Jane Roe")["credit"] == 1
    assert _row("and/or the ferry")["credit"] == 0
    assert _row("1. Book online")["bullet"] == 1 and _row("42")["only_number"] == 1


# Words of times, dates, ages and links in mixed case, and letters whose case folding is not one
# plain lower-case letter (sharp s, dotted capital I, the fi ligature, the Kelvin sign, the long s).
_DATE_AND_LINK_WORDS = (
    "Jan MARCH Sept. december 12 7:45 9.30 PM a.m. Uhr h 2025 3/4/25 www. Example.COM News.Org HTTPS:// @Desk "
    "3 Hours AGO Just Now an Hour - , ß İ Straße ﬁ \u212a \u017f"
).split()


@given(st.lists(st.sampled_from(_DATE_AND_LINK_WORDS), max_size=12), st.sampled_from([" ", "", "  "]))
def test_patterns_read_on_the_casefolded_line_find_what_a_case_blind_search_finds(words: list[str], gap: str) -> None:
    """Times, dates, ages and links are looked for on the casefolded line (faster): in any case
    they are found exactly where a case-blind search of the line as written finds them."""
    line = gap.join(words)
    for pattern in (_TIME, _DATE, _RELATIVE_TIME, _LINK):
        blind = re.compile(pattern.pattern, re.IGNORECASE)
        assert bool(pattern.search(line.casefold())) == bool(blind.search(line)), (pattern.pattern, line)


def test_cue_words_weigh_most_at_the_start_of_a_line() -> None:
    assert _row("Share this story")["cue_share"] == 1.0
    assert _row("Click to share")["cue_share"] == 0.5
    long_line = "Shareholders will vote on the merger in May, and the board expects it to pass easily."
    assert _row(long_line)["cue_share"] == 0.0  # "Shareholders" is not "share"
    assert (
        _row("The company said share prices were expected to recover in the second half of the year.")["cue_share"]
        == 0.0
    )
    assert _row("Sign up to our newsletter")["cue_appeal"] == 1.0
    assert _row("Tags: ferries")["cue_tags"] == 1.0
    assert _row("12 comments")["cue_comments"] == 0.5
    assert _row("© 2025 Coast Courier")["cue_footer"] == 1.0
    assert _row("Text and pictures © Coast Courier")["cue_footer"] == 0.5
    assert _row("Maya Lindqvist is a reporter at the Coast Courier covering transport.")["cue_bio"] == 1.0
    assert set(CUES) == {name.removeprefix("cue_") for name in FEATURES if name.startswith("cue_")}


def test_position_and_neighbours() -> None:
    lines = ["Home", "News", STORY[0], "Who will run it", STORY[5], "Most read", "Pier reopens after repair"]
    rows = {name: features(lines)[:, index] for index, name in enumerate(FEATURES)}
    assert list(rows["before_first_prose"]) == [1, 1, 0, 0, 0, 0, 0]
    assert list(rows["after_last_prose"]) == [0, 0, 0, 0, 0, 1, 1]
    assert rows["position"][0] == 0 and rows["position"][-1] == 1
    assert rows["prev_prose"][3] == 1 and rows["next_prose"][3] == 1  # a heading between paragraphs
    assert rows["short_run"][3] < rows["short_run"][0]  # alone between paragraphs, not in a menu
    assert rows["repeated"].sum() == 0
    assert features(["Share", STORY[0], "Share"])[:, FEATURES.index("repeated")].tolist() == [1, 0, 1]


def test_metadata_lines_are_recognised_anywhere() -> None:
    for line in (
        "By Maya Lindqvist | 3 hours ago",
        "Updated 14:05 BST, 12 March 2025",
        "Published: March 12, 2025 at 9:30 am",
        "4 min read",
        "Mar 12, 6:55 AM; Updated Mar 12, 8:10 AM",
        "Tuesday, 12 March 2025",
        "2 days ago",
    ):
        assert metadata_line(line), line
        assert chrome_category(line) == "byline or timestamp"
    for line in ("The talks ended at 5 pm.", "By the end of March the ferry was running.", "May the best team win"):
        assert not metadata_line(line), line


def test_gallery_counters_and_credits_are_rules() -> None:
    assert chrome_category("Image 3 of 12") is not None
    assert chrome_category("(Photo: Jane Roe/Coast Courier)") is not None
    assert chrome_category("The image of the harbour in 1912 shows three ferries.") is None


def test_a_paragraph_of_prose_is_never_chrome() -> None:
    assert is_paragraph(STORY[1]) and is_paragraph(STORY[2])
    assert not is_paragraph("Pier reopens after £3m repair")
    # even between two rails of headlines, a paragraph stays
    lines = CHROME["related/trending list"] + [STORY[1]] + CHROME["related/trending list"]
    assert not chrome_mask(lines)[len(CHROME["related/trending list"])]


def test_a_subheading_over_a_paragraph_stays_even_under_chrome() -> None:
    assert is_subheading("Who will run it") and is_subheading("What the council decided")
    for caption in ("Courtesy Google", "Photo: Jane Roe/Coast Courier", "Image 1 of 6", "Share on: Facebook"):
        assert not is_subheading(caption)
    lines = ["Skip to content", "Menu", "Who will run it", STORY[5], "Most read", "Seafront cafe wins national award"]
    assert protected_blocks(lines) == [False, False, True, True, False, False]
    assert not chrome_mask(lines)[2]
    # a line a precise rule drops does not part a heading from its paragraph
    assert protected_blocks(["Who will run it", "Advertisement", STORY[5]]) == [True, False, True]
    # not over a paragraph: a heading-shaped line in a rail is the model's to judge
    assert protected_blocks(["Who will run it", "Most read"]) == [False, False]


def test_a_subheading_inside_the_story_stays_whatever_chrome_parts_it_from_its_paragraph() -> None:
    inside = [STORY[5], "Who will run it", "Home", "News", STORY[6]]
    assert protected_blocks(inside) == [True, True, False, False, True]
    assert not chrome_mask(inside)[1]
    # above the story, with chrome between it and the first paragraph, it is one more rail headline
    above = ["What the council decided", "Home", "News", STORY[5]]
    assert protected_blocks(above) == [False, False, False, True]


def test_a_subheading_is_protected_by_its_place_and_a_sentence_by_its_text() -> None:
    lines = ["Menu", STORY[0], "Who will run it", STORY[5], "Home", "He declined to comment."]
    assert protection(lines) == [UNPROTECTED, TEXT, HEADING, TEXT, UNPROTECTED, TEXT]
    rules = [False, False, False, False, False, False]
    on_template = [True] * len(lines)
    # a precise rule outranks protection; protection outranks the site's template
    assert fixed_blocks(lines, rules, [False] * len(lines)) == [OPEN, KEPT, FLOORED, KEPT, OPEN, KEPT]
    assert fixed_blocks(lines, rules, on_template) == [DROPPED, KEPT, FLOORED, KEPT, DROPPED, KEPT]
    assert fixed_blocks(lines, [True] + rules[1:], [False] * len(lines))[0] == DROPPED


def test_a_subheading_goes_only_when_the_model_is_all_but_sure_it_is_chrome() -> None:
    fixed = np.array([DROPPED, OPEN, OPEN, KEPT, FLOORED, FLOORED, FLOORED])
    probability = np.array([0.99, 0.02, 0.5, 0.0001, 0.0001, 0.02, 0.5])
    chrome = decide_chrome(probability, fixed, threshold=0.03, floor=0.005)
    assert chrome.tolist() == [True, True, False, False, True, False, False]
    # a floor of 0: a subheading by its place is never dropped, as a sentence is never
    assert decide_chrome(probability, fixed, 0.03, 0.0).tolist() == [True, True, False, False, False, False, False]


def test_the_heading_floor_travels_with_the_model_and_an_older_file_has_none() -> None:
    model = default_model()
    assert 0 <= model.heading_floor <= model.threshold
    data = json.loads(model.to_json())
    assert ChromeModel.from_json(json.dumps(data)).heading_floor == model.heading_floor
    del data["heading_floor"]
    assert ChromeModel.from_json(json.dumps(data)).heading_floor == 0.0


# ------------------------------------------------------------------ the model file


def test_trees_are_evaluated_as_scikit_learn_would() -> None:
    # one stump: x0 <= 0.5 → -1, else +2; a second tree: x1 <= 3 → 0.5, else -0.5
    trees = Trees(
        base=0.25,
        rate=0.1,
        roots=np.array([0, 3]),
        feature=np.array([0, 0, 0, 1, 0, 0]),
        threshold=np.array([0.5, 0, 0, 3.0, 0, 0]),
        left=np.array([1, -1, -1, 4, -1, -1]),
        right=np.array([2, -1, -1, 5, -1, -1]),
        value=np.array([0, -1.0, 2.0, 0, 0.5, -0.5]),
        depth=1,
    )
    rows = np.array([[0.0, 1.0], [1.0, 4.0], [0.5, 3.0]])
    assert np.allclose(trees.log_odds(rows), [0.25 + 0.1 * (-1 + 0.5), 0.25 + 0.1 * (2 - 0.5), 0.25 + 0.1 * (-1 + 0.5)])
    assert trees.log_odds(np.zeros((0, 2))).shape == (0,)


def test_shipped_model_is_small_deterministic_json_for_these_features() -> None:
    model = default_model()
    assert model.features == FEATURES and 0 < model.threshold < 0.5
    again = ChromeModel.from_json(model.to_json())
    rows = features(STORY + CHROME["navigation/menu"])
    assert np.array_equal(again.trees.log_odds(rows), model.trees.log_odds(rows))
    assert json.loads(model.to_json())["notes"]["folds"] >= 2
    assert len(model.to_json()) < 200_000


# ------------------------------------------------------------------ nothing of the story is lost

STORY_PARAGRAPHS = STORY + [
    "He declined to comment.",
    "Islanders have long argued that the estuary crossing is a lifeline rather than a luxury. The parish "
    "council collected 1,100 signatures last year, more than the island's population, because visitors signed too.",
    "“It's the best news we've had in years,” she said.",
    "Tickets are expected to cost £4 each way, with free travel for schoolchildren.",
    "In 2018, the last full year of the old service, the ferry carried 61,000 passengers.",
]
SPLICED_CHROME = [line for lines in CHROME.values() for line in lines] + [
    "Maya Lindqvist is a reporter at the Coast Courier covering transport and the environment.",
    "WATCH: Ferry's last crossing in 2019 (1:42)",
    "Read more: Harbour master retires after 30 years",
]


@st.composite
def spliced_pages(draw) -> tuple[str, list[str]]:
    drawn = draw(st.lists(st.sampled_from(STORY_PARAGRAPHS), min_size=2, max_size=8, unique=True))
    # A subheading heads a paragraph under the story's first (one left as the last line of a page is no
    # part of a story). Only sentences are checked: a subheading is kept by its place unless the model is
    # all but sure it is chrome (tests above), which thirty menu items around it can make it.
    blocks = [text for index, text in enumerate(drawn) if 0 < index < len(drawn) - 1 or not is_subheading(text)]
    story = [text for text in blocks if not is_subheading(text)]
    lines = list(blocks)
    for _ in range(draw(st.integers(0, 30))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(SPLICED_CHROME)))
    separator = draw(st.sampled_from(["\n", "\n\n"]))
    return separator.join(lines), story


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spliced_pages())
def test_no_story_sentence_is_lost_wherever_chrome_is_spliced(case: tuple[str, list[str]]) -> None:
    """Nor when every line of the page is one the site's other pages hold too (the worst a template can be)."""
    text, story = case
    every_line = frozenset(line_key(line) for line in decode(text).split("\n") if line.strip())
    for template in (frozenset(), every_line):
        article = normalise(decode(text), "seeds/x.txt", CONFIG, template).article
        body = " ".join(article.body.replace("\\", "").split())
        for sentence in _sentences(story):
            assert sentence in body or sentence == article.title, sentence


@pytest.mark.parametrize(
    "text, story",
    [
        ("Share prices fell sharply. Shares in the bank lost a fifth.", True),
        ("Advertisers said costs rose. Watch makers warned of more.", True),
        ("Share this article. Follow us.", False),  # prompts: sentences of a word or three
        ("He said no.", False),  # one sentence: is_sentence's business
    ],
)
def test_a_line_of_several_whole_sentences_is_the_storys_whatever_its_words(text: str, story: bool) -> None:
    assert are_sentences(text) is story
    if story:
        assert protected_blocks([text]) == [True]


@pytest.mark.parametrize(
    "line, story",
    [
        ("Share prices fell sharply after the results.", True),  # a prompt's first word, but it reports
        ("Share said share share share.", True),  # words a prompt uses, in a sentence that says something
        ("Share this article with your friends.", False),  # prompts tell the reader what to do
        ("Sign up for our morning newsletter.", False),
        ("Share your views in the comments below.", False),
    ],
)
def test_a_sentence_that_reports_is_the_storys_whatever_its_first_word(line: str, story: bool) -> None:
    assert is_sentence(line) is story


def test_the_model_never_takes_a_texts_last_words() -> None:
    # Whatever the model makes of a text of one doubtful line, it is not emptied: only the precise rules drop.
    model = default_model()
    certain = ChromeModel(model.features, model.trees, threshold=1.1, notes={})  # every line doubted
    lines = ["Pier reopens after repair", "Share", "Seafront cafe wins national award"]
    assert chrome_mask(lines, certain) == [False, True, False]
