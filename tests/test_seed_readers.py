"""Every kind of seed: the kind told by the content, and what each reader makes of it.

The pages and feeds in tests/data/kinds/ were written for these tests in the
styles of real news sites and feeds (menus, share buttons, related-story rails,
newsletter boxes, scripts), never copied from one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.config import Config, SourceRule
from digest.ingest.decode import Rejected
from digest.ingest.readers import FEED, NOTE, PAGE, TEXT, detect_kind, read_articles
from digest.ingest.readers.html import decode_html
from digest.ingest.seed import ingest_seed

KINDS = Path(__file__).parent / "data" / "kinds"
CONFIG = Config()


def data(name: str) -> bytes:
    return (KINDS / name).read_bytes()


def made(name: str, *, as_name: str = "", config: Config = CONFIG) -> list:
    outcome = ingest_seed(data(name), f"seeds/{as_name or name}", config)
    assert not outcome.rejected, outcome.rejected
    return [m.article for m in outcome.made]


# ---------------------------------------------------------------- telling the kinds apart


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("harbour-page.html", PAGE),
        ("cafe-cp1252.html", PAGE),
        ("courier-rss.xml", FEED),
        ("courier-atom.xml", FEED),
        ("wire.json", FEED),
        ("editors-note.md", NOTE),
    ],
)
def test_the_kind_is_told_by_the_content_whatever_the_suffix(name: str, kind: str) -> None:
    assert detect_kind(name, data(name)) == kind
    if kind != NOTE:  # plain text is Markdown too: only the suffix can say "note"
        assert detect_kind("renamed.txt", data(name)) == kind
        assert detect_kind("no-suffix", data(name)) == kind


@pytest.mark.parametrize(
    "text",
    [
        "Council approves harbour budget\nOpponents pasted <script>alert(1)</script> into the minutes.\n",
        "<b>Breaking</b>: the ferry is late again.\nPassengers waited two hours.\n",
        "{Updated} The council met on Tuesday.\n",
        "Prices rose by 3% <i>year on year</i>, the office said.\n",
    ],
)
def test_text_that_mentions_markup_stays_text(text: str) -> None:
    assert detect_kind("scrape.txt", text.encode()) == TEXT


def test_a_saved_page_renamed_txt_is_read_as_a_page_not_published_as_markup() -> None:
    [article] = made("harbour-page.html", as_name="saved.txt")
    assert article.title == "Harbour wall repairs to start in spring, council confirms"
    assert "<" not in article.title and "DOCTYPE" not in article.body and "<div" not in article.body


def test_a_whole_page_or_feed_saved_as_md_is_read_as_what_it_is() -> None:
    assert detect_kind("saved.md", data("harbour-page.html")) == PAGE
    assert detect_kind("saved.md", data("courier-rss.xml")) == FEED
    assert detect_kind("note.md", b"<div>Markup an editor wrote</div>\n\nand text.\n") == NOTE


def test_a_fragment_of_a_page_is_a_page() -> None:
    fragment = b'<div class="story"><p>The ferry was late again on Monday, for the third day running.</p><p>Passengers said they had waited for two hours in the rain at the terminal.</p></div>'
    assert detect_kind("fragment.txt", fragment) == PAGE


# ---------------------------------------------------------------- saved pages


def test_a_page_gives_what_it_states_and_its_article_without_the_chrome() -> None:
    [article] = made("harbour-page.html")
    assert article.title == "Harbour wall repairs to start in spring, council confirms"
    assert article.date == dt.date(2025, 3, 4) and not article.date_inferred
    assert article.source == "The Coastal Courier"
    assert article.extra["author"] == "Priya Natarajan"
    assert article.extra["url"] == "https://courier.example/news/2025/03/04/harbour-wall-repairs"
    assert article.extra["image"] == "https://courier.example/images/harbour-wall.jpg"
    body = article.body
    for sentence in (
        "Repairs to the storm-damaged harbour wall will begin in April",
        'called the work "overdue but welcome"',
        "The last major repairs to the wall were made in 1987",
    ):
        assert sentence in body
    for chrome in (
        "Related stories",
        "Ferry timetable changes",
        "morning newsletter",
        "Accept all cookies",
        "All rights reserved",
        "Privacy policy",
        "Share this article",
        "Search the Courier",
    ):
        assert chrome not in body, chrome
    assert not body.startswith("# ") and "Harbour wall repairs to start" not in body  # the headline is the title only


def test_a_page_body_keeps_its_structure_as_markdown() -> None:
    [article] = made("harbour-page.html")
    assert "\n## Fishing fleet to move\n" in article.body
    assert "- Work starts: April 2025\n- Expected end: November 2025" in article.body
    # a relative link points at the page's own site; a javascript: one keeps only its words
    assert "[north quay](https://courier.example/places/north-quay)" in article.body
    assert "said the promenade would stay open" in article.body and "javascript" not in article.body


def test_no_script_of_a_page_reaches_its_content() -> None:
    [article] = made("harbour-page.html")
    text = article.body + repr(article.extra)
    for script in ("alert(", "tracker", "cookie", "onerror", "ads.js"):
        assert script not in text


def test_a_page_in_the_encoding_its_meta_charset_declares() -> None:
    assert "Le café du port rouvre ses portes" in decode_html(data("cafe-cp1252.html"))
    [article] = made("cafe-cp1252.html")
    assert article.title == "Le café du port rouvre ses portes"
    assert "l’hiver dernier" in article.body and "« Nous avons tout refait" in article.body


def test_a_wrong_charset_declaration_does_not_garble_a_page() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>Café</p></body></html>'.encode("cp1252")
    assert "Café" in decode_html(page)  # not UTF-8 after all: read as the bytes say


def test_a_page_with_no_article_is_one_clear_reason() -> None:
    outcome = ingest_seed(data("login-wall.html"), "seeds/login-wall.html", CONFIG)
    assert outcome.rejected.startswith("page: no article found") and outcome.made == []


@pytest.mark.parametrize(
    ("title", "h1", "site", "headline"),
    [
        (
            "Ferry strike called off after late talks - Harbour Times",
            "Ferry strike called off after late talks",
            "",
            None,
        ),
        ("Harbour Times | Ferry strike called off", "", "Harbour Times", "Ferry strike called off"),
        ("Ferry strike called off – Harbour Times", "", "Harbour Times", "Ferry strike called off"),
        ("Brexit: what the deal means for ferries", "", "Harbour Times", None),
        ("Opinion | Ferry strikes are a symptom", "Opinion | Ferry strikes are a symptom", "Harbour Times", None),
    ],
)
def test_the_headline_without_the_sites_name(title: str, h1: str, site: str, headline: str | None) -> None:
    body = "".join(
        f"<p>The ferry workers' union called off strike number {n} after talks with the operator ran late "
        "into the night, both sides said on Wednesday.</p>"
        for n in range(3)
    )
    page = (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='{site}'></head><body>"
        f"<h1>{h1}</h1><article>{body}</article></body></html>"
    )
    article = ingest_seed(page.encode(), "seeds/p.html", CONFIG).article
    assert article.title == (headline or h1 or title)


def test_a_home_page_of_headlines_and_teasers_is_not_an_article() -> None:
    outcome = ingest_seed(data("home-page.html"), "seeds/home-page.html", CONFIG)
    assert outcome.rejected.startswith("page: no article found (no paragraph of 20 words or more")


def test_an_article_laid_out_in_a_table_reads_as_paragraphs() -> None:
    paragraphs = [
        "The harbour board met on Monday to discuss the new breakwater, which has been delayed by two years of storms.",
        "Engineers told the board that the concrete blocks ordered last spring had finally arrived at the quay.",
        "The chairman said work would start in May and that the fishing fleet would be told where to moor.",
    ]
    cells = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = (
        '<html><body><table width="100%"><tr><td class="menu"><a href="/">Home</a></td><td>'
        f"<h1>Breakwater work to start in May</h1><p>By Ann Smith</p>{cells}</td></tr></table></body></html>"
    )
    article = ingest_seed(page.encode(), "seeds/old-site.html", CONFIG).article
    assert article.body.split("\n\n") == paragraphs and "|" not in article.body
    assert article.title == "Breakwater work to start in May" and article.extra["author"] == "Ann Smith"


def test_the_editors_source_rules_apply_to_pages() -> None:
    config = Config(sources=[SourceRule(source="Courier Wire", file="harbour-*.html")])
    [article] = made("harbour-page.html", config=config)
    assert article.source == "Courier Wire"


def test_a_page_without_a_stated_date_or_title_gets_them_from_the_text() -> None:
    page = (
        "<html><body><article><p>The ferry company said on June 25, 2024 that it would add a night crossing "
        "to the island from the start of the summer season.</p><p>The new crossing will leave the harbour at "
        "eleven in the evening and return at six the next morning, the company said.</p></article></body></html>"
    )
    [article] = [m.article for m in ingest_seed(page.encode(), "seeds/untitled.html", CONFIG).made]
    assert article.title.startswith("The ferry company")
    assert article.date == dt.date(2024, 6, 25) and article.date_inferred


# ---------------------------------------------------------------- feeds


def test_each_rss_entry_is_an_article_with_what_the_feed_states() -> None:
    full, summary = made("courier-rss.xml")
    assert full.title == "Lifeboat crew rescue two walkers cut off by the tide"
    assert full.date == dt.datetime(2025, 3, 9, 18, 20, tzinfo=dt.timezone.utc)
    assert full.source == "The Coastal Courier – News"
    assert full.extra["author"] == "Owen Pryce"
    assert full.extra["url"] == "https://courier.example/news/lifeboat-rescue"
    assert full.extra["image"] == "https://courier.example/images/lifeboat.jpg"
    assert full.tags[0] == "Rescue" and "Uncategorized" not in full.tags  # categories as tags, first
    assert "[especially dangerous](https://courier.example/safety)" in full.body
    assert "alert(" not in full.body and "summary_only" not in full.extra
    assert full.origin.startswith("seeds/courier-rss.xml#") and summary.origin != full.origin


def test_an_entry_with_only_a_summary_is_marked_as_such() -> None:
    _, summary = made("courier-rss.xml")
    assert summary.extra["summary_only"] is True
    assert summary.body.startswith("The island ferry will run four times a day")


def test_an_atom_entry_with_an_html_title_and_content() -> None:
    [entry] = made("courier-atom.xml")
    assert entry.title == "Fish market reopens after flood repairs"
    assert entry.date == dt.datetime(2025, 3, 11, 8, 30, tzinfo=dt.timezone.utc)
    assert entry.source == "Harbour Notes" and entry.extra["author"] == "Ruth Abara" and entry.tags[0] == "Markets"
    assert "thanked the volunteers who helped clear the building" in entry.body
    assert "onerror" not in entry.body and "alert(" not in entry.body


def test_a_json_feed_item_and_the_items_that_cannot_be_articles() -> None:
    outcome = ingest_seed(data("wire.json"), "seeds/wire.json", CONFIG)
    [item] = [m.article for m in outcome.made]
    assert item.title == "Storm warning issued for the whole coast"
    assert item.source == "Shoreline Wire" and item.extra["author"] == "Dana Kell"
    assert item.extra["image"] == "https://shoreline.example/img/storm.png" and item.tags[0] == "Weather"
    assert outcome.notes == ["2 entries skipped: no title, link or text"]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b'{"title": "not a feed", "items": []}', 'JSON, but not a JSON Feed (no "version"'),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x"}', 'JSON Feed: no "items" list'),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [}', "JSON: not valid (line 1"),
        (
            b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
            "XML, but not a feed or a page",
        ),
        (b'<rss version="2.0"><channel><<<>>>', "feed: not well-formed XML (line 1"),
        (b'<rss version="2.0"><channel><title>Empty</title></channel></rss>', "feed: no entries"),
    ],
)
def test_files_that_are_not_usable_feeds_get_one_reason(document: bytes, reason: str) -> None:
    with pytest.raises(Rejected) as refused:
        read_articles(document, "seeds/x.json" if document.startswith(b"{") else "seeds/x.xml")
    assert str(refused.value).startswith(reason), str(refused.value)


def test_a_feed_that_is_not_well_formed_is_read_as_far_as_it_can_be() -> None:
    broken = (
        b'<rss version="2.0"><channel><title>Fish & Co</title><item><title>Fish & chips shop opens on the pier</title>'
        b"<link>https://x.example/2</link><description>The shop opened on the pier on Saturday.</description></item>"
        b"</channel></rss>"
    )
    outcome = ingest_seed(broken, "seeds/broken.xml", CONFIG)
    assert [m.article.title for m in outcome.made] == ["Fish & chips shop opens on the pier"]
    assert len(outcome.notes) == 1 and outcome.notes[0].startswith("feed: not well-formed XML (line 1")


# ---------------------------------------------------------------- notes


def test_a_note_keeps_its_front_matter_and_body_as_written() -> None:
    [note] = made("editors-note.md")
    assert note.title == "Why we are covering the harbour works week by week"
    assert note.date == dt.date(2025, 3, 5) and not note.date_inferred
    assert (
        note.tags == ["Harbour works", "Editorial"]
        and note.summary == "A note from the editor on our harbour coverage."
    )
    assert note.extra["desk"] == "Local news"
    assert note.body == data("editors-note.md").decode().split("---\n", 2)[2].strip("\n")


def test_a_note_without_front_matter_takes_its_title_from_its_heading() -> None:
    text = b"# Ferry notes\n\nThe 7.15 ferry was late again on Monday.\n\n- three days in a row\n"
    outcome = ingest_seed(text, "seeds/n.md", CONFIG)
    note = outcome.article
    assert (
        note.title == "Ferry notes" and note.body == "The 7.15 ferry was late again on Monday.\n\n- three days in a row"
    )


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("title: [a, b]", "title: expected text"),
        ("title: ''", "title: missing or empty"),
        ("date: 2025-13-45", "date: '2025-13-45' is not a valid ISO 8601 date"),
        ("tags: [[nested]]", "tags: each tag must be text"),
        ("url: javascript:alert(1)", "url: expected a web address"),
        ("title: x\n  bad: [", "invalid YAML in front matter"),
        ("a: &x [1]\nb: *x", "YAML aliases (*name) are not allowed"),
    ],
)
def test_a_note_is_checked_like_a_content_file_with_the_same_messages(front: str, reason: str) -> None:
    outcome = ingest_seed(f"---\n{front}\n---\n\nBody.\n".encode(), "seeds/bad.md", CONFIG)
    assert reason in outcome.rejected, outcome.rejected


def test_a_note_cannot_say_where_it_came_from_or_that_it_is_untouched() -> None:
    text = b"---\ntitle: Mine\norigin: seeds/other.txt\ningest_hash: 0\n---\n\nText.\n"
    note = ingest_seed(text, "seeds/mine.md", CONFIG).article
    assert note.origin == "seeds/mine.md" and "ingest_hash" not in note.extra


# ---------------------------------------------------------------- any bytes, any kind: a reason or articles, never a crash

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = [
    "<!DOCTYPE html>",
    "<html>",
    "<body>",
    "<article>",
    "<p>",
    "</p>",
    "<h1>",
    "</h1>",
    "<script>alert(1)</script>",
    '<meta charset="koi8-r">',
    '<meta charset="bogus">',
    '<?xml version="1.0" encoding="utf-16"?>',
    '<rss version="2.0">',
    "<channel>",
    "<item>",
    "</item>",
    "<title>",
    "</title>",
    "<link>",
    "</link>",
    "<guid>",
    "</guid>",
    "<description>",
    "</description>",
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    "<entry>",
    "</entry>",
    '<content type="html">',
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE rss [",
    '<!ENTITY a "b">',
    "]>",
    "&a;",
    "&amp;",
    "&#0;",
    "&#x110000;",
    '{"version": "https://jsonfeed.org/version/1.1", "items": [',
    '{"title": ',
    '"content_html": ',
    '"x"',
    "null",
    "]}",
    ",",
    "The harbour council said on Monday that the wall would be repaired. ",
    "\x00",
    "\ufeff",
    "é",
    "東京",
    "\n",
]


@settings(
    max_examples=int(__import__("os").environ.get("DIGEST_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
@given(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=20)), max_size=30).map("".join),
    st.sampled_from(["x.txt", "x.html", "x.xml", "x.json", "x.md", "x.rss"]),
    st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_any_input_of_any_kind_is_articles_or_one_reason(text: str, name: str, encoding: str) -> None:
    data = text.encode(encoding, "replace")
    outcome = ingest_seed(data, f"seeds/{name}", CONFIG)
    assert bool(outcome.rejected) != bool(outcome.made)
    assert "\n" not in outcome.rejected
    made_from_markup = detect_kind(name, data) in (PAGE, FEED)  # text and notes keep their words, markup as text
    for made in outcome.made:
        assert made.article.title.strip()
        assert not made_from_markup or "<script" not in made.article.body.lower().replace("\\<script", "")


@pytest.mark.parametrize(
    ("stated", "author"),
    [
        ("Tom Krisher; AP Auto Writer", "Tom Krisher"),
        ("Phil Helsel is a reporter", "Phil Helsel"),
        ("Tom Gillespie News reporter", "Tom Gillespie"),
        ("Mike Wuerthele; Malcolm Owen Monday; November", "Mike Wuerthele, Malcolm Owen"),
        ("Jane Doe and John Roe", "Jane Doe, John Roe"),
        ("Staff Reports", None),
        ("Shoreline Wire", None),  # the publisher, not a person
    ],
)
def test_the_author_is_the_names_a_feed_or_page_states(stated: str, author: str | None) -> None:
    import json

    item = {
        "id": "1",
        "title": "Storm closes the ports",
        "url": "https://shoreline.example/1",
        "content_text": "A storm closed the ports along the coast on Thursday, the coastguard said.",
        "authors": [{"name": stated}],
    }
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Shoreline Wire", "items": [item]}
    article = ingest_seed(json.dumps(feed).encode(), "seeds/wire.json", CONFIG).article
    assert article.extra.get("author") == author


def test_rss_1_0_and_untitled_entries() -> None:
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://quay.example/"><title>Quay Log</title><link>https://quay.example/</link><description>Notes</description></channel>
  <item rdf:about="https://quay.example/1"><link>https://quay.example/1</link><dc:date>2025-03-02T10:00:00Z</dc:date>
    <description>The harbour crane was repaired on Sunday after a week out of service, the quay office said.</description></item>
</rdf:RDF>"""
    assert detect_kind("quay.txt", rdf) == FEED
    [entry] = made_from(rdf, "seeds/quay.rdf")
    assert entry.title.startswith("The harbour crane was repaired") and entry.source == "Quay Log"
    assert entry.date == dt.datetime(2025, 3, 2, 10, 0, tzinfo=dt.timezone.utc)


