"""Undated articles in RSS, Atom and JSON Feed: dated when they entered the site, the same in every build,
and a real feed reader (newsboat) lists them in the same order every time."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import sqlite3
import subprocess
import threading
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from digest.build import build
from digest.config import load_config

from conftest import require_tool

ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}
ADDED = dt.datetime(2025, 8, 16, 7, 45, tzinfo=dt.timezone.utc)

ARTICLES = {
    "ferry-fares-rise": (
        "Harbour ferry fares rise again",
        "date: 2025-08-14T09:00:00Z",
        "Ferry fares rose by five percent.",
    ),
    "bridge-reopens": ("Old bridge reopens after repairs", "date: 2025-08-12", "The old bridge reopened to traffic."),
    "market-hall-plans": (
        "Market hall plans go on show",
        f"date:\nadded: {ADDED.isoformat()}",
        "Plans for the market hall went on show.",
    ),
    "library-hours": ("Library extends opening hours", "date:", "The central library will open on Sundays."),
}


def write_project(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "digest.yaml").write_text("base_url: https://example.org/news/\n", encoding="utf-8")
    for slug, (title, dates, body) in ARTICLES.items():
        text = f"---\ntitle: {title}\n{dates}\nsource: Harbour Gazette\nslug: {slug}\n---\n\n{body} "
        (root / "content" / f"{slug}.md").write_text(text + "\n", encoding="utf-8")
    os.utime(root / "content" / "library-hours.md", (1_755_000_000, 1_755_000_000))  # its first sight, for the fallback
    return root


def dates_in_feeds(root: Path) -> dict[str, dict[str, str]]:
    """Per feed format: article slug → the date the feed gives it."""
    site = root / "site"
    rss = {
        item.findtext("link").rsplit("/", 1)[1].removesuffix(".html"): item.findtext("pubDate")
        for item in ET.fromstring((site / "feed.xml").read_bytes()).findall("./channel/item")
    }
    atom = {
        entry.find("atom:link", ATOM_NS)
        .get("href")
        .rsplit("/", 1)[1]
        .removesuffix(
            ".html"
        ): f"{entry.findtext('atom:published', namespaces=ATOM_NS)} {entry.findtext('atom:updated', namespaces=ATOM_NS)}"
        for entry in ET.fromstring((site / "atom.xml").read_bytes()).findall("atom:entry", ATOM_NS)
    }
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    feed = {item["url"].rsplit("/", 1)[1].removesuffix(".html"): item.get("date_published") for item in items}
    return {"rss": rss, "atom": atom, "json": feed}


def from_scratch(root: Path) -> None:
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".digest-cache", ignore_errors=True)
    build(load_config(root), echo=lambda line: None)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "project")
    build(load_config(root), echo=lambda line: None)
    return root


def test_every_item_of_every_format_carries_a_date(project: Path):
    found = dates_in_feeds(project)
    for kind, dates in found.items():
        assert set(dates) == set(ARTICLES), kind
        assert all(value and "None" not in value for value in dates.values()), (kind, dates)


def test_an_undated_item_is_dated_when_it_entered_the_site(project: Path):
    found = dates_in_feeds(project)
    assert parsedate_to_datetime(found["rss"]["market-hall-plans"]) == ADDED
    assert dt.datetime.fromisoformat(found["json"]["market-hall-plans"]) == ADDED
    assert dt.datetime.fromisoformat(found["atom"]["market-hall-plans"].split()[0]) == ADDED
    # no `added:` and no seed: when the file was first seen
    first_seen = dt.datetime.fromtimestamp(1_755_000_000, dt.timezone.utc)
    assert parsedate_to_datetime(found["rss"]["library-hours"]) == first_seen
    entry = json.loads((project / "site/feed.json").read_text(encoding="utf-8"))["items"]
    assert {i["url"].rsplit("/", 1)[1]: i["_digest"]["date_stated"] for i in entry}["library-hours.html"] is False


def test_dates_are_the_same_in_a_second_build_from_scratch(project: Path):
    first = dates_in_feeds(project)
    from_scratch(project)
    assert dates_in_feeds(project) == first


def test_editing_an_undated_article_does_not_move_it_in_time(project: Path):
    first = dates_in_feeds(project)
    path = project / "content/library-hours.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe café stays open too.\n", encoding="utf-8")
    build(load_config(project), echo=lambda line: None)
    assert dates_in_feeds(project) == first


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def newsboat_items(site: Path, workdir: Path) -> list[tuple[str, int]]:
    """(title, date) of every item newsboat stores for the site's RSS feed, in the order it lists them."""
    newsboat = require_tool("newsboat")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "urls").write_text(f"http://127.0.0.1:{server.server_address[1]}/feed.xml\n")
        result = subprocess.run(
            [newsboat, "-u", str(workdir / "urls"), "-c", str(workdir / "cache.db"), "-C", os.devnull, "-x", "reload"],
            capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(workdir)}, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()
        server.server_close()
    with sqlite3.connect(workdir / "cache.db") as db:
        return db.execute("SELECT title, pubDate FROM rss_item ORDER BY pubDate DESC, title").fetchall()


def test_newsboat_lists_undated_articles_in_the_same_order_after_a_rebuild(project: Path, tmp_path: Path):
    first = newsboat_items(project / "site", tmp_path / "reader-1")
    from_scratch(project)
    second = newsboat_items(project / "site", tmp_path / "reader-2")
    assert first == second and len(first) == len(ARTICLES)
    dated = dict(first)
    assert dated["Market hall plans go on show"] == int(ADDED.timestamp())  # not the time newsboat fetched it
