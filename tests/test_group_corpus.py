"""Synthetic news for the grouping tests: clearly separate topics, realistic sentences.

Each topic has a pool of sentences; each article takes its own selection of them (and
its own opening line), so articles on one topic share vocabulary without being copies.
"""

from __future__ import annotations

import datetime as dt

from digest.model import Article

TOPICS: dict[str, dict] = {
    "ukraine": {
        "tags": ["Vladimir Putin", "Donald Trump", "Volodymyr Zelensky", "Ukraine"],
        "titles": [
            "Trump and Putin agree to summit talks in Alaska",
            "Zelensky says Ukraine will not cede territory before summit",
            "Kremlin plays down hopes of a Putin-Zelensky meeting",
            "European leaders press Trump on Ukraine security guarantees",
            "Putin invites Trump to Moscow for the next round of talks",
            "White House says trilateral summit with Zelensky is possible",
        ],
        "sentences": [
            "Russian President Vladimir Putin said he was ready to meet Donald Trump to discuss a ceasefire in Ukraine.",
            "Ukrainian President Volodymyr Zelensky insisted that Kyiv must have a seat at any summit about the war.",
            "The Kremlin said a meeting between Putin and Zelensky had to be prepared step by step by diplomats.",
            "Trump told reporters the summit talks in Alaska were a chance to end the war in Ukraine.",
            "European leaders warned that any peace deal must include security guarantees for Ukraine.",
            "Moscow repeated its demand that Ukraine withdraw troops from the eastern Donbas region.",
            "The White House said a trilateral summit with Putin, Trump and Zelensky remained possible.",
            "Kremlin aide Yuri Ushakov said the next Putin and Trump summit could take place in Moscow.",
            "Zelensky met European leaders in Washington before the talks on a ceasefire.",
            "Analysts said the Kremlin was using the summit diplomacy to delay new sanctions.",
            "Ukraine's foreign minister said Russia's ceasefire offer was an attempt to buy time.",
            "NATO officials said the alliance would keep supplying Ukraine with air defence systems.",
        ],
    },
    "football": {
        "tags": ["Premier League", "Arsenal", "Liverpool"],
        "titles": [
            "Arsenal beat Liverpool to go top of the Premier League",
            "Liverpool manager defends tactics after title setback",
            "Late goal keeps Arsenal's Premier League title hopes alive",
            "Liverpool striker scores twice in comeback win",
            "Premier League title race tightens after weekend draws",
            "Arsenal captain signs new contract until 2028",
        ],
        "sentences": [
            "Arsenal scored twice in the second half to beat Liverpool at the Emirates Stadium.",
            "The Liverpool manager said his players lacked energy in the Premier League title race.",
            "A stoppage-time goal from the Arsenal striker sent the home fans into raptures.",
            "Liverpool's goalkeeper made a string of saves to keep the score level at half-time.",
            "The result leaves Arsenal two points clear at the top of the Premier League table.",
            "Both clubs face a crowded fixture list with Champions League matches next week.",
            "The Arsenal midfielder was booked for a late tackle on the Liverpool captain.",
            "Supporters sang throughout the match as the title race reached a decisive stage.",
            "The Liverpool defender limped off with a hamstring injury in the first half.",
            "Arsenal have now won eight consecutive league matches at home this season.",
            "The referee awarded a penalty after a lengthy video review of the challenge.",
            "Liverpool will host Manchester City in their next Premier League fixture.",
        ],
    },
    "rates": {
        "tags": ["Bank of England", "Inflation"],
        "titles": [
            "Bank of England holds interest rates as inflation eases",
            "Mortgage lenders cut rates after central bank signal",
            "Inflation falls to lowest level in three years",
            "Bank of England governor warns against early rate cuts",
            "Markets bet on interest rate cut by the summer",
            "Savers face lower returns as banks trim deposit rates",
        ],
        "sentences": [
            "The Bank of England kept its benchmark interest rate unchanged at five percent.",
            "Consumer price inflation fell to three percent in the year to March, official figures showed.",
            "The governor of the Bank of England said it was too early to declare victory over inflation.",
            "Mortgage lenders cut the cost of fixed-rate deals after the central bank's decision.",
            "Economists expect the Monetary Policy Committee to lower interest rates in the summer.",
            "Financial markets priced in two interest rate cuts before the end of the year.",
            "Wage growth remained strong, which worries policymakers watching services inflation.",
            "The pound fell against the dollar after the interest rate announcement.",
            "Savers have enjoyed the highest deposit rates in fifteen years as inflation climbed.",
            "Seven members of the committee voted to hold interest rates, while two voted for a cut.",
            "Business groups urged the central bank to cut borrowing costs to support investment.",
            "Food price inflation slowed for the sixth month in a row, easing pressure on households.",
        ],
    },
    "space": {
        "tags": ["NASA", "Mars"],
        "titles": [
            "NASA rover finds signs of ancient water on Mars",
            "Mars helicopter completes record-breaking flight",
            "NASA delays crewed Moon mission to test heat shield",
            "Scientists analyse rock samples collected on Mars",
            "New telescope images reveal dust storms on Mars",
            "NASA budget cut threatens Mars sample return mission",
        ],
        "sentences": [
            "NASA's Perseverance rover drilled into a rock that formed in an ancient lake bed on Mars.",
            "Scientists said the minerals suggest liquid water flowed on the Martian surface for millions of years.",
            "The small helicopter flew for more than two minutes in the thin atmosphere of Mars.",
            "Engineers at the Jet Propulsion Laboratory in California controlled the rover remotely.",
            "The sample return mission would bring Martian rocks to Earth in the next decade.",
            "The space agency said the dust storm could reduce the power produced by solar panels.",
            "Astronomers used the orbiting telescope to map the polar ice caps of the red planet.",
            "The rover's cameras captured panoramic images of the crater rim.",
            "NASA officials said the mission had exceeded its original scientific goals.",
            "Researchers hope to find chemical traces of microbial life in the samples.",
            "The launch window for missions to Mars opens roughly every twenty-six months.",
            "Mission controllers uploaded new software to help the rover navigate rough terrain.",
        ],
    },
}


