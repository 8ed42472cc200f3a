"""Rebuilds reuse or patch the last grouping instead of clustering the archive again."""

from __future__ import annotations

import dataclasses

from test_group_corpus import corpus, make_article

import digest.group as group
from digest.config import Config, config_from_mapping
from digest.group import group_articles, regroup
from digest.group.listing import tags_and_sources

AUTO = Config()


def edited(article, **changes):
    return dataclasses.replace(article, **changes)


def first_run(articles, config=AUTO):
    digests, snapshot, how = regroup(articles, config, None)
    assert how == "grouped"
    return digests, snapshot


def test_nothing_changed_reuses_the_same_digests():
    articles = corpus(per_topic=4)
    digests, snapshot = first_run(articles)
    again, _, how = regroup(articles, AUTO, snapshot)
    assert how == "reused"
    assert [(d.slug, d.name, [a.slug for a in d.articles], d.overview) for d in again] == [
        (d.slug, d.name, [a.slug for a in d.articles], d.overview) for d in digests
    ]
    assert again == group_articles(articles, AUTO)  # the same as grouping from scratch


def test_one_edited_article_keeps_memberships_and_names_and_refreshes_its_digest():
    articles = corpus(per_topic=4)
    digests, snapshot = first_run(articles)
    target = articles[0]
    home = next(d for d in digests if target in d.articles)
    cited = {p.article: p.text for p in home.overview}
    body = "A completely rewritten body with a new first sentence.\n\nNothing of the old text remains."
    changed = edited(target, title="Corrected headline", tags=[*target.tags, "Brand New Tag"], body=body, summary="")
    articles_after = [changed if a is target else a for a in articles]

    after, _, how = regroup(articles_after, AUTO, snapshot)
    assert how == "patched"
    assert [(d.slug, d.name, sorted(a.slug for a in d.articles)) for d in after] == [
        (d.slug, d.name, sorted(a.slug for a in d.articles)) for d in digests
    ]
    new_home = next(d for d in after if d.slug == home.slug)
    assert changed in new_home.articles  # the edited text is what pages will show
    assert "Brand New Tag" in new_home.tags
    if target.slug in cited:  # a sentence the article no longer says is not quoted for it
        assert all(p.article != target.slug for p in new_home.overview)
    untouched = [d for d in after if d.slug != home.slug]
    assert all(changed not in d.articles for d in untouched)


def test_an_added_article_groups_from_scratch():
    articles = corpus(per_topic=4)
    _, snapshot = first_run(articles)
    _, _, how = regroup([*articles, make_article("space", 9)], AUTO, snapshot)
    assert how == "grouped"


def test_a_changed_pin_groups_from_scratch():
    articles = corpus(per_topic=4)
    _, snapshot = first_run(articles)
    pinned = [edited(articles[0], digest="Editor's choice"), *articles[1:]]
    digests, _, how = regroup(pinned, AUTO, snapshot)
    assert how == "grouped"
    assert any(d.name == "Editor's choice" and d.how == "pinned" for d in digests)


def test_many_edits_group_from_scratch():
    articles = corpus(per_topic=4)
    _, snapshot = first_run(articles)
    rewritten = [edited(a, title=a.title + " (updated)") for a in articles]
    assert regroup(rewritten, AUTO, snapshot)[2] == "grouped"


def test_changed_digest_settings_group_from_scratch():
    articles = corpus(per_topic=4)
    _, snapshot = first_run(articles)
    two = config_from_mapping({"digests": {"count": 2}})
    digests, _, how = regroup(articles, two, snapshot)
    assert how == "grouped" and len(digests) <= 3


# ---------------------------------------------------------------- provisional: serve's moment before a regroup


def _members(digests):
    return {d.slug: sorted(a.slug for a in d.articles) for d in digests}


def test_an_added_article_is_in_no_digest_until_the_regroup(monkeypatch):
    monkeypatch.setattr(group, "PROVISIONAL_FROM", 1)
    articles = corpus(per_topic=4)
    digests, snapshot = first_run(articles)
    added = make_article("space", 9)
    shown, kept, how = regroup([*articles, added], AUTO, snapshot, provisional_ok=True)
    assert how == "provisional" and kept is snapshot  # the next regroup still sees the article as new
    assert _members(shown) == _members(digests)
    assert all(added not in d.articles for d in shown)
    regrouped, _, how = regroup([*articles, added], AUTO, kept)
    assert how == "grouped" and any(added in d.articles for d in regrouped)


def test_a_removed_article_leaves_its_digest_and_every_mention(monkeypatch):
    monkeypatch.setattr(group, "PROVISIONAL_FROM", 1)
    articles = corpus(per_topic=4)
    digests, snapshot = first_run(articles)
    home = max(digests, key=lambda d: len(d.overview))
    gone = next(p.article for p in home.overview)  # an article its overview quotes
    remaining = [a for a in articles if a.slug != gone]
    shown, _, how = regroup(remaining, AUTO, snapshot, provisional_ok=True)
    assert how == "provisional"
    expected = {slug: [s for s in members if s != gone] for slug, members in _members(digests).items()}
    assert _members(shown) == {slug: members for slug, members in expected.items() if members}
    for digest in shown:
        assert all(p.article != gone for p in digest.overview)
        assert all(gone not in group for group in digest.duplicates)
        assert gone not in digest.related and all(gone not in others for others in digest.related.values())
        assert (digest.tags, digest.sources) == tags_and_sources(digest.articles)


def test_a_digest_left_empty_goes(monkeypatch):
    monkeypatch.setattr(group, "PROVISIONAL_FROM", 1)
    articles = corpus(per_topic=4)
    digests, snapshot = first_run(articles)
    emptied = digests[0]
    remaining = [a for a in articles if a not in emptied.articles]
    shown, _, how = regroup(remaining, AUTO, snapshot, provisional_ok=True)
    assert how == "provisional" and emptied.slug not in {d.slug for d in shown} and len(shown) == len(digests) - 1


def test_a_small_archive_is_regrouped_at_once(monkeypatch):
    articles = corpus(per_topic=4)
    assert len(articles) + 1 < group.PROVISIONAL_FROM
    _, snapshot = first_run(articles)
    assert regroup([*articles, make_article("space", 9)], AUTO, snapshot, provisional_ok=True)[2] == "grouped"
