"""Article bodies are parsed from Markdown once per text and kept across builds: a page rendered
again for any other reason takes its body's HTML from the cache, and the site is the same."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import digest.render as render
import digest.render.bodies as bodies
from digest.render.bodies import BODIES

from render_helpers import build_fixture, copy_fixture, fixture_site, site_files

BUILTIN = Path(render.__file__).parent.parent / "templates"
EDITED = "port-strike-enters-second-week"


def _restyle(root: Path) -> None:
    """A template every page uses, changed: every page is rendered again."""
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/base.html").write_text(
        (BUILTIN / "base.html").read_text(encoding="utf-8").replace("Made with digest", "Made with care"),
        encoding="utf-8",
    )


def _articles(root: Path) -> int:
    return len(list((root / "site/articles").glob("*.html")))


def _rows(root: Path) -> int:
    with sqlite3.connect(root / ".digest-cache" / BODIES) as db:
        return db.execute("SELECT COUNT(*) FROM bodies").fetchone()[0]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_fixture(tmp_path / "project")
    first = build_fixture(root, jobs=1)
    assert first.problems == [] and first.bodies_reused == 0
    return root


def test_a_page_rendered_again_takes_its_body_from_the_cache_and_is_the_same(built: Path, tmp_path: Path) -> None:
    assert _rows(built) == _articles(built)
    _restyle(built)
    again = build_fixture(built, jobs=1)
    assert again.rendered == again.pages and again.bodies_reused == _articles(built)
    fresh = copy_fixture(tmp_path / "fresh")
    _restyle(fresh)
    assert build_fixture(fresh, jobs=1).bodies_reused == 0
    assert site_files(built / "site") == site_files(fresh / "site")


def test_an_edited_body_is_rendered_from_its_markdown(built: Path) -> None:
    path = built / "content" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("800 jobs", "850 jobs"), encoding="utf-8")
    _restyle(built)
    result = build_fixture(built, jobs=1)
    assert result.bodies_reused == _articles(built) - 1
    assert "850 jobs" in (built / f"site/articles/{EDITED}.html").read_text(encoding="utf-8")


def test_bodies_no_article_has_are_dropped_as_the_cache_grows(built: Path, monkeypatch) -> None:
    monkeypatch.setattr(bodies, "_SLACK", 0)
    path = built / "content" / f"{EDITED}.md"
    for edition in range(_articles(built) + 2):  # without pruning: more rows than twice the bodies
        path.write_text(path.read_text(encoding="utf-8") + f"\nUpdate {edition}: talks resume.\n", encoding="utf-8")
        build_fixture(built, jobs=1)
    assert _articles(built) < _rows(built) <= 2 * _articles(built)


def test_a_damaged_cache_costs_time_only(built: Path) -> None:
    before = site_files(built / "site")
    (built / ".digest-cache" / BODIES).write_bytes(b"not a database at all" * 100)
    _restyle(built)
    result = build_fixture(built, jobs=1)
    assert result.problems == [] and result.bodies_reused == 0
    assert _rows(built) == _articles(built)  # made anew
    shutil.rmtree(built / "templates")
    assert build_fixture(built, jobs=1).bodies_reused == _articles(built)
    assert site_files(built / "site") == before


def test_bodies_rendered_ahead_are_the_ones_the_render_would_make_and_it_takes_them(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "ahead")
    articles = fixture_site(root).articles
    cache = root / ".digest-cache" / BODIES
    assert bodies.render_ahead(cache, [a.body for a in articles], stop=lambda: False) == len(articles)
    assert bodies.render_ahead(cache, [a.body for a in articles], stop=lambda: False) == 0  # kept already
    result = build_fixture(root, jobs=1)
    assert result.bodies_reused == _articles(root) == len(articles)
    plain = copy_fixture(tmp_path / "plain")
    build_fixture(plain, jobs=1)
    assert site_files(root / "site") == site_files(plain / "site")


def test_rendering_ahead_stops_when_told(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(bodies, "_AHEAD_CHUNK", 2)
    texts = [f"Paragraph {n} of a body, with *emphasis*." for n in range(7)]
    looks = []

    def stop() -> bool:
        looks.append(1)
        return len(looks) > 2  # the grouping is done after two chunks

    assert bodies.render_ahead(tmp_path / BODIES, texts, stop) == 4
    assert bodies.render_ahead(tmp_path / BODIES, texts, stop=lambda: False) == 3  # the rest, next time


def test_while_a_large_archive_is_grouped_apart_the_build_renders_its_bodies(tmp_path: Path, monkeypatch) -> None:
    import digest.build as pipeline
    import digest.group as group
    from digest.config import load_config

    monkeypatch.setattr(group, "APART_FROM", 1)
    root = copy_fixture(tmp_path / "apart")
    seen = []
    real = bodies.render_ahead

    def ahead(path, texts, stop):
        seen.append(isinstance(stop(), bool))  # whether the grouping process is done yet
        return real(path, texts, stop=lambda: False)  # all of them, however fast that process turns out to be

    monkeypatch.setattr(bodies, "render_ahead", ahead)
    report = pipeline.build(load_config(root), jobs=1, echo=lambda line: None)
    assert report.problems == [] and seen == [True]
    assert _rows(root) == _articles(root)


def test_the_render_holds_a_few_bodies_html_at_a_time_and_the_site_is_the_same(
    built: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(render, "BODIES_AT_ONCE", 2)
    held = []
    real_known, real_add = bodies.BodyCache.known, bodies.BodyCache.add

    def known(self, keys):
        found = real_known(self, keys)
        held.append(len(found))
        return found

    def add(self, made, count, current):
        held.append(len(made))
        return real_add(self, made, count, current)

    monkeypatch.setattr(bodies.BodyCache, "known", known)
    monkeypatch.setattr(bodies.BodyCache, "add", add)
    fresh = copy_fixture(tmp_path / "fresh")
    _restyle(fresh)
    assert build_fixture(fresh, jobs=1).bodies_reused == 0  # every body made here, kept two at a time
    assert _rows(fresh) == _articles(fresh) > 2 and max(held) == 2
    held.clear()
    _restyle(built)
    assert build_fixture(built, jobs=1).bodies_reused == _articles(built)  # every body read, two at a time
    assert sum(held) >= _articles(built) and max(held) == 2
    assert site_files(built / "site") == site_files(fresh / "site")


def test_a_cache_damaged_past_its_header_is_made_anew_by_the_next_build(tmp_path: Path) -> None:
    """Damage found only when rows are read must not cost every later build its bodies."""
    path = tmp_path / BODIES
    made = {f"key {n}": f"<p>body {n}</p>" * 100 for n in range(200)}
    with bodies.BodyCache(path) as cache:
        cache.add(made, len(made), lambda: set(made))
    data = bytearray(path.read_bytes())
    assert len(data) > 16 * 4096
    data[8 * 4096 : 12 * 4096] = b"\xff" * (4 * 4096)
    path.write_bytes(bytes(data))
    with bodies.BodyCache(path) as cache:
        assert len(cache.known(made)) < len(made)
        cache.add(made, len(made), lambda: set(made))  # not kept: the file is given up
    with bodies.BodyCache(path) as cache:
        cache.add(made, len(made), lambda: set(made))
    with bodies.BodyCache(path) as cache:
        assert cache.known(made) == made