def make_article(topic: str, index: int, *, slug: str | None = None, with_tags: bool = True) -> Article:
    """Article `index` of a topic: its own title and five of the pool's sentences, rotated."""
    data = TOPICS[topic]
    pool = data["sentences"]
    title = data["titles"][index % len(data["titles"])]
    picked = [pool[(index * 5 + step * 7) % len(pool)] for step in range(5)]
    picked = list(dict.fromkeys(picked))
    body = " ".join(picked[:2]) + "\n\n" + " ".join(picked[2:])
    return Article(
        slug=slug or f"{topic}-{index}",
        title=title,
        body=body,
        date=dt.date(2025, 3, 1) + dt.timedelta(days=index * 3 + len(topic)),
        source=f"{topic.title()} Times" if index % 2 else "Wire Service",
        tags=list(data["tags"][: 2 + index % 2]) if with_tags else [],
    )


def corpus(per_topic: int = 4, topics: tuple[str, ...] = ("ukraine", "football", "rates", "space")) -> list[Article]:
    return [make_article(topic, i) for topic in topics for i in range(per_topic)]


def membership(digests) -> dict[str, frozenset[str]]:
    """digest slug → the slugs of its articles."""
    return {d.slug: frozenset(a.slug for a in d.articles) for d in digests}


def topic_of(slug: str) -> str:
    return slug.rsplit("-", 1)[0]


def test_corpus_articles_are_distinct_and_multi_sentence():
    articles = corpus(per_topic=6)
    assert len({a.slug for a in articles}) == len(articles)
    assert len({a.body for a in articles}) == len(articles)
    assert all(a.body.count(".") >= 4 for a in articles)
