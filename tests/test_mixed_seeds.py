"""A seeds/ of every kind at once — scraped text, saved pages, RSS, Atom, JSON Feed, a Markdown note —
builds into one site: one article per story, where each came from shown, and nothing that runs."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from digest.model import read_article

from conftest import SAMPLE_SEEDS
from hostile_checks import page_text, run_digest, site_problems

KINDS = Path(__file__).parent / "data" / "kinds"

# One wire story as two outlets carried it: a saved page from one, a feed entry from the other.
WIRE = (
    "Dock workers at the country's three largest container ports voted on Thursday to strike for 48 hours next week "
    "in a dispute over automation, their union said, threatening fresh delays for importers already hit by storms. "
    "The union said 87 percent of members who voted backed the walkout, which would begin at 6 a.m. on Tuesday. "
    "Port operators said they had offered guarantees that no jobs would be lost to the new automated cranes "
    "and called the vote disappointing. Shipping lines warned customers that vessels could be diverted to "
    "smaller ports if the strike went ahead, adding days to delivery times."
)


def wire_page() -> str:
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in WIRE.rstrip(".").split(". "))
    return (
        "<!DOCTYPE html><html><head><title>Dock workers vote to strike over automation | Harbour Ledger</title>"
        '<meta property="og:site_name" content="Harbour Ledger">'
        '<link rel="canonical" href="https://ledger.example/business/dock-strike-vote"></head><body>'
        '<nav><a href="/">Home</a></nav><article><h1>Dock workers vote to strike over automation</h1>'
        f"{paragraphs}</article><footer>© Harbour Ledger</footer></body></html>"
    )


def wire_feed() -> str:
    text = WIRE.replace("threatening fresh delays", "raising the prospect of fresh delays")
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tidewater Times</title>'
        "<item><title>Port strike called for next week</title><link>https://tidewater.example/ports/strike</link>"
        f"<guid>tt-5521</guid><pubDate>Thu, 13 Mar 2025 17:00:00 +0000</pubDate><description><![CDATA[<p>{text}</p>]]>"
        "</description></item></channel></rss>"
    )


@dataclass
class Site:
    root: Path
    stderr: str
    returncode: int

    def article(self, origin_prefix: str):
        found = [
            a
            for a in (read_article(p) for p in (self.root / "content").glob("*.md"))
            if a.origin.startswith(origin_prefix)
        ]
        assert found, origin_prefix
        return found[0]

    def page(self, article) -> Path:
        return self.root / "site" / "articles" / f"{article.slug}.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("mixed")
    seeds = root / "seeds"
    seeds.mkdir()
    (root / "digest.yaml").write_text("title: Mixed seeds\n", encoding="utf-8")
    for sample in sorted(SAMPLE_SEEDS.glob("*.txt"))[:2]:
        shutil.copy(sample, seeds / sample.name)
    for name in (
        "harbour-page.html",
        "cafe-cp1252.html",
        "courier-rss.xml",
        "courier-atom.xml",
        "wire.json",
        "editors-note.md",
    ):
        shutil.copy(KINDS / name, seeds / name)
    (seeds / "ledger-dock-strike.html").write_text(wire_page(), encoding="utf-8")
    (seeds / "tidewater.rss").write_text(wire_feed(), encoding="utf-8")
    done = run_digest("build", "-C", str(root))
    return Site(root, done.stderr, done.returncode)


def test_everything_builds_and_the_only_line_is_the_skipped_items(site: Site) -> None:
    assert site.returncode == 0, site.stderr
    assert site.stderr.splitlines() == ["seeds/wire.json: 2 entries skipped: no title, link or text"]


def test_each_kind_made_its_articles(site: Site) -> None:
    origins = sorted(read_article(p).origin for p in (site.root / "content").glob("*.md"))
    kinds = {origin.split("/", 1)[1].partition("#")[0] for origin in origins}
    assert kinds == {p.name for p in (site.root / "seeds").iterdir()}
    assert len(origins) == 2 + 2 + 1 + 2 + 1 + 1 + 1 + 1  # texts, pages, RSS (2 entries), Atom, JSON, note, wire copies


def test_the_article_page_says_where_the_story_came_from_and_shows_its_image(site: Site) -> None:
    article = site.article("seeds/harbour-page.html")
    page = site.page(article).read_text(encoding="utf-8")
    assert 'Read the original at <a href="https://courier.example/news/2025/03/04/harbour-wall-repairs"' in page
    assert '<img src="https://courier.example/images/harbour-wall.jpg"' in page
    assert '<meta property="og:image" content="https://courier.example/images/harbour-wall.jpg">' in page
    assert article.author == "Priya Natarajan" and "By Priya Natarajan" in page_text(site.page(article))
    summary_only = site.page(site.article("seeds/courier-rss.xml#")).parent
    texts = [page_text(path) for path in summary_only.glob("ferry-timetable*.html")]
    assert texts and "Summary only — read the full story at courier.example" in texts[0]


def test_a_note_reads_as_its_editor_wrote_it(site: Site) -> None:
    note = site.article("seeds/editors-note.md")
    text = page_text(site.page(note))
    assert "Why we are covering the harbour works week by week" in text
    assert "<script>alert('xss-note')</script>" in text  # shown as text, never run


def test_feeds_carry_the_original_and_the_image(site: Site) -> None:
    out = site.root / "site"
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    data = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    title = "Harbour wall repairs to start in spring, council confirms"
    rss_entry = next(e for e in rss.entries if e.title == title)
    assert rss_entry.media_content[0]["url"] == "https://courier.example/images/harbour-wall.jpg"
    assert "Read the original at" in rss_entry.content[0].value and rss_entry.link.startswith(
        "http://127.0.0.1:8000/articles/"
    )
    atom_entry = next(e for e in atom.entries if e.title == title)
    related = [link.href for link in atom_entry.links if link.rel == "related"]
    assert related == ["https://courier.example/news/2025/03/04/harbour-wall-repairs"]
    item = next(i for i in data["items"] if i["title"] == title)
    assert item["external_url"] == "https://courier.example/news/2025/03/04/harbour-wall-repairs"
    assert item["image"] == "https://courier.example/images/harbour-wall.jpg"
    assert rss_entry.author == atom_entry.author == "Priya Natarajan"
    assert item["authors"] == [{"name": "Priya Natarajan"}]


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_a_lead_image_is_media_content_of_its_item_not_a_group_of_one(site: Site, name: str) -> None:
    """The W3C feed validator warns of a media:group holding one media:content."""
    root = etree.fromstring((site.root / "site" / name).read_bytes())
    media = "{http://search.yahoo.com/mrss/}"
    images = root.findall(f".//{media}content")
    assert images and all(image.getparent().tag in ("item", "{http://www.w3.org/2005/Atom}entry") for image in images)
    assert root.findall(f".//{media}group") == []


def test_no_script_from_any_input_reaches_any_page_or_feed(site: Site) -> None:
    assert site_problems(site.root / "site") == []
    for marker in (b"xss-page", b"xss-feed", b"xss-atom", b"tracker", b"ads.js"):  # the note's script is shown as text
        assert not [p for p in (site.root / "site").rglob("*") if p.is_file() and marker in p.read_bytes()], marker


def test_the_same_wire_story_from_a_feed_and_a_saved_page_is_one_story(site: Site) -> None:
    ledger = site.article("seeds/ledger-dock-strike.html")
    tidewater = site.article("seeds/tidewater.rss#")
    digests = json.loads((site.root / "site" / "digests.json").read_text(encoding="utf-8"))["digests"]
    holding = [d for d in digests if {a["slug"] for a in d["articles"]} >= {ledger.slug, tidewater.slug}]
    assert len(holding) == 1 and any(set(group) == {ledger.slug, tidewater.slug} for group in holding[0]["duplicates"])
