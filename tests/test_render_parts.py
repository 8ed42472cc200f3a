"""Long lists and large digests are planned in parts (render/pages.py): an edit expands the part
that shows the article, not every page of its list or digest. Parts change how much is planned,
never a page, its key or the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.feeds import feed_specs, spec_paths
from digest.render import pages
from digest.render.pages import family_of, plan_groups
from digest.site import Site

from render_helpers import build_fixture, copy_fixture, fixture_site, site_files


def _in_parts_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGES_AT_ONCE", 1)
    monkeypatch.setattr(pages, "ARTICLES_AT_ONCE", 1)


def _feed_paths(site: Site) -> frozenset[str]:
    return frozenset(path for spec in feed_specs(site) for path in spec_paths(site, spec))


def test_parts_change_no_page_and_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = fixture_site(copy_fixture(tmp_path / "project"))
    feed_paths = _feed_paths(site)
    whole = {page.path: page.key for group in plan_groups(site, feed_paths) for page in group.expand()}
    _in_parts_of_one(monkeypatch)
    groups = plan_groups(site, feed_paths)
    assert {page.path: page.key for group in groups for page in group.expand()} == whole
    ids = [group.id for group in groups]
    assert len(ids) == len(set(ids))
    home_pages = [path for path in whole if path == "index.html" or path.startswith("page/")]
    assert len(home_pages) > 1 and len([i for i in ids if family_of(i) == "home"]) == len(home_pages)
    for digest in site.digests:
        assert len([i for i in ids if family_of(i) == f"digest:{digest.slug}"]) == len(digest.articles)
    tagged = {tag: len(term.articles) for term in site.tags for tag in [term.slug]}
    longest = max(tagged, key=tagged.__getitem__)
    assert tagged[longest] > site.config.per_page  # a list of more than one page: more than one part
    assert len([i for i in ids if family_of(i) == f"tag:{longest}"]) > 1


def test_a_site_built_in_parts_is_the_site_built_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = copy_fixture(tmp_path / "whole")
    build_fixture(whole, jobs=1)
    _in_parts_of_one(monkeypatch)
    parts = copy_fixture(tmp_path / "parts")
    build_fixture(parts, jobs=1)
    assert site_files(parts / "site") == site_files(whole / "site")


def test_the_parts_of_a_list_share_one_list_of_its_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each part holding its own list of every page's address grew as the square of a long list:
    # 1.3 GB more at 100,000 articles (benchmarks/build_speed.py, largest process)
    site = fixture_site(copy_fixture(tmp_path / "project"))
    _in_parts_of_one(monkeypatch)
    groups = plan_groups(site, _feed_paths(site))
    for family in ("home", f"tag:{max(site.tags, key=lambda term: len(term.articles)).slug}"):
        listed = [page for group in groups if family_of(group.id) == family for page in group.expand()]
        assert len(listed) > 1 and len({id(_addresses(page)) for page in listed}) == 1


def _addresses(page: pages.Page) -> list[str]:
    """The list of its list's page addresses that a list page's context is made with (its pager)."""
    make_data = page.make.args[2]  # pages._context(shared, meta, make_data)
    return next(arg for arg in make_data.args if isinstance(arg, list) and arg and isinstance(arg[0], str))
