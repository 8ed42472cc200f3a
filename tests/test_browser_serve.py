"""A real browser follows `digest serve`: edits appear by themselves, broken edits show an overlay."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from test_serve import ServeProcess, site_project, write_story  # noqa: F401 - site_project is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "ceasefire-talks-resume"


@pytest.fixture
def browser_page(chromium) -> Iterator[object]:
    page = chromium.new_page()  # a browser context of its own: nothing shared with the other tests' pages
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture
def server(site_project: Path) -> Iterator[ServeProcess]:  # noqa: F811 - the imported fixture
    process = ServeProcess(site_project)
    try:
        process.wait_for(r"\d+ pages")
        yield process
    finally:
        process.stop()  # the whole process group, even when the test failed


def _shows(page, text: str) -> None:
    page.wait_for_function("text => document.body && document.body.innerText.includes(text)", arg=text)


def test_the_open_page_follows_edits_and_shows_broken_ones(server: ServeProcess, browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 480, "height": 240})  # small, so the reader has scrolled
    content = server.root / "content" / f"{ARTICLE}.md"
    page.goto(server.url.rstrip("/") + f"/articles/{ARTICLE}.html")
    _shows(page, "Ceasefire talks resume in Geneva")
    search = page.locator("[data-search]")
    search.wait_for(state="visible")  # set up by its script once the index answers: the header's final height
    page.evaluate("window.scrollTo(0, 150)")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    # An edit to the Markdown appears without anyone reloading by hand, and the reader keeps their place.
    write_story(
        server.root / "content",
        ARTICLE,
        "Ceasefire talks resume in Geneva",
        "diplomacy",
        "Negotiators agreed on a prisoner exchange late on Wednesday.",
    )
    _shows(page, "prisoner exchange late on Wednesday")
    assert page.evaluate("window.scrollY") == 150
    assert not navigations, "swapped in place, not reloaded"
    assert search.is_visible(), "the search box stays set up after a swap"
    page.fill("#search-input", "Geneva")  # and it still answers
    page.locator(".search-hit-title", has_text="Ceasefire talks resume in Geneva").wait_for()
    page.fill("#search-input", "")
    assert page.locator("script[src^='/__digest/']").count() == 1

    # Broken front matter: an overlay names the file and the line; the page stays on screen.
    good = content.read_text()
    content.write_text(good.replace("title: Ceasefire", "title: [Ceasefire"))
    overlay = page.locator("#digest-live-problems")
    overlay.wait_for(state="visible")
    message = overlay.inner_text()
    assert f"content/{ARTICLE}.md" in message
    assert re.search(r"line \d+", message), message
    assert "prisoner exchange" in page.inner_text("body")

    # Fixing the file brings the page back and the overlay goes.
    content.write_text(good.replace("late on Wednesday", "early on Thursday"))
    _shows(page, "early on Thursday")
    overlay.wait_for(state="detached")


def test_a_page_whose_loaded_files_change_is_reloaded_for_real(server: ServeProcess, browser_page) -> None:
    """A swap cannot load a new stylesheet or run a script: such a change reloads the tab."""
    page = browser_page
    page.goto(server.url.rstrip("/") + f"/articles/{ARTICLE}.html")
    _shows(page, "Ceasefire talks resume in Geneva")
    page.evaluate("window.stillHere = true")
    templates = server.root / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(
        '{% extends "base.html" %}{% block head %}<script>window.templateScriptRan = true</script>{% endblock %}'
        "{% block content %}<h1>Custom: {{ article.title }}</h1>{% endblock %}"
    )
    _shows(page, "Custom: Ceasefire talks resume in Geneva")
    assert page.evaluate("window.templateScriptRan === true && window.stillHere === undefined")


def test_a_stylesheet_edit_restyles_the_open_page_without_reloading_it(server: ServeProcess, browser_page) -> None:
    page = browser_page
    page.goto(server.url.rstrip("/") + f"/articles/{ARTICLE}.html")
    _shows(page, "Ceasefire talks resume in Geneva")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    static = server.root / "templates" / "static"
    static.mkdir(parents=True)
    (static / "style.css").write_text("body { background-color: rgb(1, 2, 3); }")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'")
    assert not navigations
