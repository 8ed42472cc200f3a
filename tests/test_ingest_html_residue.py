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
