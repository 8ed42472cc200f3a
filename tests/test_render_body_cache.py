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

from render_helpers import build_fixture, copy_fixture, site_files

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
