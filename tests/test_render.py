"""The render stage: pages, safety, links, output discipline and incremental rebuilds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

import digest.render as render
from digest.config import load_config
from digest.render import render_site
from digest.render.markup import render_markdown
from digest.site import Site

from render_helpers import broken_links, build_fixture, copy_fixture, is_search_bundle, site_files

BASE = "https://example.org/news/"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_fixture(tmp_path / "project")
    result = build_fixture(root, jobs=1)
    assert result.problems == []
    return root


def page(root: Path, path: str):
    return lxml_html.fromstring((root / "site" / path).read_bytes())


def html_pages(root: Path) -> list[Path]:
    return sorted((root / "site").rglob("*.html"))


# ---------------------------------------------------------------- what a reader gets


def test_every_page_has_one_h1_landmarks_language_and_meta(built: Path) -> None:
    pages = html_pages(built)
    assert len(pages) >= 25
    for path in pages:
        doc = lxml_html.fromstring(path.read_bytes())
        name = path.relative_to(built / "site").as_posix()
        assert len(doc.xpath("//h1")) == 1, name
        assert doc.get("lang") == "en-GB", name
        for landmark in ("header", "nav", "main", "footer"):
            assert doc.xpath(f"//{landmark}"), (name, landmark)
        assert doc.xpath("//a[@class='skip-link'][@href='#main']"), name
        assert doc.xpath("//main[@id='main']"), name
        assert doc.xpath("//meta[@property='og:title']/@content"), name
        assert doc.xpath("//meta[@name='twitter:card']/@content") == ["summary"], name
        assert doc.xpath("//link[@rel='icon']/@href"), name
        feeds = doc.xpath("//link[@rel='alternate']/@type")
        assert {"application/rss+xml", "application/atom+xml", "application/feed+json"} <= set(feeds), name
        if name != "404.html":
            canonical = doc.xpath("//link[@rel='canonical']/@href")
            assert len(canonical) == 1 and canonical[0].startswith(BASE), name


def test_headings_never_skip_a_level(built: Path) -> None:
    for path in html_pages(built):
        levels = [
            int(el.tag[1]) for el in lxml_html.fromstring(path.read_bytes()).iter("h1", "h2", "h3", "h4", "h5", "h6")
        ]
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (path.name, levels)


def test_links_resolve_to_files_in_the_site(built: Path) -> None:
    assert broken_links(built / "site", BASE) == []


def test_no_external_resources(built: Path) -> None:
    for path in html_pages(built):
        doc = lxml_html.fromstring(path.read_bytes())
        for url in doc.xpath(
            "//script/@src | //link[@rel='stylesheet']/@href | //img/@src | //link[@rel='icon']/@href"
        ):
            assert "://" not in url, (path.name, url)
        # one script, the site's own search box (static/search.js), and nothing inline
        assert [s.get("src", "").rsplit("/", 2)[-2:] for s in doc.xpath("//script")] == [["static", "search.js"]], (
            path.name
        )


def test_article_page_shows_what_the_brief_lists(built: Path) -> None:
    doc = page(built, "articles/port-strike-enters-second-week.html")
    assert doc.xpath("string(//h1)") == "Port strike enters second week as talks stall"
    assert doc.xpath("//article//time/@datetime") == ["2025-03-03T08:15:00+01:00"]
    assert doc.xpath("//article//a[@href='../sources/harbour-gazette.html']/text()") == ["Harbour Gazette"]
    assert set(doc.xpath("//ul[@class='chips']//a/text()")) == {"labour", "shipping", "Rotterdam"}
    assert doc.xpath("//p[@class='kicker']/a/@href") == ["../digests/rotterdam-port-strike.html"]
    # previous and next within the digest, which runs oldest first
    assert doc.xpath("//a[@rel='prev']/@href") == ["../articles/shipping-lines-reroute-cargo-to-antwerp.html"]
    assert doc.xpath("//a[@rel='next']/@href") == ["../articles/union-and-operators-agree-to-mediation.html"]
    body = doc.xpath("//div[@class='body']")[0]
    assert body.xpath(".//blockquote") and body.xpath(".//ol/li")
    assert body.xpath(".//a/@href") == ["https://example.com/antwerp-port"]
    assert doc.xpath("//link[@rel='alternate'][@href='../digests/rotterdam-port-strike.xml']")


def test_inferred_dates_are_marked_estimated(built: Path) -> None:
    doc = page(built, "articles/shipping-lines-reroute-cargo-to-antwerp.html")
    assert "estimated" in doc.xpath("string(//p[@class='byline'])")
    other = page(built, "articles/port-strike-enters-second-week.html")
    assert "estimated" not in other.xpath("string(//p[@class='byline'])")


def test_digest_page_links_overview_points_to_their_articles(built: Path) -> None:
    doc = page(built, "digests/rotterdam-port-strike.html")
    assert doc.xpath("string(//h1)") == "Rotterdam port strike"
    assert "27 February – 5 March 2025" in doc.xpath("string(//header//p[@class='meta'])")
    points = doc.xpath("//section[@class='digest-overview']//li")
    assert [p.xpath("string(a/@href)") for p in points] == [
        "../articles/shipping-lines-reroute-cargo-to-antwerp.html",
        "../articles/port-strike-enters-second-week.html",
        "../articles/union-and-operators-agree-to-mediation.html",
    ]
    cards = doc.xpath("//article[@class='card']")
    assert [c.xpath("string(.//h3)") for c in cards][0] == "Mediation agreed in port dispute"  # newest first
    assert len(cards) == 4
    assert "same story" in cards[0].xpath("string(.)")
    assert doc.xpath("//ul[@class='feed-links']//a/@href") == [
        "../digests/rotterdam-port-strike.xml",
        "../digests/rotterdam-port-strike.atom",
        "../digests/rotterdam-port-strike.json",
    ]


def test_home_shows_latest_digests_and_articles_paginated(built: Path) -> None:
    doc = page(built, "index.html")
    assert [a for a in doc.xpath("//section[@class='home-digests']//h3/a/text()")] == [
        "The new tram line <east>",
        "Rotterdam port strike",
    ]
    titles = doc.xpath("//section[@class='home-latest']//h3/a/text()")
    assert titles == [
        "Tram line budget questioned by auditors",
        "City council approves new tram line <east>",
        "Mediation agreed in port dispute",
    ]  # per_page: 3, newest first
    assert doc.xpath("//nav[@class='pager']//a[@rel='next']/@href") == ["page/2.html"]
    last = page(built, "page/3.html")
    assert last.xpath("//article[@class='card']//a/text()")[0] == "Café owners: “We’re not giving up”"
    assert last.xpath("//nav[@class='pager']//a[@rel='prev']/@href") == ["../page/2.html"]


def test_tag_source_month_and_index_pages(built: Path) -> None:
    site = built / "site"
    assert page(built, "tags/labour.html").xpath("string(//h1)") == "Tagged “labour”"
    assert (site / "tags/labour/page/2.html").is_file()  # 4 articles, 3 per page
    assert page(built, "sources/civic-ledger.html").xpath("count(//article[@class='card'])") == 2
    assert page(built, "archive/2025-03.html").xpath("count(//article[@class='card'])") == 3
    assert (site / "archive/undated.html").is_file()
    assert "undated.html" in " ".join(page(built, "archive/index.html").xpath("//a/@href"))
    tags = page(built, "tags/index.html").xpath("//ul[@class='term-index']//a/text()")
    assert tags == sorted(tags, key=str.casefold) and "city council" in tags
    assert page(built, "digests/index.html").xpath("count(//article[@class='digest-card'])") == 2
    not_found = page(built, "404.html")
    assert "/news/index.html" in not_found.xpath("//main//a/@href")
    assert not_found.xpath("//meta[@name='robots']/@content") == ["noindex"]


def test_sitemap_and_robots(built: Path) -> None:
    site = built / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    pages = [p.relative_to(site).as_posix() for p in html_pages(built) if p.name != "404.html"]
    assert len(locations) == len(pages) and all(url.startswith(BASE) for url in locations)
    assert BASE in locations and BASE + "articles/port-strike-enters-second-week.html" in locations
    assert (site / "robots.txt").read_text(encoding="utf-8").endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_digests_json_is_written(built: Path) -> None:
    text = (built / "site" / "digests.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert "rotterdam-port-strike" in json.dumps(data)
    # each article on a line of its own, the rest indented: readable, and quick to write for a large digest
    lines = text.splitlines()
    for digest in data["digests"]:
        for article in digest["articles"]:
            [line] = [line for line in lines if f'"slug": "{article["slug"]}"' in line and '"origin"' in line]
            assert json.loads(line.strip().rstrip(",")) == article
        assert f'      "slug": "{digest["slug"]}",' in lines


# ---------------------------------------------------------------- safety


def test_article_text_never_becomes_markup(built: Path) -> None:
    raw = (built / "site/articles/council-approves-new-tram-line.html").read_text(encoding="utf-8")
    assert (
        raw.count("<script") == 1
        and '<script src="../static/search.js" defer></script>' in raw
        and "&lt;script&gt;" in raw
    )
    hrefs = lxml_html.fromstring(raw).xpath("//@href | //@src")
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert "<east>" not in raw and "&lt;east&gt;" in raw
    home = (built / "site/index.html").read_text(encoding="utf-8")
    assert "<east>" not in home


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,<b>x</b>", "file:///etc/passwd"],
)
def test_unsafe_link_schemes_are_dropped(link: str) -> None:
    html = render_markdown(f"[click]({link}) and ![img]({link})")
    assert "href=" not in html and "src=" not in html


def test_markdown_headings_start_below_the_page_title_without_gaps() -> None:
    html = render_markdown("# One\n\ntext\n\n### Three\n\n##### Five\n")
    assert re.findall(r"<(h\d)>", html) == ["h2", "h3", "h4"]


def test_control_characters_never_reach_the_page(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "p")
    path = root / "content/tram-budget-questioned-by-auditors.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace(
            "title: Tram line budget questioned by auditors", 'title: "Tram\\x07 line budget questioned by auditors"'
        )
        .replace("The city's audit office", "The city's\x01 audit office"),
        encoding="utf-8",
    )
    build_fixture(root, jobs=1)
    raw = (root / "site/articles/tram-budget-questioned-by-auditors.html").read_bytes()
    assert b"\x07" not in raw and b"\x01" not in raw


# ---------------------------------------------------------------- output discipline


def test_same_input_gives_same_bytes(tmp_path: Path) -> None:
    first = copy_fixture(tmp_path / "a")
    second = copy_fixture(tmp_path / "b")
    build_fixture(first, jobs=1)
    build_fixture(second, jobs=1)
    assert site_files(first / "site") == site_files(second / "site")


def test_parallel_rendering_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = copy_fixture(tmp_path / "serial")
    build_fixture(serial, jobs=1)
    parallel = copy_fixture(tmp_path / "parallel")
    monkeypatch.setattr(render, "POOL_THRESHOLD", 1)
    monkeypatch.setattr("digest.workers.MIN_ITEMS_FOR_POOL", 1)
    build_fixture(parallel, jobs=2)
    assert site_files(serial / "site") == site_files(parallel / "site")


def test_failed_build_leaves_the_previous_site_intact(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = site_files(built / "site")
    calls = []

    def failing(theme, page):
        calls.append(page.path)
        if len(calls) > 3:
            raise RuntimeError("disk on fire")
        return original(theme, page)

    original = render.render_page
    monkeypatch.setattr(render, "render_page", failing)
    (built / "templates").mkdir()  # a template change, so every page must be rendered again
    (built / "templates/macros.html").write_text(
        (Path(render.__file__).parent.parent / "templates/macros.html").read_text(encoding="utf-8") + "\n",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError):
        build_fixture(built, jobs=1)
    assert site_files(built / "site") == before
    assert not [p.name for p in built.iterdir() if p.name.startswith(".site.")]  # no temporary folder left


def test_removed_article_disappears(built: Path) -> None:
    (built / "content/mediation-agreed-in-port-dispute.md").unlink()
    result = build_fixture(built, jobs=1)
    assert not (built / "site/articles/mediation-agreed-in-port-dispute.html").exists()
    assert "articles/mediation-agreed-in-port-dispute.html" in result.removed
    assert "mediation-agreed-in-port-dispute" not in (built / "site/sitemap.xml").read_text(encoding="utf-8")
    assert broken_links(built / "site", BASE) == []


def test_empty_site_builds(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    result = render_site(Site(config=config, articles=[], digests=[]), jobs=1)
    assert result.problems == []
    home = lxml_html.fromstring((tmp_path / "site/index.html").read_bytes())
    assert "Nothing has been published yet" in home.xpath("string(//main)")
    assert broken_links(tmp_path / "site", config.base_url) == []


# ---------------------------------------------------------------- templates


def test_user_template_overrides_the_built_in_one(built: Path) -> None:
    (built / "templates").mkdir()
    (built / "templates/article.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ article.title }}</h1><p class="mine">custom</p>{{ body }}{% endblock %}',
        encoding="utf-8",
    )
    result = build_fixture(built, jobs=1)
    assert result.problems == []
    assert page(built, "articles/port-strike-enters-second-week.html").xpath("//p[@class='mine']")
    assert not page(built, "index.html").xpath("//p[@class='mine']")


def test_broken_user_template_is_reported_and_the_built_in_one_used(built: Path) -> None:
    (built / "templates").mkdir()
    (built / "templates/digest.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}', encoding="utf-8"
    )
    result = build_fixture(built, jobs=1)
    assert len(result.problems) == 1
    assert result.problems[0].startswith("templates/digest.html: line 3: ")
    assert page(built, "digests/rotterdam-port-strike.html").xpath("string(//h1)") == "Rotterdam port strike"


def test_user_template_failing_at_render_time_falls_back(built: Path) -> None:
    (built / "templates").mkdir()
    (built / "templates/tag.html").write_text(
        '{% extends "list.html" %}{% block kicker %}{{ no_such_thing.x }}{% endblock %}', encoding="utf-8"
    )
    result = build_fixture(built, jobs=1)
    assert len(result.problems) == 1 and "templates/tag.html" in result.problems[0]
    assert page(built, "tags/labour.html").xpath("string(//h1)") == "Tagged “labour”"
    again = build_fixture(built, jobs=1)  # nothing changed, nothing rendered: still reported
    assert again.problems == result.problems and again.rendered == 0


# ---------------------------------------------------------------- incremental


def test_unchanged_rebuild_renders_and_writes_nothing(built: Path) -> None:
    result = build_fixture(built, jobs=1)
    assert result.written == [] and result.rendered == 0 and result.removed == []


def test_editing_one_article_rewrites_only_the_pages_that_show_it(built: Path) -> None:
    path = built / "content/port-strike-enters-second-week.md"
    path.write_text(path.read_text(encoding="utf-8").replace("800 jobs", "850 jobs"), encoding="utf-8")
    result = build_fixture(built, jobs=1)
    assert result.rendered == 1  # the body shows on its own page only (and in the feeds)
    assert [p for p in result.written if p.endswith(".html")] == ["articles/port-strike-enters-second-week.html"]
    assert "850 jobs" in (built / "site/articles/port-strike-enters-second-week.html").read_text(encoding="utf-8")
    # a title edit shows on every list that carries the article
    path.write_text(path.read_text(encoding="utf-8").replace("as talks stall", "as talks collapse"), encoding="utf-8")
    result = build_fixture(built, jobs=1)
    assert {
        "articles/port-strike-enters-second-week.html",
        "digests/rotterdam-port-strike.html",
        "tags/rotterdam.html",
        "sources/harbour-gazette.html",
        "archive/2025-03.html",
    } <= set(result.written)
    assert "articles/tram-budget-questioned-by-auditors.html" not in result.written
    assert site_files(built / "site") == _fresh_build(built)


def test_template_change_rerenders_exactly_the_pages_using_it(built: Path) -> None:
    (built / "templates").mkdir()
    builtin = Path(render.__file__).parent.parent / "templates"
    (built / "templates/tag.html").write_text(
        (builtin / "tag.html").read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8"
    )
    result = build_fixture(built, jobs=1)
    tag_pages = sorted(
        p.relative_to(built / "site").as_posix()
        for p in (built / "site/tags").rglob("*.html")
        if p.name != "index.html"
    )
    assert result.rendered == len(tag_pages)
    # a template every page includes re-renders every page
    (built / "templates/base.html").write_text(
        (builtin / "base.html").read_text(encoding="utf-8").replace("Made with digest", "Made with care"),
        encoding="utf-8",
    )
    result = build_fixture(built, jobs=1)
    assert result.rendered == result.pages
    assert len([p for p in result.written if p.endswith(".html")]) == result.pages


def test_a_hand_edited_output_file_is_rendered_again(built: Path) -> None:
    target = built / "site/articles/port-strike-enters-second-week.html"
    original = target.read_bytes()
    target.write_bytes(b"tampered")
    result = build_fixture(built, jobs=1)
    assert result.written == ["articles/port-strike-enters-second-week.html"]
    assert target.read_bytes() == original


def test_deleting_the_cache_costs_time_only(built: Path) -> None:
    import shutil

    shutil.rmtree(built / ".digest-cache")
    result = build_fixture(built, jobs=1)
    # the search index is made again too: equal, but not in bytes (see render_helpers.site_files)
    assert result.rendered == result.pages and [p for p in result.written if not is_search_bundle(p)] == []


def _fresh_build(root: Path) -> dict[str, bytes]:
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as other:
        clean = Path(other) / "p"
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".digest-cache"))
        build_fixture(clean, jobs=1)
        return site_files(clean / "site")


def test_feeds_are_made_again_only_when_their_inputs_change(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import digest.feeds

    calls = []
    original = digest.feeds.render_feeds
    made: list[str] = []

    def counting(site, specs=None):
        calls.append(1)
        made.extend(spec.rss for spec in specs)
        return original(site, specs=specs)

    monkeypatch.setattr(digest.feeds, "render_feeds", counting)
    build_fixture(built, jobs=1)
    assert calls == []
    assert (built / "site/feed.xml").is_file()
    path = built / "content/tram-budget-questioned-by-auditors.md"
    path.write_text(path.read_text(encoding="utf-8").replace("optimistic", "hopelessly optimistic"), encoding="utf-8")
    result = build_fixture(built, jobs=1)
    assert calls == [1] and "feed.xml" in result.written
    assert "hopelessly optimistic" in (built / "site/feed.xml").read_text(encoding="utf-8")
    # only the feeds that carry the article: the site's, and its digest's
    assert made == ["feed.xml", "digests/new-tram-line.xml"], made
    (built / "site/feed.xml").unlink()  # a feed file gone from site/ is made again
    build_fixture(built, jobs=1)
    assert calls == [1, 1] and (built / "site/feed.xml").is_file()


def test_build_time_appears_only_when_configured(built: Path) -> None:
    assert "<time" not in page(built, "index.html").xpath("string(//footer)")
    assert not page(built, "index.html").xpath("//footer//time")
    config = built / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "timestamp: true\n", encoding="utf-8")
    build_fixture(built, jobs=1)
    assert page(built, "index.html").xpath("//footer//time/@datetime")


def test_two_pages_with_one_address_are_reported_not_overwritten(built: Path) -> None:
    path = built / "content/cafe-owners-we-are-not-giving-up.md"
    path.write_text(path.read_text(encoding="utf-8").replace("tags: []", "tags: [Index]"), encoding="utf-8")
    result = build_fixture(built, jobs=1)
    assert any(line.startswith("tags/index.html: two pages want this address") for line in result.problems)
    assert build_fixture(built, jobs=1).problems == result.problems
    assert page(built, "tags/index.html").xpath("string(//h1)") == "Tags"
