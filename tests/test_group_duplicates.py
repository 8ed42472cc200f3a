"""Near-duplicates: copies of one story are found by the word 3-grams they share, stories on one topic are not."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer
from test_group_corpus import make_article

from digest.group.duplicates import SHINGLE, duplicate_groups, shingles_of
from digest.markdown import plain_text

SKLEARN_SHINGLES = HashingVectorizer(ngram_range=(SHINGLE, SHINGLE)).build_analyzer()

WORDISH = st.lists(
    st.sampled_from(list("abcXYZ éÉßİıǅ0١_-'’.,;!?\n\t") + ["Ünïcödé", "U.S.", "Mr.", "the", "  "]), max_size=60
).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDISH)
def test_shingles_are_the_ones_scikit_learn_makes(text: str) -> None:
    assert shingles_of(text) == SKLEARN_SHINGLES(text)


def test_short_texts_have_no_shingles() -> None:
    assert shingles_of("") == [] and shingles_of("two words") == [] and shingles_of("a b c d") == []
    assert shingles_of("Three Word Story") == ["three word story"]


def _groups(articles):
    return duplicate_groups(articles, 0.6, [plain_text(a.body) for a in articles])


STORY = (
    "Dock workers in Rotterdam walked out on Monday over pay, halting container traffic at Europe's largest port. "
    "The union said the strike would last until operators offered a raise in line with inflation.\n\n"
    "Shipping lines began rerouting cargo to Antwerp and Hamburg, and the port authority warned of delays."
)
SAME_TOPIC = (
    "Operators at the port of Rotterdam offered dock workers a four per cent raise on Wednesday. "
    "The union said it would put the offer to its members, and that the strike would go on meanwhile.\n\n"
    "Freight forwarders said backlogs at the container terminals were growing by the day."
)


def test_a_lightly_edited_copy_is_a_duplicate_and_another_story_on_the_topic_is_not() -> None:
    base = make_article("ukraine", 0)
    story = dataclasses.replace(base, slug="story", title="Rotterdam dock workers strike", body=STORY)
    other = dataclasses.replace(
        base, slug="other", title="Operators make an offer to striking dockers", body=SAME_TOPIC
    )
    copy = dataclasses.replace(
        story,
        slug="copy",
        title="Rotterdam dockers strike over pay (updated)",
        body=STORY.replace("walked out", "went on strike") + "\n\nReporting by a news agency.",
    )
    assert _groups([story, other, copy]) == [[0, 2], [1]]


def test_identical_texts_are_duplicates_however_common_their_words() -> None:
    text = "The council said on Monday that it would meet again next week to discuss the budget."
    articles = [
        dataclasses.replace(make_article("ukraine", 0), slug=f"s{i}", title="Budget", body=text) for i in range(3)
    ]
    assert _groups(articles) == [[0, 1, 2]]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 49), max_size=30), min_size=1, max_size=20), st.integers(1, 9))
def test_shingles_counted_a_slice_at_a_time_are_counted_whole(rows: list[list[int]], at_once: int) -> None:
    import numpy as np
    import scipy.sparse as sp

    import digest.group.duplicates as duplicates

    matrix = sp.csr_matrix(
        (np.ones(sum(map(len, rows))), [c for row in rows for c in row], np.cumsum([0, *map(len, rows)])),
        shape=(len(rows), 50),
    )
    original = duplicates.COUNT_AT_ONCE
    duplicates.COUNT_AT_ONCE = at_once
    try:
        counted = duplicates._document_frequency(matrix)
    finally:
        duplicates.COUNT_AT_ONCE = original
    assert counted.tolist() == np.bincount(matrix.indices, minlength=50).tolist()