def made_from(data: bytes, origin: str) -> list:
    outcome = ingest_seed(data, origin, CONFIG)
    assert not outcome.rejected, outcome.rejected
    return [m.article for m in outcome.made]


def test_a_page_with_more_markup_than_any_article_is_refused_quickly() -> None:
    para = "<p>The council said the harbour budget would rise again next year, and the mayor agreed on Monday.</p>\n"
    page = "<html><body>" + para * (3 * 2**20 // len(para)) + "</body></html>"
    outcome = ingest_seed(page.encode(), "seeds/big.html", CONFIG)
    assert (
        outcome.rejected == "page: too much markup for one article (3 MB without scripts and styles; the limit is 2 MB)"
    )
    script = "<script>" + "var x = 1;" * 300_000 + "</script>"  # 3 MB of script beside an article is an ordinary page
    page = f"<html><head>{script}</head><body>" + data("harbour-page.html").decode().split("<body>", 1)[1]
    assert ingest_seed(page.encode(), "seeds/heavy.html", CONFIG).article.title.startswith("Harbour wall repairs")


def test_a_feed_in_the_encoding_its_xml_declaration_names() -> None:
    rss = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Le Littoral</title>'
        "<item><title>Le café du port rouvre</title><link>https://littoral.example/cafe</link>"
        "<description>Le café du port, fermé depuis l'hiver, a rouvert samedi devant une foule d'habitués.</description>"
        "</item></channel></rss>"
    ).encode("iso-8859-1")
    [entry] = made_from(rss, "seeds/littoral.xml")
    assert entry.title == "Le café du port rouvre" and "fermé depuis l'hiver" in entry.body
