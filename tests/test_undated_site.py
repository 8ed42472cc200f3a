"""Undated articles on the site: labelled wherever a date would be, one order for every list, honest ranges."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from digest.build import build
from digest.config import load_config

# (slug, title, date line, added) — all pinned to one digest, so the test does not depend on clustering
ARTICLES = [
    ("quay-wall-repaired", "Quay wall repaired", "date: 2025-03-02", "2025-03-20T10:00:00Z"),
    ("crane-arrives", "New crane arrives at the harbour", "date: 2025-03-09", "2025-03-21T10:00:00Z"),
    ("divers-inspect-piers", "Divers inspect the old piers", "date:", "2025-03-10T08:00:00Z"),
    ("fishermen-worried", "Fishermen worried about the works", "date:", "2025-03-12T08:00:00Z"),
]
NEWEST_FIRST = ["crane-arrives", "quay-wall-repaired", "fishermen-worried", "divers-inspect-piers"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("undated")
    (root / "content").mkdir()
    for slug, title, date, added in ARTICLES:
        (root / "content" / f"{slug}.md").write_text(
            f"---\ntitle: {title}\n{date}\nsource: Harbour Gazette\nslug: {slug}\nadded: {added}\n"
            f"digest: Harbour works\n---\n\nThe harbour works went on this week. {title}.\n",
            encoding="utf-8",
        )
    build(load_config(root), echo=lambda line: None)
    return root / "site"


def page(site: Path, path: str):
    return html.fromstring((site / path).read_text(encoding="utf-8"))


def card_slugs(doc, xpath: str = "//article[@class='card']") -> list[str]:
    return [c.xpath("string(.//a/@href)").rsplit("/", 1)[1].removesuffix(".html") for c in doc.xpath(xpath)]


def test_every_list_has_the_same_order_dated_newest_first_then_undated_by_entry(site: Path):
    assert (
        card_slugs(page(site, "index.html"), "//section[@class='home-latest']//article[@class='card']") == NEWEST_FIRST
    )
    assert card_slugs(page(site, "digests/harbour-works.html")) == NEWEST_FIRST
    assert card_slugs(page(site, "sources/harbour-gazette.html")) == NEWEST_FIRST
    assert card_slugs(page(site, "archive/undated.html")) == ["fishermen-worried", "divers-inspect-piers"]


@pytest.mark.parametrize("path", ["index.html", "digests/harbour-works.html", "archive/undated.html"])
def test_undated_cards_say_date_not_stated(site: Path, path: str):
    doc = page(site, path)
    for card in doc.xpath("//article[@class='card']"):
        slug = card.xpath("string(.//a/@href)").rsplit("/", 1)[1].removesuffix(".html")
        meta = card.xpath("string(.//p[@class='meta'])")
        if slug in ("divers-inspect-piers", "fishermen-worried"):
            assert "date not stated" in meta and not card.xpath(".//time")
        else:
            assert card.xpath(".//time/@datetime")


def test_the_article_page_says_date_not_stated(site: Path):
    byline = page(site, "articles/divers-inspect-piers.html").xpath("string(//p[@class='byline'])")
    assert "date not stated" in byline


def test_the_archive_names_the_undated_list(site: Path):
    assert "Date not stated" in page(site, "archive/index.html").xpath("string(//main)")
    assert page(site, "archive/undated.html").xpath("string(//h1)").strip() == "Date not stated"


def test_the_digest_range_says_it_has_undated_articles(site: Path):
    meta = page(site, "digests/harbour-works.html").xpath("string(//header//p[@class='meta'])")
    assert "2–9 March 2025" in meta and "2 undated" in meta
    home = page(site, "index.html").xpath("string(//section[@class='home-digests']//p[@class='meta'])")
    assert "2 undated" in home


def test_earlier_and_later_follow_only_the_articles_that_state_a_date(site: Path):
    def neighbours(slug):
        doc = page(site, f"articles/{slug}.html")
        return {d: doc.xpath(f"string(//li[@class='{d}']/a/@href)") for d in ("prev", "next")}

    assert neighbours("quay-wall-repaired") == {"prev": "", "next": "../articles/crane-arrives.html"}
    assert neighbours("crane-arrives") == {"prev": "../articles/quay-wall-repaired.html", "next": ""}
    assert neighbours("divers-inspect-piers") == {"prev": "", "next": ""}
    doc = page(site, "articles/divers-inspect-piers.html")
    assert "All 4 articles in this digest" in doc.xpath("string(//nav[@class='story-nav'])")
