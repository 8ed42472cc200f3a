"""A reader searches the archive in a real browser (Debian's Chromium), under `digest serve` at a sub-path:
results as they type, the match highlighted, filters that narrow, and new articles found after an edit."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Iterator

import pytest
from test_newsletter import write_article
from test_serve import ServeProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (slug, title, date, source, tag, a sentence of its own); every body also says "harbour"
STORIES = [
    (
        "ferry-timetable-cut",
        "Ferry timetable cut for the winter",
        dt.date(2024, 11, 3),
        "Harbour Gazette",
        "ferries",
        "The operator blamed rising fuel costs.",
    ),
    (
        "dockworkers-vote-on-pay",
        "Dockworkers vote on a new pay offer",
        dt.date(2025, 3, 2),
        "Northern Courier",
        "labour",
        "The ballot closes on Friday at noon.",
    ),
    (
        "harbour-crane-collapses",
        "Harbour crane collapses in high winds",
        dt.date(2025, 3, 9),
        "Harbour Gazette",
        "safety",
        "Inspectors found a corroded zeppelinbolt in the crane's base.",
    ),
    (
        "new-pier-opens",
        "New pier opens to cruise ships",
        dt.date(2025, 6, 1),
        "Civic Ledger",
        "tourism",
        "The mayor cut the ribbon <img src=x onerror=alert(1)> before the first ship docked.",
    ),
]


def _write(content: Path, *story) -> None:
    write_article(content, *story, closing="Officials at the harbour said more details would follow.")


def _serve(folder: Path) -> Iterator[ServeProcess]:
    (folder / "digest.yaml").write_text("base_url: http://127.0.0.1:8000/news/\n", encoding="utf-8")
    content = folder / "content"
    content.mkdir()
    for story in STORIES:
        _write(content, *story)
    process = ServeProcess(folder)
    try:
        process.wait_for(r"\d+ pages", timeout=120)
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """One server for the tests that only read: each opens its own page (a browser context of its own)."""
    yield from _serve(tmp_path_factory.mktemp("search"))


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServeProcess]:
    """A server of the test's own, for a test that edits the project."""
    yield from _serve(tmp_path)


@pytest.fixture
def browser(chromium):
    return chromium


def _open(browser, url: str, **options):
    page = browser.new_page(viewport={"width": 1100, "height": 800}, **options)
    page.set_default_timeout(30_000)
    problems: list[str] = []
    page.on("dialog", lambda dialog: problems.append(f"a script ran: {dialog.message}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}")
    )
    page.goto(url)
    return page, problems


def _articles(page) -> list[str]:
    """The titles of the articles among the results (digests aside)."""
    hits = zip(page.locator(".search-hit-title").all_inner_texts(), page.locator(".search-hit-meta").all_inner_texts())
    return [title for title, meta in hits if not meta.startswith("Digest")]


def _search(page, words: str) -> list[str]:
    page.fill("#search-input", words)
    page.wait_for_function(
        "words => document.querySelector('.search-status')?.textContent.includes(`“${words}”`)", arg=words
    )
    return page.locator(".search-hit-title").all_inner_texts()


def _shots() -> Path | None:
    folder = os.environ.get("DIGEST_SCREENSHOTS")
    return Path(folder) if folder else None


def test_a_word_from_one_articles_body_finds_that_article(server: ServeProcess, browser) -> None:
    page, problems = _open(browser, server.url + "tags/index.html")  # a page one folder down
    try:
        # the box shows once static/search.js has fetched the shard list: waited for, not looked at once
        page.locator("input[type=search]").wait_for(state="visible")
        found = _search(page, "zeppelinbolt")
        assert "Harbour crane collapses in high winds" in found
        # no other article says it (a digest whose overview quotes the sentence may)
        assert all(
            meta.startswith("Digest")
            for title, meta in zip(found, page.locator(".search-hit-meta").all_inner_texts())
            if title != "Harbour crane collapses in high winds"
        )
        hit = page.locator(".search-hit").filter(has_text="9 March 2025").first
        assert hit.locator("mark").first.inner_text().lower().startswith("zeppelinbolt")
        assert "9 March 2025" in hit.locator(".search-hit-meta").inner_text()
        assert "Harbour Gazette" in hit.locator(".search-hit-meta").inner_text()
        if shots := _shots():
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "search-results.png"))
        hit.locator("a").click()
        page.wait_for_load_state("load")
        assert page.url == server.url + "articles/harbour-crane-collapses.html"
        assert page.locator("h1").inner_text() == "Harbour crane collapses in high winds"
        # text that looks like markup is shown as text, in results as on pages
        _search(page, "ribbon")
        assert "<img src=x onerror=alert(1)>" in "\n".join(page.locator(".search-hit-excerpt").all_inner_texts())
        assert problems == []
    finally:
        page.close()


def test_filters_narrow_the_results(server: ServeProcess, browser) -> None:
    page, problems = _open(browser, server.url)
    try:
        everything = _search(page, "harbour")
        assert len(everything) >= len(STORIES)
        page.click(".search-narrow summary")
        page.wait_for_selector(".search-filters select[name=source]")
        page.select_option(".search-filters select[name=source]", "Harbour Gazette")
        page.wait_for_function("() => document.querySelectorAll('.search-hit').length < %d" % len(everything))
        assert set(_articles(page)) == {"Ferry timetable cut for the winter", "Harbour crane collapses in high winds"}
        page.select_option(".search-filters select[name=year]", "2024")
        page.wait_for_function("() => !document.querySelector('.search-hits').textContent.includes('crane')")
        assert _articles(page) == ["Ferry timetable cut for the winter"]
        page.select_option(".search-filters select[name=source]", "")
        page.select_option(".search-filters select[name=year]", "")
        page.select_option(".search-filters select[name=tag]", "tourism")
        page.wait_for_function("() => !document.querySelector('.search-hits').textContent.includes('Ferry')")
        assert _articles(page) == ["New pier opens to cruise ships"]
        assert problems == []
    finally:
        page.close()


def test_an_article_added_while_serving_is_found(own_server: ServeProcess, browser) -> None:
    server = own_server
    page, problems = _open(browser, server.url)
    try:
        assert _articles(page) == [] and _search(page, "quayside") == []
        seen = len(server.lines)
        _write(
            server.root / "content",
            "quayside-market-returns",
            "Quayside market returns",
            dt.date(2025, 7, 5),
            "Civic Ledger",
            "markets",
            "Stalls line the quayside again every Saturday.",
        )
        server.wait_for(r"rebuilt in", after=seen, timeout=120)
        # the edit's page first; the search index once the server is idle
        server.wait_for(r"search index updated in", after=seen, timeout=120)
        page.reload()
        _search(page, "quayside")
        assert _articles(page) == ["Quayside market returns"]
        assert problems == []
    finally:
        page.close()


def test_without_javascript_the_box_is_hidden(server: ServeProcess, browser) -> None:
    page, _ = _open(browser, server.url, java_script_enabled=False)
    try:
        assert page.locator("input[type=search]").count() == 1
        assert not page.locator("input[type=search]").is_visible()
    finally:
        page.close()
