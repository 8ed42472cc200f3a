"""Bylines: the article's author on its page and as the author of its item in every feed format;
the publisher stays the source, linked to its page."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from lxml import html

from digest.build import build
from digest.config import load_config

BASE = "https://example.org/news/"
NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bylines")
    (root / "content").mkdir()
    (root / "digest.yaml").write_text(f"base_url: {BASE}\n", encoding="utf-8")
    articles = {
        "tram-vote": "author: Marta de Vries\n",
        "budget-row": "",  # no byline
    }
    for slug, byline in articles.items():
        (root / "content" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.replace('-', ' ').capitalize()}\ndate: 2025-04-10\nsource: Northern Courier\n"
            f"slug: {slug}\n{byline}---\n\nThe council met on Thursday.\n",
            encoding="utf-8",
        )
    build(load_config(root), echo=lambda line: None)
    return root / "site"


def test_the_article_page_shows_the_byline_and_links_the_publisher(site: Path):
    doc = html.fromstring((site / "articles/tram-vote.html").read_text(encoding="utf-8"))
    byline = doc.xpath("//p[@class='byline']")[0]
    assert byline.xpath("string(.//span[@class='author'])") == "By Marta de Vries"
    assert byline.xpath("string(.//span[@class='source']/a/@href)") == "../sources/northern-courier.html"
    assert doc.xpath("string(//meta[@name='author']/@content)") == "Marta de Vries"
    other = html.fromstring((site / "articles/budget-row.html").read_text(encoding="utf-8"))
    assert not other.xpath("//span[@class='author']")


def item_of(items, key, slug):
    return next(i for i in items if key(i).endswith(f"/{slug}.html"))


def test_rss_gives_the_author_as_dc_creator_and_the_publisher_as_source(site: Path):
    items = ET.fromstring((site / "feed.xml").read_bytes()).findall("./channel/item")
    tram = item_of(items, lambda i: i.findtext("link"), "tram-vote")
    assert tram.findtext("dc:creator", namespaces=NS) == "Marta de Vries"
    assert tram.findtext("source") == "Northern Courier"
    assert tram.find("source").get("url") == BASE + "sources/northern-courier.html"
    budget = item_of(items, lambda i: i.findtext("link"), "budget-row")
    assert budget.findtext("dc:creator", namespaces=NS) is None  # the publisher is not the author


def test_atom_gives_the_author_and_the_source(site: Path):
    entries = ET.fromstring((site / "atom.xml").read_bytes()).findall("atom:entry", NS)
    tram = item_of(entries, lambda e: e.find("atom:link", NS).get("href"), "tram-vote")
    assert tram.findtext("atom:author/atom:name", namespaces=NS) == "Marta de Vries"
    assert tram.findtext("atom:source/atom:title", namespaces=NS) == "Northern Courier"
    budget = item_of(entries, lambda e: e.find("atom:link", NS).get("href"), "budget-row")
    assert budget.find("atom:author", NS) is None


def test_json_feed_gives_the_author(site: Path):
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    tram = item_of(items, lambda i: i["url"], "tram-vote")
    assert tram["authors"] == [{"name": "Marta de Vries"}]
    assert tram["_digest"]["source"] == "Northern Courier"
    assert "authors" not in item_of(items, lambda i: i["url"], "budget-row")


def test_feed_readers_see_the_author(site: Path):
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((site / name).read_bytes())
        entry = next(e for e in parsed.entries if e.link.endswith("/tram-vote.html"))
        assert entry.author == "Marta de Vries", name
