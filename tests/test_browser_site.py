"""A real browser (Debian's Chromium, driven by Playwright) reads the golden site.

The site is served from a sub-path (/news/, as its base_url says) by a local
HTTP server, and opened once from file:// as well. Screenshots at desktop and
phone widths, light and dark, go to DIGEST_SCREENSHOTS (default: a temporary
folder) so a person can look at them.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from render_helpers import build_fixture, copy_fixture

# waits on the page's own events (its heading replaced), not on a load state a loaded page answers at once
expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PAGES = {
    "home": "index.html",
    "digest": "digests/rotterdam-port-strike.html",
    "article": "articles/council-approves-new-tram-line.html",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = copy_fixture(tmp_path_factory.mktemp("browser") / "project")
    build_fixture(root, jobs=1)
    www = root / "www"
    www.mkdir()
    (www / "news").symlink_to(root / "site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/news/", root / "site"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from conftest import CHROMIUM, require_tool

    executable = require_tool("chromium", CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("DIGEST_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser, url: str, viewport: dict, scheme: str = "light"):
    page = browser.new_page(viewport=viewport, color_scheme=scheme)
    failures: list[str] = []
    page.on("dialog", lambda dialog: failures.append(f"a script ran: {dialog.message}"))
    page.on("requestfailed", lambda request: failures.append(f"failed to load {request.url}"))
    page.on(
        "response", lambda response: response.status >= 400 and failures.append(f"{response.status} {response.url}")
    )
    page.goto(url)
    page.wait_for_load_state("load")
    return page, failures


def _styled(page) -> bool:
    return page.evaluate("getComputedStyle(document.querySelector('.masthead')).borderTopStyle") == "solid"


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_render_fit_and_are_captured(browser, served, shots: Path, name: str, width: str, scheme: str) -> None:
    base, _ = served
    viewport = DESKTOP if width == "desktop" else PHONE
    page, failures = _open(browser, base + PAGES[name], viewport, scheme)
    try:
        assert failures == []
        assert _styled(page)
        assert page.locator("h1").count() == 1
        # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(shots / f"{name}-{width}-{scheme}.png"), full_page=True)
    finally:
        page.close()


def test_reader_sees_home_digest_and_article(browser, served) -> None:
    base, _ = served
    page, failures = _open(browser, base + "index.html", DESKTOP)
    try:
        digests = page.locator(".home-digests h3 a")
        assert digests.all_inner_texts() == ["The new tram line <east>", "Rotterdam port strike"]
        assert page.get_by_text("Dockworkers walked out over automation plans").is_visible()
        page.get_by_role("link", name="Rotterdam port strike").first.click()
        page.wait_for_url("**/news/digests/rotterdam-port-strike.html", wait_until="load")
        assert page.locator("h1").inner_text() == "Rotterdam port strike"
        assert page.get_by_text("27 February – 5 March 2025").is_visible()
        page.locator(".digest-overview a").nth(1).click()
        expect(page.locator("h1")).to_have_text("Port strike enters second week as talks stall")
        assert page.locator("time").first.inner_text() == "3 March 2025"
        assert page.get_by_role("link", name="Harbour Gazette").is_visible()
        page.get_by_role("link", name="Union and port operators agree to mediation").click()
        expect(page.locator("h1")).to_have_text("Union and port operators agree to mediation")
        assert failures == []
    finally:
        page.close()


def test_article_text_is_shown_as_text_not_run(browser, served) -> None:
    base, _ = served
    page, failures = _open(browser, base + PAGES["article"], DESKTOP)
    try:
        assert page.locator("h1").inner_text() == "City council approves new tram line <east>"
        assert page.get_by_text('<script>alert("this must never run")</script>').is_visible()
        assert page.locator("main script").count() == 0
        assert failures == []  # no dialog opened
    finally:
        page.close()


def test_dark_mode_changes_the_colours(browser, served) -> None:
    base, _ = served
    page, _ = _open(browser, base + "index.html", DESKTOP)
    try:
        background = "getComputedStyle(document.body).backgroundColor"
        light = page.evaluate(background)
        page.emulate_media(color_scheme="dark")
        dark = page.evaluate(background)
        assert light != dark
        # dark means dark: the background's channels are low
        channels = [int(c) for c in dark[dark.index("(") + 1 : dark.index(")")].split(",")[:3]]
        assert max(channels) < 64
    finally:
        page.close()


def test_keyboard_user_gets_a_visible_skip_link(browser, served) -> None:
    base, _ = served
    page, _ = _open(browser, base + PAGES["article"], DESKTOP)
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box is not None and box["y"] >= 0
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.close()


def test_not_found_page_is_styled_at_any_depth(browser, served) -> None:
    base, _ = served
    page, failures = _open(browser, base + "404.html", DESKTOP)
    try:
        assert _styled(page) and failures == []
        page.get_by_role("link", name="Go to the home page").click()
        page.wait_for_url(base + "index.html", wait_until="load")
    finally:
        page.close()


def test_site_works_from_a_file_url(browser, served) -> None:
    _, site = served
    page, failures = _open(browser, (site / PAGES["digest"]).as_uri(), PHONE)
    try:
        assert _styled(page) and failures == []
        page.get_by_role("link", name="Tags", exact=True).first.click()
        expect(page.locator("h1")).to_have_text("Tags")
    finally:
        page.close()


@pytest.mark.parametrize("path", ["archive/index.html", "404.html", "tags/index.html", "sources/index.html"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_footer_sits_at_the_bottom_of_a_short_page(browser, served, shots: Path, path: str, width: str) -> None:
    base, _ = served
    viewport = {**(DESKTOP if width == "desktop" else PHONE), "height": 1600}  # taller than any of these pages
    page, failures = _open(browser, base + path, viewport)
    try:
        assert failures == []
        footer = page.locator(".site-footer").bounding_box()
        assert footer is not None
        assert abs(footer["y"] + footer["height"] - viewport["height"]) <= 1  # its bottom is the window's
        assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"]  # and no scrolling
        page.screenshot(path=str(shots / f"short-{path.replace('/', '-')}-{width}.png"))
    finally:
        page.close()


def test_the_not_found_page_opened_from_disk_is_styled(browser, served, shots: Path) -> None:
    _, site = served
    page, failures = _open(browser, (site / "404.html").as_uri(), DESKTOP)
    try:
        assert _styled(page)
        # its styles are in the page; only what it links from the site's base path for hosts (the icon, and the
        # search script, whose box stays hidden without it) is not found
        assert [f for f in failures if not f.endswith(("/static/favicon.svg", "/static/search.js"))] == []
        assert not page.locator("input[type=search]").is_visible()
        page.screenshot(path=str(shots / "404-from-disk.png"))
    finally:
        page.close()


def test_the_not_found_page_links_work_wherever_the_host_serves_it(browser, served) -> None:
    """Hosts answer a missing address with 404.html's bytes, at that address."""
    base, site = served
    deep = site / "no" / "such" / "place"
    deep.mkdir(parents=True)
    (deep / "page.html").write_bytes((site / "404.html").read_bytes())
    page, failures = _open(browser, base + "no/such/place/page.html", PHONE)
    try:
        assert _styled(page) and failures == []
        page.get_by_role("link", name="Browse the archive").click()
        # the event, not the load state: the page that was already loaded would answer "load" at once
        page.wait_for_url(base + "archive/index.html", wait_until="load")
        assert page.url == base + "archive/index.html"
    finally:
        page.close()
