"""HTML left in a text seed: entities decoded everywhere, markup that structures lines gone, markup a sentence
quotes kept as text (the page shows it escaped)."""

from __future__ import annotations

import pytest

from digest.config import Config
from digest.ingest.decode import (
    decode,
    decode_entities,
    remove_html_residue,
    strip_tags,
)
from digest.ingest.normalise import normalise


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chipmaker&#39;s shares", "Chipmaker's shares"),
        ("Apple &amp; Google", "Apple & Google"),
        ("it&#8217;s &quot;done&quot;", 'it’s "done"'),
        ("caf&eacute; &#x2014; bar", "café — bar"),
        ("double &amp;#39;escaped&amp;#39;", "double 'escaped'"),  # through a CMS and a scraper
        ("AT&T and Barnes&noble and R&D", "AT&T and Barnes&noble and R&D"),  # no semicolon: not an entity
        ("&notanentity; stays", "&notanentity; stays"),
    ],
)
def test_entities(text: str, expected: str) -> None:
    assert decode_entities(text) == expected


def test_block_tags_become_lines_and_edge_tags_go() -> None:
    text = "<h1>Storm hits coast</h1><p>Rain fell.</p><p>Winds rose.<br>Trees fell.</p>\nChannel coast</h1>"
    assert [line for line in remove_html_residue(text).split("\n") if line] == [
        "Storm hits coast",
        "Rain fell.",
        "Winds rose.",
        "Trees fell.",
        "Channel coast",
    ]


def test_scripts_styles_and_comments_on_their_own_lines_go() -> None:
    text = '<style>\np { color: red }\n</style>\n<p>Story text.</p>\n<script type="text/javascript">\nvar a = 1;\n</script>\n<!-- ad slot -->'
    assert remove_html_residue(text).split() == ["Story", "text."]


def test_a_text_without_page_structure_keeps_the_markup_it_quotes() -> None:
    text = "Council keeps pool open\n<script>alert(1)</script>\nThe <b>bold</b> plan passed."
    assert remove_html_residue(text) == text


def test_markup_quoted_inside_a_sentence_is_text() -> None:
    line = "The note read <script>alert('x')</script> and the clerk kept it."
    assert remove_html_residue(line) == line
    assert remove_html_residue("if a<b and c>d then") == "if a<b and c>d then"


def test_strip_tags_for_metadata() -> None:
    assert strip_tags("Storm <b>hits</b> coast</h1> &amp; more") == "Storm hits coast & more"
    assert strip_tags("Plain title") == "Plain title"


def test_an_article_with_markup_and_entities_publishes_neither() -> None:
    text = (
        "<h1>Chipmaker&#39;s profit beats forecasts</h1>\n"
        "<p>The chipmaker&#8217;s profit rose 54% as Apple &amp; Microsoft bought more chips, the company said on Thursday.</p>\n"
        "<p>Tags: chips, Apple &amp; Microsoft</p>"
    )
    article = normalise(decode(text), "seeds/x.txt", Config()).article
    assert article.title == "Chipmaker's profit beats forecasts"
    for field in (article.title, article.body, article.summary, *article.tags):
        assert "&#" not in field and "&amp;" not in field and "<" not in field, field
    assert "Apple & Microsoft" in article.tags


SAVED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour wall repairs to start in spring | The Coast Courier</title>
<style>body { font: 16px serif } .ad { display: none }</style>
<script>window.dataLayer = [{"section": "local", "tags": "harbour,council"}];</script>
</head>
<body class="article">
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li>Sport</li></ul></nav>
<header><h1>Harbour wall repairs to start in spring</h1>
<p class="byline">By Ellen Marsh</p></header>
<main><article>
<p>Repairs to the storm-damaged harbour wall in Porthlow will start in March, the council said on Tuesday,
after engineers found the 19th-century stonework had shifted by up to 30cm.</p>
<p>The &pound;2.4m scheme, paid for by the council &amp; a government flood fund, will close the
eastern quay to boats for about four months.</p>
<svg viewBox="0 0 10 10"><title>share icon</title><path d="M0 0h10v10z"/></svg>
<p>&ldquo;It is overdue but welcome,&rdquo; said harbour master Tom Pascoe.</p>
</article></main>
<aside><h2>Most read</h2><ol><li>Ferry timetable changes</li><li>Lifeboat crew honoured</li></ol></aside>
<footer><p>&copy; 2024 The Coast Courier. All rights reserved.</p></footer>
<script>trackPageView("harbour-wall");</script>
</body></html>
"""


def test_a_saved_page_in_a_text_seed_is_read_as_a_page() -> None:
    article = normalise(decode(SAVED_PAGE), "seeds/saved-page.txt", Config()).article
    assert article.title == "Harbour wall repairs to start in spring"
    assert "Repairs to the storm-damaged harbour wall in Porthlow will start in March" in article.body
    assert "The £2.4m scheme, paid for by the council & a government flood fund" in article.body
    assert "“It is overdue but welcome,” said harbour master Tom Pascoe." in article.body
    for field in (article.title, article.body, article.summary, article.source, *article.tags):
        assert "<" not in field and "&pound;" not in field and "&amp;" not in field, field
    for hidden in ("dataLayer", "font: 16px", "trackPageView", "share icon", "Most read", "Ferry timetable", "Home"):
        assert hidden not in article.body, hidden


def test_a_page_that_leaves_its_head_open_still_shows_its_body() -> None:
    page = "<html><head><title>Vote delayed</title><body><p>The vote on the budget was delayed a week.</p></body>"
    assert decode(page).split("\n") == ["Vote delayed", "The vote on the budget was delayed a week."]


def test_text_that_only_mentions_a_page_is_not_read_as_one() -> None:
    text = "Council keeps pool open\nA page must begin <!DOCTYPE html>, the clerk wrote."
    assert decode(text) == text


def test_a_fragment_of_a_page_loses_its_markup_but_not_its_words() -> None:
    text = (
        '<div class="story"><nav><a href="/">Home</a> | <a href="/uk">UK</a></nav><h1>Channel coast braces for storm</h1>'
        '<script>var x = {"a": 1};</script>\n<p>Coastguards said gusts could reach 80mph if a<b and c>d held.</p>'
        "<style>.a{color:red}</style>\n\nFerries from Dover were cancelled.\nOne more line of the same paragraph."
    )
    assert remove_html_residue(text).split("\n") == [
        "Channel coast braces for storm",
        "",
        "Coastguards said gusts could reach 80mph if a<b and c>d held.",
        "",
        "Ferries from Dover were cancelled.",
        "One more line of the same paragraph.",
    ]
