"""The search index: Pagefind bundles of the site's own records, sharded by year, made again only where
records changed, and a missing or broken Pagefind costs the search box only, in one line."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import digest.search as search
from digest.config import Config
from digest.interrupt import Interrupt
from digest.markdown import plain_text
from digest.model import Article, Digest
from digest.search import article_record, digest_record, plan_shards
from digest.site import Site

from render_helpers import InterruptedOnceRunning, build_fixture, copy_fixture, fixture_site, site_files

EDITED = "port-strike-enters-second-week"  # dated March 2025
UNDATED = "cafe-owners-we-are-not-giving-up"
LATER = dt.date(2026, 2, 1)  # than any synthetic article entered the site


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_fixture(tmp_path / "project")
    assert build_fixture(root, jobs=1).problems == []
    return root


def _bundles(root: Path) -> dict[str, bytes]:
    return {p: d for p, d in site_files(root / "site", search_bundles=True).items() if p.startswith("pagefind/")}


def _entry(root: Path, shard: str) -> dict:
    return json.loads((root / "site/pagefind" / shard / "pagefind-entry.json").read_text(encoding="utf-8"))


def test_records_carry_the_text_what_a_result_shows_and_the_filters(tmp_path: Path) -> None:
    site = fixture_site(copy_fixture(tmp_path / "p"))
    article = next(a for a in site.articles if a.slug == EDITED)
    dates = search.date_text(site.config.tz, site.config.language)
    record = article_record(article, site.digest_of[article.slug], dates)
    assert record.url == f"articles/{EDITED}.html"
    assert record.content.startswith(article.title) and article.summary in record.content
    assert "800 jobs" in record.content and "**" not in record.content  # the body, as plain text
    assert record.meta == {
        "title": article.title,
        "kind": "article",
        "date": "3 March 2025",
        "source": "Harbour Gazette",
        "digest": "Rotterdam port strike",
    }
    assert record.filters == {
        "year": ["2025"],
        "tag": article.tags,
        "source": ["Harbour Gazette"],
        "digest": ["Rotterdam port strike"],
    }
    digest = next(d for d in site.digests if d.slug == "rotterdam-port-strike")
    summary = digest_record(digest, dates)
    assert summary.url == "digests/rotterdam-port-strike.html" and summary.meta["kind"] == "digest"
    assert summary.meta["date"] == "27 February 2025 – 5 March 2025"
    assert all(point.text in summary.content for point in digest.overview)
    assert summary.filters["digest"] == ["Rotterdam port strike"] and summary.filters["year"] == ["2025"]


def test_shards_are_years_newest_first_and_a_crowded_year_goes_by_the_coarsest_period_that_fits(
    tmp_path: Path, monkeypatch
) -> None:
    site = fixture_site(copy_fixture(tmp_path / "p"))
    assert [shard.name for shard in plan_shards(site, "")] == ["2025", "undated"]
    # about three records a shard: the year, its first half and first quarter do not fit, nor
    # March (three articles and the digest that lives with its latest), which is cut in two
    monkeypatch.setattr(search, "SHARD_BYTES", int(3.3 * search.RECORD_BYTES))
    shards = plan_shards(site, "")
    assert [shard.name for shard in shards] == ["2025-04", "2025-03-part2", "2025-03", "2025-02", "undated"]
    assert {r.url for r in shards[1].records()} == {
        "articles/mediation-agreed-in-port-dispute.html",  # the latest in March
        "digests/rotterdam-port-strike.html",  # a digest lives with its latest article
    }
    assert all(shard.size <= search.SHARD_BYTES for shard in shards)


# A year of articles: dated or not, in any month, of any length, in digests of one to four articles
_ARTICLES = st.lists(
    st.tuples(
        st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31))),
        st.integers(0, 6_000),
    ),
    min_size=1,
    max_size=60,
)


def _synthetic_site(drawn: list[tuple[Optional[dt.date], int]]) -> Site:
    articles = [
        Article(
            slug=f"a{i:03d}",
            title=f"Title {i}",
            body="word " * (length // 5),
            date=date,
            added=dt.date(2026, 1, 1 + i % 28),
        )
        for i, (date, length) in enumerate(drawn)
    ]
    digests = [Digest(slug=f"d{i}", name=f"D{i}", articles=articles[i : i + 4]) for i in range(0, len(articles), 4)]
    return Site(config=Config(), articles=articles, digests=digests)


@settings(max_examples=60, deadline=None)
@given(drawn=_ARTICLES, budget=st.integers(200_000, 3_000_000))
def test_every_article_is_in_one_shard_within_the_budget_with_its_digest_newest_first(drawn, budget) -> None:
    site = _synthetic_site(drawn)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_BYTES", budget)
        shards = plan_shards(site, "")
    urls = [r.url for shard in shards for r in shard.records()]
    assert sorted(u for u in urls if u.startswith("articles/")) == sorted(
        f"articles/{a.slug}.html" for a in site.articles
    )
    assert len(urls) == len(set(urls)) == len(site.articles) + sum(len(d.articles) > 1 for d in site.digests)
    heaviest = max(search._text_bytes(a.title, a.summary, a.body) for a in site.articles) + max(
        search._digest_bytes(d) for d in site.digests
    )
    for shard in shards:  # over the budget only where one article (and the digest it carries) is
        assert shard.size <= budget or (len(shard.records()) <= 2 and shard.size <= heaviest)
    where = {r.url: shard.name for shard in shards for r in shard.records()}
    for digest in site.digests:
        if len(digest.articles) > 1:
            latest = max(digest.articles, key=lambda a: a.sort_key)
            assert where[f"digests/{digest.slug}.html"] == where[f"articles/{latest.slug}.html"]
    years = [name[:4] for name in (shard.name for shard in shards) if not name.startswith("undated")]
    assert years == sorted(years, reverse=True) and all(
        name.startswith("undated") for name in [s.name for s in shards][len(years) :]
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(drawn=_ARTICLES)
def test_a_new_article_changes_only_the_last_part_of_its_period(drawn) -> None:
    site = _synthetic_site(drawn)
    newest = max((a for a in site.articles if a.date is not None), key=lambda a: a.sort_key, default=None)
    new = Article(slug="zz-new", title="New", body="word " * 500, date=newest.date if newest else None, added=LATER)
    before = {shard.name: shard.key for shard in _planned(site, 1_500_000)}
    after = _planned(Site(config=Config(), articles=[*site.articles, new], digests=site.digests), 1_500_000)
    assume({n.partition("-part")[0] for n in before} == {s.name.partition("-part")[0] for s in after})
    assume(len(before) == len(after))  # no period cut anew, nor into more parts: then only one shard moves
    home = next(s.name for s in after if "articles/zz-new.html" in {r.url for r in s.records()})
    period = [s.name for s in after if s.name.partition("-part")[0] == home.partition("-part")[0]]
    assert home == period[0]  # the newest part of its period
    assert [s.name for s in after if before.get(s.name) != s.key] == [home]


def _planned(site: Site, budget: int) -> list[search.Shard]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_BYTES", budget)
        return plan_shards(site, "")


def test_the_built_site_holds_one_bundle_per_shard(built: Path) -> None:
    shards = json.loads((built / "site/pagefind/shards.json").read_text(encoding="utf-8"))["shards"]
    assert shards == ["2025", "undated"]
    files = _bundles(built)
    for shard in shards:
        names = {p.removeprefix(f"pagefind/{shard}/") for p in files if p.startswith(f"pagefind/{shard}/")}
        assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"} <= names
        assert any(n.startswith("fragment/") for n in names) and any(n.startswith("index/") for n in names)
        assert not any("ui" in n or "playground" in n for n in names), "Pagefind's own UIs are not shipped"
    # six dated articles and two digests; one undated article
    assert _entry(built, "2025")["languages"]["en"]["page_count"] == 8
    assert _entry(built, "undated")["languages"]["en"]["page_count"] == 1


def test_unchanged_records_keep_the_index_and_an_edit_remakes_its_year_only(built: Path) -> None:
    before = _bundles(built)
    assert not [p for p in build_fixture(built, jobs=1).written if p.startswith("pagefind/")]
    path = built / "content" / f"{UNDATED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("giving up", "giving in"), encoding="utf-8")
    written = build_fixture(built, jobs=1).written
    assert written and all(p.startswith("pagefind/undated/") for p in written if p.startswith("pagefind/"))
    after = _bundles(built)
    assert {p: d for p, d in after.items() if p.startswith("pagefind/2025/")} == {
        p: d for p, d in before.items() if p.startswith("pagefind/2025/")
    }
    assert after != before


def test_an_incremental_index_holds_what_a_fresh_one_does(built: Path, tmp_path: Path) -> None:
    path = built / "content" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("800 jobs", "850 jobs"), encoding="utf-8")
    build_fixture(built, jobs=1)
    fresh = copy_fixture(tmp_path / "fresh")
    (fresh / "content" / f"{EDITED}.md").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    build_fixture(fresh, jobs=1)
    # Texts, words and excerpts live in fragments and index chunks: byte for byte the same.
    # Filter files list their values in an order Pagefind does not fix (see render_helpers.site_files).
    searchable = ("/fragment/", "/index/")
    incremental = {p: d for p, d in _bundles(built).items() if any(s in p for s in searchable)}
    assert incremental == {p: d for p, d in _bundles(fresh).items() if any(s in p for s in searchable)}
    assert len([p for p in _bundles(built) if "/filter/" in p]) == len([p for p in _bundles(fresh) if "/filter/" in p])


def _broken_binary(tmp_path: Path) -> str:
    script = tmp_path / "pagefind"
    script.write_text("#!/bin/sh\necho 'pagefind: cannot start: out of cheese' >&2\nexit 3\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize("binary", ["missing", "broken"])
def test_without_a_working_pagefind_the_rest_is_built_and_one_line_says_why(
    built: Path, tmp_path: Path, monkeypatch, binary: str
) -> None:
    pages = {p for p in site_files(built / "site") if p.endswith(".html")}
    (built / "content" / f"{UNDATED}.md").write_text(
        (built / "content" / f"{UNDATED}.md").read_text(encoding="utf-8").replace("giving up", "giving in"),
        encoding="utf-8",
    )
    path = str(tmp_path / "no-such-pagefind") if binary == "missing" else _broken_binary(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", path)
    result = build_fixture(built, jobs=1)
    [line] = result.problems
    assert line.startswith("search: no search index was made: ") and "\n" not in line
    assert ("No such file" in line) if binary == "missing" else ("out of cheese" in line)
    assert {p for p in site_files(built / "site") if p.endswith(".html")} == pages
    assert not (built / "site/pagefind").exists()  # the box finds no shards.json and stays hidden
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert build_fixture(built, jobs=1).problems == []
    assert (built / "site/pagefind/shards.json").exists()


def test_digest_build_says_it_in_one_line_and_exits_1(project: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PAGEFIND_BINARY_PATH": _broken_binary(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "digest", "build", "-C", str(project)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert [line for line in run.stderr.splitlines() if "search" in line] == [
        "search: no search index was made: the Pagefind binary stopped: pagefind: cannot start: out of cheese"
    ]
    assert (project / "site/index.html").exists()


def test_a_deferred_index_is_left_as_it_was_and_caught_up_by_the_next_render(built: Path) -> None:
    """What `digest serve` does on an edit: the page first, the search index when idle."""
    before = _bundles(built)
    path = built / "content" / f"{UNDATED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("giving up", "giving in"), encoding="utf-8")
    deferred = build_fixture(built, jobs=1, defer_search=True)
    assert deferred.search_stale and f"articles/{UNDATED}.html" in deferred.written
    assert _bundles(built) == before
    caught_up = build_fixture(built, jobs=1)
    assert not caught_up.search_stale
    assert {p for p in caught_up.written if p.startswith("pagefind/")} and _bundles(built) != before


@pytest.mark.parametrize("when", ["while indexing", "before"])
def test_an_interrupted_index_is_left_as_it_was_as_if_deferred_and_caught_up_by_the_next_render(
    built: Path, when: str
) -> None:
    """What `digest serve` does when an edit is saved while the idle build remakes the index."""
    before = _bundles(built)
    path = built / "content" / f"{UNDATED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("giving up", "giving in"), encoding="utf-8")
    interrupt = InterruptedOnceRunning() if when == "while indexing" else Interrupt()
    if when == "before":
        interrupt.set()
    result = build_fixture(built, jobs=1, interrupt=interrupt)
    assert result.problems == [] and result.search_stale
    assert f"articles/{UNDATED}.html" in result.written
    assert _bundles(built) == before
    if isinstance(interrupt, InterruptedOnceRunning):
        assert interrupt.killed and all(process.wait(timeout=60) != 0 for process in interrupt.killed)  # type: ignore[attr-defined]
    caught_up = build_fixture(built, jobs=1)
    assert not caught_up.search_stale and caught_up.problems == []
    assert {p for p in caught_up.written if p.startswith("pagefind/")} and _bundles(built) != before


def test_an_interrupt_set_after_the_index_was_made_changes_nothing(built: Path) -> None:
    path = built / "content" / f"{UNDATED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("giving up", "giving in"), encoding="utf-8")
    interrupt = Interrupt()
    result = build_fixture(built, jobs=1, interrupt=interrupt)
    interrupt.set()
    assert not result.search_stale and {p for p in result.written if p.startswith("pagefind/undated/")}


def test_shards_indexed_side_by_side_hold_no_more_records_at_once_than_one_shard(tmp_path: Path, monkeypatch) -> None:
    site = fixture_site(copy_fixture(tmp_path / "p"))
    one = max(search._text_bytes(a.title, a.summary, a.body) for a in site.articles)
    monkeypatch.setattr(search, "SHARD_BYTES", 3 * one)
    monkeypatch.setattr(search, "PAGEFIND_AT_ONCE", 3 * one)
    shards = plan_shards(site, "")
    assert len(shards) > 2 and sum(shard.size for shard in shards) > search.PAGEFIND_AT_ONCE
    alone = search.index_shards(shards, "en", workers=1)
    held, peak, real_bundle, lock = [0], [0], search._Service.bundle, threading.Lock()

    size = {shard.name: shard.size for shard in shards}
    size_of = {r.url: shard.name for shard in shards for r in shard.records()}

    def counted_bundle(self, records, language):
        amount = size[size_of[records[0].url]]
        with lock:
            held[0] += amount
            peak[0] = max(peak[0], held[0])
        try:
            return real_bundle(self, records, language)
        finally:
            with lock:
                held[0] -= amount

    monkeypatch.setattr(search._Service, "bundle", counted_bundle)
    side_by_side = search.index_shards(shards, "en", workers=len(shards))
    assert peak[0] <= max(search.PAGEFIND_AT_ONCE, max(shard.size for shard in shards))
    assert list(side_by_side) == [shard.name for shard in shards]  # in the shards' order, whatever ends first
    searchable = ("fragment/", "index/")
    for name, files in alone.items():
        assert {p: d for p, d in side_by_side[name].items() if p.startswith(searchable)} == {
            p: d for p, d in files.items() if p.startswith(searchable)
        }


_MARKDOWN_BITS = st.sampled_from(
    [
        "\n",
        "\n\n",
        " ",
        "  ",
        "#",
        "## ",
        "> ",
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "*",
        "**",
        "_",
        "`",
        "~~",
        "[",
        "]",
        "(",
        ")",
    ]
    + ["![", "](", "](https://example.org/a)", "word", "Geneva", "800"]
)


@given(st.lists(_MARKDOWN_BITS, max_size=40).map("".join))
def test_the_indexed_text_drops_every_mark_the_one_pass_definition_drops(markdown: str) -> None:
    """plain_text runs two fast passes; the text is the one pass's, markers at line starts and inline alike."""
    link = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
    marks = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|[*_`~]+", re.MULTILINE)
    assert plain_text(markdown) == marks.sub("", link.sub(r"\1", markdown))
