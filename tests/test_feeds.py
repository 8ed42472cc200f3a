"""Feeds: RSS 2.0, Atom and JSON Feed 1.1 from a Site built by hand (no ingest, no render)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import feedparser
import pytest

from digest.config import Config
from digest.feeds import render_feeds
from digest.model import Article, Digest
from digest.site import ARTICLE, ATOM, DIGEST_ATOM, DIGEST_JSON, DIGEST_RSS, JSON_FEED, RSS, Site

BASE = "https://example.org/news/"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def sample_articles() -> list[Article]:
    """Five articles shaped like real digest content: every kind of date, links, tags, sources."""
    paris = dt.timezone(dt.timedelta(hours=2))
    return [
        Article(
            slug="white-house-hints-at-trump-visit-to-russia",
            title="White House Hints at Trump Visit to Russia",
            body=(
                "US President Donald Trump may make a future trip to Russia, according to the "
                "[White House](https://www.whitehouse.gov/briefings/).\n\n"
                "The two heads of state are set to meet in **Alaska** on Friday.\n\n"
                "> “It’s possible that there are plans to travel to Russia in the future.”\n\n"
                "See also [our earlier coverage](../digests/alaska-summit.html)."
            ),
            date=dt.date(2025, 8, 14),
            source="MENAFN",
            tags=["Trump", "Russia", "Alaska"],
            summary="The White House says a Trump trip to Russia is possible after the Alaska summit.",
        ),
        Article(
            slug="trump-says-he-plans-to-meet-putin-and-zelensky",
            title="Trump Says He Plans to Meet Putin & Zelensky Next Week",
            body="Trump said on Monday he plans to meet both leaders.\n\n- Putin\n- Zelensky\n",
            date=dt.datetime(2025, 8, 18, 21, 5),  # naive: the site's zone
            source="Reuters",
            extra={"author": "Jane Doe"},
            tags=["Trump", "Putin", "Zelensky"],
            summary="Trump wants a three-way meeting with Putin and Zelensky.",
        ),
        Article(
            slug="russia-disputes-white-house-account",
            title="Russia disputes White House account of Putin–Zelenskyy meeting",
            body="Russia is disputing a White House account of a planned bilateral meeting.\n",
            date=dt.datetime(2025, 8, 19, 16, 30, tzinfo=paris),  # aware, another offset
            source="AP News",
            tags=["Russia", "Ukraine"],
            summary="Moscow says no bilateral meeting has been agreed.",
        ),
        Article(
            slug="kremlin-putin-ready-to-meet-trump-in-moscow",
            title="Kremlin: Putin ready to meet Trump in Moscow",
            body="Kremlin spokesman Dmitry Peskov said Putin is prepared to meet Trump in Moscow.\n",
            date=dt.date(2025, 6, 29),
            date_inferred=True,
            source="",
            tags=[],
            summary="",
        ),
        Article(
            slug="ushakov-meeting-being-worked-out",
            title="Ushakov: a meeting is being worked out",
            body="A possible meeting is being worked out, Yuri Ushakov said.\n",
            date=None,
            added=dt.datetime(2025, 8, 16, 7, 45, tzinfo=dt.timezone.utc),  # when it entered the site
            source="UNN",
            tags=["Putin"],
            summary="The Kremlin aide says a meeting has not yet moved into a practical plane.",
        ),
    ]


def make_site(articles: list[Article] | None = None, **config: object) -> Site:
    articles = sample_articles() if articles is None else articles
    settings: dict = {"title": "Diplomacy Digest", "base_url": BASE, "timezone": "Europe/Paris", **config}
    by_slug = {article.slug: article for article in articles}
    digests = []
    summit = [
        by_slug[s]
        for s in ("white-house-hints-at-trump-visit-to-russia", "trump-says-he-plans-to-meet-putin-and-zelensky")
        if s in by_slug
    ]
    if summit:
        digests.append(Digest(slug="alaska-summit", name="Alaska summit", articles=list(reversed(summit))))
    return Site(config=Config(**settings), articles=articles, digests=digests)


def rss_items(data: bytes) -> list[ET.Element]:
    return ET.fromstring(data).findall("./channel/item")


# ---------------------------------------------------------------- which files


def test_all_feeds_are_produced_for_the_site_and_each_digest():
    feeds = render_feeds(make_site())
    assert set(feeds) == {
        RSS, ATOM, JSON_FEED,
        DIGEST_RSS.format(slug="alaska-summit"), DIGEST_ATOM.format(slug="alaska-summit"),
        DIGEST_JSON.format(slug="alaska-summit"),
    }  # fmt: skip


def test_atom_and_json_can_be_switched_off():
    feeds = render_feeds(make_site(feeds={"atom": False, "json_feed": False}))
    assert set(feeds) == {RSS, DIGEST_RSS.format(slug="alaska-summit")}


# ---------------------------------------------------------------- RSS


def test_rss_channel_has_the_required_elements():
    channel = ET.fromstring(render_feeds(make_site())[RSS]).find("channel")
    assert channel.findtext("title") == "Diplomacy Digest"
    assert channel.findtext("link") == BASE + "index.html"
    assert channel.findtext("description")
    assert channel.findtext("language") == "en"
    assert channel.findtext("generator").startswith("digest")
    self_link = channel.find("atom:link[@rel='self']", NS)
    assert self_link.get("href") == BASE + "feed.xml"
    assert self_link.get("type") == "application/rss+xml"


def test_an_article_without_summary_gets_its_opening_words():
    items = {i["title"]: i for i in json.loads(render_feeds(make_site())[JSON_FEED])["items"]}
    assert items["Kremlin: Putin ready to meet Trump in Moscow"]["summary"] == (
        "Kremlin spokesman Dmitry Peskov said Putin is prepared to meet Trump in Moscow."
    )


def test_rss_items_are_newest_first_with_undated_last():
    links = [item.findtext("link") for item in rss_items(render_feeds(make_site())[RSS])]
    slugs = [urlsplit(link).path.rsplit("/", 1)[1].removesuffix(".html") for link in links]
    assert slugs == [
        "russia-disputes-white-house-account",
        "trump-says-he-plans-to-meet-putin-and-zelensky",
        "white-house-hints-at-trump-visit-to-russia",
        "kremlin-putin-ready-to-meet-trump-in-moscow",
        "ushakov-meeting-being-worked-out",
    ]


def test_rss_item_fields():
    items = {item.findtext("guid"): item for item in rss_items(render_feeds(make_site())[RSS])}
    url = BASE + ARTICLE.format(slug="white-house-hints-at-trump-visit-to-russia")
    item = items[url]
    assert item.find("guid").get("isPermaLink") == "true"
    assert item.findtext("link") == url
    assert item.findtext("title") == "White House Hints at Trump Visit to Russia"
    assert item.findtext("description").startswith("The White House says")
    assert [c.text for c in item.findall("category")] == ["Trump", "Russia", "Alaska"]
    assert item.findtext("dc:creator", namespaces=NS) is None  # no byline: the publisher is not the author
    assert item.findtext("source") == "MENAFN"
    assert item.find("source").get("url") == BASE + "sources/menafn.html"
    content = item.findtext("content:encoded", namespaces=NS)
    assert '<a href="https://www.whitehouse.gov/briefings/"' in content
    assert "<strong>Alaska</strong>" in content
    # a relative link in the body is made absolute against the article's URL
    assert 'href="https://example.org/news/digests/alaska-summit.html"' in content


def test_every_item_link_is_absolute_and_maps_to_an_article_page():
    site = make_site()
    expected = {ARTICLE.format(slug=a.slug) for a in site.articles}
    for path, data in render_feeds(site).items():
        if path.endswith(".json"):
            links = [item["url"] for item in json.loads(data)["items"]]
        elif path.endswith(".atom") or path == ATOM:
            root = ET.fromstring(data)
            # feedgen writes an entry link without rel, which Atom reads as rel="alternate"
            links = [e.find("atom:link", NS).get("href") for e in root.findall("atom:entry", NS)]
        else:
            links = [item.findtext("link") for item in rss_items(data)]
        assert links, path
        for link in links:
            assert link.startswith(BASE), link
            assert link.removeprefix(BASE) in expected, link


def test_undated_item_is_dated_when_it_entered_the_site():
    items = rss_items(render_feeds(make_site())[RSS])
    dated = {item.findtext("title"): item.findtext("pubDate") for item in items}
    assert dated["Ushakov: a meeting is being worked out"] == "Sat, 16 Aug 2025 09:45:00 +0200"
    assert all(value is not None for value in dated.values())


def test_naive_dates_get_the_site_time_zone():
    items = {i.findtext("title"): i.findtext("pubDate") for i in rss_items(render_feeds(make_site())[RSS])}
    assert items["White House Hints at Trump Visit to Russia"] == "Thu, 14 Aug 2025 00:00:00 +0200"  # summer
    assert items["Trump Says He Plans to Meet Putin & Zelensky Next Week"] == "Mon, 18 Aug 2025 21:05:00 +0200"
    # an aware time keeps its instant, shown in the site's zone
    assert items["Russia disputes White House account of Putin–Zelenskyy meeting"] == "Tue, 19 Aug 2025 16:30:00 +0200"


def test_winter_dates_get_the_winter_offset():
    article = Article(slug="winter", title="Winter", body="Cold.", date=dt.date(2025, 1, 15), summary="Cold.")
    item = rss_items(render_feeds(make_site([article]))[RSS])[0]
    assert item.findtext("pubDate") == "Wed, 15 Jan 2025 00:00:00 +0100"
    entry = json.loads(render_feeds(make_site([article]))[JSON_FEED])["items"][0]
    assert entry["date_published"] == "2025-01-15T00:00:00+01:00"


def test_utc_site_converts_aware_times():
    feeds = render_feeds(make_site(timezone="UTC"))
    items = {i.findtext("title"): i.findtext("pubDate") for i in rss_items(feeds[RSS])}
    assert items["Russia disputes White House account of Putin–Zelenskyy meeting"] == "Tue, 19 Aug 2025 14:30:00 +0000"


def test_channel_date_is_the_newest_item_not_the_clock():
    feeds = render_feeds(make_site())
    channel = ET.fromstring(feeds[RSS]).find("channel")
    assert channel.findtext("lastBuildDate") == "Tue, 19 Aug 2025 16:30:00 +0200"
    atom = ET.fromstring(feeds[ATOM])
    assert atom.findtext("atom:updated", namespaces=NS) == "2025-08-19T16:30:00+02:00"
    digest = ET.fromstring(feeds[DIGEST_RSS.format(slug="alaska-summit")]).find("channel")
    assert digest.findtext("lastBuildDate") == "Mon, 18 Aug 2025 21:05:00 +0200"


def test_timestamp_setting_uses_the_build_time():
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    channel = ET.fromstring(render_feeds(make_site(timestamp=True))[RSS]).find("channel")
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) >= before


def test_a_feed_without_any_date_is_still_complete_and_stable():
    articles = [Article(slug=f"undated-{n}", title=f"Undated {n}", body="Text.", summary="Text.") for n in range(3)]
    first, second = render_feeds(make_site(articles)), render_feeds(make_site(list(reversed(articles))))
    assert first == second
    assert ET.fromstring(first[RSS]).find("channel").findtext("lastBuildDate")
    assert all(feedparser.parse(data).bozo == 0 for path, data in first.items() if not path.endswith(".json"))


# ---------------------------------------------------------------- full text or summary


def test_full_text_puts_the_article_in_content():
    feeds = render_feeds(make_site(feeds={"full_text": True}))
    for item in rss_items(feeds[RSS]):
        assert item.findtext("content:encoded", namespaces=NS).startswith("<p>")
        assert item.findtext("description")
    assert all("content_html" in item for item in json.loads(feeds[JSON_FEED])["items"])
    entries = ET.fromstring(feeds[ATOM]).findall("atom:entry", NS)
    assert all(entry.find("atom:content", NS).get("type") == "html" for entry in entries)


def test_summary_only_leaves_the_article_out():
    feeds = render_feeds(make_site(feeds={"full_text": False}))
    for path, data in feeds.items():
        assert b"Alaska</strong>" not in data and b"Alaska&lt;/strong" not in data, path
    for item in rss_items(feeds[RSS]):
        assert item.find("content:encoded", NS) is None
    assert not ET.fromstring(feeds[ATOM]).findall("atom:entry/atom:content", NS)
    items = json.loads(feeds[JSON_FEED])["items"]
    assert all("content_html" not in item and item["content_text"] for item in items)
    assert (
        items[2]["content_text"] == "The White House says a Trump trip to Russia is possible after the Alaska summit."
    )


def test_items_setting_limits_each_feed_to_the_newest():
    feeds = render_feeds(make_site(feeds={"items": 2}))
    titles = [item.findtext("title") for item in rss_items(feeds[RSS])]
    assert titles == [
        "Russia disputes White House account of Putin–Zelenskyy meeting",
        "Trump Says He Plans to Meet Putin & Zelensky Next Week",
    ]
    assert len(json.loads(feeds[JSON_FEED])["items"]) == 2


# ---------------------------------------------------------------- Atom and JSON Feed


def test_atom_has_the_required_elements():
    root = ET.fromstring(render_feeds(make_site())[ATOM])
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.findtext("atom:id", namespaces=NS) and root.findtext("atom:title", namespaces=NS)
    assert root.find("atom:link[@rel='self']", NS).get("href") == BASE + "atom.xml"
    assert root.find("atom:author/atom:name", NS).text == "Diplomacy Digest"
    for entry in root.findall("atom:entry", NS):
        assert entry.findtext("atom:id", namespaces=NS).startswith(BASE)
        assert entry.findtext("atom:title", namespaces=NS)
        dt.datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS))


def test_json_feed_1_1_has_the_required_members():
    document = json.loads(render_feeds(make_site())[JSON_FEED])
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Diplomacy Digest"
    assert document["feed_url"] == BASE + "feed.json"
    assert document["home_page_url"] == BASE + "index.html"
    for item in document["items"]:
        assert item["id"] == item["url"] and item["url"].startswith(BASE)
        assert item.get("content_html") or item.get("content_text")
        if "date_published" in item:  # RFC 3339: a full date-time with an offset
            parsed = dt.datetime.fromisoformat(item["date_published"])
            assert parsed.tzinfo is not None and "T" in item["date_published"]
    first = document["items"][0]
    assert "authors" not in first  # no byline: the publisher is the source, not the author
    assert first["tags"] == ["Russia", "Ukraine"]
    assert first["_digest"]["source"] == "AP News"
    assert first["_digest"]["source_url"] == BASE + "sources/ap-news.html"
    by = {item["title"]: item for item in document["items"]}
    assert by["Trump Says He Plans to Meet Putin & Zelensky Next Week"]["authors"] == [{"name": "Jane Doe"}]


def test_digest_feed_holds_only_its_articles_newest_first():
    feeds = render_feeds(make_site())
    channel = ET.fromstring(feeds[DIGEST_RSS.format(slug="alaska-summit")]).find("channel")
    assert channel.findtext("title").startswith("Alaska summit")
    assert channel.findtext("link") == BASE + "digests/alaska-summit.html"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == BASE + "digests/alaska-summit.xml"
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [
        "Trump Says He Plans to Meet Putin & Zelensky Next Week",
        "White House Hints at Trump Visit to Russia",
    ]


# ---------------------------------------------------------------- parsers and stability


@pytest.mark.parametrize("full_text", [True, False])
def test_feedparser_reads_every_feed_cleanly(full_text):
    for path, data in render_feeds(make_site(feeds={"full_text": full_text})).items():
        if path.endswith(".json"):
            continue
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert len(parsed.entries) in (2, 5)
        assert parsed.entries[0].link.startswith(BASE)


def test_feedparser_sees_dates_titles_and_tags():
    parsed = feedparser.parse(render_feeds(make_site())[RSS])
    entry = next(e for e in parsed.entries if e.title.startswith("Trump Says"))
    assert entry.title == "Trump Says He Plans to Meet Putin & Zelensky Next Week"
    assert entry.published_parsed[:5] == (2025, 8, 18, 19, 5)  # 21:05 in Paris is 19:05 UTC
    assert [t.term for t in entry.tags] == ["Trump", "Putin", "Zelensky"]
    assert entry.author == "Jane Doe"
    assert entry.source.title == "Reuters"


def test_same_site_gives_the_same_bytes():
    assert render_feeds(make_site()) == render_feeds(make_site())


def test_guids_do_not_change_when_other_articles_come_and_go():
    all_articles = sample_articles()
    fewer = render_feeds(make_site(all_articles[1:4]))
    more = render_feeds(make_site(all_articles))
    guid_of = lambda data: {i.findtext("title"): i.findtext("guid") for i in rss_items(data)}  # noqa: E731
    before, after = guid_of(fewer[RSS]), guid_of(more[RSS])
    assert before and all(after[title] == guid for title, guid in before.items())
    entry_ids = lambda data: {e["title"]: e["id"] for e in json.loads(data)["items"]}  # noqa: E731
    assert all(entry_ids(more[JSON_FEED])[t] == i for t, i in entry_ids(fewer[JSON_FEED]).items())


def test_feed_urls_follow_a_sub_path_base_url():
    feeds = render_feeds(make_site(base_url="https://example.org/a/b"))
    channel = ET.fromstring(feeds[RSS]).find("channel")
    assert channel.find("atom:link[@rel='self']", NS).get("href") == "https://example.org/a/b/feed.xml"
    assert all(i.findtext("link").startswith("https://example.org/a/b/articles/") for i in channel.findall("item"))
