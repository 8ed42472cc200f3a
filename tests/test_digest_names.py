"""Digest names an editor would publish: short noun phrases from what the articles share, never tag lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re

import pytest
from test_group_corpus import corpus, make_article, topic_of

from digest.config import Config
from digest.group import group_articles
from digest.group.naming import ALSO_IN_THE_NEWS, MAX_NAME, MAX_NAME_WORDS, topic_labels
from digest.model import Article

AUTO = Config()

# Two more topics written like wire copy, with the topic labels ingest adds beside the names.
EXTRA = {
    "consoles": (
        ["Nintendo", "Sony", "Technology"],
        [
            "Sony and Nintendo cut prices of video games consoles",
            "Video games sales hit record as Sony launches new console",
            "Nintendo bets on handheld video games for Christmas",
            "Video games makers Sony and Nintendo report strong sales",
        ],
        [
            "Sony and Nintendo are competing for video games players with cheaper consoles this winter.",
            "Analysts said sales of video games had risen for the third year in a row.",
            "Nintendo said its handheld console had sold out in several countries.",
            "Sony said the price cut would help it reach families who had never bought a console.",
            "Retailers reported queues outside shops on the morning the new machine went on sale.",
            "Developers said the cheaper hardware would bring more players to online video games.",
            "Shares in both companies rose after the quarterly figures were published.",
            "The handheld machine can also be connected to a television at home.",
        ],
    ),
    "open": (
        ["Australian Open", "Melbourne", "Sport"],
        [
            "Top seeds advance at the Australian Open",
            "Australian Open heat forces early finish in Melbourne",
            "Teenager stuns champion at the Australian Open",
            "Australian Open crowds break attendance record",
        ],
        [
            "The Australian Open in Melbourne saw another day of upsets as temperatures rose.",
            "Organisers said the roof would be closed if the extreme heat rule applied.",
            "The tournament's top seeds won their matches in straight sets on Rod Laver Arena.",
            "Crowds at Melbourne Park were the largest in the event's history.",
            "The seventeen-year-old qualifier needed five sets to beat the defending champion.",
            "Several matches on the outside courts were suspended until the evening.",
            "Ticket sales for the second week of the Australian Open have already sold out.",
            "Players complained that the new balls were heavier than last year.",
        ],
    ),
}


def extra_article(topic: str, index: int) -> Article:
    tags, titles, pool = EXTRA[topic]
    picked = [pool[(index * 3 + step) % len(pool)] for step in range(3)]
    return Article(
        slug=f"{topic}-{index}",
        title=titles[index],
        body=" ".join(picked),
        date=dt.date(2025, 5, 1) + dt.timedelta(days=index),
        source="Wire Service",
        tags=list(tags),
    )


@functools.cache
def digests():
    articles = corpus(per_topic=5) + [extra_article(t, i) for t in EXTRA for i in range(4)]
    return group_articles(articles, AUTO)


def named_topics():
    return [d for d in digests() if len(d.articles) > 1 and d.how == "auto"]


def test_every_topic_is_one_digest():
    assert sorted(sorted({topic_of(a.slug) for a in d.articles}) for d in digests()) == [
        ["consoles"],
        ["football"],
        ["open"],
        ["rates"],
        ["space"],
        ["ukraine"],
    ]


@pytest.mark.parametrize("rule", ["length", "no list", "no label glued on", "unique"])
def test_names_follow_the_editors_rules(rule):
    names = [d.name for d in named_topics()]
    for name in names:
        head, _, names_after = name.partition(": ")
        if rule == "length":
            assert len(name) <= MAX_NAME and len(name.split()) <= MAX_NAME_WORDS, name
        elif rule == "no list":
            # no run of loose words ("trial, commit"), no tag list ("A, B & C"); names after a topic read "A and B"
            assert "," not in name and "&" not in name, name
            assert len(re.split(r"\band\b", names_after)) <= 2, name
        elif rule == "no label glued on":
            labels = topic_labels()
            assert not any(label.casefold() in names_after.casefold() for label in labels if names_after), name
            assert head.casefold() in labels or not any(f" {label} " in f" {head.casefold()} " for label in labels), (
                name
            )
    if rule == "unique":
        assert len({n.casefold() for n in names}) == len(names)


def test_names_are_noun_phrases():
    from digest.language import english

    nlp = english()
    if nlp is None:
        pytest.skip("spaCy's English model is not installed")
    for digest in named_topics():
        head = digest.name.partition(": ")[0]
        doc = nlp(head, disable=["ner"])
        assert any(t.pos_ in ("NOUN", "PROPN") for t in doc), digest.name
        assert not any(t.tag_ in ("VBD", "VBZ", "VBP") for t in doc), digest.name  # not a clause, not a headline
        assert digest.name[0].isupper()


def test_names_say_what_the_articles_share():
    names = {topic_of(d.articles[0].slug): d.name.casefold() for d in named_topics()}
    assert "video game" in names["consoles"] or "console" in names["consoles"]
    assert "australian open" in names["open"]
    assert "mars" in names["space"] or "nasa" in names["space"]
    assert any(word in names["rates"] for word in ("interest rate", "inflation", "bank of england"))
    assert any(word in names["football"] for word in ("arsenal", "liverpool", "premier league"))
    assert any(word in names["ukraine"] for word in ("putin", "trump", "summit", "zelensky"))


def test_topic_labels_never_stand_in_for_a_shared_phrase():
    consoles = next(d for d in named_topics() if topic_of(d.articles[0].slug) == "consoles")
    assert "technology" not in consoles.name.casefold()


def test_one_article_is_named_by_its_headline():
    article = make_article("space", 2)
    [digest] = group_articles([article], AUTO)
    assert digest.name == article.title


def test_lone_articles_on_no_topic_share_an_also_in_the_news_digest():
    unrelated = [
        Article(
            slug="recipe",
            title="Slow-cooked lamb with apricots",
            date=dt.date(2025, 3, 2),
            body="Brown the lamb in a heavy pan, then add onions, apricots and stock. Cook it slowly for three hours.",
        ),
        Article(
            slug="garden",
            title="How to prune roses before spring",
            date=dt.date(2025, 3, 3),
            body="Cut back dead stems to healthy wood with sharp secateurs. Feed the roses with compost in early spring.",
        ),
    ]
    found = group_articles(corpus(per_topic=4) + unrelated, AUTO)
    also = [d for d in found if d.name == ALSO_IN_THE_NEWS]
    assert len(also) == 1 and {a.slug for a in also[0].articles} == {"recipe", "garden"}
    assert also[0].slug == "also-in-the-news" and also[0].how == "others"
    assert not [d for d in found if len(d.articles) == 1]


def test_a_lone_article_on_a_topic_joins_it():
    lone = make_article("space", 9, slug="lone-space")
    others = [make_article(t, i) for t in ("ukraine", "football", "rates") for i in range(4)]
    found = group_articles(others + [make_article("space", i) for i in range(3)] + [lone], AUTO)
    home = next(d for d in found if any(a.slug == "lone-space" for a in d.articles))
    assert {topic_of(a.slug) for a in home.articles if a.slug != "lone-space"} == {"space"}


def test_a_lone_article_joins_the_digest_whose_general_topic_it_shares():
    football = [
        dataclasses.replace(make_article("football", i), tags=[*make_article("football", i).tags, "Sport"])
        for i in range(4)
    ]
    others = [make_article(t, i) for t in ("ukraine", "rates", "space") for i in range(4)]
    tennis = Article(
        slug="tennis-final",
        title="Teenager wins the final in three sets",
        date=dt.date(2025, 3, 9),
        body="The teenager served out the match after two hours on the centre court.",
        tags=["Sport"],
    )
    recipe = Article(
        slug="recipe",
        title="Slow-cooked lamb with apricots",
        date=dt.date(2025, 3, 2),
        body="Brown the lamb in a heavy pan, then add onions, apricots and stock.",
    )
    found = group_articles(football + others + [tennis, recipe], AUTO)
    home = next(d for d in found if any(a.slug == "tennis-final" for a in d.articles))
    assert {topic_of(a.slug) for a in home.articles} == {"football", "tennis"}
    assert any(d.articles == [recipe] or recipe in d.articles and d.how == "others" for d in found)
