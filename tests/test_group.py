"""Grouping: topics found, names, stable slugs, count, overview, determinism, digests.json."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace

import pytest
from test_group_corpus import TOPICS, corpus, make_article, membership, topic_of

from digest.config import Config
from digest.group import digests_json, group_articles
from digest.model import Article

AUTO = Config()


def topics_of(digests) -> list[set[str]]:
    return [{topic_of(a.slug) for a in d.articles} for d in digests]


def test_each_topic_becomes_one_digest_and_every_article_appears_once():
    articles = corpus(per_topic=4)
    digests = group_articles(articles, AUTO)
    assert len(digests) == 4
    assert all(len(t) == 1 for t in topics_of(digests))
    slugs = [a.slug for d in digests for a in d.articles]
    assert sorted(slugs) == sorted(a.slug for a in articles)


def test_same_story_articles_form_one_digest_not_one_each():
    # Like the sample seeds: five reports of the same diplomacy, nothing else.
    digests = group_articles([make_article("ukraine", i) for i in range(5)], AUTO)
    assert len(digests) == 1
    assert len(digests[0].articles) == 5


def test_a_single_article_gets_one_digest_named_by_its_headline():
    article = make_article("space", 2)
    [digest] = group_articles([article], AUTO)
    assert digest.articles == [article]
    assert digest.name == article.title
    assert digest.how == "auto"


def test_no_articles_no_digests():
    assert group_articles([], AUTO) == []


def test_names_come_from_what_the_articles_share_and_are_unique():
    digests = group_articles(corpus(per_topic=5), AUTO)
    names = {topic_of(d.articles[0].slug): d.name for d in digests}
    assert "Donald Trump" in names["ukraine"] or "Vladimir Putin" in names["ukraine"]
    assert "Arsenal" in names["football"] or "Premier League" in names["football"]
    assert "Mars" in names["space"] or "NASA" in names["space"]
    assert len(set(names.values())) == len(names)
    for name in names.values():
        assert not re.search(r"cluster|\bgroup \d", name, re.IGNORECASE)
        assert "," not in name  # a phrase, not a list


def test_names_without_tags_use_topic_words():
    articles = [make_article(t, i, with_tags=False) for t in ("rates", "space") for i in range(4)]
    digests = group_articles(articles, AUTO)
    assert len(digests) == 2
    for digest in digests:
        assert digest.name and digest.name[0].isupper()
        assert digest.name not in {a.title for a in digest.articles}
    rates = next(d for d in digests if topic_of(d.articles[0].slug) == "rates")
    assert re.search(r"rate|inflation|bank", rates.name, re.IGNORECASE)


def test_slugs_come_from_names():
    for digest in group_articles(corpus(per_topic=3), AUTO):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", digest.slug)
        assert digest.slug.split("-")[0] in digest.name.lower().replace(" ", "-")


@pytest.mark.parametrize("count", [None, 4])
def test_adding_an_article_to_one_topic_leaves_the_other_digests_alone(count):
    config = Config(digests={"count": count})
    before = group_articles(corpus(per_topic=4), config)
    after = group_articles(corpus(per_topic=4) + [make_article("rates", 4)], config)
    changed_topic = {d.slug for d in before if topic_of(d.articles[0].slug) == "rates"}
    old = {d.slug: (d.name, membership([d])[d.slug]) for d in before if d.slug not in changed_topic}
    new = {d.slug: (d.name, membership([d])[d.slug]) for d in after}
    assert old.items() <= new.items()
    assert len(after) == len(before)


def test_a_new_topic_gets_its_own_digest_and_renames_nothing():
    before = group_articles(corpus(per_topic=4, topics=("ukraine", "football", "rates")), AUTO)
    after = group_articles(corpus(per_topic=4), AUTO)
    old = {d.slug: (d.name, membership([d])[d.slug]) for d in before}
    new = {d.slug: (d.name, membership([d])[d.slug]) for d in after}
    assert old.items() <= new.items()
    assert len(after) == len(before) + 1


def test_editing_one_article_leaves_the_other_digests_alone():
    articles = corpus(per_topic=4)
    before = group_articles(articles, AUTO)
    edited = [
        replace(a, body=a.body + "\n\nThe spokesman declined to comment further.") if a.slug == "space-1" else a
        for a in articles
    ]
    after = group_articles(edited, AUTO)

    def keep(ds):
        return {d.slug: (d.name, membership([d])[d.slug]) for d in ds if "space-1" not in membership([d])[d.slug]}

    assert keep(before) == keep(after)


def test_count_asks_for_about_that_many_digests():
    articles = corpus(per_topic=5)
    assert len(group_articles(articles, Config(digests={"count": 4}))) == 4
    two = group_articles(articles, Config(digests={"count": 2}))
    assert len(two) == 2
    assert all(len(t) in (1, 2, 3) for t in topics_of(two))
    one_each = group_articles(articles[:3], Config(digests={"count": 10}))
    assert len(one_each) == 3


def test_articles_in_date_order_and_date_range():
    digests = group_articles(corpus(per_topic=4), AUTO)
    for digest in digests:
        keys = [a.sort_key for a in digest.articles]
        assert keys == sorted(keys)
        assert digest.date_from == digest.articles[0].date
        assert digest.date_to == digest.articles[-1].date


def test_tags_and_sources_span_the_digest():
    digests = group_articles(corpus(per_topic=4), AUTO)
    for digest in digests:
        assert set(digest.tags) == {t for a in digest.articles for t in a.tags}
        assert set(digest.sources) == {a.source for a in digest.articles}


def test_overview_is_a_few_distinct_sentences_traceable_to_articles():
    digests = group_articles(corpus(per_topic=5), AUTO)
    for digest in digests:
        by_slug = {a.slug: a for a in digest.articles}
        assert 3 <= len(digest.overview) <= 5
        texts = [p.text for p in digest.overview]
        assert len(set(texts)) == len(texts)
        for point in digest.overview:
            assert point.text in by_slug[point.article].body
        pool = TOPICS[topic_of(digest.articles[0].slug)]["sentences"]
        assert all(text in pool for text in texts)


def test_overview_skips_markdown_and_short_fragments():
    article = Article(
        slug="mars-md",
        title="Mars rover update",
        body="## Update\n\nSee [the NASA page](https://nasa.gov) for the **full** story about the Mars rover today.\n\n"
        "Share\n\nThe rover climbed the crater rim and photographed layered rocks near the lake bed.",
    )
    [digest] = group_articles([article], AUTO)
    texts = [p.text for p in digest.overview]
    assert "See the NASA page for the full story about the Mars rover today." in texts
    assert all("](" not in t and "**" not in t and t != "Share" for t in texts)


def test_same_content_same_digests_byte_for_byte_whatever_the_order():
    articles = corpus(per_topic=5) + [make_article("ukraine", 7, slug="extra-ukraine")]
    shuffled = articles[:]
    random.Random(7).shuffle(shuffled)
    for config in (AUTO, Config(digests={"count": 3})):
        first = json.dumps(digests_json(group_articles(articles, config), "https://example.org/"))
        second = json.dumps(digests_json(group_articles(shuffled, config), "https://example.org/"))
        assert first == second


def test_digests_json_shape():
    digests = group_articles(corpus(per_topic=3), AUTO)
    data = json.loads(json.dumps(digests_json(digests, "https://example.org/news")))
    assert len(data["digests"]) == len(digests)
    entry = data["digests"][0]
    assert {
        "slug",
        "name",
        "overview",
        "date_from",
        "date_to",
        "articles",
        "tags",
        "sources",
        "duplicates",
        "how",
    } <= entry.keys()
    assert entry["url"] == f"https://example.org/news/digests/{entry['slug']}.html"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", entry["date_from"])
    assert all(set(p) == {"text", "article"} for p in entry["overview"])
    article = entry["articles"][0]
    assert {"slug", "title", "date", "origin"} <= article.keys()
    undated = digests_json(group_articles([Article(slug="u", title="Undated note", body="")], AUTO), "https://x.org/")
    assert undated["digests"][0]["date_from"] is None
