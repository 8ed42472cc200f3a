"""Property tests over everything hostile input passes through: bytes → article, front matter, Markdown, feeds.

The ordinary run is short. A fuzzing campaign is the same tests with many more
examples:

    DIGEST_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py -p no:cacheprovider

Inputs a campaign found bugs with are kept in tests/hostile/regressions/ and
replayed by tests/test_fuzz_regressions.py.
(tests/test_ingest_properties.py covers sentences kept and text-in round trips.)
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace

import feedparser
import lxml.etree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import Config
from digest.feeds import render_feeds
from digest.ingest.seed import ingest_seed
from digest.ingest.store import is_untouched, render_content
from digest.markdown import plain_excerpt, to_html
from digest.model import Article, FrontMatterError, dump_article, parse_article, slugify
from digest.render.markup import render_markdown
from digest.site import Site

from hostile_checks import html_fragment_problems

CONFIG = Config()
EXAMPLES = int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=EXAMPLES or examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )


# ---------------------------------------------------------------- strategies

MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=//x>",
    "[a](javascript:alert(1))",
    "![a](javascript:alert(1))",
    "[a](JaVa\tScRiPt:alert(1))",
    "[a](jav&#x09;ascript:1)",
    "[a](&#106;avascript:1)",
    "[a](data:text/html,<script>1</script>)",
    "[a](vbscript:1)",
    "<javascript:alert(1)>",
    "[r]: javascript:alert(1)\n\n[r]",
    '[a](https://example.org/ok "t\\" onmouseover=alert(1)")',
    "<a href=x>",
    "]]>",
    "<![CDATA[",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&lt;",
    "<",
    ">",
    "&",
    '"',
    "'",
    "`",
    "```",
    "\n",
    "\n\n",
    "> ",
    "# ",
    "* ",
    "1. ",
    "| a | b |\n|---|---|\n",
    "---\n",
    "\\",
    "\x00",
    "\x0b",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ufffe",
    "\U0001fffe",
    "\u200b",
    "é",
    "東京",
    "𝒳",
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(MARKUP), TEXT), max_size=25).map("".join)

YAMLISH = [
    "title: ",
    "date: ",
    "tags: ",
    "slug: ",
    "summary: ",
    "source: ",
    "digest: ",
    "origin: ",
    "date_inferred: ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object:os.system ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "!!float ",
    "!!str ",
    "!!int ",
    "!!bool ",
    "!!omap ",
    "!!pairs ",
    "!!merge ",
    "|\n  ",
    ">\n  ",
    "'",
    '"',
    "%YAML 1.1\n",
    "...\n",
    "---\n",
    "\n",
    "\n  ",
    "\t",
    "#",
    "~",
    "null",
    "yes",
    "no",
    ".nan",
    ".inf",
    "1e400",
    "0x1F",
    "-0",
    "2025-08-14",
    "2025-13-45",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "2025-08-14T10:00:00Z",
    "2025-08-14 10:00",
    "x",
    "Talks resume",
    "CON",
    "../../etc/passwd",
]
FRONT_MATTER_TEXT = st.builds(
    lambda front, body, close: "---\n" + front + ("\n---\n" if close else "\n") + body,
    st.lists(st.one_of(st.sampled_from(YAMLISH), TEXT), max_size=30).map("".join),
    HOSTILE_TEXT,
    st.booleans(),
)

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1", "koi8-r", "shift_jis"]


@st.composite
def seed_bytes(draw) -> bytes:
    """A scraped page's bytes: article-like text in some encoding, sometimes with junk spliced in."""
    lines = draw(st.lists(st.one_of(st.sampled_from(SENTENCES), HOSTILE_TEXT), min_size=1, max_size=12))
    text = draw(st.sampled_from(["\n", "\n\n", "\r\n"])).join(lines)
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        junk = draw(st.binary(max_size=16))
        at = draw(st.integers(0, len(data)))
        data = data[:at] + junk + data[at:]
    return data


SENTENCES = [
    "Talks between the two leaders resumed in Geneva on Monday.",
    "The minister said prices would fall by the end of the year.",
    "Police closed the bridge after the storm damaged its railings.",
    "Share",
    "Advertisement",
    "© 2025 Example News",
    "See also Something Else Happened",
    "By Jane Doe | August 14, 2025 10:32 am",
    "Published: August 14, 2025",
    "GENEVA (Reuters) — Officials met again.",
]

DATES = st.one_of(
    st.none(),
    st.dates(),
    st.datetimes(),
    st.datetimes(
        timezones=st.sampled_from(
            [dt.timezone.utc, dt.timezone(dt.timedelta(hours=-12)), dt.timezone(dt.timedelta(hours=14, minutes=45))]
        )
    ),
)


# ---------------------------------------------------------------- the normaliser


