"""Digest addresses stay put: a better name never moves a digest, a headline edit renames but keeps it."""

from __future__ import annotations

import dataclasses
import json

from test_group_corpus import corpus, make_article, topic_of

from digest.config import Config
from digest.group import digests_json, group_articles, past_from_json, regroup

AUTO = Config()


def by_topic(digests):
    return {topic_of(d.articles[0].slug): d for d in digests if len(d.articles) > 1}


def test_a_digest_keeps_the_slug_it_was_published_under_when_regrouped():
    articles = corpus(per_topic=4)
    first, snapshot, _ = regroup(articles, AUTO, None)
    renamed = dataclasses.replace(
        snapshot,
        digests=tuple(
            dataclasses.replace(d, slug="football-first-slug") if d.members[0].startswith("football") else d
            for d in snapshot.digests
        ),
    )
    grown = [*articles, make_article("football", 4), make_article("football", 5)]  # new articles: a full regroup
    after, _, how = regroup(grown, AUTO, renamed)
    assert how == "grouped"
    assert by_topic(after)["football"].slug == "football-first-slug"
    assert {t: d.slug for t, d in by_topic(after).items() if t != "football"} == {
        t: d.slug for t, d in by_topic(first).items() if t != "football"
    }


def test_a_digest_whose_articles_scattered_does_not_pass_its_slug_on():
    articles = corpus(per_topic=4)
    past = (("old-mixed-digest", "auto", ("football-0", "rates-0", "space-0", "ukraine-0")),)
    digests, _, _ = regroup(articles, AUTO, None, past)
    assert "old-mixed-digest" not in {d.slug for d in digests}


def test_slugs_outlive_a_deleted_cache_through_the_published_digests_json():
    articles = corpus(per_topic=4)
    first, _, _ = regroup(articles, AUTO, None)
    published = json.loads(json.dumps(digests_json(first, "https://example.org/")))
    published["digests"][0]["slug"] = "as-first-published"
    again, _, _ = regroup([*articles, make_article("space", 7)], AUTO, None, past_from_json(published))
    moved = {a["slug"] for a in published["digests"][0]["articles"]}
    holder = next(d for d in again if moved <= {a.slug for a in d.articles})
    assert holder.slug == "as-first-published"


def test_editing_the_headline_of_a_one_article_digest_renames_it_and_keeps_its_address():
    lone = make_article("space", 1, slug="mars-helicopter-flight")
    articles = [*corpus(per_topic=4, topics=("ukraine", "football")), lone]
    before, snapshot, _ = regroup(articles, AUTO, None)
    single = next(d for d in before if [a.slug for a in d.articles] == ["mars-helicopter-flight"])
    assert single.name == lone.title and single.slug == "mars-helicopter-flight"

    edited = dataclasses.replace(lone, title="Mars helicopter sets a new altitude record")
    after, _, how = regroup([edited if a is lone else a for a in articles], AUTO, snapshot)
    assert how == "patched"
    moved = next(d for d in after if [a.slug for a in d.articles] == ["mars-helicopter-flight"])
    assert moved.name == "Mars helicopter sets a new altitude record" and moved.slug == single.slug

    # grouped from scratch (no memory at all), the address is the same: it is the article's
    [fresh] = [d for d in group_articles([edited if a is lone else a for a in articles], AUTO) if len(d.articles) == 1]
    assert fresh.slug == single.slug and fresh.name == moved.name


def test_an_editor_can_pin_an_article_to_the_address_readers_know():
    articles = corpus(per_topic=4)
    past = (("football-as-published", "auto", tuple(a.slug for a in articles if a.slug.startswith("football"))),)
    pinned = dataclasses.replace(make_article("space", 6, slug="pinned-to-football"), digest="football-as-published")
    digests, _, _ = regroup([*articles, pinned], AUTO, None, past)
    home = next(d for d in digests if any(a.slug == "pinned-to-football" for a in d.articles))
    assert home.slug == "football-as-published" and home.how == "auto"
    assert {topic_of(a.slug) for a in home.articles} == {"football", "pinned-to"}
