"""Feeds fed with hostile article text stay well-formed, parseable and script-free."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from test_feeds import NS, make_site, sample_articles

from digest.feeds import render_feeds
from digest.markdown import is_safe_link, strip_illegal, to_html
from digest.model import Article
from digest.site import ATOM, JSON_FEED, RSS

CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1f\x7f\x85\ufffe\uffff\ud800\udfff"
RLO = "\u202e"


def hostile_articles() -> list[Article]:
    return [
        Article(
            slug="hostile-markup",
            title=f"<script>alert('title')</script> S&P500 & AT&T </b> &amp; ]]> {RLO}txt.exe{CONTROLS}",
            body=(
                "Intro <script>alert('body')</script> and <img src=x onerror=alert(1)> here.\n\n"
                "<!-- a comment --> <iframe src='https://evil.example/'></iframe>\n\n"
                "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(2)) [vb](vbscript:msgbox) "
                "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [ok](https://example.com/ok)\n\n"
                "![pic](javascript:alert(3)) ![local](images/chart.png) [mail](mailto:desk@example.com)\n\n"
                '[t](https://example.com/ "]]> <script>x</script>") raw ]]> end ]]]]><![CDATA[>\n\n'
                f"Control{CONTROLS}chars and {RLO}override and a {'x' * 5000} long word.\n\n"
                '<a href="javascript:alert(4)" onclick="alert(5)">raw link</a> <style>body{}</style>\n'
            ),
            date=dt.datetime(2025, 8, 20, 9, 0),
            source=f"Evil & Co <i>{CONTROLS}",
            tags=["<b>bold</b>", "../../etc/passwd", "a&b", f"ctl{CONTROLS}", "]]>"],
            extra={"author": f"Jane <b>Doe</b> & Co{CONTROLS}"},
            summary=f"Summary <script>alert('summary')</script> ]]> & more{CONTROLS}",
        ),
        Article(slug="only-controls", title=CONTROLS, body=CONTROLS, date=dt.date(2025, 8, 20), summary=CONTROLS),
    ]


def hostile_feeds(**config: object) -> dict[str, bytes]:
    return render_feeds(make_site(sample_articles() + hostile_articles(), **config))


ILLEGAL_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@pytest.mark.parametrize("full_text", [True, False])
def test_hostile_feeds_are_well_formed_xml_and_json(full_text):
    for path, data in hostile_feeds(feeds={"full_text": full_text}).items():
        text = data.decode("utf-8")  # strict: a lone surrogate could not even be encoded
        assert not ILLEGAL_IN_XML.search(text), path
        if path.endswith(".json"):
            json.loads(text)
        else:
            etree.fromstring(data, etree.XMLParser(recover=False))  # raises on anything ill-formed


def test_hostile_feeds_parse_cleanly_in_feedparser():
    for path, data in hostile_feeds().items():
        if not path.endswith(".json"):
            parsed = feedparser.parse(data)
            assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
            assert len(parsed.entries) == (7 if path in (RSS, ATOM) else 2)


def _hostile_item_text(data: bytes) -> str:
    """The hostile RSS item's HTML content and description, as a reader decodes them."""
    item = next(i for i in ET.fromstring(data).iter("item") if i.findtext("link").endswith("/hostile-markup.html"))
    return item.findtext("content:encoded", namespaces=NS) + item.findtext("description")


def _elements(markup: str) -> list:
    return [el for root in lxml.html.fragments_fromstring(markup) if not isinstance(root, str) for el in root.iter()]


def test_no_script_or_handler_survives_in_any_html_field():
    feeds = hostile_feeds()
    html_fields = [_hostile_item_text(feeds[RSS])]
    atom = ET.fromstring(feeds[ATOM])
    html_fields += [e.text for e in atom.iterfind("atom:entry/atom:content", NS)]
    html_fields += [item["content_html"] for item in json.loads(feeds[JSON_FEED])["items"] if "content_html" in item]
    links = 0
    for markup in html_fields:
        for element in _elements(markup):
            assert element.tag not in ("script", "iframe", "style", "object", "embed"), element.tag
            for name, value in element.attrib.items():
                assert not name.startswith("on"), (element.tag, name)
                if name in ("href", "src"):
                    links += 1
                    assert value.startswith(("https://", "http://", "mailto:")), value
    assert links > 10  # the check above looked at real links


def test_hostile_text_is_kept_as_visible_text_not_dropped():
    content = _hostile_item_text(hostile_feeds()[RSS])
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in content  # shown, not run
    assert 'href="https://example.com/ok"' in content
    assert 'src="https://example.org/news/articles/images/chart.png"' in content  # made absolute
    assert 'href="mailto:desk@example.com"' in content
    assert "Controlchars" in content and RLO + "override" in content
    assert "x" * 5000 in content


