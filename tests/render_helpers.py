"""Shared by the render tests: the golden fixture project, built without the grouping stage.

The fixture's digests are fixed in tests/golden/project/digests.yaml, so what
these tests see depends on the renderer only, not on how grouping clusters.
"""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from digest.cache import Store
from digest.config import load_config
from digest.interrupt import Interrupt, Killable
from digest.load import load_articles
from digest.model import Digest, OverviewPoint
from digest.render import RenderResult, render_site
from digest.site import Site

GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURE = GOLDEN / "project"


def copy_fixture(destination: Path) -> Path:
    shutil.copytree(FIXTURE, destination, dirs_exist_ok=True)
    return destination


def fixture_site(root: Path, store: Optional[Store] = None) -> Site:
    """`store`: the load cache to use (one kept in memory gives unchanged files' articles back as they were)."""
    config = load_config(root)
    loaded = load_articles(config, store=store)
    assert not loaded.problems, loaded.problems
    by_slug = {article.slug: article for article in loaded.articles}
    digests = []
    for entry in yaml.safe_load((root / "digests.yaml").read_text(encoding="utf-8")):
        digests.append(
            Digest(
                slug=entry["slug"],
                name=entry["name"],
                articles=[by_slug[slug] for slug in entry["articles"] if slug in by_slug],
                overview=[OverviewPoint(**point) for point in entry.get("overview", [])],
                tags=entry.get("tags", []),
                sources=entry.get("sources", []),
                duplicates=entry.get("duplicates", []),
                related=entry.get("related", {}),
            )
        )
    return Site(config=config, articles=loaded.articles, digests=digests)


def build_fixture(root: Path, **options) -> RenderResult:
    return render_site(fixture_site(root), **options)


def site_files(site_dir: Path, *, search_bundles: bool = False) -> dict[str, bytes]:
    """Every file of a built site, by path. Without the search index's shard bundles unless asked:
    Pagefind writes a filter's values in hash-map order, different in every process, so two
    indexes of the same records search alike but differ in bytes (tests/test_search_index.py
    compares them by what they contain). pagefind/shards.json is deterministic and included."""
    files = {p.relative_to(site_dir).as_posix(): p for p in sorted(site_dir.rglob("*")) if p.is_file()}
    return {path: p.read_bytes() for path, p in files.items() if search_bundles or not is_search_bundle(path)}


def is_search_bundle(path: str) -> bool:
    return path.startswith("pagefind/") and path.count("/") >= 2


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def broken_links(site_dir: Path, base_url: str) -> list[str]:
    """Every relative (or base-URL) href/src of every page that does not resolve to a file in site_dir."""
    base_path = urlsplit(base_url).path
    broken = []
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        for link in links_of(page.read_text(encoding="utf-8")):
            parts = urlsplit(link)
            if parts.scheme in ("mailto",) or (parts.scheme and not link.startswith(base_url)):
                continue
            if link.startswith(base_url):
                target = link[len(base_url) :]
            elif link.startswith("/"):
                if not link.startswith(base_path):
                    broken.append(f"{relative}: {link} (outside the base path)")
                    continue
                target = link[len(base_path) :]
            else:
                target = urlsplit(urljoin(relative, link)).path
            if parts.fragment and not parts.path and not target:
                continue  # "#main" on the page itself
            target = unquote(urlsplit(target).path) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if not (site_dir / target).is_file():
                broken.append(f"{relative}: {link}")
    return broken


class InterruptedOnceRunning(Interrupt):
    """Set by another thread as soon as a process is watched: as serve's watcher sets it when an
    edit is saved while an idle build's Pagefind or regroup runs. `killed`: the processes watched."""

    def __init__(self) -> None:
        super().__init__()
        self.killed: list[Killable] = []

    @contextmanager
    def watching(self, process: Killable) -> Iterator[None]:
        with super().watching(process):
            setter = threading.Thread(target=self.set)
            setter.start()
            setter.join()
            self.killed.append(process)
            yield
