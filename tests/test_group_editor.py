"""Editors' say and syndicated copies: pins, rules, near-duplicates."""

from __future__ import annotations

import dataclasses

from test_group_corpus import corpus, make_article, topic_of

from digest.config import Config
from digest.group import group_articles

AUTO = Config()


def with_(article, **changes):
    return dataclasses.replace(article, **changes)


def digest_of(digests, slug):
    return next(d for d in digests if any(a.slug == slug for a in d.articles))


# ---------------------------------------------------------------- pins


def test_pin_to_a_new_name_creates_that_digest():
    articles = corpus(per_topic=3)
    articles[0] = with_(articles[0], digest="Editor's picks")
    digests = group_articles(articles, AUTO)
    picks = digest_of(digests, articles[0].slug)
    assert picks.name == "Editor's picks" and picks.slug == "editor-s-picks" and picks.how == "pinned"
    assert [a.slug for a in picks.articles] == [articles[0].slug]


def test_pin_by_slug_or_name_joins_an_existing_digest():
    articles = corpus(per_topic=3)
    plain = group_articles(articles, AUTO)
    football = next(d for d in plain if topic_of(d.articles[0].slug) == "football")
    stray = make_article("space", 5, slug="stray-space")
    for pin in (football.slug, football.name.upper()):
        digests = group_articles(articles + [with_(stray, digest=pin)], AUTO)
        target = digest_of(digests, "stray-space")
        assert target.slug == football.slug and target.name == football.name
        assert len(target.articles) == 4
        assert len(digests) == len(plain)


def test_pinned_articles_with_the_same_pin_share_one_digest():
    articles = corpus(per_topic=3)
    articles = [with_(a, digest="Weekend reading") if a.slug in ("rates-0", "space-1") else a for a in articles]
    digests = group_articles(articles, AUTO)
    weekend = digest_of(digests, "rates-0")
    assert {a.slug for a in weekend.articles} == {"rates-0", "space-1"}


# ---------------------------------------------------------------- rules


def test_rule_by_tag_takes_matching_articles_case_insensitively():
    config = Config(digests={"rules": [{"name": "Red planet", "tags": ["mars"]}]})
    digests = group_articles(corpus(per_topic=3), config)
    red = next(d for d in digests if d.name == "Red planet")
    assert red.how == "rule" and red.slug == "red-planet"
    assert {topic_of(a.slug) for a in red.articles} == {"space"}
    assert len(red.articles) == 3


def test_rule_by_keyword_matches_whole_words_in_title_or_body():
    config = Config(digests={"rules": [{"name": "Money", "keywords": ["Interest Rate", "pound"]}]})
    articles = corpus(per_topic=3) + [make_article("football", 4, slug="pounding")]
    articles[-1] = with_(articles[-1], body=articles[-1].body + " The crowd kept pounding the hoardings.")
    digests = group_articles(articles, config)
    money = next(d for d in digests if d.name == "Money")
    assert {topic_of(a.slug) for a in money.articles} == {"rates"}
    assert "pounding" not in {a.slug for a in money.articles}


def test_pin_beats_rule_and_empty_rules_make_no_digest():
    config = Config(
        digests={"rules": [{"name": "Red planet", "tags": ["Mars"]}, {"name": "Cricket", "keywords": ["wicket"]}]}
    )
    articles = corpus(per_topic=3)
    articles = [with_(a, digest="Space special") if a.slug == "space-0" else a for a in articles]
    digests = group_articles(articles, config)
    assert digest_of(digests, "space-0").name == "Space special"
    assert {a.slug for a in next(d for d in digests if d.name == "Red planet").articles} == {"space-1", "space-2"}
    assert all(d.name != "Cricket" for d in digests)


def test_pin_naming_a_rule_joins_it():
    config = Config(digests={"rules": [{"name": "Red planet", "tags": ["Mars"]}]})
    articles = corpus(per_topic=3) + [with_(make_article("rates", 6, slug="odd-one"), digest="red-planet")]
    digests = group_articles(articles, config)
    assert digest_of(digests, "odd-one").name == "Red planet"


def test_the_rest_is_still_grouped_automatically():
    config = Config(digests={"rules": [{"name": "Red planet", "tags": ["Mars"]}]})
    digests = group_articles(corpus(per_topic=4), config)
    auto = [d for d in digests if d.how == "auto"]
    assert len(auto) == 3
    assert all(len({topic_of(a.slug) for a in d.articles}) == 1 for d in auto)


# ---------------------------------------------------------------- near-duplicates


def syndicated_copy(article, slug):
    """The same wire story on another site: its own slug, chrome added, a word changed."""
    body = article.body.replace("said", "stated", 1)
    return with_(
        article,
        slug=slug,
        source="Other Daily",
        body=f"Share this article\n\n{body}\n\nCopyright Other Daily. All rights reserved.",
    )


def test_near_duplicates_are_kept_together_and_flagged():
    articles = corpus(per_topic=3)
    copy = syndicated_copy(articles[1], "zz-copy")
    exact = with_(articles[4], slug="aa-exact")
    digests = group_articles(articles + [copy, exact], AUTO)
    assert len(digests) == 4
    first = digest_of(digests, articles[1].slug)
    assert "zz-copy" in {a.slug for a in first.articles}
    assert sorted([articles[1].slug, "zz-copy"]) in first.duplicates
    second = digest_of(digests, articles[4].slug)
    assert sorted([articles[4].slug, "aa-exact"]) in second.duplicates
    flagged = [slug for d in digests for group in d.duplicates for slug in group]
    assert sorted(flagged) == sorted([articles[1].slug, "zz-copy", articles[4].slug, "aa-exact"])


def test_a_story_published_twice_counts_once():
    # Two copies of one report and one other report: as stories they are two, so count 2
    # separates the topics instead of splitting off the copy.
    rates, space = make_article("rates", 0), make_article("space", 0)
    digests = group_articles([rates, syndicated_copy(rates, "rates-copy"), space], Config(digests={"count": 2}))
    assert {frozenset(a.slug for a in d.articles) for d in digests} == {
        frozenset({"rates-0", "rates-copy"}),
        frozenset({"space-0"}),
    }


def test_different_reports_on_one_topic_are_not_duplicates():
    digests = group_articles(corpus(per_topic=6), AUTO)
    assert all(d.duplicates == [] for d in digests)


def test_a_pinned_copy_takes_its_duplicate_along():
    articles = corpus(per_topic=3)
    copy = with_(syndicated_copy(articles[7], "copy-pinned"), digest="Wire stories")
    digests = group_articles(articles + [copy], AUTO)
    wire = digest_of(digests, "copy-pinned")
    assert wire.name == "Wire stories"
    assert {a.slug for a in wire.articles} == {"copy-pinned", articles[7].slug}


def test_duplicate_threshold_is_configurable():
    articles = corpus(per_topic=3)
    copy = syndicated_copy(articles[1], "zz-copy")
    strict = group_articles(articles + [copy], Config(digests={"duplicate_similarity": 1.0}))
    assert all(d.duplicates == [] for d in strict)