def test_titles_tags_and_sources_are_plain_text_in_every_format():
    feeds = hostile_feeds()
    entry = next(e for e in feedparser.parse(feeds[ATOM]).entries if e.link.endswith("/hostile-markup.html"))
    # typed html and escaped: a reader shows the characters, never runs them
    assert entry.title_detail.type == "text/html" and "<script" not in entry.title
    assert html.unescape(entry.title).startswith("<script>alert('title')</script> S&P500 & AT&T")
    assert entry.author == "Jane <b>Doe</b> & Co"
    assert entry.source.title == "Evil & Co <i>"
    item = next(i for i in json.loads(feeds[JSON_FEED])["items"] if i["url"].endswith("/hostile-markup.html"))
    assert item["title"] == f"<script>alert('title')</script> S&P500 & AT&T </b> &amp; ]]> {RLO}txt.exe"
    assert item["tags"] == ["<b>bold</b>", "../../etc/passwd", "a&b", "ctl", "]]>"]
    assert item["summary"] == "Summary <script>alert('summary')</script> ]]> & more"


def test_rss_summary_is_escaped_once_more_so_readers_show_it_as_text():
    rss_item = next(
        e for e in feedparser.parse(hostile_feeds()[RSS]).entries if e.link.endswith("/hostile-markup.html")
    )
    assert "<script" not in rss_item.summary
    assert "alert('summary')" in rss_item.summary


def test_an_article_made_only_of_control_characters_still_gets_an_item():
    feeds = hostile_feeds()
    item = next(i for i in json.loads(feeds[JSON_FEED])["items"] if i["url"].endswith("/only-controls.html"))
    assert item["title"] == "only-controls"  # its slug, since nothing printable is left


def test_hostile_output_is_deterministic():
    assert hostile_feeds() == hostile_feeds()


# ---------------------------------------------------------------- the shared Markdown helper


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://example.org/", True), ("http://x", True), ("mailto:a@b.c", True), ("../a.html", True),
        ("#section", True), ("/abs/path", True), ("javascript:alert(1)", False), (" JavaScript:x", False),
        ("vbscript:x", False), ("data:text/html,x", False), ("file:///etc/passwd", False), ("ftp://x", False),
    ],
)  # fmt: skip
def test_only_safe_link_schemes_pass(url, safe):
    assert is_safe_link(url) is safe


def test_to_html_drops_raw_html_and_unsafe_links():
    markup = to_html('<b>x</b> [a](javascript:alert(1)) [b](https://ok.example/ "t")')
    assert "<b>" not in markup and "&lt;b&gt;" in markup
    assert 'href="javascript' not in markup
    assert '<a href="https://ok.example/" title="t"' in markup


def test_strip_illegal_keeps_ordinary_text():
    text = "Tab\tnewline\nreturn\r, accents éü, CJK 漢字, emoji 🙂, RTL עברית " + RLO
    assert strip_illegal(text) == text
    assert strip_illegal("a\x00b\x1fc\ufffed\ud800e\U0001fffef") == "abcdef"


def _is_illegal(char: str) -> bool:
    point = ord(char)
    return (
        (point < 0x20 and char not in "\t\n\r")
        or 0x7F <= point <= 0x9F
        or 0xD800 <= point <= 0xDFFF
        or 0xFDD0 <= point <= 0xFDEF
        or point & 0xFFFE == 0xFFFE  # the last two code points of every plane
    )


_NEAR_THE_EDGES = st.sampled_from(
    [chr(p * 0x10000 + o) for p in (0, 1, 2, 14, 16) for o in (0xFFFD, 0xFFFE, 0xFFFF)]
    + [
        "\x00",
        "\x1f",
        "\t",
        "\x7f",
        "\x9f",
        "\xa0",
        "\ud800",
        "\udfff",
        "\ufdd0",
        "\ufdef",
        "\ufdf0",
        "\U00010000",
        "\U0001f642",
    ]
)


@given(st.lists(st.one_of(st.characters(), _NEAR_THE_EDGES), max_size=60).map("".join))
def test_strip_illegal_drops_exactly_the_characters_xml_and_html_forbid(text: str) -> None:
    assert strip_illegal(text) == "".join(char for char in text if not _is_illegal(char))


@pytest.mark.parametrize(
    "date",
    [dt.date(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59), dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc),
     dt.datetime(2025, 3, 30, 2, 30)],  # the last one does not exist in Paris (clocks jump 2:00 → 3:00)
)  # fmt: skip
def test_extreme_and_impossible_dates_do_not_break_the_feeds(date):
    feeds = render_feeds(make_site([Article(slug="edge", title="Edge", body="Text.", date=date)]))
    assert all(feedparser.parse(data).bozo == 0 for path, data in feeds.items() if not path.endswith(".json"))
