"""Related stories: chosen from the grouping's vectors, from other digests or earlier coverage, stable."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.preprocessing import normalize
from test_group_corpus import corpus, make_article, topic_of

import digest.group.related as related_module
from digest.config import Config
from digest.group import group_articles, regroup
from digest.group.related import RELATED_COUNT, related_stories
from digest.model import date_sort_value

AUTO = Config()


def _related(digests) -> dict[str, list[str]]:
    return {slug: others for d in digests for slug, others in d.related.items()}


def _with_briefing(per_topic: int = 4):
    """A corpus where one Ukraine report was pinned to another digest by an editor."""
    articles = corpus(per_topic=per_topic)
    pinned = dataclasses.replace(make_article("ukraine", 9), digest="World briefing")
    return [*articles, pinned], pinned


def test_related_stories_come_from_other_digests_or_earlier_coverage():
    articles, pinned = _with_briefing()
    digests = group_articles(articles, AUTO)
    digest_of = {a.slug: d.slug for d in digests for a in d.articles}
    dates = {a.slug: date_sort_value(a.date) for a in articles}
    related = _related(digests)
    assert related, "no article has related stories"
    for slug, others in related.items():
        assert 0 < len(others) <= RELATED_COUNT
        assert slug not in others and len(set(others)) == len(others)
        for other in others:
            assert digest_of[other] != digest_of[slug] or dates[other] < dates[slug], (slug, other)
    # the pinned report and its topic's digest point at each other; other topics stay out
    assert {topic_of(s) for s in related[pinned.slug]} == {"ukraine"}
    ukraine = [a.slug for a in articles if topic_of(a.slug) == "ukraine" and a is not pinned]
    assert all(pinned.slug in related.get(slug, []) for slug in ukraine)
    for slug, others in related.items():
        assert {topic_of(s) for s in others} == {topic_of(slug)}, (slug, others)


def test_related_stories_are_the_same_on_every_grouping_and_kept_when_reused_or_patched():
    articles, _ = _with_briefing()
    digests, snapshot, _ = regroup(articles, AUTO, None)
    assert _related(digests) == _related(group_articles(list(reversed(articles)), AUTO))
    again, _, how = regroup(articles, AUTO, snapshot)
    assert how == "reused" and _related(again) == _related(digests)
    typo = dataclasses.replace(articles[0], body=articles[0].body + " A typo fixed.")
    patched, _, how = regroup([typo, *articles[1:]], AUTO, snapshot)
    assert how == "patched" and _related(patched) == _related(digests)


def test_duplicates_share_their_story_and_never_list_each_other():
    original = make_article("space", 1)
    copy = dataclasses.replace(original, slug="space-1-syndicated", source="Wire")
    digests = group_articles([*corpus(per_topic=3), original, copy], AUTO)
    related = _related(digests)
    assert copy.slug not in related.get(original.slug, []) and original.slug not in related.get(copy.slug, [])


def _unit_rows(count: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(6, 40))
    rows = centres[rng.integers(0, 6, size=count)] + 0.3 * rng.normal(size=(count, 40))
    return normalize(rows).astype(np.float32)


def test_blocks_give_the_same_answer_as_one_pass(monkeypatch: pytest.MonkeyPatch):
    rows = _unit_rows(700)
    digest_of = np.arange(700) % 9
    dates = np.arange(700, dtype=float)
    names = [f"story-{i:04d}" for i in range(700)]
    whole = related_stories(rows, digest_of, dates, names)
    for cells in (64 * 700, 1):  # blocks of 64 rows, and of one row each
        monkeypatch.setattr(related_module, "BLOCK_CELLS", cells)
        assert related_stories(rows, digest_of, dates, names) == whole
    # each list is really the closest allowed stories, closest first
    similarity = rows @ rows.T
    for story in (0, 350, 699):
        allowed = [
            j
            for j in range(700)
            if j != story
            and (digest_of[j] != digest_of[story] or dates[j] < dates[story])
            and similarity[story, j] >= related_module.RELATED_MIN
        ]
        best = sorted(allowed, key=lambda j: (-round(float(similarity[story, j]), 5), names[j]))[:RELATED_COUNT]
        assert whole[story] == best


def test_one_story_or_none_has_no_related():
    assert related_stories(_unit_rows(1), np.zeros(1), np.zeros(1), ["a"]) == [[]]
    assert related_stories(np.zeros((0, 40), dtype=np.float32), np.zeros(0), np.zeros(0), []) == []


def test_a_large_archive_takes_its_candidates_from_an_index_and_finds_nearly_every_closest_story(monkeypatch):
    rows = _unit_rows(4000, seed=3).astype(np.float64)
    digest_of = np.arange(4000) % 9
    dates = np.arange(4000, dtype=float)
    names = [f"story-{i:04d}" for i in range(4000)]
    exact = related_stories(rows, digest_of, dates, names)
    monkeypatch.setattr(related_module, "APPROXIMATE_FROM", 1000)
    approximate = related_stories(rows, digest_of, dates, names)
    assert approximate == related_stories(rows, digest_of, dates, names)  # the same every time
    found = sum(len(set(a) & set(e)) for a, e in zip(approximate, exact)) / sum(len(e) for e in exact)
    assert found >= 0.95
    similarity = rows @ rows.T
    for story, others in enumerate(approximate):  # what it keeps, it keeps by the same rules, closest first
        assert story not in others and all(similarity[story, j] >= related_module.RELATED_MIN for j in others)
        assert all(digest_of[j] != digest_of[story] or dates[j] < dates[story] for j in others)
        scores = [round(float(similarity[story, j]), 5) for j in others]
        assert scores == sorted(scores, reverse=True)