@fuzz(60)
@given(seed_bytes())
def test_any_seed_bytes_give_an_article_that_writes_and_reads_back(data: bytes) -> None:
    outcome = ingest_seed(data, "seeds/fuzz.txt", CONFIG)
    assert (outcome.article is None) == bool(outcome.rejected)
    if outcome.rejected:
        assert "\n" not in outcome.rejected and outcome.rejected.strip()
        return
    article = replace(outcome.article, slug=slugify(outcome.article.title))
    written = render_content(article)
    assert is_untouched(written)
    back = parse_article(written)
    assert (back.title, back.tags, back.summary, back.source) == (
        article.title,
        article.tags,
        article.summary,
        article.source,
    )
    assert back.body.strip("\n") == article.body.strip("\n")
    assert back.date == article.date


# ---------------------------------------------------------------- the front-matter reader


@fuzz(200)
@given(st.one_of(FRONT_MATTER_TEXT, st.text()))
def test_any_content_file_text_reads_or_is_refused_with_one_line(text: str) -> None:
    try:
        article = parse_article(text)
    except FrontMatterError as error:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        return
    # What was read can be written back and reads the same (ingest and editors' tools rely on it).
    again = parse_article(dump_article(article))
    assert (again.title, again.slug, again.tags, again.source, again.summary, again.digest) == (
        article.title,
        article.slug,
        article.tags,
        article.source,
        article.summary,
        article.digest,
    )
    assert again.date == article.date and again.body == article.body.strip("\n")


CLEAN_TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff\ufffe\uffff\u2028\u2029\x85")
)


@fuzz(200)
@given(
    title=CLEAN_TEXT.filter(lambda t: t.strip()),
    body=st.text(st.characters(exclude_categories=("Cs",))),
    date=DATES,
    tags=st.lists(CLEAN_TEXT.filter(lambda t: t.strip() and "," not in t)),
    summary=CLEAN_TEXT,
    digest=st.one_of(st.none(), CLEAN_TEXT.filter(lambda t: t.strip())),
    extra=st.dictionaries(
        st.text(min_size=1).filter(
            lambda k: (
                k
                not in (
                    "title",
                    "date",
                    "date_inferred",
                    "source",
                    "tags",
                    "summary",
                    "slug",
                    "origin",
                    "added",
                    "digest",
                    "url",
                    "image",
                    "summary_only",  # typed fields too: checked on load
                )
            )
        ),
        st.one_of(st.integers(), st.booleans(), CLEAN_TEXT, st.lists(st.integers())),
        max_size=4,
    ),
)
def test_any_article_dumps_and_reads_back(title, body, date, tags, summary, digest, extra) -> None:
    article = Article(
        slug=slugify(title),
        title=title.strip(),
        body=body,
        date=date,
        tags=[t.strip() for t in tags],
        summary=summary.strip(),
        digest=digest.strip() if digest else None,
        extra=extra,
    )
    try:
        text = dump_article(article)
    except Exception as error:  # noqa: BLE001 - only YAML's refusal of unprintable characters is acceptable
        assert "special characters are not allowed" in str(error) or "unacceptable character" in str(error), error
        return
    back = parse_article(text)
    assert (back.title, back.slug, back.tags, back.summary, back.digest, back.date) == (
        article.title,
        article.slug,
        article.tags,
        article.summary,
        article.digest,
        article.date,
    )
    assert back.body == article.body.strip("\n")
    assert back.extra == article.extra


# ---------------------------------------------------------------- Markdown and feeds


@fuzz(200)
@given(HOSTILE_TEXT)
def test_markdown_never_lets_active_content_through(text: str) -> None:
    for html_text in (
        to_html(text),
        to_html(text, base_url="https://example.org/news/a.html"),
        str(render_markdown(text)),
    ):
        assert html_fragment_problems(html_text) == []
    plain_excerpt(text)  # plain text (it may hold "<": templates and feeds escape it): must not crash


def _one_article_site(article: Article, **feeds: object) -> Site:
    config = Config(base_url="https://example.org/news/", feeds=feeds or {})
    return Site(config=config, articles=[article], digests=[])


@fuzz(80)
@given(
    title=HOSTILE_TEXT.filter(lambda t: t.strip()),
    body=HOSTILE_TEXT,
    summary=HOSTILE_TEXT,
    source=HOSTILE_TEXT,
    tags=st.lists(HOSTILE_TEXT.filter(lambda t: t.strip()), max_size=4),
    date=DATES,
    full_text=st.booleans(),
)
def test_feeds_of_any_article_are_well_formed_and_script_free(
    title, body, summary, source, tags, date, full_text
) -> None:
    article = Article(slug=slugify(title), title=title, body=body, summary=summary, source=source, tags=tags, date=date)
    feeds = render_feeds(_one_article_site(article, full_text=full_text))
    assert set(feeds) == {"feed.xml", "atom.xml", "feed.json"}
    for name in ("feed.xml", "atom.xml"):
        lxml.etree.fromstring(feeds[name])  # raises on anything not well-formed
        parsed = feedparser.parse(feeds[name])
        assert not parsed.bozo, (name, parsed.bozo_exception)
        (entry,) = parsed.entries
        for fragment in [entry.get("summary", "")] + [c.value for c in entry.get("content", [])]:
            assert html_fragment_problems(fragment) == []
    (item,) = json.loads(feeds["feed.json"])["items"]
    assert html_fragment_problems(item.get("content_html", "")) == []
